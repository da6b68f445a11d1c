// Data-plane access of the stamp's function apps, by role assignment only: Cosmos DB data
// contributor, storage blob/queue/table data roles, Key Vault crypto and secrets user, and
// Communication Services email sending. No keys are read or handed out anywhere.

@description('Principal ids of the system-assigned identities of the primary and standby function apps.')
@minLength(1)
param principalIds array

@description('Name of the stamp Cosmos DB account.')
param cosmosAccountName string

@description('Name of the stamp storage account.')
param storageAccountName string

@description('Name of the stamp Key Vault.')
param keyVaultName string

@description('Name of the stamp Communication Services resource.')
param communicationServiceName string

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultCryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  communicationAndEmailServiceOwner: '09976791-48a7-449e-bb21-39d1a415f350'
}

var storageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

var keyVaultRoles = [
  roles.keyVaultCryptoUser
  roles.keyVaultSecretsUser
]

// Every (principal, role) pair, flattened so one loop assigns them all.
var storageAssignments = flatten(map(principalIds, principalId => map(storageRoles, roleId => {
  principalId: principalId
  roleId: roleId
})))

var keyVaultAssignments = flatten(map(principalIds, principalId => map(keyVaultRoles, roleId => {
  principalId: principalId
  roleId: roleId
})))

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' existing = {
  name: cosmosAccountName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' existing = {
  name: communicationServiceName
}

// Cosmos DB Built-in Data Contributor (data plane; the account has key auth disabled).
resource cosmosDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = [for principalId in principalIds: {
  parent: cosmos
  name: guid(cosmos.id, principalId, 'cosmos-data-contributor')
  properties: {
    principalId: principalId
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002'
    scope: cosmos.id
  }
}]

resource storageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for assignment in storageAssignments: {
  name: guid(storage.id, assignment.principalId, assignment.roleId)
  scope: storage
  properties: {
    principalId: assignment.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleId)
  }
}]

resource keyVaultAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for assignment in keyVaultAssignments: {
  name: guid(vault.id, assignment.principalId, assignment.roleId)
  scope: vault
  properties: {
    principalId: assignment.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleId)
  }
}]

// NOTE: Communication Services has no narrower built-in role that allows sending email with
// Entra ID: https://learn.microsoft.com/azure/communication-services/how-tos/managed-identity
resource emailSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principalId in principalIds: {
  name: guid(communication.id, principalId, roles.communicationAndEmailServiceOwner)
  scope: communication
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.communicationAndEmailServiceOwner)
  }
}]
