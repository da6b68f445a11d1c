import { createHmac, hkdfSync, randomBytes } from 'node:crypto';

import { getConfig } from '../config/config.js';

/**
 * Manage-link tokens (256 bits) are derived, not stored: HMAC of the booking's identity and a
 * per-booking random nonce under a key derived from the server secret. The booking keeps only
 * the nonce and the token's SHA-256, so a copy of the database opens no booking, while the
 * notification job can still put the link in the customer's email without the token ever
 * travelling through a queue.
 */
function linkKey(): Buffer {
  const secret = getConfig().PASSWORD_PEPPER;
  if (!secret) throw new Error('PASSWORD_PEPPER is not configured.');
  return Buffer.from(hkdfSync('sha256', secret, 'slotwise', 'manage-link-v1', 32));
}

export function newManageNonce(): string {
  return randomBytes(16).toString('base64url');
}

export function deriveManageToken(tenantId: string, bookingId: string, nonce: string): string {
  return createHmac('sha256', linkKey())
    .update(`${tenantId}\n${bookingId}\n${nonce}`)
    .digest('base64url');
}
