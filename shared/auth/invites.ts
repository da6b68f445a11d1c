import { z } from 'zod';

import { getStaff } from '../catalog/staff.js';
import { getConfig } from '../config/config.js';
import { sql } from '../cosmos/sql.js';
import { TenantStore, trustTenantId, type TenantDoc } from '../cosmos/tenant-store.js';
import { digestsEqual, newId, randomToken, sha256Hex } from '../crypto/hash.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { now } from '../runtime/clock.js';
import { idSchema, emailSchema, nameSchema } from '../validation/common.js';
import { signupRequestSchema } from './accounts.js';
import type { Principal } from './guard.js';
import { hashPassword } from './passwords.js';
import { personEmailTaken, type PersonRecord } from './people.js';
import { loadTenant } from '../tenants/tenant.js';
import { assertPasswordAcceptable } from './password-policy.js';
import { startSession } from './sessions.js';

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * An invitation to join the business. The link's token is shown once, to the person who made
 * the invitation; only its SHA-256 is stored, so a copy of the database opens no invitation.
 */
export interface InvitationRecord extends TenantDoc {
  type: 'invitation';
  email: string;
  role: 'admin' | 'staff';
  staffId?: string;
  tokenHash: string;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  status: 'pending' | 'accepted' | 'revoked';
  acceptedAt?: string;
  userId?: string;
  revokedAt?: string;
}

export const invitationRequestSchema = z.strictObject({
  email: emailSchema,
  role: z.enum(['admin', 'staff']),
  staffId: idSchema.optional(),
});
export type InvitationRequest = z.infer<typeof invitationRequestSchema>;

export const invitationViewSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(['admin', 'staff']),
  staffId: z.string().optional(),
  status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
  createdAt: z.string(),
  expiresAt: z.string(),
});

export const createdInvitationSchema = invitationViewSchema.extend({
  token: z.string(),
  acceptUrl: z.string(),
});

export const acceptInvitationSchema = z.strictObject({
  token: z.string().min(1).max(256),
  password: signupRequestSchema.shape.password,
  name: nameSchema.optional(),
});
export type AcceptInvitation = z.infer<typeof acceptInvitationSchema>;

export const acceptedInvitationSchema = z.object({
  userId: z.string(),
  role: z.enum(['admin', 'staff']),
  accessToken: z.string(),
  expiresIn: z.number(),
});

function toInvitationView(invitation: InvitationRecord, at: number) {
  const expired = invitation.status === 'pending' && Date.parse(invitation.expiresAt) <= at;
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    ...(invitation.staffId ? { staffId: invitation.staffId } : {}),
    status: expired ? ('expired' as const) : invitation.status,
    createdAt: invitation.createdAt,
    expiresAt: invitation.expiresAt,
  };
}

/**
 * The token names its business and invitation so the public accept route can find it with one
 * point read, and carries 256 random bits; the whole token is what is hashed and compared.
 */
const TOKEN_PATTERN = /^(tnt_[A-Za-z0-9_-]{1,60})\.(inv_[A-Za-z0-9_-]{1,60})\.[A-Za-z0-9_-]{43}$/;

/**
 * Invites someone to join as admin or staff. Owners and admins may invite (neither can invite
 * an owner: ownership is given by an owner through people management). Inviting an email that
 * already has a usable invitation is a resend: the earlier link is revoked once the new one is
 * stored, so a failure on the way never leaves the person without a working link.
 */
export async function createInvitation(actor: Principal, input: InvitationRequest) {
  const { store } = actor;
  if (input.staffId) {
    await getStaff(store, input.staffId).catch(() => {
      throw new ValidationError([{ path: 'staffId', message: 'no staff member has this id' }]);
    });
  }
  if (await personEmailTaken(store, input.email)) {
    throw new ConflictError(
      'conflict',
      'Someone with this email is already a member of the business.',
    );
  }

  const at = now();
  const superseded = await usableInvitationsFor(store, input.email, at);
  const id = newId('inv');
  const token = `${store.tenantId}.${id}.${randomToken(32)}`;
  const created = await store.create<InvitationRecord>({
    id,
    type: 'invitation',
    email: input.email,
    role: input.role,
    ...(input.staffId ? { staffId: input.staffId } : {}),
    tokenHash: sha256Hex(token),
    invitedBy: actor.userId,
    createdAt: new Date(at).toISOString(),
    expiresAt: new Date(at + INVITATION_TTL_MS).toISOString(),
    status: 'pending',
  });
  if (!created.ok) throw new AppError('internal', 500, 'Could not store the invitation.');
  await revokeAll(store, superseded, at);
  const base = getConfig().PUBLIC_BASE_URL.replace(/\/$/, '');
  const { slug } = await loadTenant(store);
  // The link opens the business's console on its join view. A fragment is never sent to
  // servers, so the token stays out of access logs and referrers.
  return {
    ...toInvitationView(created.doc, at),
    token,
    acceptUrl: `${base}/${slug}/admin#/join/${token}`,
  };
}

