import { z } from 'zod';

import { getStaff } from '../catalog/staff.js';
import { sql } from '../cosmos/sql.js';
import type { TenantStore } from '../cosmos/tenant-store.js';
import { AuthError, ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { now } from '../runtime/clock.js';
import { idSchema } from '../validation/common.js';
import type { UserRecord } from './accounts.js';
import type { Principal } from './guard.js';
import { isActiveOwner, writeOwnerChange } from './owner-roster.js';
import { PERMISSIONS, type Permission } from './policy.js';
import { endUserSessions } from './sessions.js';

/**
 * A person of the business: the user document of `accounts.ts` plus what people management adds.
 * `staffId` links a staff user to the staff record whose bookings are theirs.
 */
export interface PersonRecord extends UserRecord {
  name?: string;
  staffId?: string;
  permissions?: Permission[];
  updatedAt?: string;
}

/** The people roles; `customer` accounts live apart (see `customers.ts`). */
export const PERSON_ROLES = ['owner', 'admin', 'staff'] as const;

export const personViewSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().optional(),
  role: z.enum(PERSON_ROLES),
  status: z.enum(['active', 'disabled']),
  staffId: z.string().optional(),
  permissions: z.array(z.enum(PERMISSIONS)),
  createdAt: z.string(),
});
export type PersonView = z.infer<typeof personViewSchema>;

/** How a person is shown: never the password hash. */
export function toPersonView(person: PersonRecord): PersonView {
  return {
    id: person.id,
    email: person.email,
    ...(person.name ? { name: person.name } : {}),
    role: person.role as PersonView['role'],
    status: person.status,
    ...(person.staffId ? { staffId: person.staffId } : {}),
    permissions: person.permissions ?? [],
    createdAt: person.createdAt,
  };
}

export async function listPeople(store: TenantStore): Promise<PersonRecord[]> {
  return store.query<PersonRecord>(sql`SELECT * FROM c WHERE c.type = 'user' ORDER BY c.createdAt`);
}

export const personUpdateSchema = z
  .strictObject({
    role: z.enum(PERSON_ROLES).optional(),
    status: z.enum(['active', 'disabled']).optional(),
    /** Links the person to a staff record; `null` removes the link. */
    staffId: idSchema.nullable().optional(),
    permissions: z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length).optional(),
  })
  .refine((change) => Object.keys(change).length > 0, {
    message: 'name at least one field to change',
  });
export type PersonUpdate = z.infer<typeof personUpdateSchema>;

/**
 * Changes a person's role, status, staff link or grants. Owners may change anyone; admins may
 * change anyone but owners, and may not make owners. The last active owner can be neither
 * demoted nor disabled. A disabled person's tokens stop working at once (the guard reads the
 * user document on every request).
 */
export async function updatePerson(
  actor: Principal,
  id: string,
  change: PersonUpdate,
): Promise<PersonRecord> {
  const { store } = actor;
  if (change.staffId) {
    await getStaff(store, change.staffId).catch(() => {
      throw new ValidationError([{ path: 'staffId', message: 'no staff member has this id' }]);
    });
  }

  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await store.read<PersonRecord>('user', id);
    if (!current) throw new NotFoundError(`User ${id}`);
    if (actor.role !== 'owner' && (current.role === 'owner' || change.role === 'owner')) {
      throw new AuthError(403, 'Only an owner can change owners or make someone an owner.');
    }
    const next = applyChange(current, change);
    const ownerChange = isActiveOwner(current) !== isActiveOwner(next);
    const result = ownerChange
      ? await writeOwnerChange(store, current, next)
      : await store.replace<PersonRecord>(next);
    if (!result.ok) continue;
    // The guard already refuses a disabled person's tokens; ending the sessions also stops
    // their refresh tokens, so nothing of the old sign-in can be revived.
    if (next.status === 'disabled' && current.status !== 'disabled') {
      await endUserSessions(store, id, 'user_disabled');
    }
    return result.doc;
  }
  throw new ConflictError('conflict', `User ${id} is changing; load it again and retry.`);
}

function applyChange(current: PersonRecord, change: PersonUpdate): PersonRecord {
  const next: PersonRecord = { ...current, updatedAt: new Date(now()).toISOString() };
  if (change.role) next.role = change.role;
  if (change.status) next.status = change.status;
  if (change.permissions) next.permissions = [...new Set(change.permissions)];
  if (change.staffId === null) delete next.staffId;
  else if (change.staffId) next.staffId = change.staffId;
  return next;
}

/** Whether an account with this email already exists among the business's people. */
export async function personEmailTaken(store: TenantStore, email: string): Promise<boolean> {
  const [person] = await store.query<PersonRecord>(
    sql`SELECT * FROM c WHERE c.type = 'user' AND c.email = @email`,
    { '@email': email },
  );
  return person !== undefined;
}
