import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

import { createHttpServer } from '@zeit/cosmosdb-server';

import { CosmosPersistence } from './cosmos-persistence.js';
import { closeServer, isAddressInUse, listen, PortInUseError } from './ports.js';

/**
 * The embedded stand-ins for Azure services, all in this process and on loopback: a Cosmos
 * DB-compatible server (`@zeit/cosmosdb-server`, plain HTTP) and Azurite's blob, queue and table
 * services. Tests run them in memory on ephemeral ports; `npm start` persists them in a folder.
 */

/** Azurite's well-known development account. Published by Microsoft; not a secret. */
export const AZURITE_ACCOUNT_NAME = 'devstoreaccount1';
export const AZURITE_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** The Cosmos DB emulator's well-known key. The embedded server accepts any key. */
export const COSMOS_EMULATOR_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU9DDJrCnZkg==';

export interface EmulatorPorts {
  cosmos: number;
  blob: number;
  queue: number;
  table: number;
}

export interface StorageAccount {
  name: string;
  /** Base64 account key. */
  key: string;
}

export interface StartEmulatorsOptions {
  /** Ports to listen on; 0 (the default for each) picks a free one. */
  ports?: Partial<EmulatorPorts>;
  /** Persist under this folder (`npm start`); leave it out to keep everything in memory. */
  dataDir?: string;
  /** How often to snapshot Cosmos data when it changed (persistent mode only). */
  cosmosSnapshotIntervalMs?: number;
  /**
   * Storage accounts besides the well-known one, so parallel test workers can each use their own
   * queues and containers. NOTE: Azurite reads accounts from the `AZURITE_ACCOUNTS` environment
   * variable of its process (and re-reads it every minute), so this sets that variable; see
   * https://github.com/Azure/Azurite#customized-storage-accounts--keys
   */
  extraStorageAccounts?: StorageAccount[];
  /** Receives one line per notable event (restore, snapshot failure). Defaults to silence. */
  log?: (line: string) => void;
}

export interface Emulators {
  host: string;
  ports: EmulatorPorts;
  cosmos: { endpoint: string; key: string };
  blobEndpoint: string;
  queueEndpoint: string;
  tableEndpoint: string;
  /** `AzureWebJobsStorage` for the well-known account on the ports actually bound. */
  storageConnectionString: string;
  /** The persistence folder, when persistent. */
  dataDir: string | undefined;
  /** Builds the connection string of another account served by this Azurite. */
  connectionStringFor(account: StorageAccount): string;
  /** Writes the Cosmos snapshot now if anything changed (no-op in memory mode). */
  flushCosmos(): Promise<void>;
  /** Flushes Cosmos (when persistent), then closes every server. Safe to call twice. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
  /** Azurite internals used only to read the bound port and to clean up a failed start. */
  httpServer: { address(): AddressInfo | string | null };
  afterClose?(): Promise<void>;
}

type AzuriteServerClass = new (configuration: unknown) => AzuriteServer;
type Configuration = new (...args: unknown[]) => unknown;

interface PersistenceLocation {
  locationId: string;
  locationPath: string;
  maxConcurrency: number;
}

/**
 * NOTE: `azurite`'s package entry is an editor extension, so the services are loaded from their
 * own modules under `azurite/dist/src/<service>/`. They are CommonJS without type declarations,
 * hence `createRequire` and the small structural types above.
 */
const require = createRequire(import.meta.url);

function loadDefault<T>(path: string): T {
  return (require(path) as { default: T }).default;
}

