import { z } from 'zod';

import { getConfig } from '../config/config.js';

import { recordSecurityEvent } from '../audit/security-events.js';
import {
  TenantStore,
  trustTenantId,
  type TenantDoc,
  type TenantId,
} from '../cosmos/tenant-store.js';
import { newId } from '../crypto/hash.js';
import { AppError, AuthError, ConflictError, ValidationError } from '../errors.js';
import { now } from '../runtime/clock.js';
import { claimSlug, resolveSlug } from '../tenants/directory.js';
import { loadTenant, TENANT_DOC_ID, type TenantRecord } from '../tenants/tenant.js';
import { sql } from '../cosmos/sql.js';
import { emailSchema, nameSchema, slugSchema, timeZoneSchema } from '../validation/common.js';
import { assertPasswordAcceptable } from './password-policy.js';
import {
  burnPasswordCheck,
  hashPassword,
  needsRehash,
  PASSWORD_MAX_LENGTH,
  verifyPassword,
} from './passwords.js';
import { endUserSessions, sessionTokensSchema, startSession } from './sessions.js';
import {
  accountThrottleKey,
  addressThrottleKey,
  assertNotThrottled,
  clearAccountFailures,
  recordFailure,
  throttleKeysForUser,
  type ThrottleKeys,
} from './throttle.js';
import { issueMfaToken, MFA_TOKEN_TTL_SECONDS, verifyMfaToken, type Role } from './tokens.js';
import {
  hasSecondFactor,
  recoveryCodeSchema,
  totpCodeSchema,
  verifySecondFactor,
} from './two-factor.js';

export interface UserRecord extends TenantDoc {
  type: 'user';
  email: string;
  passwordHash: string;
  role: Role;
  status: 'active' | 'disabled';
  createdAt: string;
}

/** Where a sign-in attempt comes from; see `shared/http/client-address.ts`. */
export interface ClientInfo {
  address: string;
}

// Length, blocklist and context rules need the whole request (and, later, the second factor),
// so the schema checks only the bounds and `assertPasswordAcceptable` gives the reasons.
const passwordSchema = z
  .string()
  .min(1)
  .max(PASSWORD_MAX_LENGTH, {
    message: `must be at most ${PASSWORD_MAX_LENGTH} characters`,
  });

export const signupRequestSchema = z.strictObject({
  businessName: nameSchema,
  slug: slugSchema,
  email: emailSchema,
  password: passwordSchema,
  timeZone: timeZoneSchema,
  /** Where the business's data lives; defaults to this deployment's region. */
  region: z.enum(['us', 'eu', 'au']).optional(),
});
export type SignupRequest = z.infer<typeof signupRequestSchema>;

export const signupResponseSchema = z.object({
  tenantId: z.string(),
  slug: z.string(),
  ...sessionTokensSchema.shape,
});

