// Slotwise: one regional stamp (us, eu or au) plus the small global part it plugs into.
//
//   rg-slotwise-global                    Front Door + WAF, the tenant directory (no personal data)
//   rg-slotwise-<stamp>-<primaryLocation>  primary app, Cosmos DB, storage, Key Vault, email, monitoring
//   rg-slotwise-<stamp>-<secondaryLocation> standby app and its own monitoring
//
// Deploy one stamp per parameter file in infra/stamps/ (see docs/infrastructure.md):
//   az deployment sub create --name slotwise-eu --location westeurope \
//     --parameters infra/stamps/eu.bicepparam
targetScope = 'subscription'

@description('Stamp id. Also the SLOTWISE_REGION app setting: us, eu or au.')
@allowed([
  'us'
  'eu'
  'au'
])
param stamp string

@description('Primary region of the stamp: Cosmos DB write region, primary storage endpoint, Key Vault and the primary function app.')
param primaryLocation string

@description('Secondary region, in the same geography as the primary: Cosmos DB read region that takes over writes, and the standby function app.')
param secondaryLocation string

@description('Whether the primary region has availability zones (zone-redundant Cosmos DB, RA-GZRS storage, zone-redundant plan).')
param primaryZoneRedundant bool

@description('Whether the secondary region has availability zones.')
param secondaryZoneRedundant bool

@description('Hosting plan of the primary function app: FlexConsumption where the region offers it, ElasticPremium elsewhere.')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
])
param primaryHostingPlan string

@description('Hosting plan of the standby function app in the secondary region.')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
])
param secondaryHostingPlan string

@description('Where Communication Services keeps email data at rest; the stamp geography (United States, Europe or Australia).')
@allowed([
  'United States'
  'Europe'
  'Australia'
])
param emailDataLocation string

@description('Application Insights availability test locations that call /api/health (ids such as us-va-ash-azr).')
@minLength(1)
param availabilityTestLocations array

@description('On-call email address for alerts; empty for none. Comes from the environment, never from a file.')
param alertEmail string = ''

@description('On-call mobile number (digits only, without country code) for SMS alerts; empty for none.')
param alertSmsNumber string = ''

@description('Country calling code of alertSmsNumber, digits only (1 United States, 61 Australia, 353 Ireland...).')
param alertSmsCountryCode string = '1'

@description('Object id of the principal running the deployment; granted Key Vault Secrets Officer (for infra/scripts/seed-secrets.sh) and Storage Blob Data Contributor (for infra/scripts/publish-package.sh). Empty to skip.')
param deployerPrincipalId string = ''

@description('Cosmos DB account of the stamp; empty for the default name. After a whole-account point-in-time restore, the restored account\'s name, so the deployment adopts it.')
param cosmosAccountName string = ''

@description('Name of the timer function that writes the daily backup (watched by the backup alert).')
param backupFunctionName string = 'backup-daily'

@description('azd environment name, stored as the azd-env-name tag on the resource groups.')
param environmentName string = 'slotwise-${stamp}'

@description('Other browser origins allowed to call the API (comma-separated), besides the front door host; empty for none.')
param corsAllowedOrigins string = ''

@description('OAuth client id of the Google sign-in app; empty turns sign-in with Google off. Its secret is the Key Vault secret oidc-google-client-secret.')
param oidcGoogleClientId string = ''

@description('OAuth client id of the Microsoft Entra sign-in app; empty turns sign-in with Microsoft off. Its secret is the Key Vault secret oidc-microsoft-client-secret.')
param oidcMicrosoftClientId string = ''

@description('Region of the global resource group. It holds only resource metadata; keep it the same for every stamp.')
param globalLocation string = 'eastus'

@description('Regions of the global directory account as { name, zoneRedundant }; first is the write region. Keep the same for every stamp.')
@minLength(2)
param directoryLocations array = [
  {
    name: 'eastus'
    zoneRedundant: true
  }
  {
    name: 'westeurope'
    zoneRedundant: true
  }
  {
    name: 'australiaeast'
    zoneRedundant: true
  }
]

var resourceToken = toLower(uniqueString(subscription().id, 'slotwise', stamp))
var globalToken = toLower(uniqueString(subscription().id, 'slotwise', 'global'))
var tags = {
  'azd-env-name': environmentName
  'slotwise-stamp': stamp
}
var globalTags = {
  'slotwise-stamp': 'global'
}

resource globalGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-slotwise-global'
  location: globalLocation
  tags: globalTags
}

resource primaryGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-slotwise-${stamp}-${primaryLocation}'
  location: primaryLocation
  tags: tags
}

