import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

import { calculateJwkThumbprint, exportJWK, jwtVerify, SignJWT, type JWK } from 'jose';

import { getConfig } from '../config/config.js';
import { AuthError } from '../errors.js';
import { now } from '../runtime/clock.js';

/** What an access token says about its bearer. */
export interface AccessClaims {
  userId: string;
  tenantId: string;
  role: Role;
  /** The session (refresh-token family) the token belongs to; ending it refuses the token. */
  sessionId: string;
}

/**
 * `owner`, `admin` and `staff` are the business's people; `customer` is an end customer with an
 * account at one business (see docs/authorization.md for what each may do).
 */
export const ROLES = ['owner', 'admin', 'staff', 'customer'] as const;
export type Role = (typeof ROLES)[number];

const ALGORITHM = 'ES256';
const ACCESS_TYPE = 'at+jwt';
const MFA_TYPE = 'mfa+jwt';

/** How long the second sign-in step may take after the password was accepted. */
export const MFA_TOKEN_TTL_SECONDS = 300;

interface VerificationKey {
  kid: string;
  publicKey: KeyObject;
  publicJwk: JWK;
}

interface Keyring {
  /** Signs every new token. */
  current: VerificationKey & { privateKey: KeyObject };
  /** Every key a token may name in its `kid`: the current one and those kept after rotation. */
  byKid: Map<string, VerificationKey>;
}

let keyring: Promise<Keyring> | undefined;

async function describeKey(publicKey: KeyObject): Promise<VerificationKey> {
  if (
    publicKey.asymmetricKeyType !== 'ec' ||
    publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1'
  ) {
    throw new Error('Token keys must be P-256 (ES256) keys.');
  }
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, publicKey, publicJwk: { ...jwk, kid, alg: ALGORITHM, use: 'sig' } };
}

async function loadKeyring(): Promise<Keyring> {
  const config = getConfig();
  const pem = config.TOKEN_SIGNING_KEY;
  if (!pem) throw new Error('TOKEN_SIGNING_KEY is not configured.');
  const privateKey = createPrivateKey(pem);
  const current = { ...(await describeKey(createPublicKey(privateKey))), privateKey };

  const byKid = new Map<string, VerificationKey>([[current.kid, current]]);
  const previous = JSON.parse(config.TOKEN_PREVIOUS_KEYS ?? '[]') as string[];
  for (const entry of previous) {
    // A private PEM yields its public half; only the public half is ever used for them.
    const key = await describeKey(createPublicKey(entry));
    if (!byKid.has(key.kid)) byKid.set(key.kid, key);
  }
  return { current, byKid };
}

function getKeyring(): Promise<Keyring> {
  keyring ??= loadKeyring();
  return keyring;
}

/** Forgets the cached keys so a new configuration takes effect (tests, local host). */
export function resetSigningKey(): void {
  keyring = undefined;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

export async function issueAccessToken(
  claims: AccessClaims,
): Promise<{ token: string; expiresIn: number }> {
  const config = getConfig();
  const { current } = await getKeyring();
  const expiresIn = config.ACCESS_TOKEN_TTL_SECONDS;
  const issuedAt = seconds(now());
  const token = await new SignJWT({
    tid: claims.tenantId,
    role: claims.role,
    sid: claims.sessionId,
  })
    .setProtectedHeader({ alg: ALGORITHM, kid: current.kid, typ: ACCESS_TYPE })
    .setSubject(claims.userId)
    .setIssuer(config.TOKEN_ISSUER)
    .setAudience(config.TOKEN_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + expiresIn)
    .sign(current.privateKey);
  return { token, expiresIn };
}

/**
 * Verifies a token of the given type against the key its `kid` names (ES256 only), plus issuer,
 * audience, expiry and not-before on the app's clock. Tokens of one type never pass as another.
 */
async function verifyTyped(token: string, typ: string) {
  const config = getConfig();
  const { byKid } = await getKeyring();
  return jwtVerify(
    token,
    async (header) => {
      const key = header.kid === undefined ? undefined : byKid.get(header.kid);
      if (!key) throw new Error('unknown key id');
      return key.publicKey;
    },
    {
      algorithms: [ALGORITHM],
      issuer: config.TOKEN_ISSUER,
      audience: config.TOKEN_AUDIENCE,
      requiredClaims: ['sub', 'exp', 'nbf', 'iat'],
      typ,
      currentDate: new Date(now()),
    },
  );
}

/**
 * Verifies an access token. Any failure is the same 401, so a caller learns nothing about why a
 * forged token was refused.
 */
export async function verifyAccessToken(token: string): Promise<AccessClaims> {
  try {
    const { payload } = await verifyTyped(token, ACCESS_TYPE);
    const role = payload['role'];
    const tenantId = payload['tid'];
    const sessionId = payload['sid'];
    if (
      typeof tenantId !== 'string' ||
      typeof sessionId !== 'string' ||
      !ROLES.includes(role as Role) ||
      !payload.sub
    ) {
      throw new Error('missing claims');
    }
    return { userId: payload.sub, tenantId, role: role as Role, sessionId };
  } catch {
    throw new AuthError(401, 'The access token is not valid or has expired; sign in again.');
  }
}

/** What the second sign-in step needs to know about the first. */
export interface MfaChallenge {
  userId: string;
  tenantId: string;
  /** The HMAC key of the account's throttle record, so wrong codes count as failed sign-ins. */
  accountKey: string;
}

/**
 * A short-lived token proving the password step passed. It is signed like an access token but
 * carries another `typ`, so the guard never accepts it and it opens nothing but `login/mfa`.
 */
export async function issueMfaToken(challenge: MfaChallenge): Promise<string> {
  const config = getConfig();
  const { current } = await getKeyring();
  const issuedAt = seconds(now());
  return new SignJWT({ tid: challenge.tenantId, acct: challenge.accountKey })
    .setProtectedHeader({ alg: ALGORITHM, kid: current.kid, typ: MFA_TYPE })
    .setSubject(challenge.userId)
    .setIssuer(config.TOKEN_ISSUER)
    .setAudience(config.TOKEN_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + MFA_TOKEN_TTL_SECONDS)
    .sign(current.privateKey);
}

export async function verifyMfaToken(token: string): Promise<MfaChallenge> {
  try {
    const { payload } = await verifyTyped(token, MFA_TYPE);
    const tenantId = payload['tid'];
    const accountKey = payload['acct'];
    if (typeof tenantId !== 'string' || typeof accountKey !== 'string' || !payload.sub) {
      throw new Error('missing claims');
    }
    return { userId: payload.sub, tenantId, accountKey };
  } catch {
    throw new AuthError(401, 'The sign-in step has expired or is not valid; sign in again.');
  }
}

/** Every public key a token may currently be signed with, as a JWK set (current key first). */
export async function publicJwks(): Promise<{ keys: JWK[] }> {
  const { byKid } = await getKeyring();
  return { keys: [...byKid.values()].map((key) => key.publicJwk) };
}
