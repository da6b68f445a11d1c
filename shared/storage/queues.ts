import { QueueClient, QueueServiceClient } from '@azure/storage-queue';

import { getStorageCredential, resolveStorageAccess, storageServiceUrl } from './account.js';

/** Every storage queue the app uses. Poison queues are `<name>-poison`, made by the host. */
export const QUEUES = {
  bookingNotifications: 'booking-notifications',
} as const;

export type KnownQueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** The suffix the Functions host gives the queue that receives messages failing too often. */
export const POISON_SUFFIX = '-poison';

export function poisonQueueName(queueName: string): string {
  return `${queueName}${POISON_SUFFIX}`;
}

/** Largest message text a storage queue accepts (64 KiB), counted after base64 encoding. */
export const MAX_MESSAGE_TEXT_BYTES = 64 * 1024;

let cached: { key: string; service: QueueServiceClient } | undefined;

function getQueueServiceClient(): QueueServiceClient {
  const access = resolveStorageAccess();
  if (cached?.key === access.cacheKey) return cached.service;
  const service =
    access.kind === 'connectionString'
      ? QueueServiceClient.fromConnectionString(access.connectionString)
      : new QueueServiceClient(
          storageServiceUrl(access.accountName, 'queue'),
          getStorageCredential(),
        );
  cached = { key: access.cacheKey, service };
  return service;
}

/**
 * A client for one queue of the app's storage account: the `AzureWebJobsStorage` connection
 * string locally, `AzureWebJobsStorage__accountName` with managed identity in Azure. Clients
 * follow the current configuration, so tests that call `setConfig` get a matching client.
 */
export function getQueueClient(name: string): QueueClient {
  return getQueueServiceClient().getQueueClient(name);
}

export interface EnqueueOptions {
  /** Keeps the message hidden this long before a consumer can receive it (delayed delivery). */
  visibilityTimeoutSeconds?: number;
}

/**
 * Sends `message` as base64-encoded JSON, the encoding a Functions queue trigger expects by
 * default (`messageEncoding: base64` in host.json), so the handler receives the parsed object.
 */
export async function enqueueJson(
  queueName: string,
  message: unknown,
  options: EnqueueOptions = {},
): Promise<{ messageId: string }> {
  const json = JSON.stringify(message);
  if (json === undefined) {
    throw new TypeError(`The message for queue "${queueName}" is not JSON-serializable.`);
  }
  const text = Buffer.from(json, 'utf8').toString('base64');
  if (Buffer.byteLength(text) > MAX_MESSAGE_TEXT_BYTES) {
    throw new RangeError(
      `The message for queue "${queueName}" is ${Buffer.byteLength(text)} bytes once encoded; ` +
        `the limit is ${MAX_MESSAGE_TEXT_BYTES}. Store the payload in a blob and send its name.`,
    );
  }
  const response = await getQueueClient(queueName).sendMessage(text, {
    ...(options.visibilityTimeoutSeconds !== undefined
      ? { visibilityTimeout: options.visibilityTimeoutSeconds }
      : {}),
  });
  return { messageId: response.messageId };
}

/** Creates the queues when missing (local runtime and tests; Bicep creates them in Azure). */
export async function ensureQueues(names: readonly string[]): Promise<void> {
  await Promise.all([...new Set(names)].map((name) => getQueueClient(name).createIfNotExists()));
}
