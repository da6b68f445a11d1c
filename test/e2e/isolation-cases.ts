/**
 * One request per HTTP function, for the isolation suite: each is sent with another business's
 * token (and ids) and must never reach this business's records. Keyed by function name; a
 * function without a case fails the suite. `public` marks routes that need no token.
 */
export interface IsolationIds {
  /** The target business: its slug and the ids of its records. */
  slug: string;
  tenantId: string;
  [name: string]: string;
}

export interface IsolationCase {
  method: string;
  path: (ids: IsolationIds) => string;
  body?: unknown;
  public?: true;
}

const PKCE_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

export const ISOLATION_CASES: Record<string /* function name */, IsolationCase> = {
  'admin-users-list': { method: 'GET', path: () => '/api/admin/users' },
  'admin-users-update': {
    method: 'PATCH',
    path: (ids) => `/api/admin/users/${ids['userId']}`,
    body: { status: 'disabled' },
  },
  'admin-invitations-create': {
    method: 'POST',
    path: () => '/api/admin/invitations',
    body: { email: 'isolation@example.com', role: 'staff' },
  },
  'admin-invitations-list': { method: 'GET', path: () => '/api/admin/invitations' },
  'admin-invitations-revoke': {
    method: 'DELETE',
    path: (ids) => `/api/admin/invitations/${ids['invitationId']}`,
  },
  'auth-invitations-accept': {
    method: 'POST',
    path: () => '/api/auth/invitations/accept',
    body: {
      token: 'tnt_unknown.inv_unknown.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      password: 'a long and unguessable passphrase',
    },
    public: true,
  },
  'customer-signup': {
    method: 'POST',
    path: (ids) => `/api/public/${ids['slug']}/customers/signup`,
    body: {
      name: 'Isolation',
      email: 'isolation@example.com',
      password: 'a long and unguessable passphrase',
    },
    public: true,
  },
  'customer-login': {
    method: 'POST',
    path: (ids) => `/api/public/${ids['slug']}/customers/login`,
    body: { email: 'isolation@example.com', password: 'a long and unguessable passphrase' },
    public: true,
  },
  'customer-bookings-list': {
    method: 'GET',
    path: (ids) => `/api/public/${ids['slug']}/me/bookings`,
  },
  'customer-bookings-cancel': {
    method: 'POST',
    path: (ids) => `/api/public/${ids['slug']}/me/bookings/${ids['bookingId']}/cancel`,
  },
  'customer-bookings-reschedule': {
    method: 'POST',
    path: (ids) => `/api/public/${ids['slug']}/me/bookings/${ids['bookingId']}/reschedule`,
    body: { start: '2030-01-08T10:00:00Z' },
  },
  'auth-login-mfa': {
    method: 'POST',
    path: () => '/api/auth/login/mfa',
    body: { mfaToken: 'not-a-token', code: '123456' },
    public: true,
  },
  'auth-refresh': {
    method: 'POST',
    path: () => '/api/auth/refresh',
    body: { refreshToken: 'not-a-refresh-token' },
    public: true,
  },
  'auth-logout': { method: 'POST', path: () => '/api/auth/logout' },
  'auth-password-change': {
    method: 'POST',
    path: () => '/api/auth/password',
    body: { currentPassword: 'wrong password here', newPassword: 'another long passphrase 42' },
  },
  'auth-totp-setup': { method: 'POST', path: () => '/api/auth/mfa/totp/setup' },
  'auth-totp-confirm': {
    method: 'POST',
    path: () => '/api/auth/mfa/totp/confirm',
    body: { code: '000000' },
  },
  'auth-totp-disable': {
    method: 'POST',
    path: () => '/api/auth/mfa/totp/disable',
    body: { code: '000000' },
  },
  'admin-security-settings-get': { method: 'GET', path: () => '/api/admin/settings/security' },
  'admin-security-settings-update': {
    method: 'PUT',
    path: () => '/api/admin/settings/security',
    body: { requireTwoFactor: false },
  },
  'admin-security-events-list': { method: 'GET', path: () => '/api/admin/security-events' },
  'api-keys-create': {
    method: 'POST',
    path: () => '/api/admin/api-keys',
    body: { name: 'Isolation probe', scopes: ['catalog:read'] },
  },
  'api-keys-list': { method: 'GET', path: () => '/api/admin/api-keys' },
  'api-keys-revoke': { method: 'DELETE', path: (ids) => `/api/admin/api-keys/${ids['apiKeyId']}` },
  'oauth-clients-create': {
    method: 'POST',
    path: () => '/api/admin/oauth/clients',
    body: { name: 'Isolation probe', redirectUris: ['https://probe.example/cb'] },
  },
  'oauth-clients-list': { method: 'GET', path: () => '/api/admin/oauth/clients' },
  'oauth-authorize': {
    method: 'GET',
    path: (ids) =>
      `/api/oauth/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: ids['oauthClientId'] ?? '',
        redirect_uri: 'https://probe.example/cb',
        scope: 'catalog:read',
        state: 's',
        code_challenge: PKCE_CHALLENGE,
        code_challenge_method: 'S256',
      })}`,
  },
  'oauth-consent': {
    method: 'POST',
    path: () => '/api/oauth/authorize/consent',
    // The suite puts the other business's `oauthClientId` in `client_id`.
    body: {
      response_type: 'code',
      client_id: '<oauthClientId>',
      redirect_uri: 'https://probe.example/cb',
      scope: 'catalog:read',
      state: 's',
      code_challenge: PKCE_CHALLENGE,
      code_challenge_method: 'S256',
      approve: true,
    },
  },
  // Client-authenticated (RFC 6749 §2.3), not bearer: covered by test/e2e/oauth.test.ts.
  'oauth-token': { method: 'POST', path: () => '/api/oauth/token', public: true },
  'oauth-revoke': { method: 'POST', path: () => '/api/oauth/revoke', public: true },
  'oauth-connections-list': { method: 'GET', path: () => '/api/admin/oauth/connections' },
  'oauth-connections-revoke': {
    method: 'DELETE',
    path: (ids) => `/api/admin/oauth/connections/${ids['connectionId']}`,
  },
  'auth-oidc-start': {
    method: 'GET',
    path: () => '/api/auth/oidc/google/start?slug=probe',
    public: true,
  },
  'auth-oidc-callback': {
    method: 'GET',
    path: () => '/api/auth/oidc/google/callback?state=probe',
    public: true,
  },
};
