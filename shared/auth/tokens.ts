import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

import { calculateJwkThumbprint, exportJWK, jwtVerify, SignJWT, type JWK } from 'jose';

import { getConfig } from '../config/config.js';
import { AuthError } from '../errors.js';

/** What an access token says about its bearer. */
export interface AccessClaims {
  userId: string;
  tenantId: string;
  role: Role;
}

/**
 * `owner`, `admin` and `staff` are the business's people; `customer` is an end customer with an
 * account at one business (see docs/authorization.md for what each may do).
 */
export const ROLES = ['owner', 'admin', 'staff', 'customer'] as const;
export type Role = (typeof ROLES)[number];

const ALGORITHM = 'ES256';

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: JWK;
}

let signingKey: Promise<SigningKey> | undefined;

async function loadSigningKey(): Promise<SigningKey> {
  const pem = getConfig().TOKEN_SIGNING_KEY;
  if (!pem) throw new Error('TOKEN_SIGNING_KEY is not configured.');
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, privateKey, publicKey, publicJwk: { ...publicJwk, kid, alg: ALGORITHM, use: 'sig' } };
}

function getSigningKey(): Promise<SigningKey> {
  signingKey ??= loadSigningKey();
  return signingKey;
}

/** Forgets the cached key so a new configuration takes effect (tests, local host). */
export function resetSigningKey(): void {
  signingKey = undefined;
}

export async function issueAccessToken(claims: AccessClaims): Promise<{ token: string; expiresIn: number }> {
  const config = getConfig();
  const key = await getSigningKey();
  const expiresIn = config.ACCESS_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({ tid: claims.tenantId, role: claims.role })
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'at+jwt' })
    .setSubject(claims.userId)
    .setIssuer(config.TOKEN_ISSUER)
    .setAudience(config.TOKEN_AUDIENCE)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime(`${expiresIn}s`)
    .sign(key.privateKey);
  return { token, expiresIn };
}

/**
 * Verifies signature (ES256 only), issuer, audience, expiry and not-before. Any failure is the
 * same 401, so a caller learns nothing about why a forged token was refused.
 */
export async function verifyAccessToken(token: string): Promise<AccessClaims> {
  const config = getConfig();
  const key = await getSigningKey();
  try {
    const { payload, protectedHeader } = await jwtVerify(token, key.publicKey, {
      algorithms: [ALGORITHM],
      issuer: config.TOKEN_ISSUER,
      audience: config.TOKEN_AUDIENCE,
      requiredClaims: ['sub', 'exp', 'nbf', 'iat'],
      typ: 'at+jwt',
    });
    if (protectedHeader.kid !== key.kid) throw new Error('unknown key id');
    const role = payload['role'];
    const tenantId = payload['tid'];
    if (typeof tenantId !== 'string' || !ROLES.includes(role as Role) || !payload.sub) {
      throw new Error('missing claims');
    }
    return { userId: payload.sub, tenantId, role: role as Role };
  } catch {
    throw new AuthError(401, 'The access token is not valid or has expired; sign in again.');
  }
}

/** The public half of the signing key, as a JWK set. */
export async function publicJwks(): Promise<{ keys: JWK[] }> {
  return { keys: [(await getSigningKey()).publicJwk] };
}
