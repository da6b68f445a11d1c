// The stamp's Key Vault: RBAC only, soft delete with purge protection, and the RSA key that
// wraps every tenant's data key. The two secrets (password-pepper, token-signing-key) are
// created once by infra/scripts/seed-secrets.sh, so no secret value is ever in a file or in
// deployment history, and a redeploy never replaces them.

@description('Stamp id (us, eu or au); part of resource names.')
param stamp string

@description('Primary region of the stamp. Key Vault replicates itself to the paired region of the same geography.')
param location string

@description('Resource token (uniqueString of the subscription and stamp) that makes names unique.')
param resourceToken string

@description('Object id of the principal that runs the deployment; receives Key Vault Secrets Officer so seed-secrets.sh can create the secrets. Empty to skip.')
param deployerPrincipalId string = ''


@description('ISO 8601 duration after creation at which the wrap key rotates itself.')
param keyRotationInterval string = 'P1Y'

@description('ISO 8601 duration after which a key version expires; must be longer than keyRotationInterval.')
param keyExpiry string = 'P2Y'

@description('Log Analytics workspace that receives the vault audit log (security alerts query it).')
param workspaceId string

@description('Tags applied to every resource.')
param tags object

var keyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${stamp}-${resourceToken}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    // Premium: the wrap key is HSM-protected (RSA-HSM).
    sku: {
      family: 'A'
      name: 'premium'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

// RSA-OAEP-256 wrap/unwrap of per-tenant data keys; Key Vault has no symmetric wrap outside
// Managed HSM. Old versions stay enabled after a rotation so existing wrapped keys still unwrap.
resource wrapKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: 'tenant-data-wrap'
  properties: {
    kty: 'RSA-HSM'
    keySize: 3072
    keyOps: [
      'wrapKey'
      'unwrapKey'
    ]
    rotationPolicy: {
      attributes: {
        expiryTime: keyExpiry
      }
      lifetimeActions: [
        {
          trigger: {
            timeAfterCreate: keyRotationInterval
          }
          action: {
            type: 'rotate'
          }
        }
        {
          trigger: {
            timeBeforeExpiry: 'P30D'
          }
          action: {
            type: 'notify'
          }
        }
      ]
    }
  }
}

resource deployerSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(vault.id, deployerPrincipalId, keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: deployerPrincipalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficer)
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
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

output KEY_VAULT_NAME string = vault.name
output KEY_VAULT_URI string = vault.properties.vaultUri
output WRAP_KEY_NAME string = wrapKey.name
