/**
 * Infrastructure policy: the properties every stamp must keep, checked on the source text of
 * infra/ (through bicep-reader.ts), azure.yaml and the deploy workflow. `checkPolicies` takes
 * the files as a map of repository path to text, so tests can hand it a broken copy and see
 * that the matching rule fails.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

import {
  type BicepFile,
  type BicepModule,
  type BicepValue,
  boolOf,
  decorator,
  get,
  getRaw,
  numberOf,
  parseBicep,
  resourcesOfType,
  stringLiteralsIn,
  stringOf,
  toPlain,
} from './bicep-reader.js';

export interface Violation {
  rule: RuleId;
  file: string;
  message: string;
}

export type Sources = Map<string, string>;

export type Stamp = 'us' | 'eu' | 'au';

export const STAMPS: Stamp[] = ['us', 'eu', 'au'];

/** Every rule, with what it guards. Each one has a mutation test proving it can fail. */
export const RULES = {
  'bicep-parses': 'every .bicep and .bicepparam file can be read',
  'param-described': 'every param of every .bicep file has a @description',
  'module-commented': 'every module call has a comment line above it',
  'outputs-upper-snake': 'outputs are named like the env vars they feed (UPPER_SNAKE)',
  'no-hardcoded-location': 'resources take their region from parameters (or are global)',
  'no-keys-or-secrets':
    'no account keys, connection strings, SAS tokens, private keys or client secrets',
  'cosmos-account': 'the stamp and the directory each have a Cosmos DB account',
  'cosmos-two-regions': 'every Cosmos DB account spans at least two regions (priorities 0 and 1)',
  'cosmos-zone-redundancy': 'every Cosmos DB location states isZoneRedundant',
  'cosmos-service-managed-failover': 'service-managed failover is on',
  'cosmos-continuous-backup': 'continuous backup with 30-day point-in-time restore',
  'cosmos-session-consistency': 'Session consistency',
  'cosmos-key-auth-off': 'local (key) auth is disabled',
  'cosmos-tls12': 'Cosmos DB accepts TLS 1.2 and later only',
  'cosmos-single-write-region': 'one write region (the failover design assumes it)',
  'cosmos-partition-key': 'stamp containers are partitioned by /tenantId',
  'cosmos-data-plane-rbac': 'the apps reach Cosmos DB through data-plane role assignments',
  'directory-global': 'the directory lives only in the global account, partitioned by /id',
  'storage-account': 'the stamp has one storage account',
  'storage-geo-redundant-read-access': 'storage is RA-GRS or RA-GZRS',
  'storage-shared-key-off': 'shared-key access is disabled',
  'storage-tls12': 'storage accepts TLS 1.2 and later only',
  'storage-https-only': 'storage accepts HTTPS only',
  'storage-no-public-blobs': 'no anonymous blob access',
  'storage-queues': 'notification and calendar-sync queues and their poison queues exist',
  'storage-containers': 'backups and log-export containers exist',
  'storage-log-immutability':
    'log-export has a time-based immutability policy of at least 180 days',
  'storage-backup-lifecycle': 'lifecycle management deletes backups after 90 days',
  'keyvault-vault': 'the stamp has one Key Vault',
  'keyvault-rbac': 'Key Vault uses RBAC, not access policies',
  'keyvault-soft-delete': 'soft delete is on with a retention period',
  'keyvault-purge-protection': 'purge protection is on',
  'keyvault-wrap-key': 'RSA key tenant-data-wrap exists for wrapKey/unwrapKey',
  'keyvault-key-rotation': 'tenant-data-wrap has a rotation policy that rotates',
  'keyvault-secrets': 'password-pepper and token-signing-key are seeded and referenced by the apps',
  'function-app': 'the function app module exists',
  'function-https-only': 'function apps are HTTPS only',
  'function-tls12': 'function apps require TLS 1.2',
  'function-ftps-off': 'FTP(S) publishing is disabled',
  'function-system-identity': 'function apps have a system-assigned identity',
  'function-node22': 'function apps run Node 22',
  'function-front-door-only': 'function apps accept traffic from Front Door only',
  'function-hosting-plan': 'Flex Consumption or Elastic Premium, chosen per region by a parameter',
  'function-standby-in-secondary':
    'a primary app in the primary region and a standby app in the secondary region',
  'function-app-settings': 'both apps get every setting the app reads, identity-based',
  'frontdoor-waf':
    'Front Door Premium with an enabled WAF policy in Prevention mode, attached to the endpoint',
  'frontdoor-managed-rules':
    'the Microsoft default rule set (SQL injection, malformed requests) blocks',
  'frontdoor-auth-rate-limit': 'a rate-limit rule blocks floods on /api/auth/',
  'frontdoor-priority-routing':
    'health-probed (/api/health) priority routing from primary to standby',
  'frontdoor-https': 'Front Door redirects to HTTPS and forwards over HTTPS only',
  'frontdoor-edge-cache':
    'the edge caches the hashed /assets/* files and nothing else (API answers and pages are per tenant)',
  'monitoring-retention': 'Log Analytics keeps 30 days interactive and archives to 180 days',
  'monitoring-action-group': 'the action group can send email and SMS',
  'monitoring-app-insights': 'Application Insights exists',
  'monitoring-availability-test': 'a standard availability test calls /api/health',
  'monitoring-alerts': '5xx, function failure, backup and security alerts go to the action group',
  'stamp-files': 'a parameter file per stamp (us, eu, au) naming its own stamp',
  'stamp-geography': "each stamp's regions, replication pair and email data stay in its geography",
  'stamp-zones': 'no zone redundancy asked of a region without zones',
  'stamp-params': 'stamp files set every required param and nothing main.bicep lacks',
  'azd-entry': 'the azd entry (infra/main.bicepparam) matches the stamp files',
  workflow:
    'the workflow runs the policy tests, bicep build, what-if with OIDC, and deploys on dispatch',
} as const;

export type RuleId = keyof typeof RULES;

