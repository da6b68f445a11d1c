// The stamp's Front Door endpoint. It is created before the function apps so its host name can
// become PUBLIC_BASE_URL; the routing to the apps is added afterwards.

@description('Stamp id (us, eu or au); part of the endpoint name.')
param stamp string

@description('Name of the global Front Door profile.')
param profileName string

@description('Resource token of the global part that makes names unique.')
param resourceToken string

@description('Tags applied to every resource.')
param tags object

resource profile 'Microsoft.Cdn/profiles@2024-02-01' existing = {
  name: profileName
}

resource endpoint 'Microsoft.Cdn/profiles/afdEndpoints@2024-02-01' = {
  parent: profile
  name: 'fde-${stamp}-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    enabledState: 'Enabled'
  }
}

output FRONT_DOOR_ENDPOINT_NAME string = endpoint.name
output FRONT_DOOR_HOST_NAME string = endpoint.properties.hostName
