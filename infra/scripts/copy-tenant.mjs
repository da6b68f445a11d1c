#!/usr/bin/env node
// Restores one tenant: copies every document of one tenant (one /tenantId partition of the
// `data` container) from a point-in-time restored Cosmos DB account into the live account,
// leaving every other tenant untouched. See docs/runbooks/point-in-time-restore.md.
//
//   node infra/scripts/copy-tenant.mjs --source-endpoint <restored> --target-endpoint <live> \
//     --tenant <tenantId> [--database slotwise] [--container data] [--prune] [--apply]
//
// Without --apply it only reads both sides and prints the plan (counts by document type).
// With --container directory (and the global directory accounts as endpoints) it restores the
// tenant's slug entries instead; that container is partitioned by /id.
// --prune also deletes live documents of the tenant that did not exist at the restore time.
// It signs in with DefaultAzureCredential (az login); the signed-in principal needs a Cosmos DB
// data-plane role on both accounts. It writes no document content to disk or to the console.
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const SYSTEM_PROPERTIES = ['_rid', '_self', '_etag', '_attachments', '_ts', '_lsn'];

const USAGE =
  'Usage: node infra/scripts/copy-tenant.mjs --source-endpoint <url> --target-endpoint <url> --tenant <id> [--database slotwise] [--container data] [--prune] [--apply]';

/** Parses command-line arguments; throws with the usage line when one is missing or unknown. */
export function parseArgs(argv) {
  const options = { database: 'slotwise', container: 'data', prune: false, apply: false };
  const valued = {
    '--source-endpoint': 'sourceEndpoint',
    '--target-endpoint': 'targetEndpoint',
    '--tenant': 'tenantId',
    '--database': 'database',
    '--container': 'container',
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--prune' || arg === '--apply') {
      options[arg.slice(2)] = true;
    } else if (arg in valued) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--'))
        throw new Error(`${arg} needs a value. ${USAGE}`);
      options[valued[arg]] = value;
      i += 1;
    } else {
      throw new Error(`Unknown argument ${arg}. ${USAGE}`);
    }
  }
  for (const required of ['sourceEndpoint', 'targetEndpoint', 'tenantId']) {
    if (!options[required]) throw new Error(`Missing ${required}. ${USAGE}`);
  }
  if (normalizeEndpoint(options.sourceEndpoint) === normalizeEndpoint(options.targetEndpoint)) {
    throw new Error(
      'The source (restored) and target (live) endpoints are the same account; restore to a new account first.',
    );
  }
  return options;
}

function normalizeEndpoint(endpoint) {
  return endpoint
    .toLowerCase()
    .replace(/:443\/?$/, '')
    .replace(/\/+$/, '');
}

/** Returns a copy of a document without the properties Cosmos DB manages itself. */
export function stripSystemProperties(document) {
  const copy = { ...document };
  for (const name of SYSTEM_PROPERTIES) delete copy[name];
  return copy;
}

/** A stable hash of a document's own content (system properties excluded, keys sorted). */
export function contentHash(document) {
  return createHash('sha256')
    .update(stableStringify(stripSystemProperties(document)))
    .digest('hex');
}

