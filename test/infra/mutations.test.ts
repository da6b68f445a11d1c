/**
 * Proves the policy can fail: each case breaks one guarded property in an in-memory copy of the
 * real files and expects the matching rule to report it. A case whose target text no longer
 * exists fails too, so the cases cannot silently go stale when the templates change.
 */
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { checkPolicies, loadSources, type RuleId, RULES, type Sources } from './policy.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const sources = loadSources(ROOT);

interface Mutation {
  rule: RuleId;
  /** What the broken copy lost, in words. */
  breaks: string;
  file: string;
  find: string;
  replace: string;
  /** Replace every occurrence instead of the first. */
  all?: boolean;
}

const MUTATIONS: Mutation[] = [
  // General rules.
  {
    rule: 'bicep-parses',
    breaks: 'a brace no longer balances',
    file: 'infra/modules/cosmos.bicep',
    find: '    consistencyPolicy: {\n',
    replace: '    consistencyPolicy: {{\n',
  },
  {
    rule: 'param-described',
    breaks: 'a module parameter loses its description',
    file: 'infra/modules/storage.bicep',
    find: "@description('Days a daily backup is kept in the backups container before lifecycle management deletes it.')\n",
    replace: '',
  },
  {
    rule: 'param-described',
    breaks: 'a main parameter loses its description',
    file: 'infra/main.bicep',
    find: "@description('Whether the secondary region has availability zones.')\n",
    replace: '',
  },
  {
    rule: 'module-commented',
    breaks: 'a module call loses its comment',
    file: 'infra/main.bicep',
    find: '// Communication Services email with data kept in the stamp geography.\n',
    replace: '',
  },
  {
    rule: 'outputs-upper-snake',
    breaks: 'an output is renamed to camelCase',
    file: 'infra/modules/email.bicep',
    find: 'output EMAIL_SENDER string',
    replace: 'output emailSender string',
  },
  {
    rule: 'no-hardcoded-location',
    breaks: 'the Cosmos DB account is pinned to a region',
    file: 'infra/modules/cosmos.bicep',
    find: "  location: primaryLocation\n  kind: 'GlobalDocumentDB'",
    replace: "  location: 'northeurope'\n  kind: 'GlobalDocumentDB'",
  },
  {
    rule: 'no-keys-or-secrets',
    breaks: 'an app setting carries the Cosmos DB key',
    file: 'infra/main.bicep',
    find: '  COSMOS_DATABASE: cosmos.outputs.COSMOS_DATABASE\n',
    replace:
      "  COSMOS_DATABASE: cosmos.outputs.COSMOS_DATABASE\n  COSMOS_KEY: listKeys(resourceId('Microsoft.DocumentDB/databaseAccounts', 'x'), '2024-11-15').primaryMasterKey\n",
  },
  {
    rule: 'no-keys-or-secrets',
    breaks: 'CI signs in with a stored credential',
    file: '.github/workflows/deploy.yml',
    find: '          client-id: ${{ vars.AZURE_CLIENT_ID }}\n',
    replace: '          creds: ${{ secrets.AZURE_CREDENTIALS }}\n',
  },

  // Cosmos DB.
  {
    rule: 'cosmos-account',
    breaks: 'the stamp Cosmos DB account disappears',
    file: 'infra/modules/cosmos.bicep',
    find: "resource account 'Microsoft.DocumentDB/databaseAccounts@",
    replace: "resource account 'Microsoft.DocumentDB/otherAccounts@",
  },
  {
    rule: 'cosmos-two-regions',
    breaks: 'the stamp account loses its secondary region',
    file: 'infra/modules/cosmos.bicep',
    find: '      {\n        locationName: secondaryLocation\n        failoverPriority: 1\n        isZoneRedundant: secondaryZoneRedundant\n      }\n',
    replace: '',
  },
  {
    rule: 'cosmos-two-regions',
    breaks: 'the directory may be deployed to one region',
    file: 'infra/modules/global/directory.bicep',
    find: '@minLength(2)\nparam locations array',
    replace: '@minLength(1)\nparam locations array',
  },
  {
    rule: 'cosmos-zone-redundancy',
    breaks: 'a location no longer states zone redundancy',
    file: 'infra/modules/cosmos.bicep',
    find: '        isZoneRedundant: primaryZoneRedundant\n',
    replace: '',
  },
  {
    rule: 'cosmos-service-managed-failover',
    breaks: 'service-managed failover is turned off',
    file: 'infra/modules/cosmos.bicep',
    find: 'enableAutomaticFailover: true',
    replace: 'enableAutomaticFailover: false',
  },
  {
    rule: 'cosmos-service-managed-failover',
    breaks: 'the directory loses service-managed failover',
    file: 'infra/modules/global/directory.bicep',
    find: '    enableAutomaticFailover: true\n',
    replace: '',
  },
  {
    rule: 'cosmos-continuous-backup',
    breaks: 'backup goes back to periodic',
    file: 'infra/modules/cosmos.bicep',
    find: "type: 'Continuous'",
    replace: "type: 'Periodic'",
  },
  {
    rule: 'cosmos-continuous-backup',
    breaks: 'point-in-time restore shrinks to 7 days',
    file: 'infra/modules/cosmos.bicep',
    find: "tier: 'Continuous30Days'",
    replace: "tier: 'Continuous7Days'",
  },
  {
    rule: 'cosmos-session-consistency',
    breaks: 'consistency drops to eventual',
    file: 'infra/modules/cosmos.bicep',
    find: "defaultConsistencyLevel: 'Session'",
    replace: "defaultConsistencyLevel: 'Eventual'",
  },
  {
    rule: 'cosmos-key-auth-off',
    breaks: 'key auth comes back on the stamp account',
    file: 'infra/modules/cosmos.bicep',
    find: '    disableLocalAuth: true\n',
    replace: '',
  },
  {
    rule: 'cosmos-key-auth-off',
    breaks: 'key auth comes back on the directory',
    file: 'infra/modules/global/directory.bicep',
    find: 'disableLocalAuth: true',
    replace: 'disableLocalAuth: false',
  },
  {
    rule: 'cosmos-tls12',
    breaks: 'Cosmos DB accepts old TLS',
    file: 'infra/modules/cosmos.bicep',
    find: "minimalTlsVersion: 'Tls12'",
    replace: "minimalTlsVersion: 'Tls'",
  },
  {
    rule: 'cosmos-single-write-region',
    breaks: 'multi-region writes are switched on',
    file: 'infra/modules/cosmos.bicep',
    find: 'enableMultipleWriteLocations: false',
    replace: 'enableMultipleWriteLocations: true',
  },
  {
    rule: 'cosmos-partition-key',
    breaks: 'tenant data is partitioned by document id',
    file: 'infra/modules/cosmos.bicep',
    find: "          '/tenantId'\n",
    replace: "          '/id'\n",
  },
  {
    rule: 'cosmos-data-plane-rbac',
    breaks: 'the apps lose their Cosmos DB data-plane role',
    file: 'infra/modules/app-access.bicep',
    find: "resource cosmosDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@",
    replace:
      "resource cosmosDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleDefinitions@",
  },
  {
    rule: 'directory-global',
    breaks: 'the directory is partitioned like tenant data',
    file: 'infra/modules/global/directory.bicep',
    find: "          '/id'\n",
    replace: "          '/tenantId'\n",
  },
  {
    rule: 'directory-global',
    breaks: 'the directory container is renamed',
    file: 'infra/modules/global/directory.bicep',
    find: "  name: 'directory'\n",
    replace: "  name: 'tenants'\n",
  },

  // Storage.
  {
    rule: 'storage-account',
    breaks: 'the storage account disappears',
    file: 'infra/modules/storage.bicep',
    find: "resource storage 'Microsoft.Storage/storageAccounts@",
    replace: "resource storage 'Microsoft.Storage/otherAccounts@",
  },
  {
    rule: 'storage-geo-redundant-read-access',
    breaks: 'storage stays in one region',
    file: 'infra/modules/storage.bicep',
    find: "'Standard_RAGZRS' : 'Standard_RAGRS'",
    replace: "'Standard_ZRS' : 'Standard_LRS'",
  },
  {
    rule: 'storage-geo-redundant-read-access',
    breaks: 'the secondary copy is no longer readable',
    file: 'infra/modules/storage.bicep',
    find: "'Standard_RAGZRS' : 'Standard_RAGRS'",
    replace: "'Standard_GZRS' : 'Standard_RAGRS'",
  },
  {
    rule: 'storage-shared-key-off',
    breaks: 'shared keys work again',
    file: 'infra/modules/storage.bicep',
    find: 'allowSharedKeyAccess: false',
    replace: 'allowSharedKeyAccess: true',
  },
  {
    rule: 'storage-tls12',
    breaks: 'storage accepts TLS 1.0',
    file: 'infra/modules/storage.bicep',
    find: "minimumTlsVersion: 'TLS1_2'",
    replace: "minimumTlsVersion: 'TLS1_0'",
  },
  {
    rule: 'storage-https-only',
    breaks: 'storage accepts plain HTTP',
    file: 'infra/modules/storage.bicep',
    find: '    supportsHttpsTrafficOnly: true\n',
    replace: '',
  },
  {
    rule: 'storage-no-public-blobs',
    breaks: 'anonymous blob access is allowed',
    file: 'infra/modules/storage.bicep',
    find: 'allowBlobPublicAccess: false',
    replace: 'allowBlobPublicAccess: true',
  },
  {
    rule: 'storage-queues',
    breaks: 'a poison queue is dropped',
    file: 'infra/modules/storage.bicep',
    find: "  'calendar-sync-poison'\n",
    replace: '',
  },
  {
    rule: 'storage-containers',
    breaks: 'the backups container is renamed',
    file: 'infra/modules/storage.bicep',
    find: "  name: 'backups'\n",
    replace: "  name: 'backup'\n",
  },
  {
    rule: 'storage-log-immutability',
    breaks: 'the immutability policy moves to another container',
    file: 'infra/modules/storage.bicep',
    find: "  parent: logExportContainer\n  name: 'default'",
    replace: "  parent: backupsContainer\n  name: 'default'",
  },
  {
    rule: 'storage-log-immutability',
    breaks: 'security logs are protected for 30 days only',
    file: 'infra/modules/storage.bicep',
    find: 'param logExportImmutabilityDays int = 180',
    replace: 'param logExportImmutabilityDays int = 30',
  },
  {
    rule: 'storage-log-immutability',
    breaks: 'the immutability policy disappears',
    file: 'infra/modules/storage.bicep',
    find: "resource logExportImmutability 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@",
    replace:
      "resource logExportImmutability 'Microsoft.Storage/storageAccounts/blobServices/containers/legalHolds@",
  },
  {
    rule: 'storage-backup-lifecycle',
    breaks: 'backups are kept a year',
    file: 'infra/modules/storage.bicep',
    find: 'param backupRetentionDays int = 90',
    replace: 'param backupRetentionDays int = 365',
  },
  {
    rule: 'storage-backup-lifecycle',
    breaks: 'main.bicep overrides the backup retention',
    file: 'infra/main.bicep',
    find: '    location: primaryLocation\n    zoneRedundant: primaryZoneRedundant\n    resourceToken: resourceToken\n',
    replace:
      '    location: primaryLocation\n    zoneRedundant: primaryZoneRedundant\n    resourceToken: resourceToken\n    backupRetentionDays: 400\n',
  },
  {
    rule: 'storage-backup-lifecycle',
    breaks: 'the backup rule no longer matches the container',
    file: 'infra/modules/storage.bicep',
    find: "                'backups/'\n",
    replace: "                'backup/'\n",
  },

  // Key Vault.
  {
    rule: 'keyvault-vault',
    breaks: 'the vault disappears',
    file: 'infra/modules/key-vault.bicep',
    find: "resource vault 'Microsoft.KeyVault/vaults@",
    replace: "resource vault 'Microsoft.KeyVault/managedHSMs@",
  },
  {
    rule: 'keyvault-rbac',
    breaks: 'the vault goes back to access policies',
    file: 'infra/modules/key-vault.bicep',
    find: 'enableRbacAuthorization: true',
    replace: 'enableRbacAuthorization: false',
  },
  {
    rule: 'keyvault-soft-delete',
    breaks: 'soft delete is turned off',
    file: 'infra/modules/key-vault.bicep',
    find: 'enableSoftDelete: true',
    replace: 'enableSoftDelete: false',
  },
  {
    rule: 'keyvault-soft-delete',
    breaks: 'the soft-delete retention is dropped',
    file: 'infra/modules/key-vault.bicep',
    find: '    softDeleteRetentionInDays: 90\n',
    replace: '',
  },
  {
    rule: 'keyvault-purge-protection',
    breaks: 'purge protection is dropped',
    file: 'infra/modules/key-vault.bicep',
    find: '    enablePurgeProtection: true\n',
    replace: '',
  },
  {
    rule: 'keyvault-wrap-key',
    breaks: 'the wrap key becomes an EC key',
    file: 'infra/modules/key-vault.bicep',
    find: "kty: 'RSA-HSM'",
    replace: "kty: 'EC-HSM'",
  },
  {
    rule: 'keyvault-wrap-key',
    breaks: 'the wrap key can no longer unwrap',
    file: 'infra/modules/key-vault.bicep',
    find: "      'unwrapKey'\n",
    replace: "      'decrypt'\n",
  },
  {
    rule: 'keyvault-key-rotation',
    breaks: 'the rotation policy only notifies',
    file: 'infra/modules/key-vault.bicep',
    find: "            type: 'rotate'\n",
    replace: "            type: 'notify'\n",
  },
  {
    rule: 'keyvault-secrets',
    breaks: 'the signing key is no longer seeded',
    file: 'infra/scripts/seed-secrets.sh',
    find: 'token-signing-key',
    replace: 'signing-key',
    all: true,
  },
  {
    rule: 'keyvault-secrets',
    breaks: 'azd stops seeding secrets',
    file: 'azure.yaml',
    find: '    run: bash infra/scripts/seed-secrets.sh "$KEY_VAULT_NAME"\n',
    replace: '    run: echo provisioned\n',
  },
  {
    rule: 'keyvault-secrets',
    breaks: 'the apps stop reading the pepper from Key Vault',
    file: 'infra/main.bicep',
    find: 'SecretName=password-pepper',
    replace: 'SecretName=pepper',
  },

  // Function apps.
  {
    rule: 'function-app',
    breaks: 'the sites disappear',
    file: 'infra/modules/function-app.bicep',
    find: "'Microsoft.Web/sites@",
    replace: "'Microsoft.Web/staticSites@",
    all: true,
  },
  {
    rule: 'function-https-only',
    breaks: 'the Flex app accepts HTTP',
    file: 'infra/modules/function-app.bicep',
    find: '    httpsOnly: true\n',
    replace: '    httpsOnly: false\n',
  },
  {
    rule: 'function-https-only',
    breaks: 'the Premium app accepts HTTP',
    file: 'infra/modules/function-app.bicep',
    find: '    httpsOnly: true\n',
    replace: '',
    all: true,
  },
  {
    rule: 'function-tls12',
    breaks: 'the app accepts TLS 1.0',
    file: 'infra/modules/function-app.bicep',
    find: "      minTlsVersion: '1.2'\n",
    replace: "      minTlsVersion: '1.0'\n",
  },
  {
    rule: 'function-ftps-off',
    breaks: 'FTP publishing is allowed',
    file: 'infra/modules/function-app.bicep',
    find: "ftpsState: 'Disabled'",
    replace: "ftpsState: 'AllAllowed'",
  },
  {
    rule: 'function-system-identity',
    breaks: 'the app loses its identity',
    file: 'infra/modules/function-app.bicep',
    find: "    type: 'SystemAssigned'\n",
    replace: "    type: 'None'\n",
  },
  {
    rule: 'function-node22',
    breaks: 'Flex runs Node 20',
    file: 'infra/modules/function-app.bicep',
    find: "        version: '22'\n",
    replace: "        version: '20'\n",
  },
  {
    rule: 'function-node22',
    breaks: 'Premium runs Node 20',
    file: 'infra/modules/function-app.bicep',
    find: "linuxFxVersion: 'Node|22'",
    replace: "linuxFxVersion: 'Node|20'",
  },
  {
    rule: 'function-front-door-only',
    breaks: 'the app can be reached around Front Door',
    file: 'infra/modules/function-app.bicep',
    find: '      ipSecurityRestrictions: frontDoorOnly\n',
    replace: '',
  },
  {
    rule: 'function-hosting-plan',
    breaks: 'the standby plan is hard-coded',
    file: 'infra/main.bicep',
    find: '    hostingPlan: secondaryHostingPlan\n',
    replace: "    hostingPlan: 'FlexConsumption'\n",
  },
  {
    rule: 'function-hosting-plan',
    breaks: 'the Elastic Premium fallback disappears',
    file: 'infra/modules/function-app.bicep',
    find: "    tier: 'ElasticPremium'\n",
    replace: "    tier: 'Dynamic'\n",
  },
  {
    rule: 'function-standby-in-secondary',
    breaks: 'the standby app lands in the primary region',
    file: 'infra/main.bicep',
    find: '    location: secondaryLocation\n    hostingPlan: secondaryHostingPlan\n',
    replace: '    location: primaryLocation\n    hostingPlan: secondaryHostingPlan\n',
  },
  {
    rule: 'function-app-settings',
    breaks: 'KEY_VAULT_URI is no longer set',
    file: 'infra/main.bicep',
    find: '  KEY_VAULT_URI: keyVault.outputs.KEY_VAULT_URI\n',
    replace: '',
  },
  {
    rule: 'function-app-settings',
    breaks: 'the standby app loses its Application Insights connection',
    file: 'infra/main.bicep',
    find: '      APPLICATIONINSIGHTS_CONNECTION_STRING: standbyMonitoring.outputs.APPLICATIONINSIGHTS_CONNECTION_STRING\n',
    replace: '',
  },
  {
    rule: 'function-app-settings',
    breaks: 'host storage goes back to a connection string',
    file: 'infra/main.bicep',
    find: '  AzureWebJobsStorage__accountName: storage.outputs.STORAGE_ACCOUNT_NAME\n',
    replace: '  AzureWebJobsStorage: storage.outputs.STORAGE_ACCOUNT_NAME\n',
  },

  // Front Door.
  {
    rule: 'frontdoor-waf',
    breaks: 'the WAF only detects',
    file: 'infra/modules/global/front-door.bicep',
    find: "mode: 'Prevention'",
    replace: "mode: 'Detection'",
  },
  {
    rule: 'frontdoor-waf',
    breaks: 'the profile drops to Standard (no managed rules)',
    file: 'infra/modules/global/front-door.bicep',
    find: "    name: 'Premium_AzureFrontDoor'\n",
    replace: "    name: 'Standard_AzureFrontDoor'\n",
  },
  {
    rule: 'frontdoor-waf',
    breaks: 'the WAF policy is no longer attached',
    file: 'infra/modules/global/front-door-routing.bicep',
    find: "resource securityPolicy 'Microsoft.Cdn/profiles/securityPolicies@",
    replace: "resource securityPolicy 'Microsoft.Cdn/profiles/ruleSets@",
  },
  {
    rule: 'frontdoor-managed-rules',
    breaks: 'the default rule set is removed',
    file: 'infra/modules/global/front-door.bicep',
    find: "ruleSetType: 'Microsoft_DefaultRuleSet'",
    replace: "ruleSetType: 'Microsoft_BotManagerRuleSet'",
  },
  {
    rule: 'frontdoor-managed-rules',
    breaks: 'the default rule set only logs',
    file: 'infra/modules/global/front-door.bicep',
    find: "          ruleSetAction: 'Block'\n",
    replace: "          ruleSetAction: 'Log'\n",
  },
  {
    rule: 'frontdoor-auth-rate-limit',
    breaks: 'the rate limit watches another path',
    file: 'infra/modules/global/front-door.bicep',
    find: "'/api/auth/'",
    replace: "'/api/login/'",
  },
  {
    rule: 'frontdoor-auth-rate-limit',
    breaks: 'the rate limit becomes a match rule',
    file: 'infra/modules/global/front-door.bicep',
    find: "ruleType: 'RateLimitRule'",
    replace: "ruleType: 'MatchRule'",
  },
  {
    rule: 'frontdoor-priority-routing',
    breaks: 'the probe no longer calls the health endpoint',
    file: 'infra/modules/global/front-door-routing.bicep',
    find: "probePath: '/api/health'",
    replace: "probePath: '/'",
  },
  {
    rule: 'frontdoor-priority-routing',
    breaks: 'both origins get the same priority',
    file: 'infra/modules/global/front-door-routing.bicep',
    find: '    priority: 2\n',
    replace: '    priority: 1\n',
  },
  {
    rule: 'frontdoor-https',
    breaks: 'HTTP is served without redirect',
    file: 'infra/modules/global/front-door-routing.bicep',
    find: "httpsRedirect: 'Enabled'",
    replace: "httpsRedirect: 'Disabled'",
  },
  {
    rule: 'frontdoor-https',
    breaks: 'Front Door may call the apps over HTTP',
    file: 'infra/modules/global/front-door-routing.bicep',
    find: "forwardingProtocol: 'HttpsOnly'",
    replace: "forwardingProtocol: 'MatchRequest'",
  },
  {
    rule: 'frontdoor-edge-cache',
    breaks: 'the assets route stops caching',
    file: 'infra/modules/global/front-door-routing.bicep',
    find: '    cacheConfiguration: {\n',
    replace: '    cacheSettings: {\n',
  },
  {
    rule: 'frontdoor-edge-cache',
    breaks: 'the catch-all route caches API answers',
    file: 'infra/modules/global/front-door-routing.bicep',
    find: "      '/*'\n    ]\n    forwardingProtocol: 'HttpsOnly'\n",
    replace:
      "      '/*'\n    ]\n    cacheConfiguration: {\n      queryStringCachingBehavior: 'UseQueryString'\n    }\n    forwardingProtocol: 'HttpsOnly'\n",
  },
  {
    rule: 'frontdoor-https',
    breaks: 'the assets route serves HTTP without redirect',
    file: 'infra/modules/global/front-door-routing.bicep',
    find: "    httpsRedirect: 'Enabled'\n    linkToDefaultDomain: 'Enabled'\n    enabledState: 'Enabled'\n    cacheConfiguration",
    replace:
      "    httpsRedirect: 'Disabled'\n    linkToDefaultDomain: 'Enabled'\n    enabledState: 'Enabled'\n    cacheConfiguration",
  },

  // Monitoring.
  {
    rule: 'monitoring-retention',
    breaks: 'interactive retention grows to 90 days',
    file: 'infra/modules/monitoring.bicep',
    find: 'param interactiveRetentionDays int = 30',
    replace: 'param interactiveRetentionDays int = 90',
  },
  {
    rule: 'monitoring-retention',
    breaks: 'the archive stops at 90 days',
    file: 'infra/modules/monitoring.bicep',
    find: 'param totalRetentionDays int = 180',
    replace: 'param totalRetentionDays int = 90',
  },
  {
    rule: 'monitoring-action-group',
    breaks: 'SMS is dropped from the action group',
    file: 'infra/modules/monitoring.bicep',
    find: '    smsReceivers: smsReceivers\n',
    replace: '',
  },
  {
    rule: 'monitoring-action-group',
    breaks: 'email is dropped from the action group',
    file: 'infra/modules/monitoring.bicep',
    find: '    emailReceivers: emailReceivers\n',
    replace: '',
  },
  {
    rule: 'monitoring-app-insights',
    breaks: 'Application Insights disappears',
    file: 'infra/modules/monitoring.bicep',
    find: "'Microsoft.Insights/components@",
    replace: "'Microsoft.Insights/workbooks@",
  },
  {
    rule: 'monitoring-availability-test',
    breaks: 'the availability test calls the root',
    file: 'infra/main.bicep',
    find: "    healthCheckUrl: '${publicBaseUrl}/api/health'\n",
    replace: '    healthCheckUrl: publicBaseUrl\n',
  },
  {
    rule: 'monitoring-availability-test',
    breaks: 'the test becomes a classic ping test',
    file: 'infra/modules/alerts.bicep',
    find: "  kind: 'standard'\n",
    replace: "  kind: 'ping'\n",
  },
  {
    rule: 'monitoring-alerts',
    breaks: 'the security-events alert is dropped',
    file: 'infra/modules/alerts.bicep',
    find: "  name: 'alert-${stamp}-${role}-security-events'\n",
    replace: "  name: 'alert-${stamp}-${role}-security'\n",
  },
  {
    rule: 'monitoring-alerts',
    breaks: 'the 5xx alert notifies nobody',
    file: 'infra/modules/alerts.bicep',
    find: '      actionGroups: [\n        actionGroupId\n      ]\n',
    replace: '      actionGroups: []\n',
  },
  {
    rule: 'monitoring-alerts',
    breaks: 'the backup alert is dropped',
    file: 'infra/modules/alerts.bicep',
    find: "  name: 'alert-${stamp}-${role}-backup-failed'\n",
    replace: "  name: 'alert-${stamp}-${role}-other'\n",
  },

  // Stamps.
  {
    rule: 'stamp-files',
    breaks: 'the eu file deploys the us stamp',
    file: 'infra/stamps/eu.bicepparam',
    find: "param stamp = 'eu'",
    replace: "param stamp = 'us'",
  },
  {
    rule: 'stamp-files',
    breaks: 'a stamp file points at another template',
    file: 'infra/stamps/au.bicepparam',
    find: "using '../main.bicep'",
    replace: "using '../other.bicep'",
  },
  {
    rule: 'stamp-geography',
    breaks: 'the eu secondary moves to the UK',
    file: 'infra/stamps/eu.bicepparam',
    find: "param secondaryLocation = 'northeurope'",
    replace: "param secondaryLocation = 'uksouth'",
  },
  {
    rule: 'stamp-geography',
    breaks: 'the au secondary moves to Singapore',
    file: 'infra/stamps/au.bicepparam',
    find: "param secondaryLocation = 'australiaeast'",
    replace: "param secondaryLocation = 'southeastasia'",
  },
  {
    rule: 'stamp-geography',
    breaks: 'the us primary moves to Canada',
    file: 'infra/stamps/us.bicepparam',
    find: "param primaryLocation = 'eastus'",
    replace: "param primaryLocation = 'canadacentral'",
  },
  {
    rule: 'stamp-geography',
    breaks: 'the au primary leaves Canberra',
    file: 'infra/stamps/au.bicepparam',
    find: "param primaryLocation = 'australiacentral'",
    replace: "param primaryLocation = 'australiasoutheast'",
  },
  {
    rule: 'stamp-geography',
    breaks: 'the eu primary has no known pair for its replicas',
    file: 'infra/stamps/eu.bicepparam',
    find: "param primaryLocation = 'westeurope'",
    replace: "param primaryLocation = 'polandcentral'",
  },
  {
    rule: 'stamp-geography',
    breaks: 'eu email data is kept in the US',
    file: 'infra/stamps/eu.bicepparam',
    find: "param emailDataLocation = 'Europe'",
    replace: "param emailDataLocation = 'United States'",
  },
  {
    rule: 'stamp-zones',
    breaks: 'zone redundancy is asked of Canberra',
    file: 'infra/stamps/au.bicepparam',
    find: 'param primaryZoneRedundant = false',
    replace: 'param primaryZoneRedundant = true',
  },
  {
    rule: 'stamp-params',
    breaks: 'a required parameter is not set',
    file: 'infra/stamps/us.bicepparam',
    find: "param emailDataLocation = 'United States'\n",
    replace: '',
  },
  {
    rule: 'stamp-params',
    breaks: 'a stamp overrides the global directory regions',
    file: 'infra/stamps/us.bicepparam',
    find: "param stamp = 'us'\n",
    replace: "param stamp = 'us'\nparam directoryLocations = []\n",
  },
  {
    rule: 'azd-entry',
    breaks: 'the azd catalogue disagrees with eu.bicepparam',
    file: 'infra/main.bicepparam',
    find: "    secondaryLocation: 'northeurope'\n",
    replace: "    secondaryLocation: 'francecentral'\n",
  },
  {
    rule: 'azd-entry',
    breaks: 'azd hard-codes a value instead of the selected stamp',
    file: 'infra/main.bicepparam',
    find: 'param emailDataLocation = selected.emailDataLocation',
    replace: "param emailDataLocation = 'Europe'",
  },
  {
    rule: 'azd-entry',
    breaks: 'azure.yaml points at another module',
    file: 'azure.yaml',
    find: '  module: main\n',
    replace: '  module: stamp\n',
  },

  // Workflow.
  {
    rule: 'workflow',
    breaks: 'the what-if is removed',
    file: '.github/workflows/deploy.yml',
    find: 'az deployment sub what-if',
    replace: 'az deployment sub validate',
  },
  {
    rule: 'workflow',
    breaks: 'OIDC is no longer allowed',
    file: '.github/workflows/deploy.yml',
    find: 'id-token: write',
    replace: 'id-token: none',
    all: true,
  },
  {
    rule: 'workflow',
    breaks: 'the templates are no longer built',
    file: '.github/workflows/deploy.yml',
    find: 'az bicep build --file',
    replace: 'echo skipped --file',
  },
  {
    rule: 'workflow',
    breaks: 'the policy tests are no longer run',
    file: '.github/workflows/deploy.yml',
    find: 'npx vitest run test/infra',
    replace: 'echo no tests',
  },
];