export async function startEmulators(options: StartEmulatorsOptions = {}): Promise<Emulators> {
  const log = options.log ?? (() => undefined);
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  if (dataDir) await mkdir(join(dataDir, 'azurite'), { recursive: true });
  if (options.extraStorageAccounts?.length) setAzuriteAccounts(options.extraStorageAccounts);

  const stops: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) {
      await stop().catch((error: unknown) => log(`emulator stop failed error=${String(error)}`));
    }
  };

  try {
    const cosmos = await startCosmos(options.ports?.cosmos ?? 0, dataDir, options, log);
    stops.push(cosmos.stop);
    const blob = await startAzurite('blob', options.ports?.blob ?? 0, dataDir);
    stops.push(blob.stop);
    const queue = await startAzurite('queue', options.ports?.queue ?? 0, dataDir);
    stops.push(queue.stop);
    const table = await startAzurite('table', options.ports?.table ?? 0, dataDir);
    stops.push(table.stop);

    const ports = { cosmos: cosmos.port, blob: blob.port, queue: queue.port, table: table.port };
    const connectionStringFor = (account: StorageAccount): string =>
      storageConnectionString(account, ports);
    let stopping: Promise<void> | undefined;
    return {
      host: HOST,
      ports,
      cosmos: { endpoint: `http://${HOST}:${cosmos.port}/`, key: COSMOS_EMULATOR_KEY },
      blobEndpoint: `http://${HOST}:${blob.port}/${AZURITE_ACCOUNT_NAME}`,
      queueEndpoint: `http://${HOST}:${queue.port}/${AZURITE_ACCOUNT_NAME}`,
      tableEndpoint: `http://${HOST}:${table.port}/${AZURITE_ACCOUNT_NAME}`,
      storageConnectionString: connectionStringFor({
        name: AZURITE_ACCOUNT_NAME,
        key: AZURITE_ACCOUNT_KEY,
      }),
      dataDir,
      connectionStringFor,
      flushCosmos: () => cosmos.flush(),
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export function storageConnectionString(account: StorageAccount, ports: EmulatorPorts): string {
  const base = `http://${HOST}`;
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${account.name}`,
    `AccountKey=${account.key}`,
    `BlobEndpoint=${base}:${ports.blob}/${account.name}`,
    `QueueEndpoint=${base}:${ports.queue}/${account.name}`,
    `TableEndpoint=${base}:${ports.table}/${account.name}`,
  ].join(';');
}

function setAzuriteAccounts(extra: StorageAccount[]): void {
  const accounts = [{ name: AZURITE_ACCOUNT_NAME, key: AZURITE_ACCOUNT_KEY }, ...extra];
  process.env.AZURITE_ACCOUNTS = accounts.map((a) => `${a.name}:${a.key}`).join(';');
}

interface StartedService {
  port: number;
  stop: () => Promise<void>;
}

async function startCosmos(
  port: number,
  dataDir: string | undefined,
  options: StartEmulatorsOptions,
  log: (line: string) => void,
): Promise<StartedService & { flush: () => Promise<void> }> {
  const server: Server = createHttpServer();
  const boundPort = await listen(server, port, HOST, 'cosmos');
  if (!dataDir) {
    return { port: boundPort, stop: () => closeServer(server), flush: async () => undefined };
  }

  const file = join(dataDir, 'cosmos.json');
  const persistence = new CosmosPersistence({
    endpoint: `http://${HOST}:${boundPort}/`,
    key: COSMOS_EMULATOR_KEY,
    file,
    intervalMs: options.cosmosSnapshotIntervalMs ?? 10_000,
    log,
  });
  persistence.watch(server);
  try {
    const restored = await persistence.load();
    if (restored) {
      const { databases, documents } = restored;
      log(`cosmos restored databases=${databases} documents=${documents} file=${file}`);
    }
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  persistence.start();
  return {
    port: boundPort,
    flush: () => persistence.flush(),
    stop: async () => {
      try {
        await persistence.close();
      } finally {
        await closeServer(server);
      }
    },
  };
}

const AZURITE_MODULES = {
  blob: { server: 'BlobServer', configuration: 'BlobConfiguration', prefix: 'blob' },
  queue: { server: 'QueueServer', configuration: 'QueueConfiguration', prefix: 'queue' },
  table: { server: 'TableServer', configuration: 'TableConfiguration', prefix: 'table' },
} as const;

async function startAzurite(
  service: 'blob' | 'queue' | 'table',
  port: number,
  dataDir: string | undefined,
): Promise<StartedService> {
  const names = AZURITE_MODULES[service];
  const Server = loadDefault<AzuriteServerClass>(`azurite/dist/src/${service}/${names.server}.js`);
  const Configuration = loadDefault<Configuration>(
    `azurite/dist/src/${service}/${names.configuration}.js`,
  );
  const location = dataDir ? join(dataDir, 'azurite') : '';
  const inMemory = dataDir === undefined;
  const metadataDb = join(location, `__azurite_db_${names.prefix}__.json`);
  const loose = true;
  const skipApiVersionCheck = true;
  const accessLog = false;
  const debugLog = false;

  // NOTE: the table configuration takes its arguments in a different order from the other two
  // (debug log before access log, no extent store); both mirror Azurite's own `main.js`.
  const configuration =
    service === 'table'
      ? new Configuration(
          HOST,
          port,
          0,
          metadataDb,
          debugLog,
          accessLog,
          undefined,
          undefined,
          loose,
          skipApiVersionCheck,
          '',
          '',
          '',
          undefined,
          false,
          inMemory,
        )
      : new Configuration(
          HOST,
          port,
          0,
          metadataDb,
          join(location, `__azurite_db_${names.prefix}_extent__.json`),
          [persistenceLocation(location, service)],
          accessLog,
          undefined,
          debugLog,
          undefined,
          loose,
          skipApiVersionCheck,
          '',
          '',
          '',
          undefined,
          false,
          inMemory,
          inMemory ? newMemoryChunkStore() : undefined,
        );

  const server = new Server(configuration);
  try {
    await server.start();
  } catch (error) {
    // A failed listen leaves the stores and the GC timer of `beforeStart` running.
    await server.afterClose?.().catch(() => undefined);
    if (isAddressInUse(error)) {
      throw new PortInUseError(service, port, { cause: error });
    }
    throw error;
  }
  const address = server.httpServer.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return { port: boundPort, stop: () => server.close() };
}

/** Azurite's own defaults: one writer for queue extents, fifty for blob extents. */
function persistenceLocation(location: string, service: 'blob' | 'queue'): PersistenceLocation {
  return {
    locationId: 'Default',
    locationPath: join(location, `__${service}storage__`),
    maxConcurrency: service === 'queue' ? 1 : 50,
  };
}

/** Each in-memory emulator gets its own chunk store, so two instances never share blobs. */
function newMemoryChunkStore(): unknown {
  const module = 'azurite/dist/src/common/persistence/MemoryExtentStore.js';
  const { MemoryExtentChunkStore } = require(module) as {
    MemoryExtentChunkStore: new (sizeLimit?: number) => unknown;
  };
  return new MemoryExtentChunkStore(512 * 1024 * 1024);
}
