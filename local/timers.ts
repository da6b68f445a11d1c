import type { InvocationContext, Timer } from '@azure/functions';
import { CronExpressionParser, type CronExpression } from 'cron-parser';

import type { TimerFunctionDefinition } from '../shared/runtime/registry.js';
import { describeError, type LineWriter } from './invocation.js';

/** The clock the timer runner reads and waits on; tests pass a fake one. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** setTimeout cannot wait longer than this; longer waits are taken in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export class ScheduleError extends Error {
  constructor(schedule: string, problem: string) {
    super(`Timer schedule "${schedule}" ${problem}`);
    this.name = 'ScheduleError';
  }
}

const MONTHS = 'JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC';
const DAYS = 'SUN|MON|TUE|WED|THU|FRI|SAT';
const NAMES = new RegExp(`\\b(?:${MONTHS}|${DAYS})\\b`, 'gi');

/**
 * An NCRONTAB schedule as Azure Functions evaluates it: six fields
 * (`{second} {minute} {hour} {day} {month} {day-of-week}`), always UTC here.
 *
 * NOTE: NCrontab (which Azure uses) requires BOTH the day-of-month and the day-of-week field to
 * match when both are restricted, whereas Unix cron and cron-parser accept EITHER. So
 * `0 0 0 13 * FRI` is "every Friday the 13th" in Azure; this class keeps the Azure meaning.
 * https://github.com/atifaziz/NCrontab/blob/master/NCrontab/CrontabSchedule.cs (day-of-week check)
 */
export class NcrontabSchedule {
  readonly expression: string;
  readonly #dayFilter: ReadonlySet<number> | undefined;
  readonly #cronExpression: string;

