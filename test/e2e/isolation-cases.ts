/**
 * The tenant isolation suite's requests (`test/e2e/isolation.test.ts`): one case per HTTP
 * function, keyed by its registered name. Each is sent by business A's owner against business
 * B's records (B's ids, B's slug), then again with no token, a tampered token and forged tokens.
 * A function without a case, or a case for a function that does not exist, fails the suite.
 */

import { readFileSync } from 'node:fs';

import { WEB_DIR, type WebManifest } from '../../shared/site/assets.js';

/** The built bundles (`npm run build`), for the asset route's case. */
const WEB_MANIFEST = JSON.parse(readFileSync(`${WEB_DIR}manifest.json`, 'utf8')) as WebManifest;

/** One business's records, as the suite sets them up: the target's, or the caller's own. */
export interface IsolationIds {
  slug: string;
  tenantId: string;
  ownerEmail: string;
  staffId: string;
  serviceId: string;
  /** A booking made by the signed-in customer below. */
  bookingId: string;
  customerId: string;
  customerEmail: string;
  /** A person who joined by invitation (staff). */
  userId: string;
  personEmail: string;
  /** A pending invitation. */
  invitationId: string;
  apiKeyId: string;
  oauthClientId: string;
  oauthClientSecret: string;
  /** The grant of an app connected to the business, and that app's access token. */
  connectionId: string;
  appAccessToken: string;
}

export interface IsolationCase {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `target` is B's records; `self` the caller's (A's) own. */
  path: (target: IsolationIds, self: IsolationIds) => string;
  body?: (target: IsolationIds, self: IsolationIds) => unknown;
  /** A form body (the OAuth token and revoke endpoints). */
  form?: (target: IsolationIds, self: IsolationIds) => Record<string, string>;
  /** Request headers besides the credential (a booking's manage token, say). */
  headers?: (target: IsolationIds, self: IsolationIds) => Record<string, string>;
  /**
   * The status A's owner gets. A 2xx is only right where the answer is A's own data or public
   * data; the suite also checks that no response carries B's private ids, emails or names.
   */
  status: number;
  /** Needs no token (credentials are ignored or optional); skipped by the no-token checks. */
  public?: true;
  /** Ends the caller's session (logout): the suite signs A's owner in afresh for it. */
  endsSession?: true;
  /** Shows B's public catalogue by design (its slug, staff and services, by id and name). */
  showsPublicCatalogue?: true;
}

/**
 * A well-formed PKCE S256 challenge (RFC 7636 appendix B); the requests below are refused for
 * their client before the verifier could ever matter.
 */
const PKCE_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const PASSWORD = 'a long and unguessable passphrase';
const WRONG_PASSWORD = 'not the password of anyone here';
/** 43 base64url characters: the shape of every 256-bit secret, with no secret in it. */
const NOT_A_SECRET = 'A'.repeat(43);
const BOOKING_START = '2030-01-08T10:00:00Z';
const HOURS = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [{ start: '09:00', end: '17:00' }]]),
);

function authorizeParams(clientId: string) {
  return {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: 'https://app.example/callback',
    scope: 'catalog:read',
    state: 's',
    code_challenge: PKCE_CHALLENGE,
    code_challenge_method: 'S256',
  };
}