// The standby region gets its own group: a group's metadata lives in its region, and the
// standby must stay manageable while the primary region is down.
resource standbyGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-slotwise-${stamp}-${secondaryLocation}'
  location: secondaryLocation
  tags: tags
}

// Global Front Door profile and WAF policy, shared by all stamps (idempotent).
module frontDoor 'modules/global/front-door.bicep' = {
  name: 'global-front-door'
  scope: globalGroup
  params: {
    resourceToken: globalToken
    tags: globalTags
  }
}

// Global tenant directory (slug and email-HMAC to tenant id and region), shared by all stamps.
module directory 'modules/global/directory.bicep' = {
  name: 'global-directory'
  scope: globalGroup
  params: {
    resourceToken: globalToken
    locations: directoryLocations
    tags: globalTags
  }
}

// This stamp's public endpoint, created first so its host name can be PUBLIC_BASE_URL.
module frontDoorEndpoint 'modules/global/front-door-endpoint.bicep' = {
  name: 'front-door-endpoint-${stamp}'
  scope: globalGroup
  params: {
    stamp: stamp
    profileName: frontDoor.outputs.FRONT_DOOR_PROFILE_NAME
    resourceToken: globalToken
    tags: globalTags
  }
}

// Logs, Application Insights and action group of the primary region.
module primaryMonitoring 'modules/monitoring.bicep' = {
  name: 'monitoring-primary'
  scope: primaryGroup
  params: {
    stamp: stamp
    role: 'primary'
    location: primaryLocation
    resourceToken: resourceToken
    alertEmail: alertEmail
    alertSmsNumber: alertSmsNumber
    alertSmsCountryCode: alertSmsCountryCode
    tags: tags
  }
}

// Logs, Application Insights and action group of the secondary region.
module standbyMonitoring 'modules/monitoring.bicep' = {
  name: 'monitoring-standby'
  scope: standbyGroup
  params: {
    stamp: stamp
    role: 'standby'
    location: secondaryLocation
    resourceToken: resourceToken
    alertEmail: alertEmail
    alertSmsNumber: alertSmsNumber
    alertSmsCountryCode: alertSmsCountryCode
    tags: tags
  }
}

// Cosmos DB account of the stamp: two regions, continuous backup, no keys.
module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  scope: primaryGroup
  params: {
    stamp: stamp
    accountName: cosmosAccountName
    primaryLocation: primaryLocation
    secondaryLocation: secondaryLocation
    primaryZoneRedundant: primaryZoneRedundant
    secondaryZoneRedundant: secondaryZoneRedundant
    resourceToken: resourceToken
    workspaceId: primaryMonitoring.outputs.LOG_ANALYTICS_WORKSPACE_ID
    tags: tags
  }
}

// Storage account of the stamp: RA-GRS/RA-GZRS, queues, backups, immutable log export.
module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: primaryGroup
  params: {
    stamp: stamp
    location: primaryLocation
    zoneRedundant: primaryZoneRedundant
    resourceToken: resourceToken
    workspaceId: primaryMonitoring.outputs.LOG_ANALYTICS_WORKSPACE_ID
    deployerPrincipalId: deployerPrincipalId
    tags: tags
  }
}

// Key Vault of the stamp: wrap key with rotation policy; secrets come from seed-secrets.sh.
module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  scope: primaryGroup
  params: {
    stamp: stamp
    location: primaryLocation
    resourceToken: resourceToken
    deployerPrincipalId: deployerPrincipalId
    workspaceId: primaryMonitoring.outputs.LOG_ANALYTICS_WORKSPACE_ID
    tags: tags
  }
}

// Communication Services email with data kept in the stamp geography.
module email 'modules/email.bicep' = {
  name: 'email'
  scope: primaryGroup
  params: {
    stamp: stamp
    dataLocation: emailDataLocation
    resourceToken: resourceToken
    tags: tags
  }
}

var publicBaseUrl = 'https://${frontDoorEndpoint.outputs.FRONT_DOOR_HOST_NAME}'