export const loginRequestSchema = z.strictObject({
  slug: z.string().min(1).max(63),
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const mfaChallengeSchema = z.object({
  mfaRequired: z.literal(true),
  mfaToken: z.string().describe('Single-purpose; send it to POST /api/auth/login/mfa with a code.'),
  expiresIn: z.number().describe('Seconds left to complete the second step.'),
});

export const loginResponseSchema = z.union([sessionTokensSchema, mfaChallengeSchema]);

export const loginMfaRequestSchema = z
  .strictObject({
    mfaToken: z.string().min(1).max(2000),
    code: totpCodeSchema.optional(),
    recoveryCode: recoveryCodeSchema.optional(),
  })
  .superRefine((value, context) => {
    if ((value.code === undefined) === (value.recoveryCode === undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['code'],
        message: 'send either code or recoveryCode',
      });
    }
  });
export type LoginMfaRequest = z.infer<typeof loginMfaRequestSchema>;

export const changePasswordRequestSchema = z.strictObject({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  newPassword: passwordSchema,
});
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;

/**
 * Creates a business and its owner. The tenant's documents are written first, in a partition
 * nobody can reach yet; the slug is claimed last and, if it is taken, those documents are removed
 * again, so a failed signup leaves nothing reachable behind.
 */
export async function signup(request: SignupRequest) {
  // Data residency: a regional stamp keeps only its own region's businesses. A business that
  // chose another region signs up through that region's stamp (the front door routes by region).
  const served = getConfig().SLOTWISE_REGION;
  if (request.region !== undefined && request.region !== served) {
    throw new ValidationError([
      {
        path: 'region',
        message: `is not served by this deployment, which keeps data in "${served}"; sign up through the ${request.region} region`,
      },
    ]);
  }
  const input = { ...request, region: served };
  await assertPasswordAcceptable(input.password, {
    hasSecondFactor: false,
    slug: input.slug,
    email: input.email,
  });
  const passwordHash = await hashPassword(input.password);
  const tenantId = trustTenantId(newId('tnt'));
  const store = TenantStore.for(tenantId);
  const createdAt = new Date(now()).toISOString();

  const tenant = await store.create<TenantRecord>({
    id: TENANT_DOC_ID,
    type: 'tenant',
    businessName: input.businessName,
    slug: input.slug,
    timeZone: input.timeZone,
    region: input.region,
    createdAt,
  });
  const userId = newId('usr');
  const owner = await store.create<UserRecord>({
    id: userId,
    type: 'user',
    email: input.email,
    passwordHash,
    role: 'owner',
    status: 'active',
    createdAt,
  });
  if (!tenant.ok || !owner.ok)
    throw new AppError('internal', 500, 'Could not create the business.');

  if (!(await claimSlug(input.slug, tenantId, input.region))) {
    await store.delete(userId);
    await store.delete(TENANT_DOC_ID);
    throw new ConflictError('conflict', `The slug "${input.slug}" is taken; choose another.`);
  }

  const tokens = await startSession(store, { id: userId, role: 'owner' }, ['pwd']);
  return { tenantId, slug: input.slug, ...tokens };
}

const INVALID_LOGIN = 'The business, email or password is not correct.';
const INVALID_CODE = 'The code is not valid or was already used; try the next one.';

/**
 * Signs a user in. Every failure looks and takes the same, so accounts cannot be probed: unknown
 * businesses and emails spend a full bcrypt check, give the same 401, and are throttled by the
 * same records as real accounts. With two-factor on, the answer is a challenge, not a session.
 */
export async function login(input: LoginRequest, client: ClientInfo) {
  const email = input.email.toLowerCase();
  const keys: ThrottleKeys = {
    account: accountThrottleKey(input.slug, email),
    address: addressThrottleKey(client.address),
  };
  await assertNotThrottled(keys);

  const tenant = await resolveSlug(input.slug);
  const user = tenant ? await findUserByEmail(tenant.tenantId, email) : undefined;
  let accepted = false;
  if (!tenant || !user || user.status !== 'active') await burnPasswordCheck(input.password);
  else accepted = await verifyPassword(input.password, user.passwordHash);
  if (!tenant || !user || !accepted) {
    await countFailure(
      keys,
      tenant ? TenantStore.for(tenant.tenantId) : undefined,
      user?.id,
      'login_lockout',
    );
    throw new AuthError(401, INVALID_LOGIN);
  }

  const store = TenantStore.for(tenant.tenantId);
  if (needsRehash(user.passwordHash)) await upgradeHash(store, user.id, input.password);
  if (await hasSecondFactor(store, user.id)) {
    // The account's failure count is cleared only when the whole sign-in succeeds, so a known
    // password does not reset the limit on guessing codes.
    const mfaToken = await issueMfaToken({
      tenantId: tenant.tenantId,
      userId: user.id,
      accountKey: keys.account,
    });
    return { mfaRequired: true as const, mfaToken, expiresIn: MFA_TOKEN_TTL_SECONDS };
  }
  await clearAccountFailures(keys.account);
  return startSession(store, user, ['pwd']);
}

/** The second sign-in step: the challenge from `login` plus a TOTP code or a recovery code. */
export async function loginWithSecondFactor(input: LoginMfaRequest, client: ClientInfo) {
  const challenge = await verifyMfaToken(input.mfaToken);
  const keys: ThrottleKeys = {
    account: challenge.accountKey,
    address: addressThrottleKey(client.address),
  };
  await assertNotThrottled(keys);

  const store = TenantStore.for(trustTenantId(challenge.tenantId));
  const user = await store.read<UserRecord>('user', challenge.userId);
  if (!user || user.status !== 'active') throw new AuthError(401, INVALID_LOGIN);
  const method = await verifySecondFactor(store, user.id, input);
  if (!method) {
    await countFailure(keys, store, user.id, 'mfa_lockout');
    throw new AuthError(401, INVALID_CODE);
  }
  await clearAccountFailures(keys.account);
  return startSession(store, user, ['pwd', method]);
}

/**
 * Changes the signed-in person's password after checking the current one, then ends every
 * session they have (this one included): each device signs in again with the new password.
 */
export async function changePassword(
  store: TenantStore,
  userId: string,
  input: ChangePasswordRequest,
  client: ClientInfo,
): Promise<void> {
  const [tenant, user] = await Promise.all([
    loadTenant(store),
    store.read<UserRecord>('user', userId),
  ]);
  if (!user || user.status !== 'active')
    throw new AuthError(401, 'The session has ended; sign in again.');
  const keys = await throttleKeysForUser(store, user.email, client.address);
  await assertNotThrottled(keys);
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    await countFailure(keys, store, user.id, 'login_lockout');
    throw new ValidationError([
      { path: 'currentPassword', message: 'is not your current password' },
    ]);
  }
  await assertPasswordAcceptable(
    input.newPassword,
    { hasSecondFactor: await hasSecondFactor(store, userId), slug: tenant.slug, email: user.email },
    'newPassword',
  );

  const passwordHash = await hashPassword(input.newPassword);
  await store.update<UserRecord>('user', userId, (current) => ({ ...current, passwordHash }));
  await clearAccountFailures(keys.account);
  await recordSecurityEvent(store, { kind: 'password_changed', userId });
  await endUserSessions(store, userId, 'password_changed');
}

