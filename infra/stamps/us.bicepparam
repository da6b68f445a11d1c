using '../main.bicep'

// United States stamp: East US primary, West US (its Azure pair) secondary. Data stays in the US.
param stamp = 'us'
param primaryLocation = 'eastus'
param secondaryLocation = 'westus'
param primaryZoneRedundant = true
// West US has no availability zones.
param secondaryZoneRedundant = false
param primaryHostingPlan = 'FlexConsumption'
param secondaryHostingPlan = 'FlexConsumption'
param emailDataLocation = 'United States'
// Virginia, California, Texas, Illinois, Florida.
param availabilityTestLocations = [
  'us-va-ash-azr'
  'us-ca-sjc-azr'
  'us-tx-sn1-azr'
  'us-il-ch1-azr'
  'us-fl-mia-edge'
]

// Deploy-time values come from the environment, never from this file.
param alertEmail = readEnvironmentVariable('SLOTWISE_ALERT_EMAIL', '')
param alertSmsNumber = readEnvironmentVariable('SLOTWISE_ALERT_SMS_NUMBER', '')
param alertSmsCountryCode = readEnvironmentVariable('SLOTWISE_ALERT_SMS_COUNTRY_CODE', '1')
param deployerPrincipalId = readEnvironmentVariable('DEPLOYER_PRINCIPAL_ID', '')
// Only after a whole-account restore: the restored account to adopt.
param cosmosAccountName = readEnvironmentVariable('SLOTWISE_COSMOS_ACCOUNT_NAME', '')
