/**
 * The Markdown report of one `npm run bench`: the machine, how to run, every table, the targets
 * with pass/fail computed from the measurements, and what the numbers mean.
 */
import type { BookingBenchResult, Check } from './booking.bench.js';
import type { ThroughputResult, ThroughputRow } from './http.bench.js';
import type { Machine } from './machine.js';
import { FIRST_SLOTS_TARGET_MS, type PageBenchResult } from './page.bench.js';
import type { SlotsBenchResult } from './slots.bench.js';

export interface Target {
  name: string;
  measured: string;
  /** `undefined` when no target is set and the number is only tracked. */
  ok: boolean | undefined;
}

export interface BenchReport {
  startedAt: Date;
  durationS: number;
  machine: Machine;
  slots: SlotsBenchResult;
  booking: BookingBenchResult;
  throughput: ThroughputResult;
  page: PageBenchResult;
  /** Notification emails written while the bench ran, and what was left in the queue. */
  notifications: { written: number; pending: number };
  /** Warning and error lines the host logged. */
  problems: string[];
  /** Share of the machine's CPU other processes used during the run (see machine.ts). */
  otherCpuShare: number | undefined;
}

/** Median at 10,000 busy blocks, from bench/README.md. */
export const SLOTS_TARGET_MS = 20;

/** Every target, pass/fail decided here from the numbers; nothing is assumed to pass. */
export function targetsOf(report: BenchReport): Target[] {
  const large = report.slots.rows.find((row) => row.blocks === 10_000);
  const { growth } = report.slots;
  const targets: Target[] = [
    {
      name: `Slot computation, 10,000 busy blocks: median under ${SLOTS_TARGET_MS} ms`,
      measured: large ? `${ms(large.medianMs)} ms` : 'not measured',
      ok: large ? large.medianMs < SLOTS_TARGET_MS : false,
    },
    {
      name:
        'Slot computation growth 1,000 -> 10,000 blocks no worse than n log n ' +
        `(${growth.nLogN.toFixed(1)}x)`,
      measured: `${growth.measured.toFixed(2)}x`,
      ok: growth.measured <= growth.nLogN,
    },
  ];
  for (const phase of report.booking.phases) {
    for (const check of phase.checks) {
      const kind = check.fatal ? ' (correctness)' : '';
      targets.push({
        name: `${phase.name}: ${check.name}${kind}`,
        measured: check.detail,
        ok: check.ok,
      });
    }
  }
  const phone = report.page.measured ? report.page.rows.at(-1) : undefined;
  targets.push({
    name:
      `Booking page, slow phone profile: first slot list under ${FIRST_SLOTS_TARGET_MS} ms ` +
      '(median, empty cache)',
    measured: phone
      ? `${phone.firstSlotsMedianMs.toFixed(0)} ms`
      : report.page.measured
        ? 'not measured'
        : `not measured: ${report.page.reason}`,
    ok: phone ? phone.firstSlotsMedianMs < FIRST_SLOTS_TARGET_MS : false,
  });
  targets.push({
    name: 'Slot-list throughput relative to bare Node http',
    measured: percent(report.throughput.ratio),
    ok: undefined,
  });
  return targets;
}

export function fatalFailures(report: BenchReport): Check[] {
  return report.booking.phases.flatMap((phase) =>
    phase.checks.filter((check) => check.fatal && !check.ok),
  );
}

export function renderReport(report: BenchReport): string {
  return [
    '# Benchmarks',
    '',
    '<!-- Written by `npm run bench` (bench/run.ts); edit the script, not this file. -->',
    '',
    `Measured ${report.startedAt.toISOString().replace(/\.\d+Z$/, 'Z')} in one run of ` +
      `${report.durationS.toFixed(0)} s. One run on one machine: compare runs on the same ` +
      'machine, not across machines.',
    '',
    ...machineSection(report.machine, report.otherCpuShare),
    ...howToRunSection(),
    ...targetsSection(targetsOf(report)),
    ...slotsSection(report.slots),
    ...bookingSection(report.booking, report.notifications),
    ...throughputSection(report.throughput),
    ...pageSection(report.page),
    ...notesSection(report),
    ...problemsSection(report.problems),
  ].join('\n');
}

function machineSection(machine: Machine, otherCpuShare: number | undefined): string[] {
  const others = otherCpuShare === undefined ? 'unknown' : percent(otherCpuShare);
  return [
    '## Machine',
    '',
    '| | |',
    '|---|---|',
    `| CPU | ${machine.cpu} |`,
    `| cores | ${machine.cores} |`,
    `| memory | ${machine.memoryGiB.toFixed(1)} GiB |`,
    `| Node | ${machine.node} |`,
    `| OS | ${machine.os} |`,
    `| CPU used by other processes during the run | ${others} |`,
    '',
  ];
}

