import { describe, expect, it } from 'vitest';

import { matchesVersion, versionOf } from '../../../shared/cosmos/versions.js';

const doc = (etag: string) => ({ id: 'svc_1', tenantId: 't', type: 'service', _etag: etag });

describe('versionOf', () => {
  it('quotes the _etag once, whether Cosmos quoted it or the local server did not', () => {
    expect(versionOf(doc('"0000d986-0000-0d00-0000-65a1b2c30000"'))).toBe(
      '"0000d986-0000-0d00-0000-65a1b2c30000"',
    );
    expect(versionOf(doc('6f1c2e1a-5b0e-4c55-9d7e-0d3f1f6f4a11'))).toBe(
      '"6f1c2e1a-5b0e-4c55-9d7e-0d3f1f6f4a11"',
    );
  });

  it('encodes an _etag holding characters an entity tag may not', () => {
    expect(versionOf(doc('a "b" c'))).toBe(`"${Buffer.from('a "b" c').toString('base64url')}"`);
  });
});

describe('matchesVersion', () => {
  it('matches * always, and a tag by strong comparison only', () => {
    const stored = doc('"v1"');
    expect(matchesVersion(stored, '*')).toBe(true);
    expect(matchesVersion(stored, ['"v0"', '"v1"'])).toBe(true);
    expect(matchesVersion(stored, ['W/"v1"'])).toBe(false);
    expect(matchesVersion(stored, ['"v2"'])).toBe(false);
  });
});
