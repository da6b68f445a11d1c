import { CosmosClient, type Container, type Database } from '@azure/cosmos';
import { DefaultAzureCredential } from '@azure/identity';

import { getConfig } from '../config/config.js';

/**
 * Containers of the regional database. `data` holds every tenant-owned document, partitioned by
 * `/tenantId` and told apart by `type`. `directory` is the small global index (slug -> tenant),
 * partitioned by `/id`, holding no raw personal data.
 */
export const CONTAINERS = {
  data: { id: 'data', partitionKey: '/tenantId' },
  directory: { id: 'directory', partitionKey: '/id' },
} as const;

export type ContainerName = keyof typeof CONTAINERS;

let client: CosmosClient | undefined;

export function getCosmosClient(): CosmosClient {
  if (client) return client;
  const config = getConfig();
  client = new CosmosClient({
    endpoint: config.COSMOS_ENDPOINT,
    // Locally the embedded server takes any key; in Azure key auth is disabled.
    ...(config.COSMOS_KEY
      ? { key: config.COSMOS_KEY }
      : { aadCredentials: new DefaultAzureCredential() }),
    // NOTE: the embedded server advertises an https endpoint it does not serve; discovery off.
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  return client;
}

export function getDatabase(): Database {
  return getCosmosClient().database(getConfig().COSMOS_DATABASE);
}

export function getContainer(name: ContainerName): Container {
  return getDatabase().container(CONTAINERS[name].id);
}

/** Creates the database and containers when missing (local runtime and tests; Bicep in Azure). */
export async function ensureCosmosResources(): Promise<void> {
  const { database } = await getCosmosClient().databases.createIfNotExists({
    id: getConfig().COSMOS_DATABASE,
  });
  for (const spec of Object.values(CONTAINERS)) {
    await database.containers.createIfNotExists({
      id: spec.id,
      partitionKey: { paths: [spec.partitionKey] },
    });
  }
}

/** Drops the cached client so the next call picks up a new configuration (tests, local host). */
export function resetCosmosClient(): void {
  client?.dispose();
  client = undefined;
}