/** Azure region pairs: storage geo-replicas and Key Vault failover go to the pair. */
export const REGION_PAIR: Record<string, string> = {
  eastus: 'westus',
  westus: 'eastus',
  eastus2: 'centralus',
  centralus: 'eastus2',
  northcentralus: 'southcentralus',
  southcentralus: 'northcentralus',
  westus2: 'westcentralus',
  westcentralus: 'westus2',
  westus3: 'eastus',
  westeurope: 'northeurope',
  northeurope: 'westeurope',
  francecentral: 'francesouth',
  francesouth: 'francecentral',
  germanywestcentral: 'germanynorth',
  germanynorth: 'germanywestcentral',
  swedencentral: 'swedensouth',
  swedensouth: 'swedencentral',
  australiacentral: 'australiacentral2',
  australiacentral2: 'australiacentral',
  australiaeast: 'australiasoutheast',
  australiasoutheast: 'australiaeast',
};

/** Azure regions (programmatic names) inside each stamp's geography. EU means EU member states. */
export const GEOGRAPHY: Record<Stamp, string[]> = {
  us: [
    'eastus',
    'eastus2',
    'centralus',
    'northcentralus',
    'southcentralus',
    'westcentralus',
    'westus',
    'westus2',
    'westus3',
  ],
  eu: [
    'westeurope',
    'northeurope',
    'francecentral',
    'francesouth',
    'germanywestcentral',
    'germanynorth',
    'swedencentral',
    'swedensouth',
    'italynorth',
    'polandcentral',
    'spaincentral',
    'austriaeast',
    'belgiumcentral',
  ],
  au: ['australiacentral', 'australiacentral2', 'australiaeast', 'australiasoutheast'],
};

/** The primaries the product promises (issue 4): East US, West Europe, Canberra. */
export const EXPECTED_PRIMARY: Record<Stamp, string> = {
  us: 'eastus',
  eu: 'westeurope',
  au: 'australiacentral',
};

export const EMAIL_DATA_LOCATION: Record<Stamp, string> = {
  us: 'United States',
  eu: 'Europe',
  au: 'Australia',
};

/** Regions without availability zones: a zone-redundant flag there fails the deployment. */
export const REGIONS_WITHOUT_ZONES = new Set([
  'westus',
  'northcentralus',
  'westcentralus',
  'australiacentral',
  'australiacentral2',
  'australiasoutheast',
  'francesouth',
  'germanynorth',
  'swedensouth',
]);

/** Settings the app reads in Azure (shared/config/config.ts plus the infrastructure brief). */
export const REQUIRED_APP_SETTINGS = [
  'SLOTWISE_REGION',
  'COSMOS_ENDPOINT',
  'COSMOS_DATABASE',
  'AzureWebJobsStorage__accountName',
  'STORAGE_ACCOUNT_NAME',
  'KEY_VAULT_URI',
  'PUBLIC_BASE_URL',
  'EMAIL_ENDPOINT',
  'EMAIL_SENDER',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'PASSWORD_PEPPER',
  'TOKEN_SIGNING_KEY',
  'AzureWebJobsDisableHomepage',
];

export const REQUIRED_QUEUES = [
  'booking-notifications',
  'booking-notifications-poison',
  'calendar-sync',
  'calendar-sync-poison',
];

/** Text that would mean a key, connection string or client secret is in play. */
const FORBIDDEN_TEXT: { pattern: RegExp; why: string }[] = [
  { pattern: /listKeys\s*\(/i, why: 'reads account keys (listKeys)' },
  { pattern: /listConnectionStrings\s*\(/i, why: 'reads connection strings' },
  { pattern: /primaryMasterKey|primaryReadonlyMasterKey/i, why: 'uses a Cosmos DB key' },
  { pattern: /AccountKey=/i, why: 'contains a storage connection string' },
  { pattern: /SharedAccessSignature|[?&]sig=/i, why: 'contains a SAS token' },
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, why: 'contains a private key' },
  {
    pattern: /client-secret\s*:|AZURE_CLIENT_SECRET|creds\s*:/i,
    why: 'signs in with a client secret instead of OIDC',
  },
];

/** Files under these roots take part in the policy. */
export function loadSources(root: string): Sources {
  const sources: Sources = new Map();
  const add = (path: string) =>
    sources.set(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8'));
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(bicep|bicepparam|sh|mjs|json)$/.test(name)) add(path);
    }
  };
  walk(join(root, 'infra'));
  for (const extra of ['azure.yaml', '.github/workflows/deploy.yml']) {
    try {
      add(join(root, extra));
    } catch {
      // A missing file is reported by the rule that needs it.
    }
  }
  return sources;
}

/** Runs every rule; an empty list means the infrastructure keeps all its guarantees. */
export function checkPolicies(sources: Sources): Violation[] {
  const context = new Context(sources);
  const rules = [
    checkParsing,
    checkDescriptions,
    checkModuleComments,
    checkOutputs,
    checkLocations,
    checkForbiddenText,
    checkCosmos,
    checkDirectory,
    checkStorage,
    checkKeyVault,
    checkFunctionApps,
    checkFrontDoor,
    checkMonitoring,
    checkStamps,
    checkAzdEntry,
    checkWorkflow,
  ];
  for (const rule of rules) rule(context);
  return context.violations;
}

class Context {
  readonly violations: Violation[] = [];
  readonly parsed = new Map<string, BicepFile>();

  constructor(readonly sources: Sources) {
    for (const [path, text] of sources) {
      if (!/\.(bicep|bicepparam)$/.test(path)) continue;
      try {
        this.parsed.set(path, parseBicep(text, path));
      } catch (error) {
        this.report('bicep-parses', path, error instanceof Error ? error.message : String(error));
      }
    }
  }

  report(rule: RuleId, file: string, message: string): void {
    this.violations.push({ rule, file, message });
  }

  /** Asserts a condition; the message says what is missing and where. */
  require(condition: boolean, rule: RuleId, file: string, message: string): void {
    if (!condition) this.report(rule, file, message);
  }

  templates(): BicepFile[] {
    return [...this.parsed.values()].filter((file) => file.path.endsWith('.bicep'));
  }

  file(path: string): BicepFile | undefined {
    return this.parsed.get(path);
  }

  /** The template that must exist; reports its absence under `rule`. */
  need(path: string, rule: RuleId): BicepFile | undefined {
    const file = this.file(path);
    if (!file) this.report(rule, path, `${path} is missing or does not parse`);
    return file;
  }