function howToRunSection(): string[] {
  return [
    '## How to run',
    '',
    '```sh',
    'npm run bench          # = npx tsc -p . && node dist/bench/run.js',
    '```',
    '',
    'Needs nothing running and no network: it starts the embedded emulators in memory and the',
    'local host in-process on ephemeral ports of 127.0.0.1, prints this report to stdout',
    '(progress to stderr), rewrites `docs/benchmarks.md`, and removes everything it made. It',
    'exits 1 only when a correctness check fails (a double booking, a lost booking, not exactly',
    'one winner for one slot); a missed speed target is reported here, not fatal.',
    '',
  ];
}

function targetsSection(targets: Target[]): string[] {
  const verdict = (ok: boolean | undefined): string =>
    ok === undefined ? 'no target set (tracked)' : ok ? '**pass**' : '**FAIL**';
  return [
    '## Targets',
    '',
    '| target | measured | result |',
    '|---|---|---|',
    ...targets.map((t) => `| ${t.name} | ${t.measured} | ${verdict(t.ok)} |`),
    '',
  ];
}

function slotsSection(slots: SlotsBenchResult): string[] {
  return [
    '## 1. Slot computation (the availability engine alone)',
    '',
    '`computeSlots` for one staff member over 90 days on a 15-minute grid, with 0, 1,000 and',
    '10,000 busy blocks (`bench/slots.bench.ts`; details in `bench/README.md`).',
    '',
    '| busy blocks | runs | median ms | p95 ms | slots returned |',
    '|---:|---:|---:|---:|---:|',
    ...slots.rows.map(
      (row) =>
        `| ${count(row.blocks)} | ${row.runs} | ${ms(row.medianMs)} | ${ms(row.p95Ms)} | ` +
        `${count(row.slots)} |`,
    ),
    '',
    `time(10,000) / time(1,000) = ${slots.growth.measured.toFixed(2)}; n log n growth would be ` +
      `${slots.growth.nLogN.toFixed(1)}.`,
    '',
  ];
}

function bookingSection(
  booking: BookingBenchResult,
  notifications: BenchReport['notifications'],
): string[] {
  const { business } = booking;
  const other = (entries: Record<string, number>): string =>
    Object.entries(entries)
      .map(([label, n]) => `${n} × ${label}`)
      .join(', ') || '0';
  return [
    '## 2. Booking under load (local host)',
    '',
    `One business (${business.timeZone}) with ${business.staffIds.length} staff members working ` +
      'Mon–Fri 09:00–17:00 and a 30-minute service on a 30-minute grid, booked for the week ' +
      `${business.week.start} to ${business.week.end} (end excluded), which offers ` +
      `${count(booking.offeredSlots)} slots. Every request of a phase is sent at once, each on ` +
      'its own new connection, as `POST /api/public/{slug}/bookings` with a staff member, a ' +
      'start from the slot list and its own `Idempotency-Key`. Phase (a) spreads its slots ' +
      'round-robin over every staff member and day; phase (b) sends every request for one ' +
      'slot that (a) left free. After each phase the confirmed bookings of the week are read ' +
      'back with `GET /api/admin/bookings` and checked.',
    '',
    '| phase | requests | 201 | 409 | other | wall ms | req/s | p50 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|---|---:|---:|---:|---:|---:|',
    ...booking.phases.map(
      (p) =>
        `| ${p.name} | ${p.requests} | ${p.created} | ${p.conflicts} | ${other(p.other)} | ` +
        `${p.elapsedMs.toFixed(0)} | ${p.requestsPerSecond.toFixed(0)} | ` +
        `${ms(p.latency.p50Ms)} | ${ms(p.latency.p99Ms)} | ${ms(p.latency.maxMs)} |`,
    ),
    '',
    ...booking.phases.flatMap((p) =>
      Object.entries(p.otherMessages).map(
        ([label, message]) => `- ${p.name}, ${label}: “${message}”`,
      ),
    ),
    ...(booking.phases.some((p) => Object.keys(p.otherMessages).length > 0) ? [''] : []),
    'The checks of each phase are in **Targets** above; those marked "correctness" decide the ' +
      'exit code.',
    '',
    `Confirmation emails written by the queue function during the run: ${notifications.written}` +
      ` (messages still queued when measuring stopped: ${notifications.pending}).`,
    '',
  ];
}

function throughputSection(result: ThroughputResult): string[] {
  const row = (r: ThroughputRow): string =>
    `| ${r.target} | ${count(r.requests)} | ${r.errors} | ${r.requestsPerSecond.toFixed(0)} | ` +
    `${ms(r.latency.p50Ms)} | ${ms(r.latency.p99Ms)} | ${ms(r.latency.maxMs)} |`;
  return [
    '## 3. Slot-list throughput against a bare Node server',
    '',
    `\`GET /api/public/{slug}/slots\` for the same 7-day range (after the bookings above; ` +
      `${count(result.bodyBytes)} bytes of JSON), against a bare \`node:http\` server that ` +
      'answers those very bytes with the same headers. Both driven by the same closed-loop ' +
      `client: ${result.concurrency} keep-alive connections, 1 s of warm-up, then ` +
      `${(result.durationMs / 1000).toFixed(0)} s measured.`,
    '',
    '| target | requests | non-200 | req/s | p50 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row(result.bare),
    row(result.host),
    '',
    `Local host / bare Node = **${percent(result.ratio)}** of the bare server's requests per ` +
      'second.',
    '',
  ];
}

