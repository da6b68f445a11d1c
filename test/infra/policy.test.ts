import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { get, parseBicep, resourcesOfType, stringOf, toPlain } from './bicep-reader.js';
import {
  checkPolicies,
  EXPECTED_PRIMARY,
  GEOGRAPHY,
  loadSources,
  REGION_PAIR,
  RULES,
  STAMPS,
} from './policy.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const sources = loadSources(ROOT);

function stampParams(stamp: string): Record<string, unknown> {
  const file = parseBicep(sources.get(`infra/stamps/${stamp}.bicepparam`) ?? '', stamp);
  return Object.fromEntries(file.params.map((param) => [param.name, toPlain(param.value)]));
}

describe('infrastructure policy', () => {
  it('finds every template, parameter file, azure.yaml and the deploy workflow', () => {
    const paths = [...sources.keys()];
    expect(paths).toEqual(
      expect.arrayContaining([
        'infra/main.bicep',
        'infra/main.bicepparam',
        'infra/stamps/us.bicepparam',
        'infra/stamps/eu.bicepparam',
        'infra/stamps/au.bicepparam',
        'infra/modules/cosmos.bicep',
        'infra/modules/storage.bicep',
        'infra/modules/key-vault.bicep',
        'infra/modules/function-app.bicep',
        'infra/modules/monitoring.bicep',
        'infra/modules/alerts.bicep',
        'infra/modules/global/front-door.bicep',
        'infra/modules/global/directory.bicep',
        'azure.yaml',
        '.github/workflows/deploy.yml',
      ]),
    );
  });

  it('passes every rule', () => {
    expect(checkPolicies(sources)).toEqual([]);
  });

  it('has a description for every rule', () => {
    for (const [rule, description] of Object.entries(RULES)) expect(description, rule).not.toBe('');
  });
});

describe('stamps', () => {
  it.each([
    ['us', 'eastus', 'westus'],
    ['eu', 'westeurope', 'northeurope'],
    ['au', 'australiacentral', 'australiaeast'],
  ])('puts the %s stamp in %s with %s as secondary', (stamp, primary, secondary) => {
    const params = stampParams(stamp);
    expect(params.stamp).toBe(stamp);
    expect(params.primaryLocation).toBe(primary);
    expect(params.secondaryLocation).toBe(secondary);
  });

  it.each(STAMPS)(
    'keeps every region of the %s stamp, and its replication pair, in its geography',
    (stamp) => {
      const params = stampParams(stamp);
      const regions = [
        params.primaryLocation,
        params.secondaryLocation,
        REGION_PAIR[String(params.primaryLocation)],
      ];
      for (const region of regions) expect(GEOGRAPHY[stamp]).toContain(region);
      expect(params.primaryLocation).toBe(EXPECTED_PRIMARY[stamp]);
    },
  );

  it('runs Canberra on Elastic Premium without zones, because it has neither Flex Consumption nor zones', () => {
    const params = stampParams('au');
    expect(params.primaryHostingPlan).toBe('ElasticPremium');
    expect(params.primaryZoneRedundant).toBe(false);
  });

  it('never lists a region of another geography as part of a stamp', () => {
    const all = STAMPS.flatMap((stamp) => GEOGRAPHY[stamp]);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('templates as read', () => {
  it('gives the stamp Cosmos DB account two regions, continuous 30-day backup and no keys', () => {
    const file = parseBicep(sources.get('infra/modules/cosmos.bicep') ?? '', 'cosmos.bicep');
    const [account] = resourcesOfType(file, 'Microsoft.DocumentDB/databaseAccounts');
    expect(toPlain(get(account?.value, 'properties.locations'))).toEqual([
      {
        locationName: { expr: 'primaryLocation' },
        failoverPriority: 0,
        isZoneRedundant: { expr: 'primaryZoneRedundant' },
      },
      {
        locationName: { expr: 'secondaryLocation' },
        failoverPriority: 1,
        isZoneRedundant: { expr: 'secondaryZoneRedundant' },
      },
    ]);
    expect(toPlain(get(account?.value, 'properties.backupPolicy'))).toEqual({
      type: 'Continuous',
      continuousModeProperties: { tier: 'Continuous30Days' },
    });
    expect(toPlain(get(account?.value, 'properties.disableLocalAuth'))).toBe(true);
  });

  it('names every queue the app uses', () => {
    const file = parseBicep(sources.get('infra/modules/storage.bicep') ?? '', 'storage.bicep');
    expect(toPlain(file.vars.find((variable) => variable.name === 'queueNames')?.value)).toEqual([
      'booking-notifications',
      'booking-notifications-poison',
      'calendar-sync',
      'calendar-sync-poison',
    ]);
  });

  it('routes Front Door by priority from the primary app to the standby app', () => {
    const file = parseBicep(
      sources.get('infra/modules/global/front-door-routing.bicep') ?? '',
      'routing.bicep',
    );
    const origins = resourcesOfType(file, 'Microsoft.Cdn/profiles/originGroups/origins').map(
      (origin) => [
        stringOf(get(origin.value, 'name')),
        toPlain(get(origin.value, 'properties.priority')),
      ],
    );
    expect(origins).toEqual([
      ['primary', 1],
      ['standby', 2],
    ]);
  });
});
