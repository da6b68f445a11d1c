import { describe, expect, it } from 'vitest';

import { getBlobContainerClient } from '../../../shared/storage/blobs.js';
import {
  enqueueJson,
  ensureQueues,
  getQueueClient,
  QUEUES,
} from '../../../shared/storage/queues.js';
import { useEmulators } from '../../support/env.js';

const env = useEmulators();

describe('shared/storage', () => {
  it('sends JSON as base64 text, the Functions default encoding, with an optional delay', async () => {
    await ensureQueues(['storage-test']);
    const queue = getQueueClient('storage-test');
    await queue.clearMessages();

    await enqueueJson('storage-test', { bookingId: 'bkg_1', kind: 'confirmed', note: 'é' });
    await enqueueJson('storage-test', { delayed: true }, { visibilityTimeoutSeconds: 60 });

    const { peekedMessageItems } = await queue.peekMessages({ numberOfMessages: 32 });
    expect(peekedMessageItems.map((item) => item.messageText)).toEqual([
      Buffer.from('{"bookingId":"bkg_1","kind":"confirmed","note":"é"}').toString('base64'),
    ]);
    const { approximateMessagesCount } = await queue.getProperties();
    expect(approximateMessagesCount).toBe(2);
  });

  it('refuses a message over the 64 KiB queue limit and one that is not JSON', async () => {
    await expect(enqueueJson('storage-test', { blob: 'x'.repeat(50_000) })).rejects.toThrow(
      /is \d+ bytes once encoded; the limit is 65536/,
    );
    await expect(enqueueJson('storage-test', undefined)).rejects.toThrow(/not JSON-serializable/);
  });

  it('uses this worker\u2019s storage account from the configuration', async () => {
    expect(getQueueClient(QUEUES.bookingNotifications).url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:\\d+/slotwiseworker\\d+/booking-notifications$`),
    );
    expect(env.storageConnectionString).toContain('AccountName=slotwiseworker');
    expect(await getQueueClient(QUEUES.bookingNotifications).exists()).toBe(true);
  });

  it('reaches blob containers on the same account', async () => {
    const container = getBlobContainerClient('storage-test');
    await container.createIfNotExists();
    await container.getBlockBlobClient('hello.txt').upload('hi', 2);
    const text = (await container.getBlockBlobClient('hello.txt').downloadToBuffer()).toString();
    expect(text).toBe('hi');
    expect(container.accountName).toMatch(/^slotwiseworker\d+$/);
  });
});
