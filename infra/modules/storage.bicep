// The stamp's storage account: read-access geo-redundant (zone-redundant too where the primary
// region has zones), no shared keys, TLS 1.2. It is the Functions host storage
// (AzureWebJobsStorage), holds the queues, the daily backups and the exported security logs,
// and the deployment packages of both function apps.

@description('Stamp id (us, eu or au); part of resource names.')
param stamp string

@description('Primary region; the paired secondary that receives the geo-replica is chosen by Azure inside the same geography.')
param location string

@description('Whether the primary region has availability zones (RA-GZRS instead of RA-GRS).')
param zoneRedundant bool

@description('Resource token (uniqueString of the subscription and stamp) that makes names unique.')
param resourceToken string

@description('Days a daily backup is kept in the backups container before lifecycle management deletes it.')
@minValue(1)
param backupRetentionDays int = 90

@description('Days an exported security log stays write-protected (time-based immutability) in the log-export container.')
@minValue(30)
param logExportImmutabilityDays int = 180

@description('Log Analytics workspace that receives blob and queue access logs.')
param workspaceId string

@description('Object id of the principal running the deployment; receives Storage Blob Data Contributor so infra/scripts/publish-package.sh can upload packages. Empty to skip.')
param deployerPrincipalId string = ''


@description('Tags applied to every resource.')
param tags object

// Queue names the app uses; a message that fails 5 times moves to <name>-poison.
var queueNames = [
  'booking-notifications'
  'booking-notifications-poison'
  'calendar-sync'
  'calendar-sync-poison'
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st${stamp}${resourceToken}'
  location: location
  kind: 'StorageV2'
  tags: tags
  sku: {
    name: zoneRedundant ? 'Standard_RAGZRS' : 'Standard_RAGRS'
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: {
          enabled: true
        }
        queue: {
          enabled: true
          keyType: 'Account'
        }
        table: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 14
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 14
    }
  }
}

resource backupsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'backups'
  properties: {
    publicAccess: 'None'
  }
}

resource logExportContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'log-export'
  properties: {
    publicAccess: 'None'
  }
}

// WORM: exported security logs can be appended to and read, never changed or deleted early.
// Lock it once after the first deployment (docs/infrastructure.md, "Locking the log export").
resource logExportImmutability 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = {
  parent: logExportContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: logExportImmutabilityDays
    allowProtectedAppendWrites: true
  }
}

resource primaryPackageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'app-package-primary'
  properties: {
    publicAccess: 'None'
  }
}

resource standbyPackageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'app-package-standby'
  properties: {
    publicAccess: 'None'
  }
}

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'backups-expire'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                'backups/'
              ]
            }
            actions: {
              baseBlob: {
                tierToCool: {
                  daysAfterModificationGreaterThan: 30
                }
                delete: {
                  daysAfterModificationGreaterThan: backupRetentionDays
                }
              }
            }
          }
        }
        {
          name: 'log-export-expire'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
                'appendBlob'
              ]
              prefixMatch: [
                'log-export/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: logExportImmutabilityDays + 1
                }
              }
            }
          }
        }
      ]
    }
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queueName in queueNames: {
  parent: queueService
  name: queueName
}]

var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource deployerBlobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(storage.id, deployerPrincipalId, storageBlobDataContributor)
  scope: storage
  properties: {
    principalId: deployerPrincipalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: queueService
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
  }
}

output STORAGE_ACCOUNT_NAME string = storage.name
output STORAGE_ACCOUNT_ID string = storage.id
output STORAGE_BLOB_ENDPOINT string = storage.properties.primaryEndpoints.blob
output PRIMARY_PACKAGE_CONTAINER string = primaryPackageContainer.name
output STANDBY_PACKAGE_CONTAINER string = standbyPackageContainer.name
