import { randomBytes } from 'node:crypto';

import { beforeAll, describe, expect, it } from 'vitest';

import { setConfig } from '../../../shared/config/config.js';
import { openSecret, sealSecret } from '../../../shared/crypto/secret-box.js';

beforeAll(() => {
  setConfig({ PASSWORD_PEPPER: randomBytes(32).toString('base64url') });
});

describe('secret box', () => {
  it('opens what it sealed, with a fresh salt and IV each time', () => {
    const first = sealSecret('JBSWY3DPEHPK3PXP', 'tnt_a/mfa:usr_b/totp');
    const second = sealSecret('JBSWY3DPEHPK3PXP', 'tnt_a/mfa:usr_b/totp');
    expect(openSecret(first, 'tnt_a/mfa:usr_b/totp')).toBe('JBSWY3DPEHPK3PXP');
    expect(first.salt).not.toBe(second.salt);
    expect(first.iv).not.toBe(second.iv);
    expect(first.data).not.toBe(second.data);
    expect(JSON.stringify(first)).not.toContain('JBSWY3DPEHPK3PXP');
  });

  it('refuses a sealed value moved to another record or altered', () => {
    const sealed = sealSecret('JBSWY3DPEHPK3PXP', 'tnt_a/mfa:usr_b/totp');
    expect(() => openSecret(sealed, 'tnt_a/mfa:usr_c/totp')).toThrow();
    const data = Buffer.from(sealed.data, 'base64url');
    data[0] = (data[0] ?? 0) ^ 1;
    expect(() =>
      openSecret({ ...sealed, data: data.toString('base64url') }, 'tnt_a/mfa:usr_b/totp'),
    ).toThrow();
  });
});
