/**
 * Slot computation speed: one staff member, 90 days, a 15-minute grid, with 0, 1,000 and 10,000
 * busy blocks. A plain Node script (not vitest): build with `tsc`, then run
 * `node dist/bench/slots.bench.js`. Prints a Markdown table; `runSlotsBench` returns the numbers.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

import { computeSlots } from '../shared/availability/engine.js';
import type { BookedInterval, BusyBlock, SlotQuery } from '../shared/availability/engine.js';
import { localDateRangeToInstants } from '../shared/time/zones.js';

export interface SlotsBenchRow {
  /** Bookings plus external busy blocks in the query. */
  blocks: number;
  runs: number;
  medianMs: number;
  p95Ms: number;
  /** Slots the query returns (the same on every run). */
  slots: number;
}

export interface SlotsBenchResult {
  rows: SlotsBenchRow[];
  /** median(10,000) / median(1,000), next to what n log n growth would give. */
  growth: { measured: number; nLogN: number };
}

export interface SlotsBenchOptions {
  sizes?: number[];
  warmupRuns?: number;
  runs?: number;
  seed?: number;
}

const ZONE = 'America/New_York';
const MINUTE = 60_000;

/** Runs the benchmark; every input is seeded, so two runs time the same work. */
export async function runSlotsBench(options: SlotsBenchOptions = {}): Promise<SlotsBenchResult> {
  const { sizes = [0, 1_000, 10_000], warmupRuns = 10, runs = 50, seed = 20240901 } = options;
  const rows: SlotsBenchRow[] = [];
  for (const size of sizes) {
    const query = benchQuery(size, seed);
    let slots = 0;
    for (let i = 0; i < warmupRuns; i += 1) slots = computeSlots(query).length;

    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const started = performance.now();
      slots = computeSlots(query).length;
      times.push(performance.now() - started);
      // Let the event loop breathe so a long run does not starve timers in the host process.
      if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
    }
    rows.push({
      blocks: size,
      runs,
      medianMs: quantile(times, 0.5),
      p95Ms: quantile(times, 0.95),
      slots,
    });
  }

  const small = rows.find((row) => row.blocks === 1_000)?.medianMs ?? Number.NaN;
  const large = rows.find((row) => row.blocks === 10_000)?.medianMs ?? Number.NaN;
  const nLogN = (10_000 * Math.log(10_000)) / (1_000 * Math.log(1_000));
  return { rows, growth: { measured: large / small, nLogN } };
}

/**
 * Mon-Fri 09:00-17:00 and Sat 10:00-14:00 in New York, a 30-minute service on a 15-minute grid,
 * 90 local days from 2024-09-02 (so the November DST change is inside), and `size` blocks spread
 * at random over those days: half bookings (some with buffers), half external busy blocks.
 */
function benchQuery(size: number, seed: number): SlotQuery {
  const { from, to } = localDateRangeToInstants('2024-09-02', '2024-12-01', ZONE);
  const next = mulberry32(seed + size);
  const bookings: BookedInterval[] = [];
  const busy: BusyBlock[] = [];
  for (let i = 0; i < size; i += 1) {
    const start = from + Math.floor((next() * (to - from)) / (5 * MINUTE)) * 5 * MINUTE;
    const end = start + (15 + Math.floor(next() * 8) * 15) * MINUTE;
    if (i % 2 === 0) {
      busy.push({ staffId: 'bench-staff', start, end });
    } else {
      bookings.push({
        staffId: 'bench-staff',
        serviceId: next() < 0.5 ? 'bench-service' : 'other-service',
        start,
        end,
        bufferBeforeMinutes: Math.floor(next() * 3) * 5,
        bufferAfterMinutes: Math.floor(next() * 3) * 5,
      });
    }
  }

  const nineToFive = [{ start: '09:00', end: '17:00' }];
  return {
    now: Date.parse('2024-09-01T12:00:00Z'),
    from,
    to,
    service: {
      serviceId: 'bench-service',
      durationMinutes: 30,
      bufferBeforeMinutes: 5,
      bufferAfterMinutes: 10,
      minimumNoticeMinutes: 60,
      maxAdvanceDays: 120,
      slotIntervalMinutes: 15,
      capacity: 1,
    },
    staff: [
      {
        staffId: 'bench-staff',
        timeZone: ZONE,
        weeklyHours: {
          mon: nineToFive,
          tue: nineToFive,
          wed: nineToFive,
          thu: nineToFive,
          fri: nineToFive,
          sat: [{ start: '10:00', end: '14:00' }],
        },
        overrides: [],
      },
    ],
    bookings,
    busy,
  };
}

/** Nearest-rank quantile. */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** A small seeded generator, so every run benchmarks the same blocks. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function toMarkdown(result: SlotsBenchResult): string {
  const lines = [
    '| busy blocks | runs | median ms | p95 ms | slots |',
    '|---:|---:|---:|---:|---:|',
    ...result.rows.map(
      (row) =>
        `| ${row.blocks.toLocaleString('en-US')} | ${row.runs} | ${row.medianMs.toFixed(2)} | ` +
        `${row.p95Ms.toFixed(2)} | ${row.slots} |`,
    ),
    '',
    `time(10,000) / time(1,000) = ${result.growth.measured.toFixed(2)} ` +
      `(n log n would be ${result.growth.nLogN.toFixed(1)})`,
  ];
  return lines.join('\n');
}

const script = process.argv[1];
if (script !== undefined && import.meta.url === pathToFileURL(script).href) {
  const result = await runSlotsBench();
  console.log(toMarkdown(result));
}
