// One function app of a stamp (primary or standby) with its hosting plan: Flex Consumption where
// the region offers it, Elastic Premium elsewhere. Node 22 on Linux, HTTPS only, TLS 1.2, a
// system-assigned identity, and inbound traffic only from this deployment's Front Door.

@description('Stamp id (us, eu or au); part of resource names.')
param stamp string

@description('Role of the app: primary serves traffic; standby takes it when Front Door sees the primary fail its health probe.')
@allowed([
  'primary'
  'standby'
])
param role string

@description('Azure region of the app and its plan.')
param location string

@description('Hosting plan: FlexConsumption where the region offers it (az functionapp list-flexconsumption-locations), ElasticPremium elsewhere.')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
])
param hostingPlan string

@description('Whether the plan spreads instances over availability zones (only where the region has zones; Elastic Premium then keeps 3 instances).')
param zoneRedundant bool

@description('Resource token (uniqueString of the subscription and stamp) that makes names unique.')
param resourceToken string

@description('Blob endpoint of the stamp storage account (https://<account>.blob.core.windows.net/).')
param storageBlobEndpoint string

@description('Container in the stamp storage account that holds this app\'s deployment package.')
param packageContainerName string

@description('App settings as an object of name to value; identity-based, no keys or connection strings.')
param appSettings object

@description('Front Door id (X-Azure-FDID header) that inbound requests must carry; everything else is refused.')
param frontDoorId string

@description('Most instances the app may scale out to.')
@minValue(1)
param maximumInstanceCount int = 40

@description('Instances kept warm for HTTP functions, so the standby answers at once after a failover.')
@minValue(0)
param alwaysReadyInstances int = 1

@description('Tags applied to every resource.')
param tags object

var isFlex = hostingPlan == 'FlexConsumption'

var settingsList = [for setting in items(appSettings): {
  name: setting.key
  value: setting.value
}]

// Only requests that came through this deployment's Front Door profile get in.
var frontDoorOnly = [
  {
    name: 'front-door-only'
    action: 'Allow'
    priority: 100
    tag: 'ServiceTag'
    ipAddress: 'AzureFrontDoor.Backend'
    headers: {
      'x-azure-fdid': [
        frontDoorId
      ]
    }
  }
]

var packageFileName = 'slotwise.zip'

resource flexPlan 'Microsoft.Web/serverfarms@2024-04-01' = if (isFlex) {
  name: 'asp-fc-${stamp}-${role}-${resourceToken}'
  location: location
  kind: 'functionapp'
  tags: tags
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
    zoneRedundant: zoneRedundant
  }
}

resource flexApp 'Microsoft.Web/sites@2024-04-01' = if (isFlex) {
  name: 'func-${stamp}-${role}-${resourceToken}'
  location: location
  kind: 'functionapp,linux'
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: flexPlan.id
    httpsOnly: true
    clientAffinityEnabled: false
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      ipSecurityRestrictionsDefaultAction: 'Deny'
      ipSecurityRestrictions: frontDoorOnly
      scmIpSecurityRestrictionsUseMain: false
      appSettings: settingsList
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${packageContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
        alwaysReady: alwaysReadyInstances > 0 ? [
          {
            name: 'http'
            instanceCount: alwaysReadyInstances
          }
        ] : []
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
}

// Elastic Premium runs the package straight from blob storage with the app's identity: the
// Azure Files content share it would otherwise use needs shared keys, which are disabled.
resource premiumPlan 'Microsoft.Web/serverfarms@2024-04-01' = if (!isFlex) {
  name: 'asp-ep-${stamp}-${role}-${resourceToken}'
  location: location
  kind: 'elastic'
  tags: tags
  sku: {
    name: 'EP1'
    tier: 'ElasticPremium'
    capacity: zoneRedundant ? 3 : 1
  }
  properties: {
    reserved: true
    maximumElasticWorkerCount: maximumInstanceCount
    zoneRedundant: zoneRedundant
  }
}

resource premiumApp 'Microsoft.Web/sites@2024-04-01' = if (!isFlex) {
  name: 'func-${stamp}-${role}-ep-${resourceToken}'
  location: location
  kind: 'functionapp,linux'
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: premiumPlan.id
    httpsOnly: true
    clientAffinityEnabled: false
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      linuxFxVersion: 'Node|22'
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      minimumElasticInstanceCount: max(alwaysReadyInstances, zoneRedundant ? 3 : 1)
      functionAppScaleLimit: maximumInstanceCount
      ipSecurityRestrictionsDefaultAction: 'Deny'
      ipSecurityRestrictions: frontDoorOnly
      scmIpSecurityRestrictionsUseMain: false
      appSettings: concat(settingsList, [
        {
          name: 'FUNCTIONS_EXTENSION_VERSION'
          value: '~4'
        }
        {
          name: 'FUNCTIONS_WORKER_RUNTIME'
          value: 'node'
        }
        {
          name: 'WEBSITE_RUN_FROM_PACKAGE'
          value: '${storageBlobEndpoint}${packageContainerName}/${packageFileName}'
        }
        {
          name: 'WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID'
          value: 'SystemAssigned'
        }
      ])
    }
  }
}

// Deployments authenticate with Entra ID; publishing user names and passwords are off.
resource flexFtpPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = if (isFlex) {
  parent: flexApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource flexScmPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = if (isFlex) {
  parent: flexApp
  name: 'scm'
  properties: {
    allow: false
  }
}

resource premiumFtpPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = if (!isFlex) {
  parent: premiumApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource premiumScmPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = if (!isFlex) {
  parent: premiumApp
  name: 'scm'
  properties: {
    allow: false
  }
}

output FUNCTION_APP_NAME string = isFlex ? flexApp.name : premiumApp.name
output FUNCTION_APP_HOST_NAME string = isFlex ? flexApp.properties.defaultHostName : premiumApp.properties.defaultHostName
output FUNCTION_APP_PRINCIPAL_ID string = isFlex ? flexApp.identity.principalId : premiumApp.identity.principalId
output HOSTING_PLAN string = hostingPlan
output PACKAGE_URL string = isFlex ? '' : '${storageBlobEndpoint}${packageContainerName}/${packageFileName}'
