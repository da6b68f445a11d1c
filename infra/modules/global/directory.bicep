// The global directory: a Cosmos DB account replicated to every geography, holding only
// slug -> (tenant id, region) and HMAC(email) -> tenant ids. No raw personal data, so it may live
// outside a tenant's region; everything else about a tenant stays in its stamp.

@description('Resource token of the global part (uniqueString of the subscription) that makes names unique.')
param resourceToken string

@description('Regions of the account as objects { name, zoneRedundant }; the first is the write region. At least two.')
@minLength(2)
param locations array

@description('Autoscale ceiling in RU/s of the directory database.')
@minValue(1000)
param maxThroughput int = 1000

@description('Tags applied to every resource.')
param tags object

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: 'cosmos-dir-${resourceToken}'
  location: locations[0].name
  kind: 'GlobalDocumentDB'
  tags: tags
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [for (location, index) in locations: {
      locationName: location.name
      failoverPriority: index
      isZoneRedundant: location.zoneRedundant
    }]
    enableAutomaticFailover: true
    enableMultipleWriteLocations: false
    backupPolicy: {
      type: 'Continuous'
      continuousModeProperties: {
        tier: 'Continuous30Days'
      }
    }
    disableLocalAuth: true
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

resource directoryContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: 'directory'
  properties: {
    resource: {
      id: 'directory'
      partitionKey: {
        paths: [
          '/id'
        ]
        kind: 'Hash'
        version: 2
      }
      defaultTtl: -1
    }
  }
}

output DIRECTORY_COSMOS_ACCOUNT_NAME string = account.name
output DIRECTORY_COSMOS_ENDPOINT string = account.properties.documentEndpoint