  main(): BicepFile | undefined {
    return this.file('infra/main.bicep');
  }

  /** The module calls in main.bicep that use a given module file. */
  callsOf(modulePath: string): BicepModule[] {
    const main = this.main();
    if (!main) return [];
    return main.modules.filter((module) => `infra/${module.path}` === modulePath);
  }

  /**
   * The number a module parameter takes: the literal main.bicep passes to every call if it passes
   * one, else the parameter's literal default. Undefined when it cannot be told from the text.
   */
  effectiveNumber(modulePath: string, value: BicepValue | undefined): number | undefined {
    const literal = numberOf(value);
    if (literal !== undefined) return literal;
    const file = this.file(modulePath);
    const name = value?.kind === 'expr' ? value.text : undefined;
    const param = file?.params.find((candidate) => candidate.name === name);
    if (!param) return undefined;
    const passed = this.callsOf(modulePath).map((call) => get(call.value, `params.${param.name}`));
    if (passed.some((candidate) => candidate !== undefined)) {
      const numbers = passed.map((candidate) => numberOf(candidate));
      return numbers.every((candidate) => candidate !== undefined)
        ? Math.min(...(numbers as number[]))
        : undefined;
    }
    return numberOf(param.value);
  }
}

// --- general rules -------------------------------------------------------------------------------

function checkParsing(context: Context): void {
  for (const path of context.sources.keys()) {
    if (
      /\.(bicep|bicepparam)$/.test(path) &&
      !context.parsed.has(path) &&
      !context.violations.some((v) => v.file === path)
    ) {
      context.report('bicep-parses', path, 'could not be read');
    }
  }
}

function checkDescriptions(context: Context): void {
  for (const file of context.templates()) {
    for (const param of file.params) {
      const description = stringOf(decorator(param, 'description')?.args[0]);
      context.require(
        description !== undefined && description.trim().length > 0,
        'param-described',
        file.path,
        `param ${param.name} (line ${param.line}) has no @description`,
      );
    }
  }
}

function checkModuleComments(context: Context): void {
  for (const file of context.templates()) {
    for (const module of file.modules) {
      context.require(
        module.comments.length > 0,
        'module-commented',
        file.path,
        `module ${module.symbol} (line ${module.line}) has no comment line above it`,
      );
    }
  }
}

function checkOutputs(context: Context): void {
  for (const file of context.templates()) {
    for (const output of file.outputs) {
      context.require(
        /^[A-Z][A-Z0-9_]*$/.test(output.name),
        'outputs-upper-snake',
        file.path,
        `output ${output.name} is not named like an env var (UPPER_SNAKE)`,
      );
    }
  }
}

/** Regions come from parameters only, so a stamp can never be pinned to a foreign region. */
function checkLocations(context: Context): void {
  for (const file of context.templates()) {
    for (const resource of file.resources) {
      const location = get(resource.value, 'location');
      const literal = stringOf(location);
      if (literal !== undefined && !location?.text.includes('${')) {
        context.require(
          literal.toLowerCase() === 'global',
          'no-hardcoded-location',
          file.path,
          `${resource.symbol} is pinned to '${literal}'; take the region from a parameter`,
        );
      }
    }
  }
}

function checkForbiddenText(context: Context): void {
  for (const [path, text] of context.sources) {
    for (const { pattern, why } of FORBIDDEN_TEXT) {
      context.require(!pattern.test(text), 'no-keys-or-secrets', path, `${path} ${why}`);
    }
  }
}

// --- Cosmos DB ----------------------------------------------------------------------------------

const COSMOS_ACCOUNT = 'Microsoft.DocumentDB/databaseAccounts';
const COSMOS_CONTAINER = 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers';

function checkCosmosAccount(context: Context, file: BicepFile): void {
  const accounts = resourcesOfType(file, COSMOS_ACCOUNT);
  context.require(accounts.length > 0, 'cosmos-account', file.path, 'no Cosmos DB account');
  for (const account of accounts) {
    const where = `${file.path} (${account.symbol})`;
    const properties = get(account.value, 'properties');
    const locations = getRaw(properties, 'locations');
    let regionCount = 0;
    if (locations?.kind === 'array') {
      regionCount = new Set(locations.items.map((item) => get(item, 'locationName')?.text)).size;
      const priorities = locations.items.map((item) => numberOf(get(item, 'failoverPriority')));
      context.require(
        priorities.includes(0) && priorities.includes(1),
        'cosmos-two-regions',
        where,
        'locations need failover priorities 0 and 1',
      );
      for (const item of locations.items) {
        context.require(
          get(item, 'isZoneRedundant') !== undefined,
          'cosmos-zone-redundancy',
          where,
          'every location must state isZoneRedundant',
        );
      }
    } else if (locations?.kind === 'for') {
      const param = file.params.find((candidate) => candidate.name === locations.iterable);
      regionCount =
        numberOf(
          decorator(param ?? { decorators: [], comments: [], line: 0, text: '' }, 'minLength')
            ?.args[0],
        ) ?? 0;
      context.require(
        get(locations.body, 'isZoneRedundant') !== undefined,
        'cosmos-zone-redundancy',
        where,
        'every location must state isZoneRedundant',
      );
    }
    context.require(
      regionCount >= 2,
      'cosmos-two-regions',
      where,
      `needs at least two regions, found ${regionCount}`,
    );
    context.require(
      boolOf(get(properties, 'enableAutomaticFailover')) === true,
      'cosmos-service-managed-failover',
      where,
      'enableAutomaticFailover must be true',
    );
    context.require(
      stringOf(get(properties, 'backupPolicy.type')) === 'Continuous',
      'cosmos-continuous-backup',
      where,
      "backupPolicy.type must be 'Continuous'",
    );
    context.require(
      stringOf(get(properties, 'backupPolicy.continuousModeProperties.tier')) ===
        'Continuous30Days',
      'cosmos-continuous-backup',
      where,
      "backup tier must be 'Continuous30Days' (30-day point-in-time restore)",
    );
    context.require(
      stringOf(get(properties, 'consistencyPolicy.defaultConsistencyLevel')) === 'Session',
      'cosmos-session-consistency',
      where,
      'default consistency must be Session',
    );
    context.require(
      boolOf(get(properties, 'disableLocalAuth')) === true,
      'cosmos-key-auth-off',
      where,
      'disableLocalAuth must be true',
    );
    context.require(
      stringOf(get(properties, 'minimalTlsVersion')) === 'Tls12',
      'cosmos-tls12',
      where,
      "minimalTlsVersion must be 'Tls12'",
    );
    context.require(
      boolOf(get(properties, 'enableMultipleWriteLocations')) !== true,
      'cosmos-single-write-region',
      where,
      'multi-region writes are not part of the design',
    );
  }
}

