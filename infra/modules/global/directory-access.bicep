// Gives a stamp's function apps data-plane access to the global directory (Cosmos DB Built-in
// Data Contributor). Deployed into the global resource group by each stamp.

@description('Name of the global directory Cosmos DB account.')
param accountName string

@description('Principal ids of the stamp\'s function app identities.')
@minLength(1)
param principalIds array

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' existing = {
  name: accountName
}

resource dataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = [for principalId in principalIds: {
  parent: account
  name: guid(account.id, principalId, 'cosmos-data-contributor')
  properties: {
    principalId: principalId
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002'
    scope: account.id
  }
}]
