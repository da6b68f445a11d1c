import { describe, expect, it } from 'vitest';

import { parseConfig } from '../../../shared/config/config.js';

describe('parseConfig', () => {
  it('fills in local defaults', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      SLOTWISE_REGION: 'us',
      SLOTWISE_ROLE: 'primary',
      COSMOS_DATABASE: 'slotwise',
      BCRYPT_COST: 12,
      ACCESS_TOKEN_TTL_SECONDS: 900,
      SESSION_IDLE_SECONDS: 12 * 3600,
      SESSION_ABSOLUTE_SECONDS: 30 * 86_400,
      LOGIN_ACCOUNT_FREE_FAILURES: 5,
      LOGIN_ADDRESS_FREE_FAILURES: 20,
    });
  });

  it('takes previous token keys as a JSON array of PEMs and refuses anything else', () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n';
    expect(parseConfig({ TOKEN_PREVIOUS_KEYS: JSON.stringify([pem]) }).TOKEN_PREVIOUS_KEYS).toBe(
      JSON.stringify([pem]),
    );
    expect(parseConfig({ TOKEN_PREVIOUS_KEYS: '[]' }).TOKEN_PREVIOUS_KEYS).toBe('[]');
    for (const bad of [pem, '["not a key"]', '@Microsoft.KeyVault(VaultName=kv;SecretName=x)']) {
      expect(() => parseConfig({ TOKEN_PREVIOUS_KEYS: bad })).toThrow('TOKEN_PREVIOUS_KEYS');
    }
  });

  it('refuses an unresolved Key Vault reference as a secret, naming the setting', () => {
    expect(() =>
      parseConfig({
        PASSWORD_PEPPER: '@Microsoft.KeyVault(VaultName=kv;SecretName=password-pepper)',
      }),
    ).toThrow('PASSWORD_PEPPER');
  });

  it('defaults the sign-in issuers and refuses an unresolved Key Vault reference as a client secret', () => {
    const config = parseConfig({});
    expect(config.OIDC_GOOGLE_ISSUER).toBe('https://accounts.google.com');
    expect(config.OIDC_MICROSOFT_ISSUER).toBe('https://login.microsoftonline.com/common/v2.0');
    expect(config.OIDC_GOOGLE_CLIENT_ID).toBeUndefined();
    expect(() =>
      parseConfig({
        OIDC_GOOGLE_CLIENT_SECRET: '@Microsoft.KeyVault(VaultName=kv;SecretName=google-oidc)',
      }),
    ).toThrow('OIDC_GOOGLE_CLIENT_SECRET');
  });

  it('refuses a bcrypt cost below 12 and an unknown region', () => {
    expect(() => parseConfig({ BCRYPT_COST: '10' })).toThrow('BCRYPT_COST');
    expect(() => parseConfig({ SLOTWISE_REGION: 'mars' })).toThrow('SLOTWISE_REGION');
  });
});
