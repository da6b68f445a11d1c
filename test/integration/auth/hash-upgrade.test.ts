import bcrypt from 'bcryptjs';
import { afterAll, describe, expect, it } from 'vitest';

import { login, signup, type UserRecord } from '../../../shared/auth/accounts.js';
import { sql } from '../../../shared/cosmos/sql.js';
import { TenantStore, trustTenantId } from '../../../shared/cosmos/tenant-store.js';
import { reconfigure, useEmulators } from '../../support/env.js';

useEmulators({ BCRYPT_COST: '12' });
afterAll(() => {
  reconfigure({ BCRYPT_COST: '12' });
});

const PASSWORD = 'a perfectly long passphrase for upgrades';

async function storedHash(tenantId: string): Promise<string> {
  const [user] = await TenantStore.for(trustTenantId(tenantId)).query<UserRecord>(
    sql`SELECT * FROM c WHERE c.type = 'user'`,
  );
  if (!user) throw new Error('no user');
  return user.passwordHash;
}

describe('login', () => {
  it('re-hashes a stored password with the higher cost once the configured cost rises', async () => {
    const slug = `upg-${Date.now().toString(36)}`;
    const email = `owner@${slug}.example`;
    const business = await signup({
      businessName: 'Upgrade',
      slug,
      email,
      password: PASSWORD,
      timeZone: 'Europe/London',
      region: 'us',
    });
    const before = await storedHash(business.tenantId);
    expect(bcrypt.getRounds(before)).toBe(12);

    reconfigure({ BCRYPT_COST: '13' });
    const result = await login({ slug, email, password: PASSWORD }, { address: '203.0.113.7' });
    expect(result).toEqual({
      accessToken: expect.any(String),
      expiresIn: 900,
      refreshToken: expect.any(String),
    });

    const after = await storedHash(business.tenantId);
    expect(bcrypt.getRounds(after)).toBe(13);
    expect(after).not.toBe(before);
    // The upgraded hash still opens with the same password.
    expect(
      await login({ slug, email, password: PASSWORD }, { address: '203.0.113.7' }),
    ).toHaveProperty('accessToken');
  });
});
