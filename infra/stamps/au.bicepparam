using '../main.bicep'

// Australian stamp: Australia Central (Canberra) primary, Australia East (New South Wales)
// secondary. Australia Central has no availability zones and no Flex Consumption, so its app
// runs on Elastic Premium. Its Azure pair, Australia Central 2, is access-restricted and small;
// Australia East has zones and capacity. Storage and Key Vault replicate to the pair (Australia
// Central 2). Every copy of the data stays in Australia.
param stamp = 'au'
param primaryLocation = 'australiacentral'
param secondaryLocation = 'australiaeast'
param primaryZoneRedundant = false
param secondaryZoneRedundant = true
param primaryHostingPlan = 'ElasticPremium'
param secondaryHostingPlan = 'FlexConsumption'
param emailDataLocation = 'Australia'
// Sydney; the only Australian availability-test location.
param availabilityTestLocations = [
  'emea-au-syd-edge'
]

// Deploy-time values come from the environment, never from this file.
param alertEmail = readEnvironmentVariable('SLOTWISE_ALERT_EMAIL', '')
param alertSmsNumber = readEnvironmentVariable('SLOTWISE_ALERT_SMS_NUMBER', '')
param alertSmsCountryCode = readEnvironmentVariable('SLOTWISE_ALERT_SMS_COUNTRY_CODE', '61')
param deployerPrincipalId = readEnvironmentVariable('DEPLOYER_PRINCIPAL_ID', '')
// Only after a whole-account restore: the restored account to adopt.
param cosmosAccountName = readEnvironmentVariable('SLOTWISE_COSMOS_ACCOUNT_NAME', '')