// Settings both apps read (shared/config/config.ts); identity-based, no keys anywhere.
var sharedSettings = {
  SLOTWISE_REGION: stamp
  PUBLIC_BASE_URL: publicBaseUrl
  TOKEN_ISSUER: publicBaseUrl
  COSMOS_ENDPOINT: cosmos.outputs.COSMOS_ENDPOINT
  COSMOS_DATABASE: cosmos.outputs.COSMOS_DATABASE
  DIRECTORY_COSMOS_ENDPOINT: directory.outputs.DIRECTORY_COSMOS_ENDPOINT
  AzureWebJobsStorage__accountName: storage.outputs.STORAGE_ACCOUNT_NAME
  STORAGE_ACCOUNT_NAME: storage.outputs.STORAGE_ACCOUNT_NAME
  KEY_VAULT_URI: keyVault.outputs.KEY_VAULT_URI
  EMAIL_ENDPOINT: email.outputs.EMAIL_ENDPOINT
  EMAIL_SENDER: email.outputs.EMAIL_SENDER
  // host.json's route prefix is empty so pages live at /{slug}; without this the runtime's own
  // welcome page would answer the site root.
  AzureWebJobsDisableHomepage: 'true'
  // Key Vault references, resolved by the platform with the app's identity.
  PASSWORD_PEPPER: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.KEY_VAULT_NAME};SecretName=password-pepper)'
  TOKEN_SIGNING_KEY: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.KEY_VAULT_NAME};SecretName=token-signing-key)'
  CORS_ALLOWED_ORIGINS: corsAllowedOrigins
}

// Social sign-in settings only for providers that are configured: a Key Vault reference to a
// secret that does not exist would reach the app unresolved, and the app refuses to start on it.
var oidcSettings = union(
  empty(oidcGoogleClientId) ? {} : {
    OIDC_GOOGLE_CLIENT_ID: oidcGoogleClientId
    OIDC_GOOGLE_CLIENT_SECRET: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.KEY_VAULT_NAME};SecretName=oidc-google-client-secret)'
  },
  empty(oidcMicrosoftClientId) ? {} : {
    OIDC_MICROSOFT_CLIENT_ID: oidcMicrosoftClientId
    OIDC_MICROSOFT_CLIENT_SECRET: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.KEY_VAULT_NAME};SecretName=oidc-microsoft-client-secret)'
  }
)

// Primary function app in the primary region.
module primaryApp 'modules/function-app.bicep' = {
  name: 'function-app-primary'
  scope: primaryGroup
  params: {
    stamp: stamp
    role: 'primary'
    location: primaryLocation
    hostingPlan: primaryHostingPlan
    zoneRedundant: primaryZoneRedundant
    resourceToken: resourceToken
    storageBlobEndpoint: storage.outputs.STORAGE_BLOB_ENDPOINT
    packageContainerName: storage.outputs.PRIMARY_PACKAGE_CONTAINER
    frontDoorId: frontDoor.outputs.FRONT_DOOR_ID
    appSettings: union(sharedSettings, oidcSettings, {
      SLOTWISE_ROLE: 'primary'
      APPLICATIONINSIGHTS_CONNECTION_STRING: primaryMonitoring.outputs.APPLICATIONINSIGHTS_CONNECTION_STRING
    })
    tags: tags
  }
}

// Standby function app in the secondary region, warm and ready for Front Door to fail over to.
module standbyApp 'modules/function-app.bicep' = {
  name: 'function-app-standby'
  scope: standbyGroup
  params: {
    stamp: stamp
    role: 'standby'
    location: secondaryLocation
    hostingPlan: secondaryHostingPlan
    zoneRedundant: secondaryZoneRedundant
    resourceToken: resourceToken
    storageBlobEndpoint: storage.outputs.STORAGE_BLOB_ENDPOINT
    packageContainerName: storage.outputs.STANDBY_PACKAGE_CONTAINER
    frontDoorId: frontDoor.outputs.FRONT_DOOR_ID
    appSettings: union(sharedSettings, oidcSettings, {
      SLOTWISE_ROLE: 'standby'
      APPLICATIONINSIGHTS_CONNECTION_STRING: standbyMonitoring.outputs.APPLICATIONINSIGHTS_CONNECTION_STRING
    })
    tags: tags
  }
}

// Role assignments of both apps on the stamp's data services.
module appAccess 'modules/app-access.bicep' = {
  name: 'app-access'
  scope: primaryGroup
  params: {
    principalIds: [
      primaryApp.outputs.FUNCTION_APP_PRINCIPAL_ID
      standbyApp.outputs.FUNCTION_APP_PRINCIPAL_ID
    ]
    cosmosAccountName: cosmos.outputs.COSMOS_ACCOUNT_NAME
    storageAccountName: storage.outputs.STORAGE_ACCOUNT_NAME
    keyVaultName: keyVault.outputs.KEY_VAULT_NAME
    communicationServiceName: email.outputs.COMMUNICATION_SERVICE_NAME
  }
}

// Data-plane access of both apps to the global directory.
module directoryAccess 'modules/global/directory-access.bicep' = {
  name: 'directory-access-${stamp}'
  scope: globalGroup
  params: {
    accountName: directory.outputs.DIRECTORY_COSMOS_ACCOUNT_NAME
    principalIds: [
      primaryApp.outputs.FUNCTION_APP_PRINCIPAL_ID
      standbyApp.outputs.FUNCTION_APP_PRINCIPAL_ID
    ]
  }
}