function partitionKeys(container: { value: BicepValue }): string[] {
  const paths = get(container.value, 'properties.resource.partitionKey.paths');
  return paths?.kind === 'array' ? paths.items.map((item) => stringOf(item) ?? item.text) : [];
}

function checkCosmos(context: Context): void {
  const file = context.need('infra/modules/cosmos.bicep', 'cosmos-account');
  if (!file) return;
  checkCosmosAccount(context, file);
  const locations = get(resourcesOfType(file, COSMOS_ACCOUNT)[0]?.value, 'properties.locations');
  if (locations?.kind === 'array') {
    const names = locations.items.map((item) => get(item, 'locationName')?.text);
    context.require(
      names.includes('primaryLocation') && names.includes('secondaryLocation'),
      'cosmos-two-regions',
      file.path,
      'the stamp account must be in primaryLocation and secondaryLocation',
    );
  }
  const containers = resourcesOfType(file, COSMOS_CONTAINER);
  context.require(
    containers.some((container) => stringOf(get(container.value, 'name')) === 'data'),
    'cosmos-partition-key',
    file.path,
    "the stamp database needs the 'data' container",
  );
  for (const container of containers) {
    context.require(
      JSON.stringify(partitionKeys(container)) === JSON.stringify(['/tenantId']),
      'cosmos-partition-key',
      file.path,
      `container ${container.symbol} must be partitioned by /tenantId, found ${partitionKeys(container).join(', ') || 'none'}`,
    );
  }
  const access = context.file('infra/modules/app-access.bicep');
  context.require(
    !!access && resourcesOfType(access, `${COSMOS_ACCOUNT}/sqlRoleAssignments`).length > 0,
    'cosmos-data-plane-rbac',
    'infra/modules/app-access.bicep',
    'the apps need a Cosmos DB data-plane role assignment (keys are off)',
  );
}

function checkDirectory(context: Context): void {
  const file = context.need('infra/modules/global/directory.bicep', 'directory-global');
  if (!file) return;
  checkCosmosAccount(context, file);
  const containers = resourcesOfType(file, COSMOS_CONTAINER);
  const directory = containers.find(
    (container) => stringOf(get(container.value, 'name')) === 'directory',
  );
  context.require(
    !!directory,
    'directory-global',
    file.path,
    "the global account needs the 'directory' container",
  );
  if (directory) {
    context.require(
      JSON.stringify(partitionKeys(directory)) === JSON.stringify(['/id']),
      'directory-global',
      file.path,
      'the directory container is partitioned by /id',
    );
  }
  context.require(
    containers.length === 1,
    'directory-global',
    file.path,
    'the global account holds only the directory (no tenant data)',
  );
  const access = context.file('infra/modules/global/directory-access.bicep');
  context.require(
    !!access && resourcesOfType(access, `${COSMOS_ACCOUNT}/sqlRoleAssignments`).length > 0,
    'cosmos-data-plane-rbac',
    'infra/modules/global/directory-access.bicep',
    'the apps need a data-plane role assignment on the directory',
  );
  const stampCosmos = context.file('infra/modules/cosmos.bicep');
  if (stampCosmos) {
    context.require(
      !resourcesOfType(stampCosmos, COSMOS_CONTAINER).some(
        (container) => stringOf(get(container.value, 'name')) === 'directory',
      ),
      'directory-global',
      stampCosmos.path,
      'the directory belongs to the global part, not to a stamp',
    );
  }
}

// --- Storage ------------------------------------------------------------------------------------

