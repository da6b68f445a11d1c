import { randomBytes } from 'node:crypto';

import { getContainer } from '../cosmos/client.js';
import {
  statusOf,
  trustTenantId,
  type TenantId,
  type TenantStore,
} from '../cosmos/tenant-store.js';
import { now } from '../runtime/clock.js';
import type { Principal } from './guard.js';
import type { PersonRecord } from './people.js';
import type { Role } from './tokens.js';

/**
 * What API keys and third-party apps share: a directory entry that maps a credential's public id
 * to its tenant (so a request can find the tenant with one point read, never a cross-partition
 * query), and the check that the person behind a credential is still an active member.
 *
 * Directory entries hold the id, the kind and the tenant id only: no secret, no hash, no name.
 */
export type CredentialKind = 'apikey' | 'oauthclient' | 'oauthgrant';

interface CredentialEntry {
  id: string;
  kind: CredentialKind;
  tenantId: string;
  createdAt: string;
}

const entryKey = (kind: CredentialKind, id: string) => `${kind}:${id}`;

/** A random public id with a prefix, in lowercase hex so it never contains a separator. */
export function newCredentialId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}

/** Records which tenant a credential id belongs to; `false` when the id is already taken. */
export async function registerCredential(
  kind: CredentialKind,
  id: string,
  tenantId: TenantId,
): Promise<boolean> {
  const entry: CredentialEntry = {
    id: entryKey(kind, id),
    kind,
    tenantId,
    createdAt: new Date(now()).toISOString(),
  };
  try {
    await getContainer('directory').items.create(entry);
    return true;
  } catch (error) {
    if (statusOf(error) === 409) return false;
    throw error;
  }
}

/** The tenant a credential id belongs to, or `undefined` for an id nobody issued. */
export async function resolveCredentialTenant(
  kind: CredentialKind,
  id: string,
): Promise<TenantId | undefined> {
  if (!/^[a-z0-9]{1,64}$/.test(id)) return undefined;
  const key = entryKey(kind, id);
  const { resource } = await getContainer('directory').item(key, key).read<CredentialEntry>();
  if (!resource || resource.kind !== kind) return undefined;
  return trustTenantId(resource.tenantId);
}

/** Removes a directory entry (missing entries count as removed). */
export async function unregisterCredential(kind: CredentialKind, id: string): Promise<void> {
  const key = entryKey(kind, id);
  try {
    await getContainer('directory').item(key, key).delete();
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
}

interface MemberRecord {
  id: string;
  tenantId: string;
  type: 'user';
  role: Role;
  status: string;
}

/**
 * The person behind a key or an app grant as they are now (role, staff link, grants), or
 * `undefined` when they are no longer an active member: a key or app never outlives, or
 * outranks, the person who made it, and a staff member's key sees only their own bookings.
 */
export async function activeMember(
  store: TenantStore,
  userId: string,
): Promise<Pick<Principal, 'role' | 'permissions' | 'staffId'> | undefined> {
  const user = await store.read<PersonRecord>('user', userId);
  if (!user || user.status !== 'active' || user.role === 'customer') return undefined;
  return {
    role: user.role,
    permissions: user.permissions ?? [],
    ...(user.staffId ? { staffId: user.staffId } : {}),
  };
}
