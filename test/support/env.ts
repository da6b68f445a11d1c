import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, inject } from 'vitest';

import { startHost, type LocalHost } from '../../local/host.js';
import type { LineWriter } from '../../local/invocation.js';
import type { QueueListenerOptions } from '../../local/queue-listener.js';
import type { Clock } from '../../local/timers.js';
import { setConfig, type Config } from '../../shared/config/config.js';
import { ensureCosmosResources, resetCosmosClient } from '../../shared/cosmos/client.js';
import { resetClock } from '../../shared/runtime/clock.js';
import {
  listFunctions,
  skipAzureRegistration,
  type FunctionDefinition,
} from '../../shared/runtime/registry.js';
import { ensureQueues, getQueueClient, poisonQueueName } from '../../shared/storage/queues.js';
import { knownQueueNames, type ProvidedEmulators } from './provided.js';

/** What a test file runs against; see `useEmulators`. */
export interface TestEnvironment {
  emulators: ProvidedEmulators;
  /** This worker's own storage account (see global-setup.ts). */
  storageConnectionString: string;
  /** A fresh folder for this file, removed when the worker exits. */
  dataDir: string;
  /** Where the local email sender writes messages (`EMAIL_OUTBOX_DIR`). */
  outboxDir: string;
  config: Config;
}

let current: TestEnvironment | undefined;
let baseOverrides: Partial<Record<keyof Config, string>> = {};

/**
 * Points the app's configuration at the run's emulators: Cosmos, this worker's storage account,
 * fresh data and outbox folders, and the run's pepper and signing key. Synchronous, so a file can
 * call it at the top; calling it again returns the same environment. `overrides` are applied on
 * top (the first call wins; pass them there).
 */
export function useEmulators(
  overrides: Partial<Record<keyof Config, string>> = {},
): TestEnvironment {
  if (current) return current;
  const emulators = inject('slotwiseEmulators');
  if (!emulators) {
    throw new Error('No emulators are running; run this file in the integration or e2e project.');
  }
  const pool = Number(process.env.VITEST_POOL_ID ?? '1');
  const accounts = emulators.workerStorageConnectionStrings;
  const storageConnectionString = accounts[(Math.max(pool, 1) - 1) % accounts.length] as string;

  const dataDir = mkdtempSync(join(tmpdir(), 'slotwise-test-'));
  const outboxDir = join(dataDir, 'outbox');
  mkdirSync(outboxDir);
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));

  baseOverrides = {
    COSMOS_ENDPOINT: emulators.cosmosEndpoint,
    COSMOS_KEY: emulators.cosmosKey,
    COSMOS_DATABASE: emulators.cosmosDatabase,
    AzureWebJobsStorage: storageConnectionString,
    EMAIL_OUTBOX_DIR: outboxDir,
    PASSWORD_PEPPER: emulators.passwordPepper,
    TOKEN_SIGNING_KEY: emulators.tokenSigningKey,
    SLOTWISE_DATA_DIR: dataDir,
    ...overrides,
  };
  const config = setConfig(baseOverrides);
  resetCosmosClient();
  current = { emulators, storageConnectionString, dataDir, outboxDir, config };
  return current;
}

/**
 * The emulators with a Cosmos database of this file's own, for tests of platform-wide jobs. The
 * sweeper scans every tenant: run on the shared database at its test's clock, it would delete
 * other files' idempotency records and release their holds while their tests are running.
 */
export async function useOwnDatabase(): Promise<TestEnvironment> {
  const environment = useEmulators({ COSMOS_DATABASE: `slotwise-own-${randomUUID()}` });
  await ensureCosmosResources();
  return environment;
}

/**
 * Changes settings in the middle of a file (after `useEmulators`), keeping the emulator ones:
 * `setConfig` alone would start again from the process environment. Returns the new config;
 * callers reset whatever cached the old values (e.g. `resetSigningKey`).
 */
export function reconfigure(overrides: Partial<Record<keyof Config, string>>): Config {
  useEmulators();
  const config = setConfig({ ...baseOverrides, ...overrides });
  if (current) current.config = config;
  return config;
}

/** Empties queues of this worker's account (creating them when missing). */
export async function clearQueues(names: readonly string[]): Promise<void> {
  await ensureQueues(names);
  await Promise.all(names.map((name) => getQueueClient(name).clearMessages()));
}

export interface TestHostOptions {
  /**
   * The functions to serve; by default every HTTP and queue function of `functions/index.ts`.
   * Timers are left out unless named here: the maintenance sweep scans every tenant of the
   * shared database, and at this file's frozen clock it would expire other files' idempotency
   * records and holds in the middle of their tests.
   */
  functions?: readonly FunctionDefinition[];
  /** Queue polling; defaults poll every 50-200 ms and retry failures at once. */
  queues?: QueueListenerOptions;
  clock?: Clock;
  /** Start timers and queue listeners (default true). */
  triggers?: boolean;
  maxBodyBytes?: number;
  /** Receives the host's log lines; they are also kept in `TestHost.logs`. */
  log?: LineWriter;
}

export interface TestHost {
  /** `http://127.0.0.1:<port>` without the route prefix: request `${baseUrl}/api/health`. */
  baseUrl: string;
  port: number;
  outboxDir: string;
  dataDir: string;
  /** Every line the host logged (access lines, handler logs), oldest first. */
  logs: string[];
  stop(): Promise<void>;
}

export const TEST_QUEUE_OPTIONS: QueueListenerOptions = {
  minPollIntervalMs: 50,
  maxPollIntervalMs: 200,
  retryDelaySeconds: 0,
};

/**
 * Starts the local host on a free port with the app's functions (or `options.functions`), after
 * `useEmulators()` (called for you) and after emptying the queues it will poll, so messages left
 * by an earlier file on this worker are not delivered here.
 */
export async function startTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  const env = useEmulators();
  const definitions = options.functions ?? (await loadAppFunctions());

  const queues = new Set(knownQueueNames());
  for (const definition of definitions) {
    if (definition.kind === 'queue') {
      queues.add(definition.queueName);
      queues.add(poisonQueueName(definition.queueName));
    }
  }
  await clearQueues([...queues]);

  const logs: string[] = [];
  const host: LocalHost = await startHost({
    functions: definitions,
    port: 0,
    queues: { ...TEST_QUEUE_OPTIONS, ...options.queues },
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.triggers !== undefined ? { triggers: options.triggers } : {}),
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    drainTimeoutMs: 5_000,
    log: (line) => {
      logs.push(line);
      options.log?.(line);
    },
  });
  return {
    baseUrl: host.url,
    port: host.port,
    outboxDir: env.outboxDir,
    dataDir: env.dataDir,
    logs,
    stop: host.stop,
  };
}

async function loadAppFunctions(): Promise<FunctionDefinition[]> {
  // The local host serves the definitions; registering them with the library would only warn.
  skipAzureRegistration();
  await import('../../functions/index.js');
  return listFunctions().filter((definition) => definition.kind !== 'timer');
}

/**
 * The usual set-up of an end-to-end file: the host starts before the file's tests and stops
 * after them, and the app clock is reset after each test. Returns a getter for the running host.
 */
export function useTestHost(options: TestHostOptions = {}): () => TestHost {
  let host: TestHost | undefined;
  beforeAll(async () => {
    host = await startTestHost(options);
  });
  afterAll(async () => {
    await host?.stop();
  });
  afterEach(() => resetClock());
  return () => {
    if (!host) throw new Error('The test host is not running yet; use it inside a test or hook.');
    return host;
  };
}
