import { createHmac, hkdfSync } from 'node:crypto';

import { getConfig } from '../config/config.js';

/**
 * Keys derived from the server secret (`PASSWORD_PEPPER`, a Key Vault secret in Azure) with HKDF,
 * one per purpose, so no two uses of the secret can ever be confused with each other.
 */
export function deriveServerKey(purpose: string, salt: Buffer | string = 'slotwise'): Buffer {
  const secret = getConfig().PASSWORD_PEPPER;
  if (!secret) throw new Error('PASSWORD_PEPPER is not configured.');
  return Buffer.from(hkdfSync('sha256', secret, salt, purpose, 32));
}

const cache = new Map<string, { secret: string; key: Buffer }>();

/**
 * A keyed, stable pseudonym of a value (an email, a client address): HMAC-SHA-256 under a key for
 * `purpose`, hex. Lets records be found by a value without storing the value itself.
 */
export function pseudonym(purpose: string, value: string): string {
  const secret = getConfig().PASSWORD_PEPPER ?? '';
  let entry = cache.get(purpose);
  if (!entry || entry.secret !== secret) {
    entry = { secret, key: deriveServerKey(`pseudonym:${purpose}`) };
    cache.set(purpose, entry);
  }
  return createHmac('sha256', entry.key).update(value, 'utf8').digest('hex');
}