export async function listInvitations(store: TenantStore) {
  const at = now();
  const invitations = await store.query<InvitationRecord>(
    sql`SELECT * FROM c WHERE c.type = 'invitation' ORDER BY c.createdAt DESC`,
  );
  return invitations.map((invitation) => toInvitationView(invitation, at));
}

/** Revokes a pending invitation; revoking twice is fine, revoking an accepted one is a 409. */
export async function revokeInvitation(store: TenantStore, id: string): Promise<void> {
  const at = new Date(now()).toISOString();
  const result = await store.update<InvitationRecord>('invitation', id, (invitation) => {
    if (invitation.status === 'revoked') return undefined;
    if (invitation.status === 'accepted') {
      throw new ConflictError(
        'conflict',
        `Invitation ${id} was already accepted; disable the user instead.`,
      );
    }
    return { ...invitation, status: 'revoked', revokedAt: at };
  });
  if (!result) throw new NotFoundError(`Invitation ${id}`);
}

/**
 * The invitations for an email that could still be accepted. Emails are stored as
 * `emailSchema` normalises them (lower case), so an exact match is the comparison
 * `personEmailTaken` makes too.
 */
async function usableInvitationsFor(store: TenantStore, email: string, at: number) {
  const pending = await store.query<InvitationRecord>(
    sql`SELECT * FROM c WHERE c.type = 'invitation' AND c.email = @email AND c.status = 'pending'`,
    { '@email': email },
  );
  return pending.filter((invitation) => Date.parse(invitation.expiresAt) > at);
}

/**
 * Revokes each invitation with its own conditional write; one accepted or revoked meanwhile is
 * left as it is, so every document ends either untouched or wholly revoked.
 */
async function revokeAll(store: TenantStore, invitations: InvitationRecord[], at: number) {
  const revokedAt = new Date(at).toISOString();
  for (const { id } of invitations) {
    await store.update<InvitationRecord>('invitation', id, (invitation) =>
      invitation.status === 'pending' ? { ...invitation, status: 'revoked', revokedAt } : undefined,
    );
  }
}

const UNKNOWN = 'This invitation link is not valid.';
const GONE = 'This invitation was used, revoked or has expired; ask for a new one.';

/**
 * Accepts an invitation: creates the person and signs them in. The invitation is marked
 * accepted with a conditional write before the user is created, so two uses of one link can
 * never both succeed; the other usable invitations for the same email are then revoked (their
 * links could only ever meet a 409 once the email is taken). If either step fails the
 * invitation is put back, so the link can be tried again. An unknown token (or a wrong one for
 * a real invitation) is 404; a used, revoked or expired one is 410.
 */
export async function acceptInvitation(input: AcceptInvitation) {
  const match = TOKEN_PATTERN.exec(input.token);
  if (!match) throw new AppError('not_found', 404, UNKNOWN);
  // The tenant id is only trusted to pick a partition; nothing is read unless the hash matches.
  const store = TenantStore.for(trustTenantId(match[1]!));
  const invitation = await store.read<InvitationRecord>('invitation', match[2]!);
  if (!invitation || !digestsEqual(invitation.tokenHash, sha256Hex(input.token))) {
    throw new AppError('not_found', 404, UNKNOWN);
  }
  const at = now();
  if (invitation.status !== 'pending' || Date.parse(invitation.expiresAt) <= at) {
    throw new AppError('gone', 410, GONE);
  }
  const { slug } = await loadTenant(store);
  await assertPasswordAcceptable(input.password, {
    hasSecondFactor: false,
    slug,
    email: invitation.email,
  });
  if (await personEmailTaken(store, invitation.email)) {
    throw new ConflictError(
      'conflict',
      'Someone with this email is already a member of the business.',
    );
  }

  const passwordHash = await hashPassword(input.password);
  const userId = newId('usr');
  const stamp = new Date(at).toISOString();
  const claimed = await store.replace<InvitationRecord>({
    ...invitation,
    status: 'accepted',
    acceptedAt: stamp,
    userId,
  });
  if (!claimed.ok) throw new AppError('gone', 410, GONE);

  const person: Omit<PersonRecord, 'tenantId'> = {
    id: userId,
    type: 'user',
    email: invitation.email,
    ...(input.name ? { name: input.name } : {}),
    passwordHash,
    role: invitation.role,
    status: 'active',
    ...(invitation.staffId ? { staffId: invitation.staffId } : {}),
    permissions: [],
    createdAt: stamp,
  };
  const created = await usableInvitationsFor(store, invitation.email, at)
    .then((others) => revokeAll(store, others, at))
    .then(() => store.create<PersonRecord>(person))
    .catch(() => ({ ok: false as const }));
  if (!created.ok) {
    await store.replace<InvitationRecord>({ ...invitation, _etag: claimed.doc._etag });
    throw new AppError('unavailable', 503, 'Could not create the account; try the link again.');
  }

  const tokens = await startSession(store, { id: userId, role: invitation.role }, ['pwd']);
  return { userId, role: invitation.role, ...tokens };
}
