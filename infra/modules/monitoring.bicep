// Monitoring for one region of a stamp: a Log Analytics workspace (30 days interactive, archive
// to 180 days), workspace-based Application Insights and the on-call action group. Each region
// has its own set so alerting survives the loss of the other region.

@description('Stamp id (us, eu or au); part of resource names.')
param stamp string

@description('Role of the region in the stamp (primary or standby); part of resource names.')
@allowed([
  'primary'
  'standby'
])
param role string

@description('Azure region of the workspace and Application Insights; logs stay in the stamp geography.')
param location string

@description('Resource token (uniqueString of the subscription and stamp) that makes names unique.')
param resourceToken string

@description('Days logs stay queryable (interactive retention).')
@minValue(30)
param interactiveRetentionDays int = 30

@description('Days logs are kept in total; past the interactive period they are archived and can be searched or restored.')
@minValue(180)
param totalRetentionDays int = 180

@description('Tables whose retention is set explicitly (interactive + archive).')
param retainedTables array = [
  'AppRequests'
  'AppTraces'
  'AppExceptions'
  'AppDependencies'
  'AppAvailabilityResults'
  'AzureDiagnostics'
  'CDBDataPlaneRequests'
  'CDBControlPlaneRequests'
  'StorageBlobLogs'
  'StorageQueueLogs'
]

@description('Email address that receives alerts; empty for none.')
param alertEmail string = ''

@description('Mobile number (digits only, no country code) that receives alerts by SMS; empty for none.')
param alertSmsNumber string = ''

@description('Country calling code of alertSmsNumber, digits only.')
param alertSmsCountryCode string = '1'

@description('Tags applied to every resource.')
param tags object

var emailReceivers = empty(alertEmail) ? [] : [
  {
    name: 'on-call-email'
    emailAddress: alertEmail
    useCommonAlertSchema: true
  }
]

var smsReceivers = empty(alertSmsNumber) ? [] : [
  {
    name: 'on-call-sms'
    countryCode: alertSmsCountryCode
    phoneNumber: alertSmsNumber
  }
]

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${stamp}-${role}-${resourceToken}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: interactiveRetentionDays
    features: {
      enableLogAccessUsingOnlyResourcePermissions: true
    }
  }
}

resource tables 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = [for table in retainedTables: {
  parent: workspace
  name: table
  properties: {
    retentionInDays: interactiveRetentionDays
    totalRetentionInDays: totalRetentionDays
  }
}]

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${stamp}-${role}-${resourceToken}'
  location: location
  kind: 'web'
  tags: tags
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
  }
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${stamp}-${role}-${resourceToken}'
  location: 'Global'
  tags: tags
  properties: {
    groupShortName: 'sw-${stamp}-${take(role, 3)}'
    enabled: true
    emailReceivers: emailReceivers
    smsReceivers: smsReceivers
  }
}

output LOG_ANALYTICS_WORKSPACE_ID string = workspace.id
output APPLICATION_INSIGHTS_ID string = appInsights.id
output APPLICATIONINSIGHTS_CONNECTION_STRING string = appInsights.properties.ConnectionString
output ACTION_GROUP_ID string = actionGroup.id
