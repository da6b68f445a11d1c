/**
 * What the numbers were measured on: the machine, and how busy other processes kept it while the
 * bench ran. On a shared two-core box a parallel `npm ci` or test run can halve the results, so
 * the report says so instead of leaving the reader to guess.
 */
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
}

export function describeMachine(): Machine {
  return {
    cpu: cpuModel(),
    cores: cpus().length,
    memoryGiB: totalmem() / 1024 ** 3,
    node: process.version,
    os: `${osName()}, Linux kernel ${release()} (${process.arch})`,
  };
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('model name'));
    const model = line?.split(':')[1]?.trim();
    if (model) return model;
  } catch {
    // Not Linux, or /proc is hidden: Node's own view of the CPU is the next best thing.
  }
  return cpus()[0]?.model ?? 'unknown';
}

function osName(): string {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1] ?? process.platform;
  } catch {
    return process.platform;
  }
}

/** Share of the whole machine's CPU time (0..1) spent by processes other than this one. */
export interface CpuMeter {
  stop(): number | undefined;
}

/**
 * Starts measuring. Machine-wide busy time comes from /proc/stat, this process's own (worker
 * threads included) from `process.cpuUsage()`; the difference is everyone else. `undefined`
 * where /proc/stat is missing.
 */
export function startCpuMeter(): CpuMeter {
  const machine = readProcStat();
  const own = process.cpuUsage();
  const started = performance.now();
  return {
    stop: () => {
      const after = readProcStat();
      if (!machine || !after || after.total === machine.total) return undefined;
      const machineBusy = (after.busy - machine.busy) / (after.total - machine.total);
      const { user, system } = process.cpuUsage(own);
      const wallUs = (performance.now() - started) * 1000;
      const ownShare = (user + system) / (wallUs * cpus().length);
      return Math.min(1, Math.max(0, machineBusy - ownShare));
    },
  };
}

function readProcStat(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal (guest time is inside user already).
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = ticks.reduce((sum, value) => sum + value, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}
