import type { HttpRequest } from '@azure/functions';

import { TenantStore, trustTenantId, type TenantId } from '../cosmos/tenant-store.js';
import { AppError, AuthError } from '../errors.js';
import { loadActiveAccount } from './account-status.js';
import { API_KEY_PREFIX, authenticateApiKey } from './api-keys.js';
import { APP_TOKEN_PREFIX, authenticateAppToken } from './oauth-server.js';
import type { Permission } from './policy.js';
import type { Scope } from './scopes.js';
import { requireLiveSession } from './sessions.js';
import { ROLES, verifyAccessToken, type Role } from './tokens.js';

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
  /** For staff users: the staff record they are (their own bookings are those with this id). */
  staffId?: string;
  /** Extra grants beyond the role (today only `bookings:all` for staff). */
  permissions: readonly Permission[];
  /** For people signed in: the session their access token belongs to. */
  sessionId?: string;
  /** Set while the business requires two-factor sign-in and this person has not enrolled. */
  restriction?: 'mfa_enrolment';
}

export interface Requirement {
  roles: readonly Role[];
  /**
   * The scope a key or app must hold; people are limited by role alone. A route that declares no
   * scope is for people only: keys and apps are refused there (they cannot mint keys, say).
   */
  scope?: Scope;
  /**
   * Whether a person who must still enrol a second factor may call the route (the enrolment
   * routes and logout). Everywhere else they get 403 `mfa_enrolment_required`.
   */
  allowDuringEnrolment?: boolean;
}

const BEARER = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/;

/**
 * Reads the bearer credential and turns it into a principal, or refuses with 401. The account
 * and the session the token names are read on every request (two point reads, in parallel), so
 * disabling a user, changing their role or ending the session takes effect at once, even for
 * access tokens issued before.
 */
export async function authenticate(request: HttpRequest): Promise<Principal> {
  const header = request.headers.get('authorization') ?? '';
  const token = BEARER.exec(header.trim())?.[1];
  if (!token) throw new AuthError(401, 'Send an access token as "Authorization: Bearer <token>".');

  // Third-party credentials are opaque and checked against their stored record on every call,
  // so revoking one takes effect at once.
  if (token.startsWith(API_KEY_PREFIX)) return authenticateApiKey(token);
  if (token.startsWith(APP_TOKEN_PREFIX)) return authenticateAppToken(token);

  const claims = await verifyAccessToken(token);
  const tenantId = trustTenantId(claims.tenantId);
  const store = TenantStore.for(tenantId);
  const [account, session] = await Promise.all([
    loadActiveAccount(store, claims),
    requireLiveSession(store, claims.sessionId, claims.userId),
  ]);
  return {
    kind: 'user',
    userId: claims.userId,
    tenantId,
    role: account.role,
    scopes: 'all',
    store,
    ...(account.staffId ? { staffId: account.staffId } : {}),
    permissions: account.permissions,
    sessionId: session.id,
    ...(session.restriction ? { restriction: session.restriction } : {}),
  };
}

/** Verifies the caller and checks their role (and, for keys and apps, the scope). */
export async function authorize(
  request: HttpRequest,
  requirement: Requirement | readonly Role[],
): Promise<Principal> {
  const { roles, scope, allowDuringEnrolment } = Array.isArray(requirement)
    ? { roles: requirement as readonly Role[], scope: undefined, allowDuringEnrolment: false }
    : (requirement as Requirement);
  const principal = await authenticate(request);
  if (principal.restriction === 'mfa_enrolment' && !allowDuringEnrolment) {
    throw new AppError(
      'mfa_enrolment_required',
      403,
      'Your business requires two-factor sign-in; set it up with POST /api/auth/mfa/totp/setup first.',
    );
  }
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

/** The business's people: managers plus staff (whose view `shared/auth/policy.ts` narrows). */
export const PEOPLE: readonly Role[] = ['owner', 'admin', 'staff'];
export const EVERYONE: readonly Role[] = ROLES;