function checkStorage(context: Context): void {
  const path = 'infra/modules/storage.bicep';
  const file = context.need(path, 'storage-account');
  if (!file) return;
  const accounts = resourcesOfType(file, 'Microsoft.Storage/storageAccounts');
  context.require(accounts.length === 1, 'storage-account', path, 'expected one storage account');
  for (const account of accounts) {
    const properties = get(account.value, 'properties');
    const skus = stringLiteralsIn(get(account.value, 'sku.name'));
    context.require(
      skus.length > 0 && skus.every((sku) => sku === 'Standard_RAGRS' || sku === 'Standard_RAGZRS'),
      'storage-geo-redundant-read-access',
      path,
      `sku must be Standard_RAGZRS or Standard_RAGRS, found ${skus.join(' / ') || get(account.value, 'sku.name')?.text}`,
    );
    context.require(
      boolOf(get(properties, 'allowSharedKeyAccess')) === false,
      'storage-shared-key-off',
      path,
      'allowSharedKeyAccess must be false',
    );
    context.require(
      stringOf(get(properties, 'minimumTlsVersion')) === 'TLS1_2',
      'storage-tls12',
      path,
      "minimumTlsVersion must be 'TLS1_2'",
    );
    context.require(
      boolOf(get(properties, 'supportsHttpsTrafficOnly')) === true,
      'storage-https-only',
      path,
      'supportsHttpsTrafficOnly must be true',
    );
    context.require(
      boolOf(get(properties, 'allowBlobPublicAccess')) === false,
      'storage-no-public-blobs',
      path,
      'allowBlobPublicAccess must be false',
    );
  }

  const queueNamesVar = file.vars.find((candidate) => candidate.name === 'queueNames');
  const queues = resourcesOfType(file, 'Microsoft.Storage/storageAccounts/queueServices/queues');
  const queueNames = new Set<string>();
  for (const queue of queues) {
    const value = queue.value;
    if (value.kind === 'for' && value.iterable === queueNamesVar?.name)
      stringLiteralsIn(queueNamesVar.value).forEach((name) => queueNames.add(name));
    const literal = stringOf(get(value, 'name'));
    if (literal) queueNames.add(literal);
  }
  for (const name of REQUIRED_QUEUES)
    context.require(queueNames.has(name), 'storage-queues', path, `queue ${name} is missing`);

  const containers = resourcesOfType(
    file,
    'Microsoft.Storage/storageAccounts/blobServices/containers',
  );
  const containerSymbol = (name: string) =>
    containers.find((container) => stringOf(get(container.value, 'name')) === name)?.symbol;
  for (const name of ['backups', 'log-export'])
    context.require(
      !!containerSymbol(name),
      'storage-containers',
      path,
      `blob container ${name} is missing`,
    );

  const immutability = resourcesOfType(
    file,
    'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies',
  ).find((policy) => get(policy.value, 'parent')?.text === containerSymbol('log-export'));
  const immutableDays = context.effectiveNumber(
    path,
    get(immutability?.value, 'properties.immutabilityPeriodSinceCreationInDays'),
  );
  context.require(
    !!immutability && immutableDays !== undefined && immutableDays >= 180,
    'storage-log-immutability',
    path,
    `log-export needs a time-based immutability policy of at least 180 days, found ${immutableDays ?? 'none'}`,
  );

  const rules = get(
    resourcesOfType(file, 'Microsoft.Storage/storageAccounts/managementPolicies')[0]?.value,
    'properties.policy.rules',
  );
  const backupRule =
    rules?.kind === 'array'
      ? rules.items.find((rule) =>
          stringLiteralsIn(get(rule, 'definition.filters.prefixMatch')).includes('backups/'),
        )
      : undefined;
  const deleteAfter = context.effectiveNumber(
    path,
    get(backupRule, 'definition.actions.baseBlob.delete.daysAfterModificationGreaterThan'),
  );
  context.require(
    deleteAfter === 90,
    'storage-backup-lifecycle',
    path,
    `backups must be deleted after 90 days by lifecycle management, found ${deleteAfter ?? 'no rule'}`,
  );
}

// --- Key Vault ----------------------------------------------------------------------------------

function checkKeyVault(context: Context): void {
  const path = 'infra/modules/key-vault.bicep';
  const file = context.need(path, 'keyvault-vault');
  if (!file) return;
  const vaults = resourcesOfType(file, 'Microsoft.KeyVault/vaults');
  context.require(vaults.length === 1, 'keyvault-vault', path, 'expected one Key Vault');
  for (const vault of vaults) {
    const properties = get(vault.value, 'properties');
    context.require(
      boolOf(get(properties, 'enableRbacAuthorization')) === true,
      'keyvault-rbac',
      path,
      'enableRbacAuthorization must be true',
    );
    context.require(
      boolOf(get(properties, 'enableSoftDelete')) === true,
      'keyvault-soft-delete',
      path,
      'enableSoftDelete must be true',
    );
    context.require(
      (numberOf(get(properties, 'softDeleteRetentionInDays')) ?? 0) >= 7,
      'keyvault-soft-delete',
      path,
      'softDeleteRetentionInDays must be set (7-90)',
    );
    context.require(
      boolOf(get(properties, 'enablePurgeProtection')) === true,
      'keyvault-purge-protection',
      path,
      'enablePurgeProtection must be true',
    );
    context.require(
      get(properties, 'accessPolicies') === undefined,
      'keyvault-rbac',
      path,
      'access policies are not used; RBAC only',
    );
  }
  const key = resourcesOfType(file, 'Microsoft.KeyVault/vaults/keys').find(
    (candidate) => stringOf(get(candidate.value, 'name')) === 'tenant-data-wrap',
  );
  context.require(!!key, 'keyvault-wrap-key', path, "RSA key 'tenant-data-wrap' is missing");
  if (key) {
    const kty = stringOf(get(key.value, 'properties.kty'));
    context.require(
      kty === 'RSA' || kty === 'RSA-HSM',
      'keyvault-wrap-key',
      path,
      `tenant-data-wrap must be an RSA key, found ${kty}`,
    );
    const ops = stringLiteralsIn(get(key.value, 'properties.keyOps'));
    context.require(
      ops.includes('wrapKey') && ops.includes('unwrapKey'),
      'keyvault-wrap-key',
      path,
      'tenant-data-wrap must allow wrapKey and unwrapKey',
    );
    const actions = get(key.value, 'properties.rotationPolicy.lifetimeActions');
    const rotates =
      actions?.kind === 'array' &&
      actions.items.some(
        (action) => stringOf(get(action, 'action.type'))?.toLowerCase() === 'rotate',
      );
    context.require(
      rotates,
      'keyvault-key-rotation',
      path,
      'tenant-data-wrap needs a rotation policy with a rotate action',
    );
  }

  const seed = context.sources.get('infra/scripts/seed-secrets.sh') ?? '';
  for (const secret of ['password-pepper', 'token-signing-key']) {
    context.require(
      seed.includes(secret),
      'keyvault-secrets',
      'infra/scripts/seed-secrets.sh',
      `seed-secrets.sh does not create ${secret}`,
    );
    context.require(
      (context.sources.get('infra/main.bicep') ?? '').includes(`SecretName=${secret}`),
      'keyvault-secrets',
      'infra/main.bicep',
      `the apps do not reference ${secret}`,
    );
  }
  context.require(
    /postprovision:[\s\S]*seed-secrets\.sh/.test(context.sources.get('azure.yaml') ?? ''),
    'keyvault-secrets',
    'azure.yaml',
    'azd must run seed-secrets.sh after provisioning',
  );
  context.require(
    (context.sources.get('.github/workflows/deploy.yml') ?? '').includes('seed-secrets.sh'),
    'keyvault-secrets',
    '.github/workflows/deploy.yml',
    'the deploy job must run seed-secrets.sh',
  );
}

// --- Function apps ------------------------------------------------------------------------------

