using '../main.bicep'

// European Union stamp: West Europe (Netherlands) primary, North Europe (Ireland, its Azure
// pair) secondary. Data, replicas, backups, logs and email data all stay in the EU.
param stamp = 'eu'
param primaryLocation = 'westeurope'
param secondaryLocation = 'northeurope'
param primaryZoneRedundant = true
param secondaryZoneRedundant = true
param primaryHostingPlan = 'FlexConsumption'
param secondaryHostingPlan = 'FlexConsumption'
param emailDataLocation = 'Europe'
// Amsterdam, Dublin, Paris, Zurich edge (France South).
param availabilityTestLocations = [
  'emea-nl-ams-azr'
  'emea-gb-db3-azr'
  'emea-fr-pra-edge'
  'emea-ch-zrh-edge'
]

// Deploy-time values come from the environment, never from this file.
param alertEmail = readEnvironmentVariable('SLOTWISE_ALERT_EMAIL', '')
param alertSmsNumber = readEnvironmentVariable('SLOTWISE_ALERT_SMS_NUMBER', '')
param alertSmsCountryCode = readEnvironmentVariable('SLOTWISE_ALERT_SMS_COUNTRY_CODE', '353')
param deployerPrincipalId = readEnvironmentVariable('DEPLOYER_PRINCIPAL_ID', '')
// Only after a whole-account restore: the restored account to adopt.
param cosmosAccountName = readEnvironmentVariable('SLOTWISE_COSMOS_ACCOUNT_NAME', '')
