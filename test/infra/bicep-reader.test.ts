import { describe, expect, it } from 'vitest';

import {
  BicepSyntaxError,
  decorator,
  get,
  getRaw,
  parseBicep,
  stringLiteralsIn,
  stringOf,
  toPlain,
} from './bicep-reader.js';

const SAMPLE = `// Leading file comment.
targetScope = 'subscription'

@description('Where it goes.')
@allowed([
  'eastus'
  'westus'
])
param location string

@description('How many.')
@minValue(1)
param count int = 3

var names = [
  'a'
  'b-poison'
]

// The account.
resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: 'cosmos-\${location}'
  location: location
  properties: {
    locations: [for (region, i) in names: {
      locationName: region
      failoverPriority: i
    }]
    escaped: 'it\\'s'
    query: '''
requests | where name == 'x'
'''
    single: { a: 1, b: 'two' }
    'quoted-key': true
    conditional: count > 1 ? [] : [
      {
        name: 'x'
      }
    ]
  }
}

resource optional 'Microsoft.Storage/storageAccounts@2023-05-01' = if (count > 2) {
  name: 'st'
  location: location
}

resource existingVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'kv'
}

// Calls the child.
module child 'modules/child.bicep' = {
  name: 'child'
  params: {
    settings: union(base, {
      EXTRA: 'yes'
    })
  }
}

output ACCOUNT_NAME string = account.name
`;

describe('parseBicep', () => {
  const file = parseBicep(SAMPLE, 'sample.bicep');

  it('reads the target scope and every declaration', () => {
    expect(file.targetScope).toBe('subscription');
    expect(file.params.map((param) => param.name)).toEqual(['location', 'count']);
    expect(file.vars.map((variable) => variable.name)).toEqual(['names']);
    expect(
      file.resources.map((resource) => [
        resource.symbol,
        resource.type,
        resource.apiVersion,
        resource.existing,
      ]),
    ).toEqual([
      ['account', 'Microsoft.DocumentDB/databaseAccounts', '2024-11-15', false],
      ['optional', 'Microsoft.Storage/storageAccounts', '2023-05-01', false],
      ['existingVault', 'Microsoft.KeyVault/vaults', '2023-07-01', true],
    ]);
    expect(file.modules.map((module) => [module.symbol, module.path])).toEqual([
      ['child', 'modules/child.bicep'],
    ]);
    expect(file.outputs.map((output) => [output.name, output.type, output.value.text])).toEqual([
      ['ACCOUNT_NAME', 'string', 'account.name'],
    ]);
  });

  it('reads decorators with their arguments', () => {
    const [location, count] = file.params;
    expect(stringOf(decorator(location!, 'description')?.args[0])).toBe('Where it goes.');
    expect(toPlain(decorator(location!, 'allowed')?.args[0])).toEqual(['eastus', 'westus']);
    expect(toPlain(decorator(count!, 'minValue')?.args[0])).toBe(1);
    expect(toPlain(count!.value)).toBe(3);
    expect(location!.type).toBe('string');
  });

  it('keeps the comment lines directly above a declaration', () => {
    expect(file.resources[0]!.comments).toEqual(['The account.']);
    expect(file.modules[0]!.comments).toEqual(['Calls the child.']);
    expect(file.resources[1]!.comments).toEqual([]);
  });

  it('reads nested objects, loops, escapes, multi-line strings and single-line objects', () => {
    const account = file.resources[0]!.value;
    expect(stringOf(get(account, 'name'))).toBe('cosmos-${location}');
    expect(get(account, 'name')).toMatchObject({ kind: 'string', interpolated: true });
    const locations = getRaw(account, 'properties.locations');
    expect(locations).toMatchObject({ kind: 'for', variables: ['region', 'i'], iterable: 'names' });
    expect(get(account, 'properties.locations.failoverPriority')?.text).toBe('i');
    expect(get(locations, 'locationName')?.text).toBe('region');
    expect(stringOf(get(account, 'properties.escaped'))).toBe("it's");
    expect(stringOf(get(account, 'properties.query'))).toBe("requests | where name == 'x'\n");
    expect(toPlain(get(account, 'properties.single'))).toEqual({ a: 1, b: 'two' });
    expect(toPlain(get(account, 'properties.quoted-key'))).toBe(true);
  });

  it('keeps expressions as text and finds the string literals inside them', () => {
    const conditional = get(file.resources[0]!.value, 'properties.conditional');
    expect(conditional?.kind).toBe('expr');
    expect(stringLiteralsIn(conditional)).toEqual(['x']);
    const settings = get(file.modules[0]!.value, 'params.settings');
    expect(settings?.text).toBe("union(base, {\n      EXTRA: 'yes'\n    })");
  });

  it('looks through resource conditions to the body', () => {
    const optional = file.resources[1]!.value;
    expect(optional).toMatchObject({ kind: 'if', condition: 'count > 2' });
    expect(stringOf(get(optional, 'name'))).toBe('st');
  });

  it('reads .bicepparam files', () => {
    const params = parseBicep(
      "using '../main.bicep'\n\nvar region = readEnvironmentVariable('REGION', 'eastus')\nparam stamp = 'us'\nparam zones = true\nparam list = [\n  'a'\n]\nparam location = region\n",
      'us.bicepparam',
    );
    expect(params.using).toBe('../main.bicep');
    expect(params.params.map((param) => [param.name, toPlain(param.value)])).toEqual([
      ['stamp', 'us'],
      ['zones', true],
      ['list', ['a']],
      ['location', { expr: 'region' }],
    ]);
  });

  it('fails with the file and line when brackets do not balance', () => {
    expect(() => parseBicep('param a string\nvar b = {\n  c: [\n}\n', 'broken.bicep')).toThrow(
      BicepSyntaxError,
    );
    expect(() => parseBicep('param a string\nvar b = {\n  c: [\n}\n', 'broken.bicep')).toThrow(
      /^broken\.bicep:\d+: /,
    );
  });

  it('fails on a top-level statement it does not know', () => {
    expect(() => parseBicep('resorce x y', 'typo.bicep')).toThrow(
      "typo.bicep:1: unexpected 'resorce' at top level",
    );
  });
});