function checkFunctionApps(context: Context): void {
  const path = 'infra/modules/function-app.bicep';
  const file = context.need(path, 'function-app');
  if (!file) return;
  const sites = resourcesOfType(file, 'Microsoft.Web/sites');
  context.require(sites.length > 0, 'function-app', path, 'no Microsoft.Web/sites resource');
  for (const site of sites) {
    const where = `${path} (${site.symbol})`;
    const properties = get(site.value, 'properties');
    context.require(
      boolOf(get(properties, 'httpsOnly')) === true,
      'function-https-only',
      where,
      'httpsOnly must be true',
    );
    context.require(
      stringOf(get(properties, 'siteConfig.minTlsVersion')) === '1.2',
      'function-tls12',
      where,
      "siteConfig.minTlsVersion must be '1.2'",
    );
    context.require(
      stringOf(get(properties, 'siteConfig.ftpsState')) === 'Disabled',
      'function-ftps-off',
      where,
      "siteConfig.ftpsState must be 'Disabled'",
    );
    context.require(
      stringOf(get(site.value, 'identity.type'))?.includes('SystemAssigned') === true,
      'function-system-identity',
      where,
      'identity.type must include SystemAssigned',
    );
    const flexRuntime = get(properties, 'functionAppConfig.runtime');
    if (flexRuntime) {
      context.require(
        stringOf(get(flexRuntime, 'name')) === 'node' &&
          stringOf(get(flexRuntime, 'version')) === '22',
        'function-node22',
        where,
        'Flex Consumption runtime must be node 22',
      );
    } else {
      context.require(
        stringOf(get(properties, 'siteConfig.linuxFxVersion')) === 'Node|22',
        'function-node22',
        where,
        "linuxFxVersion must be 'Node|22'",
      );
    }
    context.require(
      get(properties, 'siteConfig.ipSecurityRestrictions') !== undefined,
      'function-front-door-only',
      where,
      'inbound traffic must be limited to Front Door',
    );
  }
  const plans = resourcesOfType(file, 'Microsoft.Web/serverfarms').map((plan) =>
    stringOf(get(plan.value, 'sku.tier')),
  );
  context.require(
    plans.includes('FlexConsumption') && plans.includes('ElasticPremium'),
    'function-hosting-plan',
    path,
    'both a Flex Consumption and an Elastic Premium plan must be available',
  );
  const hostingPlan = file.params.find((param) => param.name === 'hostingPlan');
  const allowed = stringLiteralsIn(
    decorator(hostingPlan ?? { decorators: [], comments: [], line: 0, text: '' }, 'allowed')
      ?.args[0],
  );
  context.require(
    allowed.includes('FlexConsumption') && allowed.includes('ElasticPremium'),
    'function-hosting-plan',
    path,
    'param hostingPlan must choose between FlexConsumption and ElasticPremium',
  );

  const main = context.main();
  if (!main) return;
  const calls = context.callsOf(path);
  const primary = calls.find(
    (call) => get(call.value, 'params.location')?.text === 'primaryLocation',
  );
  const standby = calls.find(
    (call) => get(call.value, 'params.location')?.text === 'secondaryLocation',
  );
  context.require(
    !!primary,
    'function-standby-in-secondary',
    main.path,
    'no function app in primaryLocation',
  );
  context.require(
    !!standby && stringOf(get(standby.value, 'params.role')) === 'standby',
    'function-standby-in-secondary',
    main.path,
    'the standby function app must be in secondaryLocation',
  );
  context.require(
    get(primary?.value, 'params.hostingPlan')?.text === 'primaryHostingPlan' &&
      get(standby?.value, 'params.hostingPlan')?.text === 'secondaryHostingPlan',
    'function-hosting-plan',
    main.path,
    'each app takes its hosting plan from the stamp parameters',
  );

  const shared = toPlain(
    main.vars.find((candidate) => candidate.name === 'sharedSettings')?.value,
  ) as Record<string, unknown> | undefined;
  const perApp = calls.map((call) => {
    const settings = get(call.value, 'params.appSettings');
    const extra =
      settings?.kind === 'expr'
        ? (/union\(\s*sharedSettings\s*,(?:\s*\w+\s*,)*\s*(\{[\s\S]*\})\s*\)$/.exec(
            settings.text,
          )?.[1] ?? '')
        : '';
    return new Set([
      ...Object.keys(shared ?? {}),
      ...[...extra.matchAll(/^\s*([A-Za-z_][\w]*)\s*:/gm)].map((match) => match[1] ?? ''),
    ]);
  });
  for (const name of REQUIRED_APP_SETTINGS) {
    context.require(
      perApp.length >= 2 && perApp.every((settings) => settings.has(name)),
      'function-app-settings',
      main.path,
      `app setting ${name} is not given to both apps`,
    );
  }
  context.require(
    !Object.keys(shared ?? {}).includes('AzureWebJobsStorage'),
    'function-app-settings',
    main.path,
    'AzureWebJobsStorage must be identity-based (__accountName), not a connection string',
  );
}

// --- Front Door -------------------------------------------------------------------------------

