import type { HttpRequest } from '@azure/functions';

import { TenantStore, trustTenantId, type TenantId } from '../cosmos/tenant-store.js';
import { AuthError } from '../errors.js';
import { API_KEY_PREFIX, authenticateApiKey } from './api-keys.js';
import { APP_TOKEN_PREFIX, authenticateAppToken } from './oauth-server.js';
import type { Scope } from './scopes.js';
import { verifyAccessToken, type Role } from './tokens.js';

/** Who is calling, proven by a verified credential, with their tenant's data handle. */
export interface Principal {
  /** A person signed in, an API key, or a third-party app acting for a person. */
  kind: 'user' | 'api-key' | 'app';
  /** The person: the one signed in, the key's creator, or the one who consented to the app. */
  userId: string;
  tenantId: TenantId;
  role: Role;
  /** `all` for people signed in; the granted scopes for keys and apps. */
  scopes: readonly Scope[] | 'all';
  store: TenantStore;
}

export interface Requirement {
  roles: readonly Role[];
  /**
   * The scope a key or app must hold; people are limited by role alone. A route that declares no
   * scope is for people only: keys and apps are refused there (they cannot mint keys, say).
   */
  scope?: Scope;
}

const BEARER = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/;

/** Reads the bearer credential and turns it into a principal, or refuses with 401. */
async function authenticate(request: HttpRequest): Promise<Principal> {
  const header = request.headers.get('authorization') ?? '';
  const token = BEARER.exec(header.trim())?.[1];
  if (!token) throw new AuthError(401, 'Send an access token as "Authorization: Bearer <token>".');

  // Third-party credentials are opaque and checked against their stored record on every call,
  // so revoking one takes effect at once.
  if (token.startsWith(API_KEY_PREFIX)) return authenticateApiKey(token);
  if (token.startsWith(APP_TOKEN_PREFIX)) return authenticateAppToken(token);

  const claims = await verifyAccessToken(token);
  const tenantId = trustTenantId(claims.tenantId);
  return {
    kind: 'user',
    userId: claims.userId,
    tenantId,
    role: claims.role,
    scopes: 'all',
    store: TenantStore.for(tenantId),
  };
}

/** Verifies the caller and checks their role (and, for keys and apps, the scope). */
export async function authorize(
  request: HttpRequest,
  requirement: Requirement | readonly Role[],
): Promise<Principal> {
  const { roles, scope } = Array.isArray(requirement)
    ? { roles: requirement as readonly Role[], scope: undefined }
    : (requirement as Requirement);
  const principal = await authenticate(request);
  if (!roles.includes(principal.role)) {
    throw new AuthError(403, 'Your role does not allow this action.');
  }
  if (principal.scopes !== 'all' && !scope) {
    throw new AuthError(403, 'This action needs a person signed in; keys and apps cannot do it.');
  }
  if (scope && principal.scopes !== 'all' && !principal.scopes.includes(scope)) {
    throw new AuthError(403, `This credential lacks the ${scope} scope.`);
  }
  return principal;
}

export const MANAGERS: readonly Role[] = ['owner', 'admin'];
