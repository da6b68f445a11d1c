// The stamp's Cosmos DB account: two regions inside the stamp's geography, service-managed
// failover, continuous backup (30-day point-in-time restore) and no keys. Every tenant-owned
// document lives in `data`, partitioned by /tenantId.

@description('Stamp id (us, eu or au); part of resource names.')
param stamp string

@description('Primary region: the write region (failover priority 0).')
param primaryLocation string

@description('Secondary region in the same geography: the read region that takes writes after a failover.')
param secondaryLocation string

@description('Whether the primary region has availability zones; Cosmos DB zone redundancy is set per location and cannot change later.')
param primaryZoneRedundant bool

@description('Whether the secondary region has availability zones.')
param secondaryZoneRedundant bool

@description('Resource token (uniqueString of the subscription and stamp) that makes names unique.')
param resourceToken string

@description('Account name; empty for the default cosmos-<stamp>-<token>. Set to a restored account to adopt it (docs/runbooks/point-in-time-restore.md).')
param accountName string = ''

@description('Autoscale ceiling in RU/s shared by the containers of the database.')
@minValue(1000)
param maxThroughput int = 1000

@description('Log Analytics workspace that receives data-plane and control-plane logs (security alerts query them).')
param workspaceId string

@description('Tags applied to every resource.')
param tags object

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: empty(accountName) ? 'cosmos-${stamp}-${resourceToken}' : accountName
  location: primaryLocation
  kind: 'GlobalDocumentDB'
  tags: tags
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: primaryLocation
        failoverPriority: 0
        isZoneRedundant: primaryZoneRedundant
      }
      {
        locationName: secondaryLocation
        failoverPriority: 1
        isZoneRedundant: secondaryZoneRedundant
      }
    ]
    // Service-managed failover: Cosmos DB promotes the secondary when the write region is lost.
    enableAutomaticFailover: true
    enableMultipleWriteLocations: false
    backupPolicy: {
      type: 'Continuous'
      continuousModeProperties: {
        tier: 'Continuous30Days'
      }
    }
    // Keys off: only Entra ID principals with data-plane role assignments reach the data.
    disableLocalAuth: true
    // Databases and containers change through ARM (this file), never through the data plane.
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: 'slotwise'
  properties: {
    resource: {
      id: 'slotwise'
    }
    options: {
      autoscaleSettings: {
        maxThroughput: maxThroughput
      }
    }
  }
}

resource dataContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: 'data'
  properties: {
    resource: {
      id: 'data'
      partitionKey: {
        paths: [
          '/tenantId'
        ]
        kind: 'Hash'
        version: 2
      }
      // -1: documents expire only when they carry their own `ttl` (holds, refresh tokens).
      defaultTtl: -1
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          {
            path: '/*'
          }
        ]
        excludedPaths: [
          {
            path: '/"_etag"/?'
          }
        ]
      }
    }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        category: 'DataPlaneRequests'
        enabled: true
      }
      {
        category: 'ControlPlaneRequests'
        enabled: true
      }
    ]
  }
}

output COSMOS_ACCOUNT_NAME string = account.name
output COSMOS_ENDPOINT string = account.properties.documentEndpoint
output COSMOS_DATABASE string = database.name
