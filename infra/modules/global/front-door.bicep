// The global Front Door Premium profile and its WAF policy, shared by every stamp. Premium is
// needed for the managed rule sets. Each stamp adds its own endpoint, origin group and route
// (front-door-endpoint.bicep, front-door-routing.bicep); redeploying one stamp leaves the
// others' children alone.

@description('Resource token of the global part (uniqueString of the subscription) that makes names unique.')
param resourceToken string

@description('Requests per minute one client address may send to /api/auth/* before the WAF blocks it for the rest of the minute.')
@minValue(10)
param authRateLimitPerMinute int = 60

@description('Tags applied to every resource.')
param tags object

resource profile 'Microsoft.Cdn/profiles@2024-02-01' = {
  name: 'afd-slotwise-${resourceToken}'
  location: 'global'
  tags: tags
  sku: {
    name: 'Premium_AzureFrontDoor'
  }
  properties: {
    originResponseTimeoutSeconds: 60
  }
}

resource wafPolicy 'Microsoft.Network/FrontDoorWebApplicationFirewallPolicies@2024-02-01' = {
  name: 'wafslotwise${resourceToken}'
  location: 'global'
  tags: tags
  sku: {
    name: 'Premium_AzureFrontDoor'
  }
  properties: {
    policySettings: {
      enabledState: 'Enabled'
      mode: 'Prevention'
      requestBodyCheck: 'Enabled'
      customBlockResponseStatusCode: 403
    }
    customRules: {
      rules: [
        {
          name: 'AuthRateLimit'
          priority: 10
          enabledState: 'Enabled'
          ruleType: 'RateLimitRule'
          rateLimitDurationInMinutes: 1
          rateLimitThreshold: authRateLimitPerMinute
          groupBy: [
            {
              variableName: 'SocketAddr'
            }
          ]
          matchConditions: [
            {
              matchVariable: 'RequestUri'
              operator: 'Contains'
              negateCondition: false
              matchValue: [
                '/api/auth/'
              ]
              transforms: [
                'Lowercase'
              ]
            }
          ]
          action: 'Block'
        }
      ]
    }
    managedRules: {
      managedRuleSets: [
        // Default rule set 2.1: SQL injection, XSS, protocol enforcement (malformed requests)...
        {
          ruleSetType: 'Microsoft_DefaultRuleSet'
          ruleSetVersion: '2.1'
          ruleSetAction: 'Block'
        }
        {
          ruleSetType: 'Microsoft_BotManagerRuleSet'
          ruleSetVersion: '1.1'
        }
      ]
    }
  }
}

output FRONT_DOOR_PROFILE_NAME string = profile.name
output FRONT_DOOR_ID string = profile.properties.frontDoorId
output WAF_POLICY_ID string = wafPolicy.id
