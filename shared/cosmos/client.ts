import { CosmosClient, type Container } from '@azure/cosmos';
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
let directoryClient: CosmosClient | undefined;

function connect(endpoint: string): CosmosClient {
  const config = getConfig();
  // Only the embedded server uses a key (any key works); in Azure key auth is disabled and the
  // app's managed identity is used instead.
  const local = config.COSMOS_KEY !== undefined;
  return new CosmosClient({
    endpoint,
    ...(local ? { key: config.COSMOS_KEY } : { aadCredentials: new DefaultAzureCredential() }),
    // NOTE: the embedded server advertises an https endpoint it does not serve, so discovery is
    // off there; in Azure it stays on so the SDK follows a regional failover by itself.
    connectionPolicy: { enableEndpointDiscovery: !local },
  });
}

export function getCosmosClient(): CosmosClient {
  client ??= connect(getConfig().COSMOS_ENDPOINT);
  return client;
}

function getDirectoryClient(): CosmosClient {
  const endpoint = getConfig().DIRECTORY_COSMOS_ENDPOINT;
  if (!endpoint) return getCosmosClient();
  directoryClient ??= connect(endpoint);
  return directoryClient;
}

export function getContainer(name: ContainerName): Container {
  const owner = name === 'directory' ? getDirectoryClient() : getCosmosClient();
  return owner.database(getConfig().COSMOS_DATABASE).container(CONTAINERS[name].id);
}

/**
 * Creates the database and containers when missing. Local runtime and tests only: in Azure,
 * Bicep owns databases and containers and key-based metadata writes are disabled.
 */
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
  directoryClient?.dispose();
  client = undefined;
  directoryClient = undefined;
}
