import { z } from 'zod';

import { recordSecurityEvent } from '../audit/security-events.js';
import { getConfig } from '../config/config.js';
import { sql } from '../cosmos/sql.js';
import { TenantStore, trustTenantId, type TenantDoc } from '../cosmos/tenant-store.js';
import { digestsEqual, newId, randomToken, sha256Hex } from '../crypto/hash.js';
import { AppError, AuthError } from '../errors.js';
import { now } from '../runtime/clock.js';
import type { UserRecord } from './accounts.js';
import { issueAccessToken, type Role } from './tokens.js';
import type { CustomerRecord } from './customers.js';
import { enrolmentRestriction } from './two-factor.js';

/**
 * A session is one sign-in: one document in the business's partition, which is also the family
 * of every refresh token handed out since. Refresh tokens are 256-bit random values shown once
 * and stored only as SHA-256; each use rotates them. The hashes of rotated tokens stay on the
 * session, so a rotated token shown again (stolen and used by someone else, or by the thief
 * after the owner refreshed) ends the whole session and is recorded as a security event.
 *
 * Access tokens carry the session id (`sid`) and the guard reads the session on every request,
 * so logging out, changing the password or disabling a user takes effect at once.
 */
export type SessionEndReason =
  | 'logout'
  | 'refresh_reuse'
  | 'password_changed'
  | 'user_disabled'
  | 'idle'
  | 'expired'
  | 'user_gone';

/** How the person proved who they are in this session. */
export type AuthMethod = 'pwd' | 'otp' | 'recovery' | 'oidc';

export interface SessionRecord extends TenantDoc {
  type: 'session';
  userId: string;
  /** Whether the account is a person of the business or a customer (told apart by role). */
  customer?: boolean;
  /** SHA-256 (hex) of the one refresh token that may be used next. */
  tokenHash: string;
  /** SHA-256 of tokens already rotated away, newest last, at most `USED_HASHES_KEPT`. */
  usedHashes: string[];
  methods: AuthMethod[];
  /** Set while the business requires two-factor sign-in and this person has not enrolled. */
  restriction?: 'mfa_enrolment';
  /** Epoch milliseconds. */
  createdAt: number;
  lastUsedAt: number;
  endedAt?: number;
  endReason?: SessionEndReason;
  /** Seconds; lets Cosmos purge the record after the absolute limit (and a margin for audit). */
  ttl: number;
}

/**
 * A session refreshed every 15 minutes for 30 days rotates about 2,900 times; the newest 100
 * rotated hashes are kept, which covers any realistic replay window. A token older than that
 * is refused like an unknown one, without ending the session.
 */
const USED_HASHES_KEPT = 100;

/**
 * How long the token just rotated away is answered with 409 `refresh_token_rotated` instead of
 * ending the session: another tab of the same browser that read it before the rotation reached
 * it. Nothing is issued for it, so a thief holding it gains nothing; after this, or for any older
 * token, reuse ends the session.
 */
export const ROTATION_GRACE_MS = 10_000;

export const refreshRequestSchema = z.strictObject({
  refreshToken: z.string().min(1).max(200),
});

export const sessionTokensSchema = z.object({
  accessToken: z.string(),
  expiresIn: z.number().describe('Seconds until the access token expires.'),
  refreshToken: z.string().describe('Opaque; use once with POST /api/auth/refresh.'),
});
export type SessionTokens = z.infer<typeof sessionTokensSchema>;

const REFRESH_TOKEN = /^(tnt_[A-Za-z0-9_-]{1,40})\.(ses_[A-Za-z0-9_-]{1,40})\.([A-Za-z0-9_-]{43})$/;
const INVALID_REFRESH = 'The refresh token is not valid or the session has ended; sign in again.';

function refreshTokenFor(tenantId: string, sessionId: string): { token: string; hash: string } {
  const token = `${tenantId}.${sessionId}.${randomToken(32)}`;
  return { token, hash: sha256Hex(token) };
}

/** Starts a session for a person who just proved who they are; returns its first tokens. */
export async function startSession(
  store: TenantStore,
  user: { id: string; role: Role },
  methods: AuthMethod[],
): Promise<SessionTokens> {
  const config = getConfig();
  const at = now();
  const sessionId = newId('ses');
  const refresh = refreshTokenFor(store.tenantId, sessionId);
  // Required two-factor sign-in is for the business's people, not its customers.
  const customer = user.role === 'customer';
  const restriction = customer ? undefined : await enrolmentRestriction(store, user.id, methods);
  const created = await store.create<SessionRecord>({
    id: sessionId,
    type: 'session',
    userId: user.id,
    ...(customer ? { customer } : {}),
    tokenHash: refresh.hash,
    usedHashes: [],
    methods,
    ...(restriction ? { restriction } : {}),
    createdAt: at,
    lastUsedAt: at,
    ttl: config.SESSION_ABSOLUTE_SECONDS + 86_400,
  });
  if (!created.ok) throw new AppError('internal', 500, 'Could not start the session.');

  const access = await issueAccessToken({
    tenantId: store.tenantId,
    userId: user.id,
    role: user.role,
    sessionId,
  });
  return { accessToken: access.token, expiresIn: access.expiresIn, refreshToken: refresh.token };
}

/** Why a session can no longer be used at `at`, or undefined while it is live. */
function endedBecause(session: SessionRecord, at: number): SessionEndReason | undefined {
  if (session.endedAt !== undefined) return session.endReason ?? 'logout';
  const config = getConfig();
  if (at >= session.createdAt + config.SESSION_ABSOLUTE_SECONDS * 1000) return 'expired';
  if (at >= session.lastUsedAt + config.SESSION_IDLE_SECONDS * 1000) return 'idle';
  return undefined;
}