function checkFrontDoor(context: Context): void {
  const path = 'infra/modules/global/front-door.bicep';
  const file = context.need(path, 'frontdoor-waf');
  if (!file) return;
  const profile = resourcesOfType(file, 'Microsoft.Cdn/profiles')[0];
  context.require(
    stringOf(get(profile?.value, 'sku.name')) === 'Premium_AzureFrontDoor',
    'frontdoor-waf',
    path,
    'managed WAF rule sets need Front Door Premium',
  );
  const waf = resourcesOfType(file, 'Microsoft.Network/FrontDoorWebApplicationFirewallPolicies')[0];
  context.require(!!waf, 'frontdoor-waf', path, 'no WAF policy');
  const policy = get(waf?.value, 'properties');
  context.require(
    stringOf(get(policy, 'policySettings.mode')) === 'Prevention',
    'frontdoor-waf',
    path,
    'the WAF must block (mode Prevention)',
  );
  context.require(
    stringOf(get(policy, 'policySettings.enabledState')) === 'Enabled',
    'frontdoor-waf',
    path,
    'the WAF must be enabled',
  );
  const sets = get(policy, 'managedRules.managedRuleSets');
  const defaultSet =
    sets?.kind === 'array'
      ? sets.items.find((set) => stringOf(get(set, 'ruleSetType')) === 'Microsoft_DefaultRuleSet')
      : undefined;
  context.require(
    !!defaultSet && stringOf(get(defaultSet, 'ruleSetAction')) === 'Block',
    'frontdoor-managed-rules',
    path,
    'the Microsoft default rule set (SQL injection, protocol enforcement) must be on and blocking',
  );
  const rules = get(policy, 'customRules.rules');
  const rateLimit =
    rules?.kind === 'array'
      ? rules.items.find(
          (rule) =>
            stringOf(get(rule, 'ruleType')) === 'RateLimitRule' &&
            stringLiteralsIn(get(rule, 'matchConditions')).includes('/api/auth/'),
        )
      : undefined;
  context.require(
    !!rateLimit && stringOf(get(rateLimit, 'action')) === 'Block',
    'frontdoor-auth-rate-limit',
    path,
    'a blocking rate-limit rule must cover /api/auth/',
  );

  const routingPath = 'infra/modules/global/front-door-routing.bicep';
  const routing = context.need(routingPath, 'frontdoor-priority-routing');
  if (!routing) return;
  const group = resourcesOfType(routing, 'Microsoft.Cdn/profiles/originGroups')[0];
  context.require(
    stringOf(get(group?.value, 'properties.healthProbeSettings.probePath')) === '/api/health',
    'frontdoor-priority-routing',
    routingPath,
    'the health probe must call /api/health',
  );
  const origins = resourcesOfType(routing, 'Microsoft.Cdn/profiles/originGroups/origins');
  const priorities = origins.map((origin) => numberOf(get(origin.value, 'properties.priority')));
  context.require(
    origins.length === 2 && priorities.includes(1) && priorities.includes(2),
    'frontdoor-priority-routing',
    routingPath,
    'primary (priority 1) and standby (priority 2) origins are required',
  );
  const routes = resourcesOfType(routing, 'Microsoft.Cdn/profiles/afdEndpoints/routes');
  context.require(
    routes.length > 0 &&
      routes.every((route) => stringOf(get(route.value, 'properties.httpsRedirect')) === 'Enabled'),
    'frontdoor-https',
    routingPath,
    'HTTP must redirect to HTTPS',
  );
  context.require(
    routes.length > 0 &&
      routes.every(
        (route) => stringOf(get(route.value, 'properties.forwardingProtocol')) === 'HttpsOnly',
      ),
    'frontdoor-https',
    routingPath,
    'Front Door must reach the apps over HTTPS only',
  );
  const patternsOf = (route: (typeof routes)[number]) =>
    stringLiteralsIn(get(route.value, 'properties.patternsToMatch'));
  const caching = routes.filter((route) => get(route.value, 'properties.cacheConfiguration'));
  context.require(
    caching.some((route) => patternsOf(route).includes('/assets/*')),
    'frontdoor-edge-cache',
    routingPath,
    'a route for /assets/* must cache at the edge',
  );
  context.require(
    caching.every((route) => patternsOf(route).every((pattern) => pattern.startsWith('/assets/'))),
    'frontdoor-edge-cache',
    routingPath,
    'only /assets/* may be cached at the edge; API answers and pages must not be',
  );
  context.require(
    resourcesOfType(routing, 'Microsoft.Cdn/profiles/securityPolicies').length > 0,
    'frontdoor-waf',
    routingPath,
    'the WAF policy must be attached to the endpoint',
  );
}

// --- Monitoring ---------------------------------------------------------------------------------

function checkMonitoring(context: Context): void {
  const path = 'infra/modules/monitoring.bicep';
  const file = context.need(path, 'monitoring-retention');
  if (!file) return;
  const workspace = resourcesOfType(file, 'Microsoft.OperationalInsights/workspaces')[0];
  const interactive = context.effectiveNumber(
    path,
    get(workspace?.value, 'properties.retentionInDays'),
  );
  context.require(
    interactive === 30,
    'monitoring-retention',
    path,
    `interactive retention must be 30 days, found ${interactive}`,
  );
  const table = resourcesOfType(file, 'Microsoft.OperationalInsights/workspaces/tables')[0];
  const total = context.effectiveNumber(path, get(table?.value, 'properties.totalRetentionInDays'));
  context.require(
    total !== undefined && total >= 180,
    'monitoring-retention',
    path,
    `logs must be archived to 180 days, found ${total}`,
  );
  const group = resourcesOfType(file, 'Microsoft.Insights/actionGroups')[0];
  for (const receivers of ['emailReceivers', 'smsReceivers']) {
    context.require(
      get(group?.value, `properties.${receivers}`) !== undefined,
      'monitoring-action-group',
      path,
      `the action group needs ${receivers}`,
    );
  }
  context.require(
    !!resourcesOfType(file, 'Microsoft.Insights/components')[0],
    'monitoring-app-insights',
    path,
    'Application Insights is missing',
  );

  const alertsPath = 'infra/modules/alerts.bicep';
  const alerts = context.need(alertsPath, 'monitoring-alerts');
  if (!alerts) return;
  const test = resourcesOfType(alerts, 'Microsoft.Insights/webtests')[0];
  context.require(
    stringOf(get(test?.value, 'kind')) === 'standard',
    'monitoring-availability-test',
    alertsPath,
    'a standard availability test is required',
  );
  const main = context.main();
  const urls = context
    .callsOf(alertsPath)
    .map((call) => get(call.value, 'params.healthCheckUrl')?.text ?? '');
  context.require(
    urls.length > 0 && urls.every((url) => url.includes('/api/health')),
    'monitoring-availability-test',
    main?.path ?? 'infra/main.bicep',
    'the availability test must call /api/health',
  );

  const rules = resourcesOfType(alerts, 'Microsoft.Insights/scheduledQueryRules');
  for (const topic of ['5xx-rate', 'function-failures', 'backup-failed', 'security-events']) {
    const rule = rules.find((candidate) => stringOf(get(candidate.value, 'name'))?.endsWith(topic));
    context.require(!!rule, 'monitoring-alerts', alertsPath, `alert rule ${topic} is missing`);
    context.require(
      get(rule?.value, 'properties.actions.actionGroups')?.text.includes('actionGroupId') === true,
      'monitoring-alerts',
      alertsPath,
      `alert rule ${topic} must notify the action group`,
    );
  }
}

