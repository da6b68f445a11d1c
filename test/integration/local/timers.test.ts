import functions from '@azure/functions';
import type { InvocationContext, Timer } from '@azure/functions';
import { describe, expect, it } from 'vitest';

import { NcrontabSchedule, ScheduleError, TimerRunner, type Clock } from '../../../local/timers.js';
import type { TimerFunctionDefinition } from '../../../shared/runtime/registry.js';

/** A clock the test moves by hand; due callbacks run in time order as it advances. */
class FakeClock implements Clock {
  #now: number;
  #timers = new Map<number, { at: number; callback: () => void }>();
  #nextId = 1;

  constructor(start: string) {
    this.#now = Date.parse(start);
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time on without firing anything, as when the machine sleeps or the loop is blocked. */
  jumpTo(iso: string): void {
    this.#now = Date.parse(iso);
  }

  /** Moves to `iso`, firing every timer due on the way and letting their promises settle. */
  async advanceTo(iso: string): Promise<void> {
    const target = Date.parse(iso);
    for (;;) {
      await settle();
      const due = [...this.#timers.entries()]
        .filter(([, timer]) => timer.at <= target)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.#now = Math.max(this.#now, due[1].at);
      due[1].callback();
    }
    this.#now = target;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

describe('NcrontabSchedule', () => {
  const from = new Date('2024-02-27T23:59:50Z');

  it('computes the next occurrences of common six-field schedules in UTC', () => {
    expect(iso(new NcrontabSchedule('*/15 * * * * *').nextOccurrences(from, 3))).toEqual([
      '2024-02-28T00:00:00.000Z',
      '2024-02-28T00:00:15.000Z',
      '2024-02-28T00:00:30.000Z',
    ]);
    expect(iso(new NcrontabSchedule('0 */5 * * * *').nextOccurrences(from, 2))).toEqual([
      '2024-02-28T00:00:00.000Z',
      '2024-02-28T00:05:00.000Z',
    ]);
    expect(iso(new NcrontabSchedule('0 30 9 * * 1-5').nextOccurrences(from, 3))).toEqual([
      '2024-02-28T09:30:00.000Z',
      '2024-02-29T09:30:00.000Z',
      '2024-03-01T09:30:00.000Z',
    ]);
    expect(iso(new NcrontabSchedule('0 0 3 * * SUN').nextOccurrences(from, 2))).toEqual([
      '2024-03-03T03:00:00.000Z',
      '2024-03-10T03:00:00.000Z',
    ]);
    expect(iso(new NcrontabSchedule('0 0 0 29 2 *').nextOccurrences(from, 2))).toEqual([
      '2024-02-29T00:00:00.000Z',
      '2028-02-29T00:00:00.000Z',
    ]);
  });

  it('requires both the day of month and the weekday when both are given, as NCrontab does', () => {
    expect(iso(new NcrontabSchedule('0 0 0 13 * FRI').nextOccurrences(from, 3))).toEqual([
      '2024-09-13T00:00:00.000Z',
      '2024-12-13T00:00:00.000Z',
      '2025-06-13T00:00:00.000Z',
    ]);
  });

  it('returns the occurrence strictly after the given instant', () => {
    const schedule = new NcrontabSchedule('0 0 * * * *');
    const at = new Date('2024-01-01T10:00:00Z');
    expect(schedule.next(at).toISOString()).toBe('2024-01-01T11:00:00.000Z');
    expect(schedule.previous(at).toISOString()).toBe('2024-01-01T09:00:00.000Z');
  });

  it('ignores the process time zone', () => {
    // The integration project runs under TZ=America/Sao_Paulo; occurrences stay in UTC.
    expect(process.env.TZ).toBe('America/Sao_Paulo');
    const next = new NcrontabSchedule('0 0 2 * * *').next(from);
    expect(next.toISOString()).toBe('2024-02-28T02:00:00.000Z');
  });

  it('rejects five-field cron and syntax NCRONTAB lacks', () => {
    expect(() => new NcrontabSchedule('0 * * * *')).toThrow(/has 5 fields; NCRONTAB needs six/);
    expect(() => new NcrontabSchedule('0 0 0 L * *')).toThrow(ScheduleError);
    expect(() => new NcrontabSchedule('0 0 0 ? * MON#2')).toThrow(/L, W, #, \? or H/);
    expect(() => new NcrontabSchedule('0 61 * * * *')).toThrow(/is not valid/);
  });
});

function timerDefinition(
  schedule: string,
  handler: (timer: Timer, context: InvocationContext) => Promise<void>,
): TimerFunctionDefinition {
  return { kind: 'timer', name: 'fixture-timer', schedule, handler };
}

function newRunner(definition: TimerFunctionDefinition, clock: FakeClock, lines: string[] = []) {
  return new TimerRunner(definition, {
    clock,
    log: (line) => lines.push(line),
    createContext: (name) =>
      new functions.InvocationContext({
        functionName: name,
        logHandler: (level, ...args) => lines.push(`${level} ${args.join(' ')}`),
      }),
  });
}

describe('TimerRunner', () => {
  it('does not run at start-up, then runs at each occurrence with the Timer Azure passes', async () => {
    const clock = new FakeClock('2024-05-01T10:00:30Z');
    const calls: { at: string; timer: Timer }[] = [];
    const runner = newRunner(
      timerDefinition('0 * * * * *', async (timer) => {
        calls.push({ at: new Date(clock.now()).toISOString(), timer });
      }),
      clock,
    );

    runner.start();
    await clock.advanceTo('2024-05-01T10:00:59Z');
    expect(calls).toEqual([]);
    expect(runner.nextOccurrence?.toISOString()).toBe('2024-05-01T10:01:00.000Z');

    await clock.advanceTo('2024-05-01T10:02:00Z');
    expect(calls).toEqual([
      {
        at: '2024-05-01T10:01:00.000Z',
        timer: {
          isPastDue: false,
          schedule: { adjustForDST: false },
          scheduleStatus: {
            last: '2024-05-01T10:00:00.000Z',
            next: '2024-05-01T10:02:00.000Z',
            lastUpdated: '2024-05-01T10:01:00.000Z',
          },
        },
      },
      {
        at: '2024-05-01T10:02:00.000Z',
        timer: {
          isPastDue: false,
          schedule: { adjustForDST: false },
          scheduleStatus: {
            last: '2024-05-01T10:01:00.000Z',
            next: '2024-05-01T10:03:00.000Z',
            lastUpdated: '2024-05-01T10:02:00.000Z',
          },
        },
      },
    ]);
    await runner.stop();
    expect(clock.pending).toBe(0);
  });

  it('never overlaps runs: occurrences during a long run are skipped', async () => {
    const clock = new FakeClock('2024-05-01T10:00:00Z');
    const starts: string[] = [];
    let release: () => void = () => undefined;
    const runner = newRunner(
      timerDefinition('*/10 * * * * *', async () => {
        starts.push(new Date(clock.now()).toISOString());
        if (starts.length === 1) await new Promise<void>((resolve) => (release = resolve));
      }),
      clock,
    );

    runner.start();
    await clock.advanceTo('2024-05-01T10:00:45Z');
    expect(starts).toEqual(['2024-05-01T10:00:10.000Z']);
    expect(runner.isRunning).toBe(true);
    expect(clock.pending).toBe(0);

    release();
    await clock.advanceTo('2024-05-01T10:01:00Z');
    expect(starts).toEqual([
      '2024-05-01T10:00:10.000Z',
      '2024-05-01T10:00:50.000Z',
      '2024-05-01T10:01:00.000Z',
    ]);
    await runner.stop();
  });

  it('reports a run that starts late as past due and logs a failing run without stopping', async () => {
    const clock = new FakeClock('2024-05-01T10:00:00Z');
    const lines: string[] = [];
    const timers: Timer[] = [];
    const runner = newRunner(
      timerDefinition('0 * * * * *', async (timer) => {
        timers.push(timer);
        throw new Error('sweep failed');
      }),
      clock,
      lines,
    );
    runner.start();
    // The machine slept: the clock jumps past the occurrence before the timer can fire.
    clock.jumpTo('2024-05-01T10:01:05Z');
    await clock.advanceTo('2024-05-01T10:01:05Z');
    expect(timers.map((timer) => timer.isPastDue)).toEqual([true]);
    const failure = 'error timer run failed occurrence=2024-05-01T10:01:00.000Z';
    expect(lines.some((line) => line.startsWith(failure))).toBe(true);
    const executed = /executed fn=fixture-timer invocation=\S+ outcome=failed/;
    expect(lines.some((line) => executed.test(line))).toBe(true);
    expect(runner.nextOccurrence?.toISOString()).toBe('2024-05-01T10:02:00.000Z');
    await runner.stop();
  });

  it('stop() cancels the next occurrence and waits for the run in progress', async () => {
    const clock = new FakeClock('2024-05-01T10:00:00Z');
    let finished = false;
    let release: () => void = () => undefined;
    const runner = newRunner(
      timerDefinition('0 * * * * *', async () => {
        await new Promise<void>((resolve) => (release = resolve));
        finished = true;
      }),
      clock,
    );
    runner.start();
    await clock.advanceTo('2024-05-01T10:01:00Z');
    const stopping = runner.stop();
    await settle();
    expect(finished).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(true);
    expect(clock.pending).toBe(0);
  });
});