  constructor(expression: string) {
    this.expression = expression.trim();
    const fields = this.expression.split(/\s+/);
    if (fields.length !== 6) {
      throw new ScheduleError(
        expression,
        `has ${fields.length} fields; NCRONTAB needs six: second minute hour day month day-of-week.`,
      );
    }
    if (fields.some((field) => /[LW#?H]/i.test(field.replace(NAMES, '')))) {
      throw new ScheduleError(expression, 'uses L, W, #, ? or H, which NCRONTAB does not support.');
    }

    const parsed = this.#parse(this.expression, 0);
    const { dayOfMonth, dayOfWeek } = parsed.fields;
    if (!dayOfMonth.isWildcard && !dayOfWeek.isWildcard) {
      // Iterate on the day-of-month alone and keep only days whose weekday also matches.
      this.#dayFilter = new Set(dayOfWeek.values.map((day) => Number(day) % 7));
      this.#cronExpression = [...fields.slice(0, 5), '*'].join(' ');
    } else {
      this.#dayFilter = undefined;
      this.#cronExpression = this.expression;
    }
  }

  /** The first occurrence strictly after `after`. */
  next(after: Date): Date {
    const iterator = this.#parse(this.#cronExpression, after.getTime());
    // Bounded: a day-of-month/weekday pair recurs within 28 years (e.g. Feb 29 on a Monday).
    for (let i = 0; i < 5_000; i++) {
      const candidate = iterator.next().toDate();
      if (!this.#dayFilter || this.#dayFilter.has(candidate.getUTCDay())) return candidate;
    }
    throw new ScheduleError(this.expression, 'never occurs.');
  }

  /** The last occurrence strictly before `before`. */
  previous(before: Date): Date {
    const iterator = this.#parse(this.#cronExpression, before.getTime());
    for (let i = 0; i < 5_000; i++) {
      const candidate = iterator.prev().toDate();
      if (!this.#dayFilter || this.#dayFilter.has(candidate.getUTCDay())) return candidate;
    }
    throw new ScheduleError(this.expression, 'never occurs.');
  }

  /** The next `count` occurrences after `from`, for tests and start-up logs. */
  nextOccurrences(from: Date, count: number): Date[] {
    const dates: Date[] = [];
    let cursor = from;
    for (let i = 0; i < count; i++) {
      cursor = this.next(cursor);
      dates.push(cursor);
    }
    return dates;
  }

  #parse(expression: string, currentDate: number): CronExpression {
    try {
      return CronExpressionParser.parse(expression, { currentDate, tz: 'UTC' });
    } catch (error) {
      throw new ScheduleError(this.expression, `is not valid: ${(error as Error).message}`);
    }
  }
}

export interface TimerRunnerOptions {
  clock: Clock;
  createContext: (functionName: string) => InvocationContext;
  log: LineWriter;
  /** A run starting this much after its occurrence is reported as past due. */
  pastDueAfterMs?: number;
}

/**
 * Runs one timer function on its schedule: never at start-up, never two runs at once (a run that
 * outlasts the interval makes the host skip the occurrences it covered, as Azure does), and
 * with a `Timer` object shaped like the one Azure passes.
 */
export class TimerRunner {
  readonly #definition: TimerFunctionDefinition;
  readonly #schedule: NcrontabSchedule;
  readonly #options: TimerRunnerOptions;
  #handle: unknown;
  #running: Promise<void> | undefined;
  #lastOccurrence: Date | undefined;
  #stopped = true;
  #nextAt: Date | undefined;

  constructor(definition: TimerFunctionDefinition, options: TimerRunnerOptions) {
    this.#definition = definition;
    this.#schedule = new NcrontabSchedule(definition.schedule);
    this.#options = options;
  }

  get nextOccurrence(): Date | undefined {
    return this.#nextAt;
  }

  get isRunning(): boolean {
    return this.#running !== undefined;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#arm(new Date(this.#options.clock.now()));
  }

  /** Cancels the next occurrence and waits for a run in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#handle !== undefined) this.#options.clock.clearTimeout(this.#handle);
    this.#handle = undefined;
    await this.#running;
  }

  #arm(after: Date): void {
    if (this.#stopped) return;
    const occurrence = this.#schedule.next(after);
    this.#nextAt = occurrence;
    this.#wait(occurrence);
  }

  #wait(occurrence: Date): void {
    const delay = occurrence.getTime() - this.#options.clock.now();
    this.#handle = this.#options.clock.setTimeout(
      () => {
        this.#handle = undefined;
        if (this.#stopped) return;
        if (this.#options.clock.now() < occurrence.getTime()) {
          this.#wait(occurrence);
          return;
        }
        this.#running = this.#run(occurrence).finally(() => {
          this.#running = undefined;
          const now = new Date(this.#options.clock.now());
          this.#arm(now > occurrence ? now : occurrence);
        });
      },
      Math.min(Math.max(delay, 0), MAX_TIMEOUT_MS),
    );
  }

  async #run(occurrence: Date): Promise<void> {
    const { clock, createContext, log } = this.#options;
    const started = clock.now();
    const timer: Timer = {
      isPastDue: started - occurrence.getTime() > (this.#options.pastDueAfterMs ?? 1_000),
      schedule: { adjustForDST: false },
      scheduleStatus: {
        last: (this.#lastOccurrence ?? this.#schedule.previous(occurrence)).toISOString(),
        next: this.#schedule.next(occurrence).toISOString(),
        lastUpdated: new Date(started).toISOString(),
      },
    };
    this.#lastOccurrence = occurrence;
    const { name } = this.#definition;
    const context = createContext(name);
    try {
      await this.#definition.handler(timer, context);
      log(executedLine(name, context.invocationId, 'succeeded', clock.now() - started));
    } catch (error) {
      const at = occurrence.toISOString();
      context.error(`timer run failed occurrence=${at} error=${describeError(error)}`);
      log(executedLine(name, context.invocationId, 'failed', clock.now() - started));
    }
  }
}

/** One line per finished timer or queue invocation, like Core Tools' "Executed" line. */
export function executedLine(
  name: string,
  invocationId: string,
  outcome: 'succeeded' | 'failed',
  ms: number,
): string {
  const time = new Date().toISOString();
  const fields = `fn=${name} invocation=${invocationId} outcome=${outcome} ms=${Math.round(ms)}`;
  return `[${time}] executed ${fields}`;
}
