import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import { deriveServerKey } from './server-keys.js';

/**
 * Secrets the app must read back (a TOTP seed) are sealed with AES-256-GCM. Each secret gets a
 * fresh random salt, from which HKDF derives its own key, and a fresh random IV; the record's
 * identity is bound as associated data, so a sealed value copied onto another record does not
 * open. Keys come from the server secret, which never sits in the database.
 */
export interface SealedSecret {
  v: 1;
  salt: string;
  iv: string;
  data: string;
  tag: string;
}

const PURPOSE = 'secret-box-v1';

export function sealSecret(plaintext: string, identity: string): SealedSecret {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveServerKey(PURPOSE, salt), iv);
  cipher.setAAD(Buffer.from(identity, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    v: 1,
    salt: salt.toString('base64url'),
    iv: iv.toString('base64url'),
    data: data.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
  };
}

/** Opens a sealed secret; throws when it was altered or belongs to another record. */
export function openSecret(sealed: SealedSecret, identity: string): string {
  const salt = Buffer.from(sealed.salt, 'base64url');
  const decipher = createDecipheriv(
    'aes-256-gcm',
    deriveServerKey(PURPOSE, salt),
    Buffer.from(sealed.iv, 'base64url'),
  );
  decipher.setAAD(Buffer.from(identity, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
  const data = Buffer.from(sealed.data, 'base64url');
  return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
}
