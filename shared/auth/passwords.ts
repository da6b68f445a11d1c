import { createHmac } from 'node:crypto';

import bcrypt from 'bcryptjs';

import { getConfig } from '../config/config.js';

/**
 * Passwords are normalized (NFKC), pre-hashed with HMAC-SHA-256 under a server-side pepper and
 * then hashed with bcrypt. The pre-hash is 44 bytes of base64, so bcrypt's 72-byte input limit
 * never truncates a password silently, and a stolen database alone cannot be attacked offline.
 */
export const PASSWORD_MAX_LENGTH = 256;

function preHash(password: string): string {
  const pepper = getConfig().PASSWORD_PEPPER;
  if (!pepper) throw new Error('PASSWORD_PEPPER is not configured.');
  return createHmac('sha256', pepper).update(password.normalize('NFKC'), 'utf8').digest('base64');
}

export async function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(preHash(password), getConfig().BCRYPT_COST);
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(preHash(password), hash);
}

/** Whether a stored hash was made with a lower cost than the one configured now. */
export function needsRehash(hash: string): boolean {
  return bcrypt.getRounds(hash) < getConfig().BCRYPT_COST;
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real check, so unknown accounts cannot be told apart by timing. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('slotwise-timing-equalizer-not-a-password');
  await bcrypt.compare(preHash(password), await dummyHash);
}
