/**
 * `npm run bench`: every benchmark in one run, on this machine. The availability engine alone,
 * then booking under load and slot-list throughput against the real functions on an in-process
 * local host, and the booking page's first slot list in Chromium. Progress goes to stderr; the
 * Markdown report goes to stdout and `docs/benchmarks.md`. Exits 1 when a correctness check
 * fails, 0 otherwise.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { runBookingBench, slotsPath } from './booking.bench.js';
import { runThroughputBench } from './http.bench.js';
import { runPageBench } from './page.bench.js';
import { LoadClient } from './load-client.js';
import { describeMachine, startCpuMeter } from './machine.js';
import { fatalFailures, renderReport, type BenchReport } from './report.js';
import { runSlotsBench } from './slots.bench.js';
import { startBenchStack, type BenchStack } from './stack.js';

const REPORT_FILE = new URL('../../docs/benchmarks.md', import.meta.url);
/** Far above a normal run (about a minute); only a hang gets here. */
const WATCHDOG_MS = 10 * 60_000;
const NOTIFICATION_WAIT_MS = 60_000;

const cleanups: Array<() => Promise<void>> = [];

function progress(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch((error: unknown) => progress(`cleanup failed: ${String(error)}`));
  }
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const started = performance.now();
  const cpuMeter = startCpuMeter();

  progress('1/4 slot computation (engine only)');
  const slots = await runSlotsBench();

  progress('starting the emulators and the local host');
  const client = LoadClient.start();
  cleanups.push(() => client.close());
  const stack = await startBenchStack();
  cleanups.push(() => stack.stop());
  progress(`host at ${stack.origin} serving ${stack.functionCount} functions`);

  progress('2/4 booking under load');
  const booking = await runBookingBench(stack.origin, client);
  const pending = await waitForNotifications(stack);

  progress('3/4 slot-list throughput, bare Node server then the local host');
  const throughput = await runThroughputBench(stack.origin, slotsPath(booking.business), client);

  progress('4/4 booking page in Chromium: time to the first slot list');
  const page = await runPageBench(stack.origin, booking.business);
  const written = (await readdir(stack.outboxDir)).filter((name) => name.endsWith('.json')).length;
  const otherCpuShare = cpuMeter.stop();
  await cleanUp();

  const report: BenchReport = {
    startedAt,
    durationS: (performance.now() - started) / 1000,
    machine: describeMachine(),
    slots,
    booking,
    throughput,
    page,
    notifications: { written, pending },
    problems: stack.problems,
    otherCpuShare,
  };
  const markdown = renderReport(report);
  process.stdout.write(markdown);
  await writeFile(REPORT_FILE, markdown);
  progress(`wrote ${fileURLToPath(REPORT_FILE)}`);

  const failures = fatalFailures(report);
  for (const failure of failures) {
    progress(`CORRECTNESS FAILURE: ${failure.name}: ${failure.detail}`);
  }
  return failures.length > 0 ? 1 : 0;
}

/** Lets the queue function catch up, so its email writing does not land in the next phase. */
async function waitForNotifications(stack: BenchStack): Promise<number> {
  const deadline = performance.now() + NOTIFICATION_WAIT_MS;
  let pending = await stack.pendingNotifications();
  while (pending > 0 && performance.now() < deadline) {
    await sleep(250);
    pending = await stack.pendingNotifications();
  }
  return pending;
}

let aborting: Promise<never> | undefined;

/** Cleans up once and exits; a second reason (the run failing because of the first) waits. */
function abort(reason: string, code: number): Promise<never> {
  aborting ??= (async () => {
    progress(reason);
    // Cleaning up must not become the next hang.
    await Promise.race([cleanUp(), sleep(15_000)]);
    process.exit(code);
  })();
  return aborting;
}

process.once('SIGINT', () => void abort('interrupted; cleaning up', 130));
process.once('SIGTERM', () => void abort('terminated; cleaning up', 143));
setTimeout(
  () => void abort(`no result after ${WATCHDOG_MS / 60_000} minutes; giving up`, 2),
  WATCHDOG_MS,
).unref();

try {
  const code = await main();
  // Stray handles of the SDKs or emulators must not keep a finished run alive.
  process.exit(code);
} catch (error) {
  // Interrupted: the run fails because its servers are going away; that is not news.
  if (aborting) await aborting;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  progress(`the benchmark could not run: ${detail}`);
  await abort('cleaning up after the failure', 1);
}
