import { beforeAll, describe, expect, it } from 'vitest';

import { sweep } from '../../../shared/booking/sweeper.js';
import { newId } from '../../../shared/crypto/hash.js';
import { TenantStore, trustTenantId, type TenantDoc } from '../../../shared/cosmos/tenant-store.js';
import { useOwnDatabase } from '../../support/env.js';

// The sweeper scans every tenant, at these tests' clock: on a database of their own.
beforeAll(async () => {
  await useOwnDatabase();
});

describe('sweep', () => {
  it('purges authorization codes and sign-in flows a day past expiry, and keeps the rest', async () => {
    const store = TenantStore.for(trustTenantId(newId('tnt')));
    const now = Date.parse('2031-03-03T09:00:00Z');
    const day = 24 * 3600_000;
    const record = (id: string, type: 'oauth-code' | 'oidc-flow', expiresAt: number) =>
      store.create<TenantDoc & { expiresAt: number }>({ id, type, expiresAt });
    await record('oac-old', 'oauth-code', now - day - 1);
    await record('oac-recent', 'oauth-code', now - 1);
    await record('oidc-old', 'oidc-flow', now - day - 1);
    await record('oidc-live', 'oidc-flow', now + 60_000);

    const report = await sweep(now);
    expect(report.authFlowsPurged).toBeGreaterThanOrEqual(2);
    expect(await store.read('oauth-code', 'oac-old')).toBeUndefined();
    expect(await store.read('oidc-flow', 'oidc-old')).toBeUndefined();
    expect(await store.read('oauth-code', 'oac-recent')).toMatchObject({ id: 'oac-recent' });
    expect(await store.read('oidc-flow', 'oidc-live')).toMatchObject({ id: 'oidc-live' });
  });
});
