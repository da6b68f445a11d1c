// Azure Communication Services Email for the stamp, with an Azure-managed sender domain. The
// data location keeps message data at rest inside the stamp's geography.

@description('Stamp id (us, eu or au); part of resource names.')
param stamp string

@description('Geography where Communication Services keeps email data at rest (United States, Europe or Australia).')
@allowed([
  'United States'
  'Europe'
  'Australia'
])
param dataLocation string

@description('Resource token (uniqueString of the subscription and stamp) that makes names unique.')
param resourceToken string

@description('Tags applied to every resource.')
param tags object

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: 'ecs-${stamp}-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource managedDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: 'acs-${stamp}-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: [
      managedDomain.id
    ]
  }
}

output COMMUNICATION_SERVICE_NAME string = communication.name
output EMAIL_ENDPOINT string = 'https://${communication.properties.hostName}'
output EMAIL_SENDER string = 'DoNotReply@${managedDomain.properties.mailFromSenderDomain}'
