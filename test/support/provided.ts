import { poisonQueueName, QUEUES } from '../../shared/storage/queues.js';

/** What `global-setup.ts` hands to test files; read it through `useEmulators()` in `env.ts`. */
export interface ProvidedEmulators {
  cosmosEndpoint: string;
  cosmosKey: string;
  cosmosDatabase: string;
  blobEndpoint: string;
  queueEndpoint: string;
  tableEndpoint: string;
  /** The well-known `devstoreaccount1`; shared by every worker. */
  storageConnectionString: string;
  /** One account per worker slot: index `VITEST_POOL_ID - 1` (modulo the length). */
  workerStorageConnectionStrings: string[];
  /** Shared by every file of the run, so any host instance can read any other's tokens. */
  passwordPepper: string;
  tokenSigningKey: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    slotwiseEmulators: ProvidedEmulators;
  }
}

/** The queues created in every account; a test's own queues are created by `startTestHost`. */
export function knownQueueNames(): string[] {
  return Object.values(QUEUES).flatMap((name) => [name, poisonQueueName(name)]);
}
