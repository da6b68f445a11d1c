/**
 * The HTTP load client shared by the booking and throughput benchmarks: one-shot bursts (every
 * request sent at once) and a closed loop (N connections, each sending its next request when the
 * previous answer has arrived), plus the percentile math.
 *
 * The client runs in a worker thread (`load-worker.ts`) so that it does not share an event loop
 * with the in-process host it measures: otherwise every latency would include the client's own
 * work queued behind the server's, and the two would fight for one core while the other idles.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

export interface RequestSpec {
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/api/health`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Sample {
  /** HTTP status, or 0 when the request failed below HTTP (reset, refused, timed out). */
  status: number;
  /** From the first byte written to the last byte of the body read. */
  ms: number;
  /** The response body, when the job asked for it. */
  body?: string;
  /** The transport error's code when `status` is 0. */
  error?: string;
}

export interface BurstJob {
  kind: 'burst';
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  requests: RequestSpec[];
  timeoutMs: number;
}

export interface BurstResult {
  /** One sample per request, in the order of `requests`, bodies included. */
  samples: Sample[];
  /** From the first request sent to the last answer read. */
  elapsedMs: number;
}

export interface ClosedLoopJob {
  kind: 'closedLoop';
  origin: string;
  request: RequestSpec;
  concurrency: number;
  /** Requests sent and thrown away first, so both sides have warmed up (JIT, sockets). */
  warmupMs: number;
  durationMs: number;
  /** A bound on the measured requests however fast the server is. */
  maxRequests: number;
  timeoutMs: number;
}

export interface ClosedLoopResult {
  latenciesMs: number[];
  /** Count per HTTP status (0 = transport error). */
  statuses: Record<number, number>;
  elapsedMs: number;
}

export type LoadJob = BurstJob | ClosedLoopJob;

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Nearest-rank quantile, the same definition `slots.bench.ts` uses. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function summarizeLatency(latenciesMs: readonly number[]): LatencySummary {
  return {
    count: latenciesMs.length,
    p50Ms: quantile(latenciesMs, 0.5),
    p99Ms: quantile(latenciesMs, 0.99),
    maxMs: latenciesMs.length > 0 ? Math.max(...latenciesMs) : Number.NaN,
  };
}

export function requestsPerSecond(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (count * 1000) / elapsedMs : Number.NaN;
}

/** Sends one request on `agent` and reads the whole answer; never rejects. */
export function send(
  agent: Agent,
  origin: URL,
  spec: RequestSpec,
  timeoutMs: number,
  keepBody: boolean,
): Promise<Sample> {
  return new Promise((resolve) => {
    const started = performance.now();
    const headers: Record<string, string | number> = { ...spec.headers };
    if (spec.body !== undefined) headers['content-length'] = Buffer.byteLength(spec.body);
    const outgoing = request(
      {
        agent,
        host: origin.hostname,
        port: origin.port,
        method: spec.method,
        path: spec.path,
        headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => {
          if (keepBody) chunks.push(chunk);
        });
        response.once('end', () => {
          const sample: Sample = {
            status: response.statusCode ?? 0,
            ms: performance.now() - started,
          };
          if (keepBody) sample.body = Buffer.concat(chunks).toString('utf8');
          resolve(sample);
        });
        response.once('error', (error: NodeJS.ErrnoException) => {
          resolve({
            status: 0,
            ms: performance.now() - started,
            error: error.code ?? error.message,
          });
        });
      },
    );
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error('timed out')));
    outgoing.once('error', (error: NodeJS.ErrnoException) => {
      resolve({ status: 0, ms: performance.now() - started, error: error.code ?? error.message });
    });
    outgoing.end(spec.body);
  });
}

/** Sends every request at once, each on its own connection, and waits for all the answers. */
export async function runBurst(job: BurstJob): Promise<BurstResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.requests.length });
  const origin = new URL(job.origin);
  try {
    const started = performance.now();
    const samples = await Promise.all(
      job.requests.map((spec) => send(agent, origin, spec, job.timeoutMs, true)),
    );
    return { samples, elapsedMs: performance.now() - started };
  } finally {
    agent.destroy();
  }
}

/**
 * `concurrency` loops over keep-alive connections, each sending the next request as soon as the
 * previous answer is read; a warm-up phase first, then `durationMs` (or `maxRequests`) measured.
 */
export async function runClosedLoop(job: ClosedLoopJob): Promise<ClosedLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const origin = new URL(job.origin);
  const latenciesMs: number[] = [];
  const statuses: Record<number, number> = {};
  const loop = async (until: number, record: boolean): Promise<void> => {
    while (performance.now() < until && (!record || latenciesMs.length < job.maxRequests)) {
      const sample = await send(agent, origin, job.request, job.timeoutMs, false);
      if (!record) continue;
      latenciesMs.push(sample.ms);
      statuses[sample.status] = (statuses[sample.status] ?? 0) + 1;
    }
  };
  const loops = (until: number, record: boolean): Promise<void[]> =>
    Promise.all(Array.from({ length: job.concurrency }, () => loop(until, record)));

  try {
    await loops(performance.now() + job.warmupMs, false);
    const started = performance.now();
    await loops(started + job.durationMs, true);
    return { latenciesMs, statuses, elapsedMs: performance.now() - started };
  } finally {
    agent.destroy();
  }
}

export function runJob(job: LoadJob): Promise<BurstResult | ClosedLoopResult> {
  return job.kind === 'burst' ? runBurst(job) : runClosedLoop(job);
}

type WorkerReply = { id: number; result: unknown } | { id: number; error: string };

/** The main thread's handle on the worker that sends the load; one job at a time. */
export class LoadClient {
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  #nextId = 0;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (reply: WorkerReply) => {
      const pending = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if ('error' in reply) pending?.reject(new Error(`Load worker failed: ${reply.error}`));
      else pending?.resolve(reply.result);
    });
    worker.on('error', (error) => this.#failAll(error));
    worker.on('exit', (code) => this.#failAll(new Error(`Load worker exited with code ${code}.`)));
  }

  static start(): LoadClient {
    return new LoadClient(new Worker(new URL('./load-worker.js', import.meta.url)));
  }

  burst(job: Omit<BurstJob, 'kind'>): Promise<BurstResult> {
    return this.#run({ kind: 'burst', ...job }) as Promise<BurstResult>;
  }

  closedLoop(job: Omit<ClosedLoopJob, 'kind'>): Promise<ClosedLoopResult> {
    return this.#run({ kind: 'closedLoop', ...job }) as Promise<ClosedLoopResult>;
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  #run(job: LoadJob): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, job });
    });
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