/**
 * Trades a refresh token for a new access token and a new refresh token. A token that was
 * already rotated ends the session (the whole family) and records `refresh_token_reuse`, except
 * the one rotated within `ROTATION_GRACE_MS`, which is a 409 that changes nothing.
 */
export async function refreshSession(refreshToken: string): Promise<SessionTokens> {
  const match = REFRESH_TOKEN.exec(refreshToken);
  if (!match) throw new AuthError(401, INVALID_REFRESH);
  // The tenant id comes from the token itself; it is trusted only as far as the hash check
  // below: a forged id finds no session whose stored hash matches a token nobody was given.
  const store = TenantStore.for(trustTenantId(match[1] as string));
  const sessionId = match[2] as string;
  const hash = sha256Hex(refreshToken);

  for (let attempt = 0; attempt < 5; attempt++) {
    const session = await store.read<SessionRecord>('session', sessionId);
    if (!session) throw new AuthError(401, INVALID_REFRESH);
    const at = now();

    if (!digestsEqual(hash, session.tokenHash)) {
      const latest = session.usedHashes[session.usedHashes.length - 1];
      if (
        latest !== undefined &&
        digestsEqual(hash, latest) &&
        session.endedAt === undefined &&
        at - session.lastUsedAt < ROTATION_GRACE_MS
      ) {
        // Two tabs refreshing at once: the second may read the token before the first tab's
        // rotation reaches its copy of storage. Nothing is issued for it; the tab reads again.
        throw new AppError(
          'refresh_token_rotated',
          409,
          'This refresh token was rotated moments ago by another request of the same session; use the newest one.',
        );
      }
      if (session.usedHashes.some((used) => digestsEqual(hash, used))) {
        await endSession(store, sessionId, 'refresh_reuse');
        await recordSecurityEvent(store, {
          kind: 'refresh_token_reuse',
          userId: session.userId,
          detail: { sessionId },
        });
      }
      throw new AuthError(401, INVALID_REFRESH);
    }
    const ended = endedBecause(session, at);
    if (ended) {
      if (session.endedAt === undefined) await endSession(store, sessionId, ended);
      throw new AuthError(401, INVALID_REFRESH);
    }

    const user = await loadSessionAccount(store, session);
    if (!user || user.status !== 'active') {
      await endSession(store, sessionId, user ? 'user_disabled' : 'user_gone');
      throw new AuthError(401, INVALID_REFRESH);
    }

    const next = refreshTokenFor(store.tenantId, sessionId);
    const restriction = session.customer
      ? undefined
      : await enrolmentRestriction(store, user.id, session.methods);
    const { restriction: _previous, ...rest } = session;
    const written = await store.replace<SessionRecord>({
      ...rest,
      ...(restriction ? { restriction } : {}),
      tokenHash: next.hash,
      usedHashes: [...session.usedHashes, session.tokenHash].slice(-USED_HASHES_KEPT),
      lastUsedAt: at,
    });
    // Another refresh with the same token won the race; reading again sees this one as reused.
    if (!written.ok) continue;

    const access = await issueAccessToken({
      tenantId: store.tenantId,
      userId: user.id,
      role: user.role,
      sessionId,
    });
    return { accessToken: access.token, expiresIn: access.expiresIn, refreshToken: next.token };
  }
  throw new AppError('unavailable', 503, 'The session is busy; try again in a moment.');
}

/** The account a session belongs to: a person of the business, or a customer. */
async function loadSessionAccount(
  store: TenantStore,
  session: SessionRecord,
): Promise<{ id: string; role: Role; status: string } | undefined> {
  if (session.customer) {
    const customer = await store.read<CustomerRecord>('customer', session.userId);
    return customer && { id: customer.id, role: 'customer', status: customer.status };
  }
  return store.read<UserRecord>('user', session.userId);
}

/** Ends one session; its refresh token and every access token naming it stop working. */
export async function endSession(
  store: TenantStore,
  sessionId: string,
  reason: SessionEndReason,
): Promise<void> {
  const at = now();
  await store.update<SessionRecord>('session', sessionId, (session) =>
    session.endedAt === undefined ? { ...session, endedAt: at, endReason: reason } : undefined,
  );
}

/**
 * Ends every live session of a user (password change, user disabled, an administrator's
 * decision) and records one `sessions_ended` event. Returns how many sessions were ended.
 */
export async function endUserSessions(
  store: TenantStore,
  userId: string,
  reason: SessionEndReason,
): Promise<number> {
  const live = await store.query<SessionRecord>(
    sql`SELECT * FROM c WHERE c.type = 'session' AND c.userId = @userId AND NOT IS_DEFINED(c.endedAt)`,
    { '@userId': userId },
  );
  for (const session of live) await endSession(store, session.id, reason);
  if (live.length > 0) {
    await recordSecurityEvent(store, {
      kind: 'sessions_ended',
      userId,
      detail: { reason, count: live.length },
    });
  }
  return live.length;
}

/**
 * The guard's check: the session named by an access token is live and belongs to its bearer.
 * One point read per request; refuses with the same 401 as an invalid token.
 */
export async function requireLiveSession(
  store: TenantStore,
  sessionId: string,
  userId: string,
): Promise<SessionRecord> {
  const session = await store.read<SessionRecord>('session', sessionId);
  if (!session || session.userId !== userId || endedBecause(session, now())) {
    throw new AuthError(401, 'The session has ended; sign in again.');
  }
  return session;
}
