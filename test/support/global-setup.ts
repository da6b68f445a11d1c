import { randomBytes } from 'node:crypto';

import type { TestProject } from 'vitest/node';

import { startEmulators, type Emulators } from '../../local/emulators.js';
import { newTokenSigningKey } from '../../local/local-secrets.js';
import { setConfig } from '../../shared/config/config.js';
import { ensureCosmosResources, resetCosmosClient } from '../../shared/cosmos/client.js';
import { ensureQueues } from '../../shared/storage/queues.js';
import { knownQueueNames, type ProvidedEmulators } from './provided.js';

export type { ProvidedEmulators } from './provided.js';

/**
 * vitest globalSetup for the `integration` and `e2e` projects: starts the embedded emulators
 * once per run, in memory on ephemeral ports, creates the database and the known queues, and
 * hands the endpoints to test files through `inject('slotwiseEmulators')` (see `env.ts`).
 *
 * Each test worker gets its own Azurite storage account (picked by `VITEST_POOL_ID`), so two
 * files running at once never receive each other's queue messages; Cosmos data is shared and
 * kept apart by tenant, as in production.
 */

/** More than any sensible `maxWorkers`; extra accounts cost nothing. */
const WORKER_ACCOUNTS = 16;

interface Shared {
  started: Promise<{ emulators: Emulators; provided: ProvidedEmulators }>;
  users: number;
}

// Both projects list this file and vitest runs it once per project, each time in a fresh
// module instance; a process-wide slot makes them share one set of emulators.
const SLOT = Symbol.for('slotwise.test.emulators');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const registry = globalThis as { [SLOT]?: Shared };
  const shared = (registry[SLOT] ??= { started: startShared(), users: 0 });
  shared.users += 1;
  const { provided } = await shared.started;
  project.provide('slotwiseEmulators', provided);

  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    delete registry[SLOT];
    const { emulators } = await shared.started;
    resetCosmosClient();
    await emulators.stop();
  };
}

async function startShared(): Promise<{ emulators: Emulators; provided: ProvidedEmulators }> {
  const accounts = Array.from({ length: WORKER_ACCOUNTS }, (_, i) => ({
    name: `slotwiseworker${i + 1}`,
    key: randomBytes(64).toString('base64'),
  }));
  const emulators = await startEmulators({ extraStorageAccounts: accounts });
  try {
    const provided: ProvidedEmulators = {
      cosmosEndpoint: emulators.cosmos.endpoint,
      cosmosKey: emulators.cosmos.key,
      cosmosDatabase: 'slotwise',
      blobEndpoint: emulators.blobEndpoint,
      queueEndpoint: emulators.queueEndpoint,
      tableEndpoint: emulators.tableEndpoint,
      storageConnectionString: emulators.storageConnectionString,
      workerStorageConnectionStrings: accounts.map((a) => emulators.connectionStringFor(a)),
      passwordPepper: randomBytes(32).toString('base64url'),
      tokenSigningKey: newTokenSigningKey(),
    };

    const base = {
      COSMOS_ENDPOINT: provided.cosmosEndpoint,
      COSMOS_KEY: provided.cosmosKey,
      COSMOS_DATABASE: provided.cosmosDatabase,
    };
    setConfig({ ...base, AzureWebJobsStorage: provided.storageConnectionString });
    resetCosmosClient();
    await ensureCosmosResources();
    const { storageConnectionString, workerStorageConnectionStrings } = provided;
    for (const connection of [storageConnectionString, ...workerStorageConnectionStrings]) {
      setConfig({ ...base, AzureWebJobsStorage: connection });
      await ensureQueues(knownQueueNames());
    }
    return { emulators, provided };
  } catch (error) {
    await emulators.stop();
    throw error;
  }
}
