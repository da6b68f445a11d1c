import { DefaultAzureCredential } from '@azure/identity';

import { getConfig } from '../config/config.js';

/**
 * How the app reaches its storage account, following the Functions host's own rules for the
 * `AzureWebJobsStorage` connection: a connection string (Azurite locally), or in Azure only
 * `AzureWebJobsStorage__accountName`, reached over managed identity.
 */
export type StorageAccess =
  | { kind: 'connectionString'; connectionString: string; cacheKey: string }
  | { kind: 'identity'; accountName: string; cacheKey: string };

export function resolveStorageAccess(): StorageAccess {
  const config = getConfig();
  if (config.AzureWebJobsStorage) {
    const connectionString = config.AzureWebJobsStorage;
    return { kind: 'connectionString', connectionString, cacheKey: `cs:${connectionString}` };
  }
  if (config.AzureWebJobsStorage__accountName) {
    const accountName = config.AzureWebJobsStorage__accountName;
    return { kind: 'identity', accountName, cacheKey: `id:${accountName}` };
  }
  throw new Error(
    'Storage is not configured; set AzureWebJobsStorage (a connection string) or ' +
      'AzureWebJobsStorage__accountName (managed identity).',
  );
}

let credential: DefaultAzureCredential | undefined;

/** One credential for every storage client, so tokens are cached once per process. */
export function getStorageCredential(): DefaultAzureCredential {
  credential ??= new DefaultAzureCredential();
  return credential;
}

export function storageServiceUrl(accountName: string, service: 'blob' | 'queue'): string {
  return `https://${accountName}.${service}.core.windows.net`;
}
