// Alerts for one region of a stamp: an availability test on /api/health through Front Door, and
// log alerts for the 5xx rate, failed function runs, failed or missing backups and security
// events, all sent to the region's action group (email and SMS).

@description('Stamp id (us, eu or au); part of resource names.')
param stamp string

@description('Role of the region in the stamp (primary or standby); part of resource names.')
@allowed([
  'primary'
  'standby'
])
param role string

@description('Azure region of the Application Insights resource the alerts watch.')
param location string

@description('Resource token (uniqueString of the subscription and stamp) that makes names unique.')
param resourceToken string

@description('Application Insights resource of this region.')
param appInsightsId string

@description('Application Insights resources searched by the backup alert (both regions, so a backup run by either app counts).')
param backupAppInsightsIds array = []

@description('Log Analytics workspace holding Key Vault, Cosmos DB and storage logs; empty to skip the security-events alert.')
param securityWorkspaceId string = ''

@description('Action group that receives every alert of this region.')
param actionGroupId string

@description('Public URL probed by the availability test; the path must be /api/health.')
param healthCheckUrl string

@description('Availability test locations (ids such as us-va-ash-azr).')
@minLength(1)
param availabilityTestLocations array

@description('Name of the timer function that writes the daily backup; empty to skip the backup alert.')
param backupFunctionName string = ''

@description('Tags applied to every resource.')
param tags object

var serverErrorQuery = '''
requests
| where url startswith "http"
| summarize total = count(), failed = countif(toint(resultCode) >= 500)
| where total >= 20 and failed * 100.0 / total > 5
'''

var functionFailureQuery = '''
requests
| where success == false
| where isempty(url) or not(url startswith "http")
| summarize failures = count() by operation_Name
| where failures >= 3
'''

// No successful run in 26 hours is as bad as a failed run: the timer may not have fired at all.
var backupQueryTemplate = '''
union isfuzzy=true {apps}
| where timestamp > ago(26h)
| where operation_Name =~ "{function}"
| summarize succeeded = countif(success == true), failed = countif(success == false)
| where succeeded == 0 or failed > 0
'''

var backupSources = join(map(backupAppInsightsIds, id => 'app("${id}").requests'), ', ')

var backupQuery = replace(replace(backupQueryTemplate, '{apps}', backupSources), '{function}', backupFunctionName)

// Denied data-plane calls, secret or key changes, and writes to the write-once log export.
var securityQuery = '''
union isfuzzy=true
  (AzureDiagnostics
    | where ResourceProvider == "MICROSOFT.KEYVAULT"
    | where httpStatusCode_d in (401, 403) or OperationName in~ ("SecretSet", "SecretDelete", "SecretPurge", "KeyDelete", "KeyPurge", "KeyImport", "VaultDelete", "VaultPatch", "RoleAssignmentCreate")
    | project TimeGenerated, Source = "key-vault", Operation = OperationName, Caller = CallerIPAddress),
  (CDBDataPlaneRequests
    | where StatusCode in (401, 403)
    | project TimeGenerated, Source = "cosmos-db", Operation = OperationName, Caller = ClientIpAddress),
  (CDBControlPlaneRequests
    | where OperationName has_any ("Delete", "Restore", "Failover", "RoleAssignment")
    | project TimeGenerated, Source = "cosmos-db-control", Operation = OperationName, Caller = ""),
  (StorageBlobLogs
    | where StatusCode in (401, 403) or (ObjectKey has "/log-export/" and OperationName in ("DeleteBlob", "SetImmutabilityPolicy", "DeleteImmutabilityPolicy"))
    | project TimeGenerated, Source = "storage", Operation = OperationName, Caller = CallerIpAddress)
'''

resource availabilityTest 'Microsoft.Insights/webtests@2022-06-15' = {
  name: 'avail-${stamp}-${role}-${resourceToken}'
  location: location
  kind: 'standard'
  tags: union(tags, {
    'hidden-link:${appInsightsId}': 'Resource'
  })
  properties: {
    SyntheticMonitorId: 'avail-${stamp}-${role}-${resourceToken}'
    Name: 'Slotwise ${stamp} health (${role} monitor)'
    Enabled: true
    Frequency: 300
    Timeout: 30
    Kind: 'standard'
    RetryEnabled: true
    Locations: [for testLocation in availabilityTestLocations: {
      Id: testLocation
    }]
    Request: {
      RequestUrl: healthCheckUrl
      HttpVerb: 'GET'
      ParseDependentRequests: false
    }
    ValidationRules: {
      ExpectedHttpStatusCode: 200
      SSLCheck: true
      SSLCertRemainingLifetimeCheck: 7
    }
  }
}

resource availabilityAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-${stamp}-${role}-availability'
  location: 'global'
  tags: tags
  properties: {
    description: 'The public /api/health check of the ${stamp} stamp fails from several locations.'
    severity: 1
    enabled: true
    scopes: [
      availabilityTest.id
      appInsightsId
    ]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.WebtestLocationAvailabilityCriteria'
      webTestId: availabilityTest.id
      componentId: appInsightsId
      failedLocationCount: min(2, length(availabilityTestLocations))
    }
    actions: [
      {
        actionGroupId: actionGroupId
      }
    ]
  }
}

resource serverErrorAlert 'Microsoft.Insights/scheduledQueryRules@2022-06-15' = {
  name: 'alert-${stamp}-${role}-5xx-rate'
  location: location
  tags: tags
  properties: {
    displayName: 'Slotwise ${stamp} ${role}: 5xx rate above 5%'
    description: 'More than 5% of HTTP requests in 15 minutes ended with a 5xx status.'
    severity: 1
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: serverErrorQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        actionGroupId
      ]
    }
  }
}

resource functionFailureAlert 'Microsoft.Insights/scheduledQueryRules@2022-06-15' = {
  name: 'alert-${stamp}-${role}-function-failures'
  location: location
  tags: tags
  properties: {
    displayName: 'Slotwise ${stamp} ${role}: timer or queue function failing'
    description: 'A timer or queue-triggered function failed at least 3 times in 15 minutes.'
    severity: 2
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: functionFailureQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        actionGroupId
      ]
    }
  }
}

resource backupAlert 'Microsoft.Insights/scheduledQueryRules@2022-06-15' = if (!empty(backupFunctionName) && !empty(backupAppInsightsIds)) {
  name: 'alert-${stamp}-${role}-backup-failed'
  location: location
  tags: tags
  properties: {
    displayName: 'Slotwise ${stamp}: daily backup failed or did not run'
    description: 'The backup function failed, or has not succeeded in the last 26 hours.'
    severity: 1
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT1H'
    windowSize: 'P2D'
    criteria: {
      allOf: [
        {
          query: backupQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        actionGroupId
      ]
    }
  }
}

resource securityAlert 'Microsoft.Insights/scheduledQueryRules@2022-06-15' = if (!empty(securityWorkspaceId)) {
  name: 'alert-${stamp}-${role}-security-events'
  location: location
  tags: tags
  properties: {
    displayName: 'Slotwise ${stamp}: security event'
    description: 'Denied data-plane access, a secret or key change, or a write to the log export.'
    severity: 0
    enabled: true
    scopes: [
      securityWorkspaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: securityQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: [
        actionGroupId
      ]
    }
  }
}
