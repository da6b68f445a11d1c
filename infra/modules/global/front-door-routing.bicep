// Routes the stamp's endpoint to its two function apps by priority: all traffic goes to the
// primary while its /api/health probe passes, and to the standby when it stops passing. Only the
// hashed page assets are cached at the edge. The WAF policy is attached to the endpoint.

@description('Stamp id (us, eu or au); part of child resource names.')
param stamp string

@description('Name of the global Front Door profile.')
param profileName string

@description('Name of the stamp\'s Front Door endpoint.')
param endpointName string

@description('Default host name of the primary function app.')
param primaryHostName string

@description('Default host name of the standby function app in the secondary region.')
param standbyHostName string

@description('Resource id of the WAF policy attached to the endpoint.')
param wafPolicyId string

@description('Seconds between health probes from each Front Door edge.')
@minValue(5)
param probeIntervalSeconds int = 30

resource profile 'Microsoft.Cdn/profiles@2024-02-01' existing = {
  name: profileName
}

resource endpoint 'Microsoft.Cdn/profiles/afdEndpoints@2024-02-01' existing = {
  parent: profile
  name: endpointName
}

resource originGroup 'Microsoft.Cdn/profiles/originGroups@2024-02-01' = {
  parent: profile
  name: 'og-${stamp}'
  properties: {
    loadBalancingSettings: {
      sampleSize: 4
      successfulSamplesRequired: 3
      additionalLatencyInMilliseconds: 50
    }
    healthProbeSettings: {
      probePath: '/api/health'
      probeRequestType: 'GET'
      probeProtocol: 'Https'
      probeIntervalInSeconds: probeIntervalSeconds
    }
    sessionAffinityState: 'Disabled'
  }
}

resource primaryOrigin 'Microsoft.Cdn/profiles/originGroups/origins@2024-02-01' = {
  parent: originGroup
  name: 'primary'
  properties: {
    hostName: primaryHostName
    originHostHeader: primaryHostName
    httpPort: 80
    httpsPort: 443
    priority: 1
    weight: 1000
    enabledState: 'Enabled'
    enforceCertificateNameCheck: true
  }
}

resource standbyOrigin 'Microsoft.Cdn/profiles/originGroups/origins@2024-02-01' = {
  parent: originGroup
  name: 'standby'
  properties: {
    hostName: standbyHostName
    originHostHeader: standbyHostName
    httpPort: 80
    httpsPort: 443
    priority: 2
    weight: 1000
    enabledState: 'Enabled'
    enforceCertificateNameCheck: true
  }
}

resource route 'Microsoft.Cdn/profiles/afdEndpoints/routes@2024-02-01' = {
  parent: endpoint
  name: 'route-${stamp}'
  properties: {
    originGroup: {
      id: originGroup.id
    }
    supportedProtocols: [
      'Http'
      'Https'
    ]
    patternsToMatch: [
      '/*'
    ]
    forwardingProtocol: 'HttpsOnly'
    httpsRedirect: 'Enabled'
    linkToDefaultDomain: 'Enabled'
    enabledState: 'Enabled'
  }
  dependsOn: [
    primaryOrigin
    standbyOrigin
  ]
}

// The pages' scripts and styles: content-hashed names the app marks immutable, so the edge may
// keep them as long as the app says. Only this route caches; the catch-all route above never
// does, because API answers and page shells belong to one tenant or one signed-in person.
resource assetRoute 'Microsoft.Cdn/profiles/afdEndpoints/routes@2024-02-01' = {
  parent: endpoint
  name: 'assets-${stamp}'
  properties: {
    originGroup: {
      id: originGroup.id
    }
    supportedProtocols: [
      'Http'
      'Https'
    ]
    patternsToMatch: [
      '/assets/*'
    ]
    forwardingProtocol: 'HttpsOnly'
    httpsRedirect: 'Enabled'
    linkToDefaultDomain: 'Enabled'
    enabledState: 'Enabled'
    cacheConfiguration: {
      // The app answers with Cache-Control and Vary: Accept-Encoding and compresses itself.
      queryStringCachingBehavior: 'IgnoreQueryString'
      compressionSettings: {
        isCompressionEnabled: false
      }
    }
  }
  dependsOn: [
    route
  ]
}

resource securityPolicy 'Microsoft.Cdn/profiles/securityPolicies@2024-02-01' = {
  parent: profile
  name: 'waf-${stamp}'
  properties: {
    parameters: {
      type: 'WebApplicationFirewall'
      wafPolicy: {
        id: wafPolicyId
      }
      associations: [
        {
          domains: [
            {
              id: endpoint.id
            }
          ]
          patternsToMatch: [
            '/*'
          ]
        }
      ]
    }
  }
}

output ORIGIN_GROUP_NAME string = originGroup.name