export const ISOLATION_CASES: Record<string /* function name */, IsolationCase> = {
  health: { method: 'GET', path: () => '/api/health', status: 200, public: true },
  openapi: { method: 'GET', path: () => '/api/openapi.json', status: 200, public: true },
  'auth-jwks': {
    method: 'GET',
    path: () => '/api/.well-known/jwks.json',
    status: 200,
    public: true,
  },

  // Signing in and up: B's slug, B's emails, B's invitation, none of their secrets.
  'auth-signup': {
    method: 'POST',
    path: () => '/api/auth/signup',
    body: (b) => ({
      businessName: 'Takeover',
      slug: b.slug,
      email: 'isolation@example.com',
      password: PASSWORD,
      timeZone: 'UTC',
    }),
    status: 409,
    public: true,
  },
  'auth-login': {
    method: 'POST',
    path: () => '/api/auth/login',
    body: (b) => ({ slug: b.slug, email: b.ownerEmail, password: WRONG_PASSWORD }),
    status: 401,
    public: true,
  },
  'auth-invitations-accept': {
    method: 'POST',
    path: () => '/api/auth/invitations/accept',
    body: (b) => ({ token: `${b.tenantId}.${b.invitationId}.${NOT_A_SECRET}`, password: PASSWORD }),
    status: 404,
    public: true,
  },
  'auth-refresh': {
    method: 'POST',
    path: () => '/api/auth/refresh',
    body: (b) => ({ refreshToken: `${b.tenantId}.ses_probe.${NOT_A_SECRET}` }),
    status: 401,
    public: true,
  },
  'auth-login-mfa': {
    method: 'POST',
    path: () => '/api/auth/login/mfa',
    body: () => ({ mfaToken: 'not-a-token', code: '123456' }),
    status: 401,
    public: true,
  },
  'auth-oidc-start': {
    method: 'GET',
    path: (b) => `/api/auth/oidc/google/start?slug=${b.slug}`,
    status: 302,
    public: true,
    showsPublicCatalogue: true,
  },
  'auth-oidc-callback': {
    method: 'GET',
    path: (b) => `/api/auth/oidc/google/callback?state=${b.slug}.${NOT_A_SECRET}&code=probe`,
    status: 401,
    public: true,
  },

  // The caller's own sign-in: nothing of B's is named, so A's owner acts on A's account only.
  'auth-logout': { method: 'POST', path: () => '/api/auth/logout', status: 204, endsSession: true },
  'auth-password-change': {
    method: 'POST',
    path: () => '/api/auth/password',
    body: () => ({ currentPassword: WRONG_PASSWORD, newPassword: 'another long passphrase 42' }),
    status: 422,
  },
  'auth-mfa-status': { method: 'GET', path: () => '/api/auth/mfa', status: 200 },
  'auth-totp-setup': { method: 'POST', path: () => '/api/auth/mfa/totp/setup', status: 200 },
  'auth-totp-confirm': {
    method: 'POST',
    path: () => '/api/auth/mfa/totp/confirm',
    body: () => ({ code: '000000' }),
    status: 422,
  },
  'auth-totp-disable': {
    method: 'POST',
    path: () => '/api/auth/mfa/totp/disable',
    body: () => ({ code: '000000' }),
    status: 409,
  },

  // People and settings.
  'admin-security-settings-get': {
    method: 'GET',
    path: () => '/api/admin/settings/security',
    status: 200,
  },
  'admin-security-settings-update': {
    method: 'PUT',
    path: () => '/api/admin/settings/security',
    body: () => ({ requireTwoFactor: false }),
    status: 200,
  },
  'admin-security-events-list': {
    method: 'GET',
    path: () => '/api/admin/security-events',
    status: 200,
  },
  'admin-users-list': { method: 'GET', path: () => '/api/admin/users', status: 200 },
  'admin-users-update': {
    method: 'PATCH',
    path: (b) => `/api/admin/users/${b.userId}`,
    body: () => ({ status: 'disabled' }),
    status: 404,
  },
  'admin-invitations-create': {
    method: 'POST',
    path: () => '/api/admin/invitations',
    // An invitation in A linked to B's staff record.
    body: (b) => ({ email: 'isolation@example.com', role: 'staff', staffId: b.staffId }),
    status: 422,
  },
  'admin-invitations-list': { method: 'GET', path: () => '/api/admin/invitations', status: 200 },
  'admin-invitations-revoke': {
    method: 'DELETE',
    path: (b) => `/api/admin/invitations/${b.invitationId}`,
    status: 404,
  },

  // Catalogue.
  'staff-list': { method: 'GET', path: () => '/api/admin/staff', status: 200 },
  'staff-create': {
    method: 'POST',
    path: () => '/api/admin/staff',
    body: () => ({ name: 'Probe', timeZone: 'UTC', weeklyHours: HOURS }),
    status: 201,
  },
  'staff-get': { method: 'GET', path: (b) => `/api/admin/staff/${b.staffId}`, status: 404 },
  'staff-update': {
    method: 'PUT',
    path: (b) => `/api/admin/staff/${b.staffId}`,
    body: () => ({ name: 'Hijacked', timeZone: 'UTC', weeklyHours: HOURS }),
    status: 404,
  },
  'staff-delete': { method: 'DELETE', path: (b) => `/api/admin/staff/${b.staffId}`, status: 404 },
  'service-list': { method: 'GET', path: () => '/api/admin/services', status: 200 },
  'service-create': {
    method: 'POST',
    path: () => '/api/admin/services',
    // A service in A offered by B's staff member.
    body: (b) => ({ name: 'Probe', durationMinutes: 30, staffIds: [b.staffId] }),
    status: 422,
  },
  'service-get': { method: 'GET', path: (b) => `/api/admin/services/${b.serviceId}`, status: 404 },
  'service-update': {
    method: 'PUT',
    path: (b) => `/api/admin/services/${b.serviceId}`,
    body: (_b, a) => ({ name: 'Hijacked', durationMinutes: 30, staffIds: [a.staffId] }),
    status: 404,
  },
  'service-delete': {
    method: 'DELETE',
    path: (b) => `/api/admin/services/${b.serviceId}`,
    status: 404,
  },

  // Bookings, as the business sees them.
  'admin-bookings-list': {
    method: 'GET',
    path: (b) => `/api/admin/bookings?from=2030-01-01&to=2030-01-31&staffId=${b.staffId}`,
    status: 200,
  },
  'admin-bookings-cancel': {
    method: 'POST',
    path: (b) => `/api/admin/bookings/${b.bookingId}/cancel`,
    status: 404,
  },
  'admin-bookings-reschedule': {
    method: 'POST',
    path: (b) => `/api/admin/bookings/${b.bookingId}/reschedule`,
    body: () => ({ start: '2030-01-09T10:00:00Z' }),
    status: 404,
  },
  'admin-bookings-slots': {
    method: 'GET',
    path: (b) => `/api/admin/bookings/${b.bookingId}/slots?start=2030-01-07&end=2030-01-08`,
    status: 404,
  },

  // The public booking pages of B: its catalogue is public, its bookings need their link.
  // Pages: public shells that show only B's public name; data comes later through the API.
  'page-booking': {
    method: 'GET',
    path: (b) => `/${b.slug}`,
    status: 200,
    public: true,
    showsPublicCatalogue: true,
  },
  'page-manage': {
    method: 'GET',
    path: (b) => `/${b.slug}/manage/${b.bookingId}`,
    status: 200,
    public: true,
    showsPublicCatalogue: true,
  },
  'page-console': {
    method: 'GET',
    path: (b) => `/${b.slug}/admin`,
    status: 200,
    public: true,
    showsPublicCatalogue: true,
  },
  'site-assets': {
    method: 'GET',
    path: () => `/assets/${Object.keys(WEB_MANIFEST.files)[0]}`,
    status: 200,
    public: true,
  },
  'public-services-list': {
    method: 'GET',
    path: (b) => `/api/public/${b.slug}/services`,
    status: 200,
    public: true,
    showsPublicCatalogue: true,
  },
  'public-slots-list': {
    method: 'GET',
    path: (b) =>
      `/api/public/${b.slug}/slots?serviceId=${b.serviceId}&start=2030-01-08&end=2030-01-09`,
    status: 200,
    public: true,
    showsPublicCatalogue: true,
  },
  'bookings-create': {
    method: 'POST',
    path: (b) => `/api/public/${b.slug}/bookings`,
    body: (b) => ({
      serviceId: b.serviceId,
      staffId: b.staffId,
      start: '2030-01-09T10:00:00Z',
      customer: { name: 'Probe', email: 'isolation@example.com' },
    }),
    // Credentials are optional here; A's token on B's page is a token of another business.
    status: 401,
    public: true,
  },
  'bookings-get': {
    method: 'GET',
    path: (b) => `/api/public/${b.slug}/bookings/${b.bookingId}`,
    headers: () => ({ 'Booking-Token': NOT_A_SECRET }),
    status: 404,
    public: true,
  },
  'bookings-cancel': {
    method: 'POST',
    path: (b) => `/api/public/${b.slug}/bookings/${b.bookingId}/cancel`,
    headers: () => ({ 'Booking-Token': NOT_A_SECRET }),
    status: 404,
    public: true,
  },
  'bookings-reschedule': {
    method: 'POST',
    path: (b) => `/api/public/${b.slug}/bookings/${b.bookingId}/reschedule`,
    headers: () => ({ 'Booking-Token': NOT_A_SECRET }),
    body: () => ({ start: '2030-01-09T10:00:00Z' }),
    status: 404,
    public: true,
  },

  'bookings-ics': {
    method: 'GET',
    path: (b) => `/api/public/${b.slug}/bookings/${b.bookingId}/ics`,
    headers: () => ({ 'Booking-Token': NOT_A_SECRET }),
    status: 404,
    public: true,
  },

  // B's customers.
  'customer-signup': {
    method: 'POST',
    path: (b) => `/api/public/${b.slug}/customers/signup`,
    body: (b) => ({ name: 'Probe', email: b.customerEmail, password: PASSWORD }),
    status: 409,
    public: true,
  },
  'customer-login': {
    method: 'POST',
    path: (b) => `/api/public/${b.slug}/customers/login`,
    body: (b) => ({ email: b.customerEmail, password: WRONG_PASSWORD }),
    status: 401,
    public: true,
  },
  'customer-bookings-list': {
    method: 'GET',
    path: (b) => `/api/public/${b.slug}/me/bookings`,
    status: 401,
  },
  'customer-bookings-cancel': {
    method: 'POST',
    path: (b) => `/api/public/${b.slug}/me/bookings/${b.bookingId}/cancel`,
    status: 401,
  },
  'customer-bookings-reschedule': {
    method: 'POST',
    path: (b) => `/api/public/${b.slug}/me/bookings/${b.bookingId}/reschedule`,
    body: () => ({ start: BOOKING_START }),
    status: 401,
  },

  // Keys and apps.
  'api-keys-create': {
    method: 'POST',
    path: () => '/api/admin/api-keys',
    body: () => ({ name: 'Isolation probe', scopes: ['catalog:read'] }),
    status: 201,
  },
  'api-keys-list': { method: 'GET', path: () => '/api/admin/api-keys', status: 200 },
  'api-keys-revoke': {
    method: 'DELETE',
    path: (b) => `/api/admin/api-keys/${b.apiKeyId}`,
    status: 404,
  },
  'oauth-clients-create': {
    method: 'POST',
    path: () => '/api/admin/oauth/clients',
    body: () => ({ name: 'Isolation probe', redirectUris: ['https://probe.example/cb'] }),
    status: 201,
  },
  'oauth-clients-list': { method: 'GET', path: () => '/api/admin/oauth/clients', status: 200 },
  'oauth-authorize': {
    method: 'GET',
    path: (b) => `/api/oauth/authorize?${new URLSearchParams(authorizeParams(b.oauthClientId))}`,
    // B's app is unknown to A: refused here (422 naming client_id), never redirected.
    status: 422,
  },
  'oauth-consent': {
    method: 'POST',
    path: () => '/api/oauth/authorize/consent',
    body: (b) => ({ ...authorizeParams(b.oauthClientId), approve: true }),
    status: 422,
  },
  'oauth-token': {
    method: 'POST',
    path: () => '/api/oauth/token',
    // Client-authenticated (RFC 6749 §2.3): B's client id without its secret.
    form: (b) => ({
      grant_type: 'refresh_token',
      refresh_token: `swr_g${'0'.repeat(24)}_${NOT_A_SECRET}`,
      client_id: b.oauthClientId,
      client_secret: NOT_A_SECRET,
    }),
    status: 401,
    public: true,
  },
  'oauth-revoke': {
    method: 'POST',
    path: () => '/api/oauth/revoke',
    // A's own app tries to revoke B's app's token: 200 (RFC 7009) and B's grant is untouched.
    form: (b, a) => ({
      token: b.appAccessToken,
      client_id: a.oauthClientId,
      client_secret: a.oauthClientSecret,
    }),
    status: 200,
    public: true,
  },
  'oauth-connections-list': {
    method: 'GET',
    path: () => '/api/admin/oauth/connections',
    status: 200,
  },
  'oauth-connections-revoke': {
    method: 'DELETE',
    path: (b) => `/api/admin/oauth/connections/${b.connectionId}`,
    status: 404,
  },
};