function stableStringify(value) {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stableStringify(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Works out what the copy changes. Refuses documents of another tenant: the restored account
 * holds every tenant, and only this one may be written.
 */
export function planCopy(sourceDocuments, targetDocuments, tenantId, { prune = false } = {}) {
  for (const document of [...sourceDocuments, ...targetDocuments]) {
    if (document.tenantId !== tenantId) {
      throw new Error(
        `Document ${document.id} belongs to another tenant; the copy only handles tenant ${tenantId}.`,
      );
    }
  }
  const targetById = new Map(targetDocuments.map((document) => [document.id, document]));
  const sourceIds = new Set(sourceDocuments.map((document) => document.id));
  const upserts = [];
  let unchanged = 0;
  for (const document of sourceDocuments) {
    const live = targetById.get(document.id);
    if (live && contentHash(live) === contentHash(document)) unchanged += 1;
    else upserts.push(stripSystemProperties(document));
  }
  const deletes = prune ? targetDocuments.filter((document) => !sourceIds.has(document.id)) : [];
  const extraInTarget = targetDocuments.filter((document) => !sourceIds.has(document.id)).length;
  return {
    upserts,
    deletes: deletes.map((document) => document.id),
    unchanged,
    extraInTarget,
    upsertsByType: countByType(upserts),
    deletesByType: countByType(deletes),
  };
}

function countByType(documents) {
  const counts = {};
  for (const document of documents) {
    const type = typeof document.type === 'string' ? document.type : '(no type)';
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

/** The partition key value of a document: tenant data by /tenantId, the directory by /id. */
export function partitionKeyOf(containerName, document) {
  return containerName === 'directory' ? document.id : document.tenantId;
}

async function readTenant(container, containerName, tenantId) {
  const query = {
    query: 'SELECT * FROM c WHERE c.tenantId = @tenantId',
    parameters: [{ name: '@tenantId', value: tenantId }],
  };
  // Tenant data is one partition; directory entries of a tenant are spread over partitions.
  const options = containerName === 'directory' ? {} : { partitionKey: tenantId };
  const { resources } = await container.items.query(query, options).fetchAll();
  return resources;
}

async function runLimited(items, limit, work) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await work(item);
    }
  });
  await Promise.all(workers);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const [{ CosmosClient }, { DefaultAzureCredential }] = await Promise.all([
    import('@azure/cosmos'),
    import('@azure/identity'),
  ]);
  const credential = new DefaultAzureCredential();
  const open = (endpoint) =>
    new CosmosClient({ endpoint, aadCredentials: credential })
      .database(options.database)
      .container(options.container);
  const source = open(options.sourceEndpoint);
  const target = open(options.targetEndpoint);

  const [sourceDocuments, targetDocuments] = await Promise.all([
    readTenant(source, options.container, options.tenantId),
    readTenant(target, options.container, options.tenantId),
  ]);
  if (sourceDocuments.length === 0) {
    throw new Error(
      `The restored account has no documents for tenant ${options.tenantId}; check the tenant id and the restore time.`,
    );
  }
  const plan = planCopy(sourceDocuments, targetDocuments, options.tenantId, {
    prune: options.prune,
  });
  console.log(
    JSON.stringify(
      {
        tenantId: options.tenantId,
        restoredDocuments: sourceDocuments.length,
        liveDocuments: targetDocuments.length,
        unchanged: plan.unchanged,
        toUpsert: plan.upserts.length,
        upsertsByType: plan.upsertsByType,
        toDelete: plan.deletes.length,
        deletesByType: plan.deletesByType,
        liveOnlyDocuments: plan.extraInTarget,
      },
      null,
      2,
    ),
  );

  if (!options.apply) {
    console.log('Dry run: nothing written. Run again with --apply to copy.');
    return;
  }

  console.log(`Copy starts at ${new Date().toISOString()} (use this time to roll back).`);
  await runLimited(plan.upserts, 8, (document) => target.items.upsert(document));
  const liveById = new Map(targetDocuments.map((document) => [document.id, document]));
  await runLimited(plan.deletes, 8, (id) =>
    target.item(id, partitionKeyOf(options.container, liveById.get(id))).delete(),
  );

  const after = await readTenant(target, options.container, options.tenantId);
  const afterById = new Map(after.map((document) => [document.id, contentHash(document)]));
  const mismatched = sourceDocuments.filter(
    (document) => afterById.get(document.id) !== contentHash(document),
  );
  console.log(
    JSON.stringify(
      {
        verifiedDocuments: sourceDocuments.length - mismatched.length,
        mismatched: mismatched.length,
        liveDocumentsNow: after.length,
      },
      null,
      2,
    ),
  );
  if (mismatched.length > 0) {
    process.exitCode = 1;
    console.error(
      'Some documents differ from the restored copy (changed during the copy?); run again.',
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
