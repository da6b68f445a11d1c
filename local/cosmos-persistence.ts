import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { dirname } from 'node:path';

import { CosmosClient, type ContainerDefinition } from '@azure/cosmos';
import { z } from 'zod';

/**
 * Keeps the embedded Cosmos server's data across restarts of `npm start`.
 *
 * The server holds everything in memory and does not expose its store (the account object lives
 * in a closure of `createHttpServer`), so the snapshot goes through the Cosmos REST API with the
 * real SDK: every database, container definition and document is read into one JSON file and
 * created again on the next start. Ids, partition keys, unique keys and indexing policies
 * survive; the system properties `_rid`, `_etag` and `_ts` are assigned afresh on reload, so a
 * reload looks like "every document was just written" to anything keyed on `_ts`.
 */
const SYSTEM_PROPERTIES = ['_rid', '_self', '_etag', '_ts', '_attachments'] as const;

const snapshotSchema = z.object({
  format: z.literal('slotwise-cosmos-snapshot'),
  version: z.literal(1),
  savedAt: z.string(),
  databases: z.array(
    z.object({
      id: z.string(),
      containers: z.array(
        z.object({
          definition: z.looseObject({ id: z.string() }),
          documents: z.array(z.looseObject({ id: z.string() })),
        }),
      ),
    }),
  ),
});

export type CosmosSnapshot = z.infer<typeof snapshotSchema>;

export interface CosmosPersistenceOptions {
  endpoint: string;
  key: string;
  /** The snapshot file, e.g. `<dataDir>/cosmos.json`. */
  file: string;
  /** How often to write the snapshot when something changed; 0 turns the timer off. */
  intervalMs: number;
  log: (line: string) => void;
}

/** Writes in parallel while restoring; the server handles one request at a time anyway. */
const RESTORE_CONCURRENCY = 16;

export class CosmosPersistence {
  readonly #options: CosmosPersistenceOptions;
  readonly #client: CosmosClient;
  #dirty = false;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  #closed = false;

  constructor(options: CosmosPersistenceOptions) {
    this.#options = options;
    this.#client = new CosmosClient({
      endpoint: options.endpoint,
      key: options.key,
      connectionPolicy: { enableEndpointDiscovery: false },
    });
  }

  /** Marks the data as changed whenever the server completes a write request. */
  watch(server: Server): void {
    server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
      if (!isWriteRequest(request)) return;
      response.once('finish', () => {
        this.#dirty = true;
      });
    });
  }

  /** Restores the snapshot when the file exists; returns how many documents were loaded. */
  async load(): Promise<{ databases: number; documents: number } | undefined> {
    let text: string;
    try {
      text = await readFile(this.#options.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }

    const snapshot = parseSnapshot(text, this.#options.file);
    let documents = 0;
    for (const database of snapshot.databases) {
      const { database: db } = await this.#client.databases.create({ id: database.id });
      for (const container of database.containers) {
        const definition = container.definition as ContainerDefinition;
        const { container: target } = await db.containers.create(definition);
        await forEachLimited(container.documents, RESTORE_CONCURRENCY, async (document) => {
          await target.items.create(document);
        });
        documents += container.documents.length;
      }
    }
    // The restore itself went through the server as writes; nothing new to save yet.
    this.#dirty = false;
    return { databases: snapshot.databases.length, documents };
  }

  /** Starts the periodic snapshot; the timer never keeps the process alive on its own. */
  start(): void {
    if (this.#options.intervalMs <= 0 || this.#timer) return;
    this.#timer = setInterval(() => {
      if (!this.#dirty) return;
      this.flush().catch((error: unknown) => {
        const { file } = this.#options;
        this.#options.log(`cosmos snapshot failed file=${file} error=${describe(error)}`);
      });
    }, this.#options.intervalMs);
    this.#timer.unref();
  }

  /** Writes the snapshot now when something changed since the last one (or when forced). */
  async flush(options: { force?: boolean } = {}): Promise<void> {
    while (this.#flushing) await this.#flushing.catch(() => undefined);
    if (!this.#dirty && !options.force) return;
    this.#flushing = this.#write().finally(() => {
      this.#flushing = undefined;
    });
    await this.#flushing;
  }

  /** Stops the timer and writes a final snapshot; the server must still be running. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    try {
      await this.flush();
    } finally {
      this.#client.dispose();
    }
  }

  async #write(): Promise<void> {
    // Cleared before reading: a write that lands while the dump runs marks it dirty again.
    this.#dirty = false;
    try {
      const snapshot = await this.#dump();
      await writeFileAtomic(this.#options.file, JSON.stringify(snapshot));
    } catch (error) {
      this.#dirty = true;
      throw error;
    }
  }

  async #dump(): Promise<CosmosSnapshot> {
    const snapshot: CosmosSnapshot = {
      format: 'slotwise-cosmos-snapshot',
      version: 1,
      savedAt: new Date().toISOString(),
      databases: [],
    };
    const { resources: databases } = await this.#client.databases.readAll().fetchAll();
    for (const { id } of databases) {
      const db = this.#client.database(id);
      const { resources: containers } = await db.containers.readAll().fetchAll();
      const entry: CosmosSnapshot['databases'][number] = { id, containers: [] };
      for (const definition of containers) {
        const { resources: documents } = await db
          .container(definition.id)
          .items.readAll<Record<string, unknown> & { id: string }>()
          .fetchAll();
        entry.containers.push({
          definition: pickContainerDefinition(definition),
          documents: documents.map(stripSystemProperties),
        });
      }
      snapshot.databases.push(entry);
    }
    return snapshot;
  }
}

/** Queries and reads are POSTs or GETs too; only state-changing requests count as writes. */
function isWriteRequest(request: IncomingMessage): boolean {
  const method = request.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return false;
  return request.headers['x-ms-documentdb-isquery'] !== 'true';
}

type SnapshotContainer = CosmosSnapshot['databases'][number]['containers'][number];

/** The settings that shape behaviour (partitioning, unique keys, composite indexes, TTL). */
function pickContainerDefinition(definition: ContainerDefinition): SnapshotContainer['definition'] {
  const { id, partitionKey, indexingPolicy, uniqueKeyPolicy, defaultTtl } = definition;
  // Through JSON so that undefined settings disappear instead of being restored as null.
  return JSON.parse(
    JSON.stringify({ id, partitionKey, indexingPolicy, uniqueKeyPolicy, defaultTtl }),
  ) as { id: string };
}

function stripSystemProperties<T extends Record<string, unknown>>(document: T): T {
  const copy: Record<string, unknown> = { ...document };
  for (const key of SYSTEM_PROPERTIES) delete copy[key];
  return copy as T;
}

function parseSnapshot(text: string, file: string): CosmosSnapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `The Cosmos snapshot ${file} is not valid JSON; move it aside to start with an empty database.`,
      { cause: error },
    );
  }
  const result = snapshotSchema.safeParse(value);
  if (!result.success) {
    throw new Error(
      `The Cosmos snapshot ${file} has an unexpected shape; move it aside to start with an empty database.`,
      { cause: result.error },
    );
  }
  return result.data;
}

/**
 * Replaces `file` in one step: write a temporary file beside it, flush it to disk, rename over
 * the old one. A crash leaves either the previous snapshot or the new one, never half of one.
 */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
