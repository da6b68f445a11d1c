import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CosmosClient } from '@azure/cosmos';
import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, describe, expect, it } from 'vitest';

import { startEmulators, type Emulators } from '../../../local/emulators.js';
import { PortInUseError } from '../../../local/ports.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slotwise-persist-'));
  dirs.push(dir);
  return dir;
}

function queueClient(emulators: Emulators, name: string) {
  const service = QueueServiceClient.fromConnectionString(emulators.storageConnectionString);
  return service.getQueueClient(name);
}

function cosmos(emulators: Emulators): CosmosClient {
  return new CosmosClient({
    endpoint: emulators.cosmos.endpoint,
    key: emulators.cosmos.key,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
}

describe('persistent emulators', () => {
  it('keeps Cosmos documents, container settings and queue messages across a restart', async () => {
    const dataDir = tempDir();
    const first = await startEmulators({ dataDir });
    const client = cosmos(first);
    const { database } = await client.databases.createIfNotExists({ id: 'slotwise' });
    const { container } = await database.containers.createIfNotExists({
      id: 'data',
      partitionKey: { paths: ['/tenantId'] },
      uniqueKeyPolicy: { uniqueKeys: [{ paths: ['/email'] }] },
    });
    const booking = { id: 'b-1', tenantId: 't-1', type: 'booking', email: 'a@x.test' };
    await container.items.create(booking);
    await container.items.create({ id: 'b-2', tenantId: 't-2', email: 'b@x.test' });
    await container.item('b-2', 't-2').delete();
    const queue = queueClient(first, 'persisted');
    await queue.createIfNotExists();
    await queue.sendMessage('aGVsbG8=');
    client.dispose();
    await first.stop();

    const second = await startEmulators({ dataDir });
    try {
      const again = cosmos(second);
      const data = again.database('slotwise').container('data');
      const { resource } = await data.item('b-1', 't-1').read();
      expect(resource).toMatchObject(booking);
      expect((await data.item('b-2', 't-2').read()).statusCode).toBe(404);
      // The unique key came back with the container: a duplicate email is still refused.
      const duplicate = data.items.create({ id: 'b-3', tenantId: 't-1', email: 'a@x.test' });
      await expect(duplicate).rejects.toMatchObject({ code: 409 });
      const { peekedMessageItems } = await queueClient(second, 'persisted').peekMessages();
      expect(peekedMessageItems.map((item) => item.messageText)).toEqual(['aGVsbG8=']);
      again.dispose();
    } finally {
      await second.stop();
    }
  });

  it('writes the Cosmos snapshot periodically when data changed, replacing the file atomically', async () => {
    const dataDir = tempDir();
    const emulators = await startEmulators({ dataDir, cosmosSnapshotIntervalMs: 50 });
    try {
      const client = cosmos(emulators);
      const { database } = await client.databases.createIfNotExists({ id: 'periodic' });
      const { container } = await database.containers.createIfNotExists({
        id: 'c',
        partitionKey: { paths: ['/pk'] },
      });
      await container.items.create({ id: 'x', pk: 'p', n: 1 });

      const file = join(dataDir, 'cosmos.json');
      const snapshot = await waitForSnapshot(file, (text) => text.includes('"n":1'));
      expect(snapshot).toMatchObject({ format: 'slotwise-cosmos-snapshot', version: 1 });
      expect(snapshot.databases[0].containers[0].documents).toEqual([{ id: 'x', pk: 'p', n: 1 }]);
      expect(readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      client.dispose();
    } finally {
      await emulators.stop();
    }
  });

  it('refuses to start on a damaged snapshot instead of starting empty', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'cosmos.json'), '{"format":"slotwise-cosmos-snapshot","vers');
    await expect(startEmulators({ dataDir })).rejects.toThrow(
      /cosmos\.json is not valid JSON; move it aside/,
    );
  });

  it('names the service when its port is taken and leaves nothing running', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const attempt = startEmulators({ ports: { queue: port } });
      await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
      await expect(attempt).rejects.toMatchObject({ service: 'queue', port });
    } finally {
      blocker.close();
    }
  });
});

async function waitForSnapshot(file: string, ready: (text: string) => boolean): Promise<any> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      const text = readFileSync(file, 'utf8');
      if (ready(text)) return JSON.parse(text);
    } catch {
      // Not written yet.
    }
    if (Date.now() > deadline) throw new Error(`No snapshot at ${file}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
