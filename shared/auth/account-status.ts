import type { TenantStore } from '../cosmos/tenant-store.js';
import { AuthError } from '../errors.js';
import type { CustomerRecord } from './customers.js';
import type { PersonRecord } from './people.js';
import type { Permission } from './policy.js';
import type { AccessClaims, Role } from './tokens.js';

export interface ActiveAccount {
  role: Role;
  staffId?: string;
  permissions: readonly Permission[];
}

/**
 * Reads the account behind a verified access token (one point read in the tenant's partition)
 * and refuses it with 401 when it is gone or disabled. The role comes from the stored account,
 * not the token, so a demotion takes effect on the next request. Customer tokens name a
 * customer account; every other role names a person of the business.
 */
export async function loadActiveAccount(
  store: TenantStore,
  claims: AccessClaims,
): Promise<ActiveAccount> {
  if (claims.role === 'customer') {
    const customer = await store.read<CustomerRecord>('customer', claims.userId);
    if (!customer || customer.status !== 'active') throw refused();
    return { role: 'customer', permissions: [] };
  }
  const person = await store.read<PersonRecord>('user', claims.userId);
  if (!person || person.status !== 'active' || person.role === 'customer') throw refused();
  return {
    role: person.role,
    ...(person.staffId ? { staffId: person.staffId } : {}),
    permissions: person.permissions ?? [],
  };
}

function refused(): AuthError {
  return new AuthError(401, 'The access token is not valid or has expired; sign in again.');
}
