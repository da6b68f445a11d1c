import { randomUUID } from 'node:crypto';
import { format } from 'node:util';

import functions from '@azure/functions';
import type { InvocationContext, LogLevel, TriggerMetadata } from '@azure/functions';

/** Writes one line; `local/` prints to stdout, tests capture lines. */
export type LineWriter = (line: string) => void;

export const writeStdout: LineWriter = (line) => {
  process.stdout.write(`${line}\n`);
};

const LEVELS: Record<LogLevel, number> = {
  trace: 0,
  debug: 1,
  information: 2,
  warning: 3,
  error: 4,
  critical: 5,
  none: 6,
};

export interface ContextFactoryOptions {
  log: LineWriter;
  /** Lowest level written; host.json's default is `information`. */
  minLevel: LogLevel;
}

/**
 * Builds the same `InvocationContext` the Functions runtime passes, with a log handler that
 * writes one line per call: `[time] level fn=<name> invocation=<id> message`. Multi-line values
 * (stack traces) are folded so one log call stays one line.
 *
 * NOTE: the class comes from the default import; named value imports of `@azure/functions` fail
 * under native ESM because the package is a CommonJS bundle.
 */
export function createInvocationContext(
  functionName: string,
  options: ContextFactoryOptions,
  triggerMetadata?: TriggerMetadata,
): InvocationContext {
  const invocationId = randomUUID();
  const minimum = LEVELS[options.minLevel];
  return new functions.InvocationContext({
    invocationId,
    functionName,
    ...(triggerMetadata ? { triggerMetadata } : {}),
    logHandler: (level, ...args) => {
      if (LEVELS[level] < minimum || level === 'none') return;
      const message = oneLine(format(...args));
      const time = new Date().toISOString();
      options.log(`[${time}] ${level} fn=${functionName} invocation=${invocationId} ${message}`);
    },
  });
}

export function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' | ').trim();
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return oneLine(error.stack ?? `${error.name}: ${error.message}`);
  return oneLine(String(error));
}
