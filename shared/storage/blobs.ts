import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';

import { getStorageCredential, resolveStorageAccess, storageServiceUrl } from './account.js';

let cached: { key: string; service: BlobServiceClient } | undefined;

function getBlobServiceClient(): BlobServiceClient {
  const access = resolveStorageAccess();
  if (cached?.key === access.cacheKey) return cached.service;
  const service =
    access.kind === 'connectionString'
      ? BlobServiceClient.fromConnectionString(access.connectionString)
      : new BlobServiceClient(
          storageServiceUrl(access.accountName, 'blob'),
          getStorageCredential(),
        );
  cached = { key: access.cacheKey, service };
  return service;
}

/**
 * A client for one blob container of the app's storage account, on the same rules as
 * `getQueueClient`: connection string locally, managed identity with the account name in Azure.
 */
export function getBlobContainerClient(name: string): ContainerClient {
  return getBlobServiceClient().getContainerClient(name);
}
