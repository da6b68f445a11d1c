using 'main.bicep'

// Entry point for azd, which only reads infra/main.bicepparam:
//   azd env new slotwise-eu && azd env set SLOTWISE_STAMP eu && azd up
// The stamps below repeat infra/stamps/<stamp>.bicepparam (the files `az deployment sub create`
// uses); test/infra/policy.test.ts fails when the two disagree.
var requestedStamp = readEnvironmentVariable('SLOTWISE_STAMP', 'us')
// Narrowed to the literal stamp ids so it type-checks against @allowed (azure.yaml's
// preprovision hook already refuses any other value).
var stampName = requestedStamp == 'eu' ? 'eu' : requestedStamp == 'au' ? 'au' : 'us'

var stamps = {
  us: {
    primaryLocation: 'eastus'
    secondaryLocation: 'westus'
    primaryZoneRedundant: true
    secondaryZoneRedundant: false
    primaryHostingPlan: 'FlexConsumption'
    secondaryHostingPlan: 'FlexConsumption'
    emailDataLocation: 'United States'
    availabilityTestLocations: [
      'us-va-ash-azr'
      'us-ca-sjc-azr'
      'us-tx-sn1-azr'
      'us-il-ch1-azr'
      'us-fl-mia-edge'
    ]
  }
  eu: {
    primaryLocation: 'westeurope'
    secondaryLocation: 'northeurope'
    primaryZoneRedundant: true
    secondaryZoneRedundant: true
    primaryHostingPlan: 'FlexConsumption'
    secondaryHostingPlan: 'FlexConsumption'
    emailDataLocation: 'Europe'
    availabilityTestLocations: [
      'emea-nl-ams-azr'
      'emea-gb-db3-azr'
      'emea-fr-pra-edge'
      'emea-ch-zrh-edge'
    ]
  }
  au: {
    primaryLocation: 'australiacentral'
    secondaryLocation: 'australiaeast'
    primaryZoneRedundant: false
    secondaryZoneRedundant: true
    primaryHostingPlan: 'ElasticPremium'
    secondaryHostingPlan: 'FlexConsumption'
    emailDataLocation: 'Australia'
    availabilityTestLocations: [
      'emea-au-syd-edge'
    ]
  }
}

var selected = stamps[stampName]

param stamp = stampName
param primaryLocation = selected.primaryLocation
param secondaryLocation = selected.secondaryLocation
param primaryZoneRedundant = selected.primaryZoneRedundant
param secondaryZoneRedundant = selected.secondaryZoneRedundant
param primaryHostingPlan = selected.primaryHostingPlan
param secondaryHostingPlan = selected.secondaryHostingPlan
param emailDataLocation = selected.emailDataLocation
param availabilityTestLocations = selected.availabilityTestLocations

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'slotwise-${stampName}')
param alertEmail = readEnvironmentVariable('SLOTWISE_ALERT_EMAIL', '')
param alertSmsNumber = readEnvironmentVariable('SLOTWISE_ALERT_SMS_NUMBER', '')
param alertSmsCountryCode = readEnvironmentVariable('SLOTWISE_ALERT_SMS_COUNTRY_CODE', '1')
// azd signs in as a person and exports that person's object id as AZURE_PRINCIPAL_ID.
param deployerPrincipalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
// Only after a whole-account restore: the restored account to adopt.
param cosmosAccountName = readEnvironmentVariable('SLOTWISE_COSMOS_ACCOUNT_NAME', '')
