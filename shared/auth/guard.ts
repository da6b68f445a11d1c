import type { HttpRequest } from '@azure/functions';

import { TenantStore, trustTenantId, type TenantId } from '../cosmos/tenant-store.js';
import { AuthError } from '../errors.js';
import { verifyAccessToken, type Role } from './tokens.js';

/** Who is calling, proven by a verified access token, with their tenant's data handle. */
export interface Principal {
  userId: string;
  tenantId: TenantId;
  role: Role;
  store: TenantStore;
}

/** Verifies the bearer token and checks the caller has one of `roles`. */
export async function authorize(request: HttpRequest, roles: readonly Role[]): Promise<Principal> {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header.trim());
  if (!match?.[1]) throw new AuthError(401, 'Send an access token as "Authorization: Bearer <token>".');

  const claims = await verifyAccessToken(match[1]);
  if (!roles.includes(claims.role)) {
    throw new AuthError(403, 'Your role does not allow this action.');
  }
  const tenantId = trustTenantId(claims.tenantId);
  return { userId: claims.userId, tenantId, role: claims.role, store: TenantStore.for(tenantId) };
}

export const MANAGERS: readonly Role[] = ['owner', 'admin'];