function pageSection(result: PageBenchResult): string[] {
  const head = ['## Booking page: time to the first slot list', ''];
  if (!result.measured) return [...head, `Not measured: ${result.reason}.`, ''];
  return [
    ...head,
    `Chromium ${result.chromium}, a new browser context (empty cache) per run, against the`,
    "business of the booking phases (the slot list reads that week's bookings). *Ready* is",
    "navigation start to the service step's Continue button; *first slots* adds the time from",
    'pressing Continue to the first time button (no human pause counted). Bytes are what crossed',
    'the wire for that first view, compressed, HTML and API answers included. Chromium runs in',
    'processes of its own, which the machine table counts as "other processes".',
    '',
    '| profile | runs | ready, median | first slots, median | first slots, p90 | bytes |',
    '|---|---|---|---|---|---|',
    ...result.rows.map(
      (row) =>
        `| ${row.profile} | ${row.runs} | ${row.readyMedianMs.toFixed(0)} ms | ` +
        `${row.firstSlotsMedianMs.toFixed(0)} ms | ${row.firstSlotsP90Ms.toFixed(0)} ms | ` +
        `${count(row.transferBytes)} |`,
    ),
    '',
  ];
}

function notesSection(report: BenchReport): string[] {
  const { cores } = report.machine;
  const busy = report.otherCpuShare;
  return [
    '## What the numbers mean',
    '',
    `- Client and server share this machine's ${cores} cores. The load client runs in a worker ` +
      'thread; the host, the embedded Cosmos server, Azurite and the queue function all run on ' +
      "the main thread's single event loop, so one core serves everything. The bare server's " +
      'figure is bounded by the single-threaded client as much as by the server, so the ratio ' +
      'flatters the host if anything.',
    ...(busy !== undefined && busy >= NOISY_SHARE
      ? [
          `- Other processes used ${percent(busy)} of the machine's CPU during this run, so ` +
            'every figure here is lower than on an idle machine; rerun when the machine is ' +
            'quiet before comparing with an earlier run.',
        ]
      : []),
    '- The embedded Cosmos server (`@zeit/cosmosdb-server` 0.13) is not Cosmos DB. It runs in ' +
      'this process, answers every request with `Connection: close` (so each of the ' +
      "app's Cosmos calls opens a new loopback TCP connection), and runs every query by " +
      'scanning every document of the container, of every tenant, so query time grows with ' +
      'everything the run has written. There is no network and no request-unit throttling. ' +
      'Real Cosmos keeps connections and uses indexes, but each round trip costs milliseconds ' +
      'of network, and a booking makes at least 15 of them (slug, idempotency record, tenant, ' +
      'service, staff, claims, busy blocks, hold, booking, confirm, idempotency result) plus ' +
      'one queue message. Read the host numbers as the CPU cost of app plus emulator on one ' +
      'core, not as a prediction of latency in Azure.',
    '- In a burst every request is sent at once on its own new connection, so each waits ' +
      'behind the others on one event loop: p50 and p99 are close to the wall time of the ' +
      'whole burst. The burst throughput is requests divided by that wall time.',
    '- In phase (b) every request does the same reads as a winner (the slot still looks free ' +
      'when they read); the losers stop at the ledger, where the first hold refuses them, and ' +
      'write only their idempotency record.',
    '- Each booking queues a confirmation email; the queue function writes them to a temporary ' +
      'outbox while the bursts run, and the run waits (at most 60 s) for that queue to empty ' +
      'before measuring throughput. The `maintenance-sweep` timer runs at the top of every ' +
      'minute and may fall inside a measurement.',
    '- The host logs one access line per request; here they are dropped instead of written to ' +
      'a terminal (warnings and errors are kept, below), so the host does a little less work ' +
      'than under `npm start`.',
    '',
  ];
}

function problemsSection(problems: string[]): string[] {
  if (problems.length === 0) {
    return ['## Warnings and errors logged by the host', '', 'None.', ''];
  }
  return [
    '## Warnings and errors logged by the host',
    '',
    '```',
    ...problems.map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line)),
    '```',
    '',
  ];
}

/** Above this share of the machine taken by other processes, the report warns about noise. */
const NOISY_SHARE = 0.1;

const ms = (value: number): string => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const count = (value: number): string => value.toLocaleString('en-US');
const percent = (value: number): string => `${(value * 100).toFixed(1)} %`;
