/**
 * One case per HTTP function, for the route-by-route isolation suite: each names the method, the
 * path (built from ids of the *other* business's records) and a valid body, or says the route is
 * public. The suite calls each route with business A's credentials against business B's ids and
 * expects no B data back and no change to B.
 *
 * Ids used here: `apiKeyId`, `oauthClientId`, `connectionId` (an OAuth grant) of the other
 * business. Paths include the `/api` prefix.
 */
export type IsolationIds = Record<string, string>;

export interface IsolationCase {
  method: string;
  path: (ids: IsolationIds) => string;
  body?: unknown;
  public?: true;
}

const PKCE_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

export const ISOLATION_CASES: Record<string /* function name */, IsolationCase> = {
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