// --- Stamps -------------------------------------------------------------------------------------

const STAMP_SPECIFIC = [
  'primaryLocation',
  'secondaryLocation',
  'primaryZoneRedundant',
  'secondaryZoneRedundant',
  'primaryHostingPlan',
  'secondaryHostingPlan',
  'emailDataLocation',
  'availabilityTestLocations',
];

function stampValues(file: BicepFile): Record<string, unknown> {
  return Object.fromEntries(file.params.map((param) => [param.name, toPlain(param.value)]));
}

function checkStamps(context: Context): void {
  const main = context.main();
  for (const stamp of STAMPS) {
    const path = `infra/stamps/${stamp}.bicepparam`;
    const file = context.need(path, 'stamp-files');
    if (!file) continue;
    const values = stampValues(file);
    context.require(
      file.using === '../main.bicep',
      'stamp-files',
      path,
      "must start with using '../main.bicep'",
    );
    context.require(values.stamp === stamp, 'stamp-files', path, `param stamp must be '${stamp}'`);
    const primary = values.primaryLocation;
    const secondary = values.secondaryLocation;
    for (const [name, region] of [
      ['primaryLocation', primary],
      ['secondaryLocation', secondary],
    ] as const) {
      context.require(
        typeof region === 'string' && GEOGRAPHY[stamp].includes(region),
        'stamp-geography',
        path,
        `${name} '${String(region)}' is outside the ${stamp} geography (${GEOGRAPHY[stamp].join(', ')})`,
      );
    }
    context.require(
      primary === EXPECTED_PRIMARY[stamp],
      'stamp-geography',
      path,
      `the ${stamp} stamp's primary region is ${EXPECTED_PRIMARY[stamp]}`,
    );
    context.require(
      primary !== secondary,
      'stamp-geography',
      path,
      'primary and secondary regions must differ',
    );
    const pair = typeof primary === 'string' ? REGION_PAIR[primary] : undefined;
    context.require(
      pair !== undefined && GEOGRAPHY[stamp].includes(pair),
      'stamp-geography',
      path,
      `storage and Key Vault replicate ${String(primary)} to its pair (${pair ?? 'unknown'}), which must be in the ${stamp} geography`,
    );
    context.require(
      values.emailDataLocation === EMAIL_DATA_LOCATION[stamp],
      'stamp-geography',
      path,
      `emailDataLocation must be '${EMAIL_DATA_LOCATION[stamp]}'`,
    );
    for (const role of ['primary', 'secondary'] as const) {
      const region = values[`${role}Location`];
      if (typeof region === 'string' && REGIONS_WITHOUT_ZONES.has(region)) {
        context.require(
          values[`${role}ZoneRedundant`] === false,
          'stamp-zones',
          path,
          `${region} has no availability zones; ${role}ZoneRedundant must be false`,
        );
      }
    }
    for (const name of Object.keys(values)) {
      context.require(
        !!main?.params.some((param) => param.name === name),
        'stamp-params',
        path,
        `param ${name} does not exist in main.bicep`,
      );
    }
    for (const param of main?.params ?? []) {
      if (param.value === undefined)
        context.require(
          param.name in values,
          'stamp-params',
          path,
          `required param ${param.name} is not set`,
        );
    }
    for (const name of ['directoryLocations', 'globalLocation']) {
      context.require(
        !(name in values),
        'stamp-params',
        path,
        `${name} belongs to the global part and must be the same for every stamp`,
      );
    }
  }
}

function checkAzdEntry(context: Context): void {
  const path = 'infra/main.bicepparam';
  const file = context.need(path, 'azd-entry');
  if (!file) return;
  const catalog = toPlain(file.vars.find((candidate) => candidate.name === 'stamps')?.value) as
    Record<string, Record<string, unknown>> | undefined;
  for (const stamp of STAMPS) {
    const stampFile = context.file(`infra/stamps/${stamp}.bicepparam`);
    if (!stampFile) continue;
    const expected = stampValues(stampFile);
    for (const name of STAMP_SPECIFIC) {
      context.require(
        JSON.stringify(catalog?.[stamp]?.[name]) === JSON.stringify(expected[name]),
        'azd-entry',
        path,
        `${stamp}.${name} is ${JSON.stringify(catalog?.[stamp]?.[name])} here but ${JSON.stringify(expected[name])} in infra/stamps/${stamp}.bicepparam`,
      );
      const param = file.params.find((candidate) => candidate.name === name);
      context.require(
        param?.value?.text === `selected.${name}`,
        'azd-entry',
        path,
        `param ${name} must come from the selected stamp`,
      );
    }
  }
  const yaml = context.sources.get('azure.yaml') ?? '';
  context.require(
    /provider:\s*bicep/.test(yaml) && /path:\s*infra\b/.test(yaml) && /module:\s*main\b/.test(yaml),
    'azd-entry',
    'azure.yaml',
    'azure.yaml must provision infra/main.bicep',
  );
}

function checkWorkflow(context: Context): void {
  const path = '.github/workflows/deploy.yml';
  const text = context.sources.get(path);
  context.require(text !== undefined, 'workflow', path, 'the deploy workflow is missing');
  if (text === undefined) return;
  context.require(
    /az bicep build(?!-params)\b/.test(text),
    'workflow',
    path,
    'must run az bicep build',
  );
  context.require(
    /az bicep build-params\b/.test(text),
    'workflow',
    path,
    'must build the parameter files',
  );
  context.require(
    /az deployment sub what-if\b/.test(text),
    'workflow',
    path,
    'must run az deployment sub what-if',
  );
  context.require(
    /id-token:\s*write/.test(text) && /azure\/login@/.test(text),
    'workflow',
    path,
    'must sign in to Azure with OIDC (id-token: write, azure/login)',
  );
  context.require(
    /vitest run test\/infra/.test(text),
    'workflow',
    path,
    'must run the policy tests',
  );
  context.require(
    /workflow_dispatch:/.test(text) && /az deployment sub create\b/.test(text),
    'workflow',
    path,
    'must deploy on manual dispatch',
  );
}