// Priority routing from the stamp endpoint to the primary app, then the standby app.
module frontDoorRouting 'modules/global/front-door-routing.bicep' = {
  name: 'front-door-routing-${stamp}'
  scope: globalGroup
  params: {
    stamp: stamp
    profileName: frontDoor.outputs.FRONT_DOOR_PROFILE_NAME
    endpointName: frontDoorEndpoint.outputs.FRONT_DOOR_ENDPOINT_NAME
    primaryHostName: primaryApp.outputs.FUNCTION_APP_HOST_NAME
    standbyHostName: standbyApp.outputs.FUNCTION_APP_HOST_NAME
    wafPolicyId: frontDoor.outputs.WAF_POLICY_ID
  }
}

// Alerts of the primary region, including backups and security events.
module primaryAlerts 'modules/alerts.bicep' = {
  name: 'alerts-primary'
  scope: primaryGroup
  params: {
    stamp: stamp
    role: 'primary'
    location: primaryLocation
    resourceToken: resourceToken
    appInsightsId: primaryMonitoring.outputs.APPLICATION_INSIGHTS_ID
    backupAppInsightsIds: [
      primaryMonitoring.outputs.APPLICATION_INSIGHTS_ID
      standbyMonitoring.outputs.APPLICATION_INSIGHTS_ID
    ]
    backupFunctionName: backupFunctionName
    securityWorkspaceId: primaryMonitoring.outputs.LOG_ANALYTICS_WORKSPACE_ID
    actionGroupId: primaryMonitoring.outputs.ACTION_GROUP_ID
    healthCheckUrl: '${publicBaseUrl}/api/health'
    availabilityTestLocations: availabilityTestLocations
    tags: tags
  }
}

// Alerts of the secondary region, so paging still works while the primary region is down.
module standbyAlerts 'modules/alerts.bicep' = {
  name: 'alerts-standby'
  scope: standbyGroup
  params: {
    stamp: stamp
    role: 'standby'
    location: secondaryLocation
    resourceToken: resourceToken
    appInsightsId: standbyMonitoring.outputs.APPLICATION_INSIGHTS_ID
    actionGroupId: standbyMonitoring.outputs.ACTION_GROUP_ID
    healthCheckUrl: '${publicBaseUrl}/api/health'
    availabilityTestLocations: availabilityTestLocations
    tags: tags
  }
}

output SLOTWISE_REGION string = stamp
output AZURE_LOCATION string = primaryLocation
output AZURE_RESOURCE_GROUP string = primaryGroup.name
output STANDBY_RESOURCE_GROUP string = standbyGroup.name
output GLOBAL_RESOURCE_GROUP string = globalGroup.name
output PUBLIC_BASE_URL string = publicBaseUrl
output COSMOS_ACCOUNT_NAME string = cosmos.outputs.COSMOS_ACCOUNT_NAME
output COSMOS_ENDPOINT string = cosmos.outputs.COSMOS_ENDPOINT
output COSMOS_DATABASE string = cosmos.outputs.COSMOS_DATABASE
output DIRECTORY_COSMOS_ACCOUNT_NAME string = directory.outputs.DIRECTORY_COSMOS_ACCOUNT_NAME
output DIRECTORY_COSMOS_ENDPOINT string = directory.outputs.DIRECTORY_COSMOS_ENDPOINT
output STORAGE_ACCOUNT_NAME string = storage.outputs.STORAGE_ACCOUNT_NAME
output KEY_VAULT_NAME string = keyVault.outputs.KEY_VAULT_NAME
output KEY_VAULT_URI string = keyVault.outputs.KEY_VAULT_URI
output EMAIL_ENDPOINT string = email.outputs.EMAIL_ENDPOINT
output EMAIL_SENDER string = email.outputs.EMAIL_SENDER
output PRIMARY_FUNCTION_APP_NAME string = primaryApp.outputs.FUNCTION_APP_NAME
output STANDBY_FUNCTION_APP_NAME string = standbyApp.outputs.FUNCTION_APP_NAME
output PRIMARY_HOSTING_PLAN string = primaryHostingPlan
output STANDBY_HOSTING_PLAN string = secondaryHostingPlan
output PRIMARY_PACKAGE_URL string = primaryApp.outputs.PACKAGE_URL
output STANDBY_PACKAGE_URL string = standbyApp.outputs.PACKAGE_URL
output FRONT_DOOR_PROFILE_NAME string = frontDoor.outputs.FRONT_DOOR_PROFILE_NAME
output FRONT_DOOR_ENDPOINT_NAME string = frontDoorEndpoint.outputs.FRONT_DOOR_ENDPOINT_NAME