/** Counts a failed attempt; when it starts a lock, records it for the business (if known). */
export async function countFailure(
  keys: ThrottleKeys,
  store: TenantStore | undefined,
  userId: string | undefined,
  kind: 'login_lockout' | 'mfa_lockout',
): Promise<void> {
  const outcome = await recordFailure(keys);
  if (!store) return;
  // Pseudonyms are cut to 16 hex digits: enough to correlate events, useless for anything else.
  if (outcome.accountLockSeconds !== undefined) {
    await recordSecurityEvent(store, {
      kind,
      userId,
      detail: {
        account: keys.account.slice(0, 16),
        failures: outcome.accountFailures,
        lockSeconds: outcome.accountLockSeconds,
      },
    });
  }
  if (outcome.addressLockSeconds !== undefined) {
    await recordSecurityEvent(store, {
      kind: 'address_lockout',
      userId,
      detail: { address: keys.address.slice(0, 16), lockSeconds: outcome.addressLockSeconds },
    });
  }
}

/**
 * Signs in the active member of a business whose email an identity provider has just proven
 * (sign-in with Google or Microsoft). Nobody is created: an unknown email gets `undefined`.
 */
export async function signInWithVerifiedEmail(tenantId: TenantId, email: string) {
  const user = await findUserByEmail(tenantId, email.toLowerCase());
  if (!user || user.status !== 'active') return undefined;
  const store = TenantStore.for(tenantId);
  // The provider proves the email, not the person's own second factor: with TOTP on, the
  // sign-in ends in the same challenge as a password login.
  if (await hasSecondFactor(store, user.id)) {
    const { slug } = await loadTenant(store);
    const mfaToken = await issueMfaToken({
      tenantId,
      userId: user.id,
      accountKey: accountThrottleKey(slug, user.email),
    });
    return { mfaRequired: true as const, mfaToken, expiresIn: MFA_TOKEN_TTL_SECONDS };
  }
  return startSession(store, user, ['oidc']);
}

async function findUserByEmail(tenantId: TenantId, email: string): Promise<UserRecord | undefined> {
  const [user] = await TenantStore.for(tenantId).query<UserRecord>(
    sql`SELECT * FROM c WHERE c.type = 'user' AND c.email = @email`,
    { '@email': email },
  );
  return user;
}

async function upgradeHash(store: TenantStore, userId: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await store.update<UserRecord>('user', userId, (user) => ({ ...user, passwordHash }));
}