function mutate(original: Sources, mutation: Mutation): Sources {
  const text = original.get(mutation.file);
  if (text === undefined) throw new Error(`${mutation.file} is not among the policy sources`);
  if (!text.includes(mutation.find))
    throw new Error(
      `the text to break is gone from ${mutation.file}: ${JSON.stringify(mutation.find)}`,
    );
  const broken = mutation.all
    ? text.split(mutation.find).join(mutation.replace)
    : text.replace(mutation.find, () => mutation.replace);
  const copy = new Map(original);
  copy.set(mutation.file, broken);
  return copy;
}

describe('policy mutations', () => {
  it('starts from files that pass', () => {
    expect(checkPolicies(sources)).toEqual([]);
  });

  it.each(MUTATIONS.map((mutation) => [mutation.rule, mutation.breaks, mutation] as const))(
    '%s fails when %s',
    (rule, _breaks, mutation) => {
      const rules = checkPolicies(mutate(sources, mutation)).map((violation) => violation.rule);
      expect(rules).toContain(rule);
      // The broken copy still parses, so it is the guard itself that caught the change.
      if (rule !== 'bicep-parses') expect(rules).not.toContain('bicep-parses');
    },
  );

  it('has at least one mutation for every rule', () => {
    const covered = new Set(MUTATIONS.map((mutation) => mutation.rule));
    const uncovered = Object.keys(RULES).filter((rule) => !covered.has(rule as RuleId));
    expect(uncovered).toEqual([]);
  });
});
