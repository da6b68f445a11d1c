/**
 * The product as `npm start` runs it, but throwaway: the embedded emulators in memory on
 * ephemeral ports, the app's configuration pointed at them (as `local/main.ts` does) with a fresh
 * pepper and ES256 signing key held in memory, and the local host serving every real function on
 * an ephemeral port of 127.0.0.1. Everything lives in this process and one temporary folder.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startEmulators, type Emulators } from '../local/emulators.js';
import { startHost, type LocalHost } from '../local/host.js';
import { readHostJson } from '../local/host-json.js';
import { newTokenSigningKey } from '../local/local-secrets.js';
import { setConfig, type Config } from '../shared/config/config.js';
import { ensureCosmosResources, resetCosmosClient } from '../shared/cosmos/client.js';
import { listFunctions, skipAzureRegistration } from '../shared/runtime/registry.js';
import { ensureQueues, getQueueClient, poisonQueueName, QUEUES } from '../shared/storage/queues.js';

export interface BenchStack {
  /** `http://127.0.0.1:<port>`, without the route prefix. */
  origin: string;
  outboxDir: string;
  functionCount: number;
  /** Log lines at warning level or above from handlers and the host (the first 50). */
  problems: string[];
  /** Messages still waiting in the notification queue. */
  pendingNotifications(): Promise<number>;
  /** Stops the host, then the emulators, then removes the temporary folder. Safe to call twice. */
  stop(): Promise<void>;
}

const MAX_PROBLEM_LINES = 50;

/** The repository's host.json (from dist/bench/), so the run does not depend on the cwd. */
const HOST_JSON = new URL('../../host.json', import.meta.url);

export async function startBenchStack(): Promise<BenchStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'slotwise-bench-'));
  const outboxDir = join(dataDir, 'outbox');
  let emulators: Emulators | undefined;
  let host: LocalHost | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      try {
        await host?.stop();
      } finally {
        resetCosmosClient();
        await emulators?.stop();
        await rm(dataDir, { recursive: true, force: true });
      }
    })());

  try {
    await mkdir(outboxDir);
    emulators = await startEmulators();
    // Like local/main.ts, minus the files: a run's secrets never need to outlive it.
    const base: Partial<Record<keyof Config, string>> = {
      COSMOS_ENDPOINT: emulators.cosmos.endpoint,
      COSMOS_KEY: emulators.cosmos.key,
      AzureWebJobsStorage: emulators.storageConnectionString,
      SLOTWISE_DATA_DIR: dataDir,
      EMAIL_OUTBOX_DIR: outboxDir,
      PASSWORD_PEPPER: randomBytes(32).toString('base64url'),
      TOKEN_SIGNING_KEY: newTokenSigningKey(),
    };
    setConfig(base);
    resetCosmosClient();

    const definitions = await loadAppFunctions();
    await ensureCosmosResources();
    const queueNames = new Set<string>(Object.values(QUEUES));
    for (const definition of definitions) {
      if (definition.kind === 'queue') queueNames.add(definition.queueName);
    }
    await ensureQueues([...queueNames].flatMap((name) => [name, poisonQueueName(name)]));

    const problems: string[] = [];
    const hostJson = await readHostJson(fileURLToPath(HOST_JSON));
    host = await startHost({
      functions: definitions,
      port: 0,
      host: '127.0.0.1',
      routePrefix: hostJson.routePrefix,
      queues: hostJson.queues,
      logLevel: hostJson.logLevel,
      drainTimeoutMs: 5_000,
      // One access line per request would flood the report and time the terminal, not the app;
      // only trouble is kept.
      log: (line) => {
        if (problems.length < MAX_PROBLEM_LINES && /\] (?:warning|error|critical) /.test(line)) {
          problems.push(line);
        }
      },
    });
    // The port is known only now; manage links in responses and emails should point at it.
    setConfig({ ...base, PUBLIC_BASE_URL: host.url });

    return {
      origin: host.url,
      outboxDir,
      functionCount: definitions.length,
      problems,
      pendingNotifications: async () => {
        const properties = await getQueueClient(QUEUES.bookingNotifications).getProperties();
        return properties.approximateMessagesCount ?? 0;
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** Loaded after `setConfig`, as local/main.ts does, so no function reads config too early. */
async function loadAppFunctions() {
  // The host serves the definitions itself; registering them with Azure's library too would
  // only make it warn once per function outside the Functions runtime.
  skipAzureRegistration();
  await import('../functions/index.js');
  return listFunctions();
}
