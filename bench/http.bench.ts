/**
 * Slot-list throughput of the local host, as a fraction of what a bare Node `http` server does on
 * the same machine in the same run. The bare server answers every request with the very bytes
 * the host returned for the same slot query, so both sides move the same amount of data and the
 * ratio prices what the app adds: routing, validation, three point reads and three queries of
 * the embedded Cosmos server, the availability engine and JSON.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  requestsPerSecond,
  summarizeLatency,
  type LatencySummary,
  type LoadClient,
} from './load-client.js';

export interface ThroughputRow {
  target: string;
  requests: number;
  /** Answers other than 200 (any count above zero makes the row suspect). */
  errors: number;
  requestsPerSecond: number;
  latency: LatencySummary;
}

export interface ThroughputResult {
  path: string;
  bodyBytes: number;
  concurrency: number;
  durationMs: number;
  bare: ThroughputRow;
  host: ThroughputRow;
  /** host req/s divided by bare req/s. */
  ratio: number;
}

export interface ThroughputOptions {
  concurrency?: number;
  warmupMs?: number;
  durationMs?: number;
  maxRequests?: number;
}

export async function runThroughputBench(
  origin: string,
  path: string,
  client: LoadClient,
  options: ThroughputOptions = {},
): Promise<ThroughputResult> {
  const { concurrency = 16, warmupMs = 1_000, durationMs = 5_000, maxRequests = 200_000 } = options;
  const reference = await fetch(`${origin}${path}`);
  const body = Buffer.from(await reference.arrayBuffer());
  if (reference.status !== 200) {
    throw new Error(
      `GET ${path.split('?')[0]} answered ${reference.status}: ${body.toString().slice(0, 300)}`,
    );
  }

  const bare = await startBareServer(body);
  try {
    const measure = async (target: string, targetOrigin: string): Promise<ThroughputRow> => {
      const result = await client.closedLoop({
        origin: targetOrigin,
        request: { method: 'GET', path },
        concurrency,
        warmupMs,
        durationMs,
        maxRequests,
        timeoutMs: 30_000,
      });
      const requests = result.latenciesMs.length;
      return {
        target,
        requests,
        errors: requests - (result.statuses[200] ?? 0),
        requestsPerSecond: requestsPerSecond(requests, result.elapsedMs),
        latency: summarizeLatency(result.latenciesMs),
      };
    };
    const bareRow = await measure('bare Node http, fixed body', bare.origin);
    const hostRow = await measure('local host, GET slots', origin);
    return {
      path,
      bodyBytes: body.byteLength,
      concurrency,
      durationMs,
      bare: bareRow,
      host: hostRow,
      ratio: hostRow.requestsPerSecond / bareRow.requestsPerSecond,
    };
  } finally {
    await bare.close();
  }
}

/** The floor: a Node `http` server on 127.0.0.1 answering one fixed JSON body, headers alike. */
async function startBareServer(
  body: Buffer,
): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    // Drain the request like the host does, then answer with the host's own headers and bytes.
    request.resume();
    request.once('end', () => {
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': body.byteLength,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      });
      response.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
