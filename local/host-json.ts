import { readFile } from 'node:fs/promises';

import type { LogLevel } from '@azure/functions';
import { z } from 'zod';

import type { QueueListenerOptions } from './queue-listener.js';

/**
 * The settings of host.json that the local host honours, so both hosts read one file:
 * the HTTP route prefix, the queue trigger's retry settings and the default log level.
 */
export interface HostJsonSettings {
  routePrefix: string;
  queues: QueueListenerOptions;
  logLevel: LogLevel;
}

const TIME_SPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?$/;

const timeSpan = z.string().regex(TIME_SPAN, { message: 'must be a TimeSpan like 00:00:30' });

const hostJsonSchema = z.looseObject({
  logging: z
    .looseObject({ logLevel: z.looseObject({ default: z.string().optional() }).optional() })
    .optional(),
  extensions: z
    .looseObject({
      http: z.looseObject({ routePrefix: z.string().optional() }).optional(),
      queues: z
        .looseObject({
          maxDequeueCount: z.number().int().min(1).optional(),
          visibilityTimeout: timeSpan.optional(),
          batchSize: z.number().int().min(1).max(32).optional(),
          maxPollingInterval: timeSpan.optional(),
          messageEncoding: z.enum(['base64', 'none']).optional(),
        })
        .optional(),
    })
    .optional(),
});

const LOG_LEVELS: Record<string, LogLevel> = {
  trace: 'trace',
  debug: 'debug',
  information: 'information',
  warning: 'warning',
  error: 'error',
  critical: 'critical',
  none: 'none',
};

export async function readHostJson(file: string): Promise<HostJsonSettings> {
  let value: unknown = {};
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`Cannot read ${file}: ${(error as Error).message}`, { cause: error });
    }
  }
  const parsed = hostJsonSchema.safeParse(value);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`${file} is not valid for the local host; check: ${fields}`);
  }
  const queues = parsed.data.extensions?.queues;
  if (queues?.messageEncoding === 'none') {
    throw new Error(
      `${file} sets queues.messageEncoding to "none"; the local host decodes base64 only.`,
    );
  }
  const level = parsed.data.logging?.logLevel?.default ?? 'information';
  const settings: HostJsonSettings = {
    routePrefix: parsed.data.extensions?.http?.routePrefix ?? 'api',
    queues: {},
    logLevel: LOG_LEVELS[level.toLowerCase()] ?? 'information',
  };
  if (queues?.maxDequeueCount !== undefined) {
    settings.queues.maxDequeueCount = queues.maxDequeueCount;
  }
  if (queues?.batchSize !== undefined) settings.queues.batchSize = queues.batchSize;
  if (queues?.visibilityTimeout !== undefined) {
    settings.queues.retryDelaySeconds = timeSpanSeconds(queues.visibilityTimeout);
  }
  if (queues?.maxPollingInterval !== undefined) {
    settings.queues.maxPollIntervalMs = timeSpanSeconds(queues.maxPollingInterval) * 1000;
  }
  return settings;
}

function timeSpanSeconds(value: string): number {
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = TIME_SPAN.exec(value) ?? [];
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds);
}
