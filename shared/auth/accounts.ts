import { z } from 'zod';

import { TenantStore, trustTenantId, type TenantDoc, type TenantId } from '../cosmos/tenant-store.js';
import { newId } from '../crypto/hash.js';
import { AppError, AuthError, ConflictError } from '../errors.js';
import { claimSlug, resolveSlug } from '../tenants/directory.js';
import { TENANT_DOC_ID, type TenantRecord } from '../tenants/tenant.js';
import { sql } from '../cosmos/sql.js';
import {
  emailSchema,
  nameSchema,
  slugSchema,
  timeZoneSchema,
} from '../validation/common.js';
import {
  burnPasswordCheck,
  hashPassword,
  needsRehash,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  verifyPassword,
} from './passwords.js';
import { issueAccessToken, type Role } from './tokens.js';

export interface UserRecord extends TenantDoc {
  type: 'user';
  email: string;
  passwordHash: string;
  role: Role;
  status: 'active' | 'disabled';
  createdAt: string;
}

const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, { message: `must be at least ${PASSWORD_MIN_LENGTH} characters` })
  .max(PASSWORD_MAX_LENGTH, { message: `must be at most ${PASSWORD_MAX_LENGTH} characters` });

export const signupRequestSchema = z.strictObject({
  businessName: nameSchema,
  slug: slugSchema,
  email: emailSchema,
  password: passwordSchema,
  timeZone: timeZoneSchema,
  region: z.enum(['us', 'eu', 'au']).default('us'),
});
export type SignupRequest = z.infer<typeof signupRequestSchema>;

export const signupResponseSchema = z.object({
  tenantId: z.string(),
  slug: z.string(),
  accessToken: z.string(),
});

export const loginRequestSchema = z.strictObject({
  slug: z.string().min(1).max(63),
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const loginResponseSchema = z.object({ accessToken: z.string(), expiresIn: z.number() });

/**
 * Creates a business and its owner. The tenant's documents are written first, in a partition
 * nobody can reach yet; the slug is claimed last and, if it is taken, those documents are removed
 * again, so a failed signup leaves nothing reachable behind.
 */
export async function signup(input: SignupRequest) {
  const passwordHash = await hashPassword(input.password);
  const tenantId = trustTenantId(newId('tnt'));
  const store = TenantStore.for(tenantId);
  const now = new Date().toISOString();

  const tenant = await store.create<TenantRecord>({
    id: TENANT_DOC_ID,
    type: 'tenant',
    businessName: input.businessName,
    slug: input.slug,
    timeZone: input.timeZone,
    region: input.region,
    createdAt: now,
  });
  const userId = newId('usr');
  const owner = await store.create<UserRecord>({
    id: userId,
    type: 'user',
    email: input.email,
    passwordHash,
    role: 'owner',
    status: 'active',
    createdAt: now,
  });
  if (!tenant.ok || !owner.ok) throw new AppError('internal', 500, 'Could not create the business.');

  if (!(await claimSlug(input.slug, tenantId, input.region))) {
    await store.delete(userId);
    await store.delete(TENANT_DOC_ID);
    throw new ConflictError('conflict', `The slug "${input.slug}" is taken; choose another.`);
  }

  const { token } = await issueAccessToken({ tenantId, userId, role: 'owner' });
  return { tenantId, slug: input.slug, accessToken: token };
}

const INVALID_LOGIN = 'The business, email or password is not correct.';

/** Signs a user in. Every failure looks and takes the same, so accounts cannot be probed. */
export async function login(input: LoginRequest) {
  const tenant = await resolveSlug(input.slug);
  const user = tenant ? await findUserByEmail(tenant.tenantId, input.email.toLowerCase()) : undefined;
  if (!tenant || !user || user.status !== 'active') {
    await burnPasswordCheck(input.password);
    throw new AuthError(401, INVALID_LOGIN);
  }
  if (!(await verifyPassword(input.password, user.passwordHash))) {
    throw new AuthError(401, INVALID_LOGIN);
  }
  if (needsRehash(user.passwordHash)) await upgradeHash(tenant.tenantId, user.id, input.password);

  const { token, expiresIn } = await issueAccessToken({
    tenantId: tenant.tenantId,
    userId: user.id,
    role: user.role,
  });
  return { accessToken: token, expiresIn };
}

/**
 * Signs in the active member of a business whose email an identity provider has just proven
 * (sign-in with Google or Microsoft). Nobody is created: an unknown email gets `undefined`.
 */
export async function signInWithVerifiedEmail(tenantId: TenantId, email: string) {
  const user = await findUserByEmail(tenantId, email.toLowerCase());
  if (!user || user.status !== 'active') return undefined;
  const { token, expiresIn } = await issueAccessToken({ tenantId, userId: user.id, role: user.role });
  return { accessToken: token, expiresIn };
}

async function findUserByEmail(tenantId: TenantId, email: string): Promise<UserRecord | undefined> {
  const [user] = await TenantStore.for(tenantId).query<UserRecord>(
    sql`SELECT * FROM c WHERE c.type = 'user' AND c.email = @email`,
    { '@email': email },
  );
  return user;
}

async function upgradeHash(tenantId: TenantId, userId: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await TenantStore.for(tenantId).update<UserRecord>('user', userId, (user) => ({ ...user, passwordHash }));
}
