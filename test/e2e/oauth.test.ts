import { createHash, randomBytes } from 'node:crypto';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { resetClock, setClock } from '../../shared/runtime/clock.js';
import { startTestHost, type TestHost } from '../support/env.js';
import { Api, setUpBusiness } from './api-client.js';

let host: TestHost;
let api: Api;
let biz: Awaited<ReturnType<typeof setUpBusiness>>;
let other: Awaited<ReturnType<typeof setUpBusiness>>;

const REDIRECT = 'https://app.example/callback';

beforeAll(async () => {
  host = await startTestHost({ triggers: false });
  api = new Api(host.baseUrl);
  [biz, other] = await Promise.all([setUpBusiness(api), setUpBusiness(api)]);
});
afterAll(async () => {
  await host?.stop();
});
afterEach(() => resetClock());

interface Client {
  id: string;
  clientSecret?: string;
}

async function registerClient(
  owner: Api,
  type: 'confidential' | 'public' = 'confidential',
): Promise<Client> {
  const response = await owner.post('/api/admin/oauth/clients', {
    name: 'Calendar Sync Pro',
    redirectUris: [REDIRECT, 'http://127.0.0.1:8123/cb'],
    type,
  });
  expect(response.status).toBe(201);
  return response.body;
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

function authorizeParams(client: Client, challenge: string, extra: Record<string, string> = {}) {
  return {
    response_type: 'code',
    client_id: client.id,
    redirect_uri: REDIRECT,
    scope: 'catalog:read bookings:read',
    state: 'xyz-state',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
}

/** Consents as the business owner and returns the code from the redirect. */
async function getCode(
  owner: Api,
  client: Client,
  challenge: string,
  scope = 'catalog:read bookings:read',
) {
  const consent = await owner.post('/api/oauth/authorize/consent', {
    ...authorizeParams(client, challenge, { scope }),
    approve: true,
  });
  expect(consent.status).toBe(200);
  const redirect = new URL(consent.body.redirectTo);
  expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT);
  expect(redirect.searchParams.get('state')).toBe('xyz-state');
  return redirect.searchParams.get('code') as string;
}

async function form(
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return api.request('POST', path, {
    rawBody: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

function clientAuth(client: Client): Record<string, string> {
  return client.clientSecret
    ? { client_id: client.id, client_secret: client.clientSecret }
    : { client_id: client.id };
}

async function exchange(client: Client, code: string, verifier: string) {
  return form('/api/oauth/token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    code_verifier: verifier,
    ...clientAuth(client),
  });
}

async function connect(owner: Api = biz.admin, scope?: string) {
  const client = await registerClient(owner);
  const { verifier, challenge } = pkce();
  const code = await getCode(owner, client, challenge, scope);
  const tokens = await exchange(client, code, verifier);
  expect(tokens.status).toBe(200);
  return { client, code, verifier, tokens: tokens.body };
}

describe('POST /api/admin/oauth/clients', () => {
  it('shows a confidential client secret once and stores only a hash', async () => {
    const client = await registerClient(biz.admin);
    expect(client.id).toMatch(/^c[0-9a-f]{24}$/);
    expect(client.clientSecret).toMatch(/^swcs_[A-Za-z0-9_-]{43}$/);
    const list = await biz.admin.get('/api/admin/oauth/clients');
    expect(list.body.items.find((c: { id: string }) => c.id === client.id)).toEqual({
      id: client.id,
      name: 'Calendar Sync Pro',
      redirectUris: [REDIRECT, 'http://127.0.0.1:8123/cb'],
      type: 'confidential',
      createdAt: expect.any(String),
    });
    expect(JSON.stringify(list.body)).not.toContain(client.clientSecret);
  });

  it('refuses redirect URIs that are plain http off loopback, relative or carry a fragment', async () => {
    const response = await biz.admin.post('/api/admin/oauth/clients', {
      name: 'Bad',
      redirectUris: ['http://evil.example/cb', '/relative', 'https://a.example/cb#frag'],
    });
    expect(response.status).toBe(422);
    expect(response.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'redirectUris.0',
      'redirectUris.1',
      'redirectUris.2',
    ]);
  });
});

describe('GET /api/oauth/authorize', () => {
  it('returns the consent details for a signed-in owner', async () => {
    const client = await registerClient(biz.admin);
    const query = new URLSearchParams(authorizeParams(client, pkce().challenge));
    const response = await biz.admin.get(`/api/oauth/authorize?${query}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      client: { id: client.id, name: 'Calendar Sync Pro' },
      redirectUri: REDIRECT,
      scopes: ['catalog:read', 'bookings:read'],
      state: 'xyz-state',
    });
  });

  it('ignores parameters it does not know (RFC 6749 §3.1)', async () => {
    const client = await registerClient(biz.admin);
    const params = { ...authorizeParams(client, pkce().challenge), prompt: 'consent', nonce: 'n' };
    const response = await biz.admin.get(`/api/oauth/authorize?${new URLSearchParams(params)}`);
    expect(response.status).toBe(200);
  });

  it('needs a signed-in person', async () => {
    const client = await registerClient(biz.admin);
    const query = new URLSearchParams(authorizeParams(client, pkce().challenge));
    expect((await api.get(`/api/oauth/authorize?${query}`)).status).toBe(401);
  });

  it('never redirects to an unregistered redirect URI or for an unknown client', async () => {
    const client = await registerClient(biz.admin);
    const { challenge } = pkce();
    const cases: Record<string, string>[] = [
      { redirect_uri: 'https://evil.example/callback' },
      { redirect_uri: `${REDIRECT}/` },
      { redirect_uri: `${REDIRECT}?x=1` },
      { client_id: 'c000000000000000000000000' },
    ];
    for (const extra of cases) {
      const params = authorizeParams(client, challenge, extra);
      const get = await biz.admin.get(`/api/oauth/authorize?${new URLSearchParams(params)}`);
      expect(get.status).toBe(422);
      expect(JSON.stringify(get.body)).not.toContain('redirectTo');
      const post = await biz.admin.post('/api/oauth/authorize/consent', {
        ...params,
        approve: true,
      });
      expect(post.status).toBe(422);
      expect(JSON.stringify(post.body)).not.toContain('evil.example');
      expect(post.body.redirectTo).toBeUndefined();
    }
  });

  it('does not offer an app registered by another business', async () => {
    const client = await registerClient(other.admin);
    const params = authorizeParams(client, pkce().challenge);
    const response = await biz.admin.get(`/api/oauth/authorize?${new URLSearchParams(params)}`);
    expect(response.status).toBe(422);
    expect(response.body.error.details).toEqual([
      { path: 'client_id', message: 'is not an app registered with this business' },
    ]);
  });

  it('sends other problems back to the app with error and state (RFC 6749 §4.1.2.1)', async () => {
    const client = await registerClient(biz.admin);
    const { challenge } = pkce();
    const cases: [Record<string, string>, string][] = [
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge: '' }, 'invalid_request'],
      [{ scope: 'catalog:read admin:everything' }, 'invalid_scope'],
      [{ scope: '' }, 'invalid_scope'],
    ];
    for (const [extra, error] of cases) {
      const params = authorizeParams(client, challenge, extra);
      const response = await biz.admin.get(`/api/oauth/authorize?${new URLSearchParams(params)}`);
      expect(response.status, error).toBe(400);
      expect(response.body.error.details.error).toBe(error);
      const back = new URL(response.body.error.details.redirectTo);
      expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
      expect(back.searchParams.get('error')).toBe(error);
      expect(back.searchParams.get('state')).toBe('xyz-state');
    }
  });

  it('answers access_denied when the owner declines', async () => {
    const client = await registerClient(biz.admin);
    const response = await biz.admin.post('/api/oauth/authorize/consent', {
      ...authorizeParams(client, pkce().challenge),
      approve: false,
    });
    expect(response.status).toBe(200);
    const back = new URL(response.body.redirectTo);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('xyz-state');
    expect(back.searchParams.get('code')).toBeNull();
  });
});

describe('OAuth full flow with PKCE', () => {
  it('issues tokens that act within the granted scopes for the consenting owner', async () => {
    const { tokens } = await connect();
    expect(tokens).toEqual({
      access_token: expect.stringMatching(/^swa_g[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.stringMatching(/^swr_g[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/),
      scope: 'catalog:read bookings:read',
    });
    const app = api.withToken(tokens.access_token);
    expect((await app.get('/api/admin/services')).status).toBe(200);
    expect((await app.get('/api/admin/bookings')).status).toBe(200);
    const write = await app.post('/api/admin/services', {
      name: 'x',
      durationMinutes: 30,
      staffIds: [biz.staffId],
    });
    expect(write.status).toBe(403);
    expect((await app.get(`/api/admin/services/${other.serviceId}`)).status).toBe(404);
    expect((await app.get('/api/admin/api-keys')).status).toBe(403);
  });

  it('works for a public client, which sends no secret', async () => {
    const client = await registerClient(biz.admin, 'public');
    expect(client.clientSecret).toBeUndefined();
    const { verifier, challenge } = pkce();
    const code = await getCode(biz.admin, client, challenge);
    const withSecret = await exchange(
      { id: client.id, clientSecret: 'swcs_made_up' },
      code,
      verifier,
    );
    expect(withSecret.body.error).toBe('invalid_client');
    const tokens = await exchange(client, code, verifier);
    expect(tokens.status).toBe(200);
  });

  it('accepts client_secret_basic for a confidential client', async () => {
    const client = await registerClient(biz.admin);
    const { verifier, challenge } = pkce();
    const code = await getCode(biz.admin, client, challenge);
    const basic = Buffer.from(`${client.id}:${client.clientSecret}`).toString('base64');
    const tokens = await form(
      '/api/oauth/token',
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
      { authorization: `Basic ${basic}` },
    );
    expect(tokens.status).toBe(200);
  });

  it('refuses a wrong verifier, a wrong redirect URI, a wrong client secret and another client', async () => {
    const client = await registerClient(biz.admin);
    const second = await registerClient(biz.admin);
    const { verifier, challenge } = pkce();
    const code = await getCode(biz.admin, client, challenge);

    const wrongVerifier = await exchange(client, code, pkce().verifier);
    expect(wrongVerifier.status).toBe(400);
    expect(wrongVerifier.body).toEqual({
      error: 'invalid_grant',
      error_description: expect.any(String),
    });

    const wrongRedirect = await form('/api/oauth/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://127.0.0.1:8123/cb',
      code_verifier: verifier,
      ...clientAuth(client),
    });
    expect(wrongRedirect.body.error).toBe('invalid_grant');

    const wrongSecret = await exchange(
      { id: client.id, clientSecret: second.clientSecret! },
      code,
      verifier,
    );
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error).toBe('invalid_client');

    const otherClient = await exchange(second, code, verifier);
    expect(otherClient.body.error).toBe('invalid_grant');

    // None of these spent the code.
    expect((await exchange(client, code, verifier)).status).toBe(200);
  });

  it('refuses a reused code and revokes the tokens issued from it', async () => {
    const { client, code, verifier, tokens } = await connect();
    const app = api.withToken(tokens.access_token);
    expect((await app.get('/api/admin/services')).status).toBe(200);

    const again = await exchange(client, code, verifier);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');

    expect((await app.get('/api/admin/services')).status).toBe(401);
    const refreshed = await form('/api/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      ...clientAuth(client),
    });
    expect(refreshed.body.error).toBe('invalid_grant');
  });

  it('refuses an expired code', async () => {
    const client = await registerClient(biz.admin);
    const { verifier, challenge } = pkce();
    const t0 = Date.now();
    setClock(() => t0);
    const code = await getCode(biz.admin, client, challenge);
    setClock(() => t0 + 5 * 60_000 + 1);
    expect((await exchange(client, code, verifier)).body.error).toBe('invalid_grant');
  });

  it('expires access tokens', async () => {
    const t0 = Date.now();
    setClock(() => t0);
    const { tokens } = await connect();
    setClock(() => t0 + 901_000);
    expect((await api.withToken(tokens.access_token).get('/api/admin/services')).status).toBe(401);
  });

  it('rotates refresh tokens and ends the grant when an old one comes back', async () => {
    const { client, tokens } = await connect();
    const first = await form('/api/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      ...clientAuth(client),
    });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(tokens.refresh_token);
    expect((await api.withToken(tokens.access_token).get('/api/admin/services')).status).toBe(401);
    expect((await api.withToken(first.body.access_token).get('/api/admin/services')).status).toBe(
      200,
    );

    const replay = await form('/api/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      ...clientAuth(client),
    });
    expect(replay.body.error).toBe('invalid_grant');
    expect((await api.withToken(first.body.access_token).get('/api/admin/services')).status).toBe(
      401,
    );
    const newest = await form('/api/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token,
      ...clientAuth(client),
    });
    expect(newest.body.error).toBe('invalid_grant');
  });

  it('lets a refresh narrow the scopes but never widen them', async () => {
    const { client, tokens } = await connect();
    const wider = await form('/api/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      scope: 'catalog:read catalog:write',
      ...clientAuth(client),
    });
    expect(wider.body.error).toBe('invalid_scope');
    const narrower = await form('/api/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      scope: 'catalog:read',
      ...clientAuth(client),
    });
    expect(narrower.body.scope).toBe('catalog:read');
    const app = api.withToken(narrower.body.access_token);
    expect((await app.get('/api/admin/services')).status).toBe(200);
    expect((await app.get('/api/admin/bookings')).status).toBe(403);
  });

  it('answers the OAuth error shape to bad token requests', async () => {
    const client = await registerClient(biz.admin);
    const json = await api.post('/api/oauth/token', { grant_type: 'authorization_code' });
    expect(json.status).toBe(415);
    expect(json.body.error).toBe('invalid_request');
    const unknownGrant = await form('/api/oauth/token', {
      grant_type: 'password',
      ...clientAuth(client),
    });
    expect(unknownGrant.body.error).toBe('unsupported_grant_type');
    const missing = await form('/api/oauth/token', {
      grant_type: 'authorization_code',
      ...clientAuth(client),
    });
    expect(missing.body).toEqual({
      error: 'invalid_request',
      error_description: 'code is required.',
    });
    // Unknown parameters are ignored (RFC 6749 §3.2); the missing code is what is reported.
    const extra = await form('/api/oauth/token', {
      grant_type: 'authorization_code',
      resource: 'https://api.example',
      ...clientAuth(client),
    });
    expect(extra.body).toEqual({
      error: 'invalid_request',
      error_description: 'code is required.',
    });
    const tooLong = await form('/api/oauth/token', {
      grant_type: 'authorization_code',
      code: 'x'.repeat(200),
      ...clientAuth(client),
    });
    expect(tooLong.body.error).toBe('invalid_request');
    expect(tooLong.body.error_description).toContain('code');
    const repeated = await api.request('POST', '/api/oauth/token', {
      rawBody: 'grant_type=refresh_token&grant_type=authorization_code',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(repeated.body.error).toBe('invalid_request');
    expect(repeated.body.error_description).toContain('grant_type');
    const noClient = await form('/api/oauth/token', {
      grant_type: 'authorization_code',
      code: 'x',
    });
    expect(noClient.status).toBe(401);
    expect(noClient.body.error).toBe('invalid_client');
  });
});

describe('connections', () => {
  it('lists connected apps and disconnecting one stops its tokens at once', async () => {
    const { client, tokens } = await connect();
    const app = api.withToken(tokens.access_token);
    expect((await app.get('/api/admin/services')).status).toBe(200);

    const list = await biz.admin.get('/api/admin/oauth/connections');
    const connection = list.body.items.find((c: { clientId: string }) => c.clientId === client.id);
    expect(connection).toEqual({
      id: expect.stringMatching(/^g[0-9a-f]{24}$/),
      clientId: client.id,
      clientName: 'Calendar Sync Pro',
      userId: expect.any(String),
      scopes: ['catalog:read', 'bookings:read'],
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
    });
    expect(JSON.stringify(list.body)).not.toMatch(/Hash|swa_|swr_/);

    expect((await other.admin.delete(`/api/admin/oauth/connections/${connection.id}`)).status).toBe(
      404,
    );
    expect((await biz.admin.delete(`/api/admin/oauth/connections/${connection.id}`)).status).toBe(
      204,
    );
    expect((await app.get('/api/admin/services')).status).toBe(401);
    const refreshed = await form('/api/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      ...clientAuth(client),
    });
    expect(refreshed.body.error).toBe('invalid_grant');
    const after = await biz.admin.get('/api/admin/oauth/connections');
    expect(after.body.items.some((c: { id: string }) => c.id === connection.id)).toBe(false);
    expect((await biz.admin.delete(`/api/admin/oauth/connections/${connection.id}`)).status).toBe(
      404,
    );
  });
});

describe('POST /api/oauth/revoke (RFC 7009)', () => {
  it('revoking the access token stops it and leaves the refresh token', async () => {
    const { client, tokens } = await connect();
    const response = await form('/api/oauth/revoke', {
      token: tokens.access_token,
      token_type_hint: 'access_token',
      ...clientAuth(client),
    });
    expect(response.status).toBe(200);
    expect((await api.withToken(tokens.access_token).get('/api/admin/services')).status).toBe(401);
    const refreshed = await form('/api/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      ...clientAuth(client),
    });
    expect(refreshed.status).toBe(200);
  });

  it('revoking the refresh token ends the whole grant', async () => {
    const { client, tokens } = await connect();
    const response = await form('/api/oauth/revoke', {
      token: tokens.refresh_token,
      ...clientAuth(client),
    });
    expect(response.status).toBe(200);
    expect((await api.withToken(tokens.access_token).get('/api/admin/services')).status).toBe(401);
    const list = await biz.admin.get('/api/admin/oauth/connections');
    expect(list.body.items.some((c: { clientId: string }) => c.clientId === client.id)).toBe(false);
  });

  it('answers 200 to unknown, malformed and already revoked tokens, and to tokens of another app', async () => {
    const { client, tokens } = await connect();
    const stranger = await connect();
    for (const token of [
      'nonsense',
      `swa_g${'0'.repeat(24)}_${'A'.repeat(43)}`,
      stranger.tokens.access_token,
    ]) {
      const response = await form('/api/oauth/revoke', { token, ...clientAuth(client) });
      expect(response.status).toBe(200);
    }
    // Another app's token was left alone.
    expect(
      (await api.withToken(stranger.tokens.access_token).get('/api/admin/services')).status,
    ).toBe(200);
    await form('/api/oauth/revoke', { token: tokens.refresh_token, ...clientAuth(client) });
    expect(
      (await form('/api/oauth/revoke', { token: tokens.refresh_token, ...clientAuth(client) }))
        .status,
    ).toBe(200);
  });

  it('refuses a client that does not authenticate', async () => {
    const { client, tokens } = await connect();
    const response = await form('/api/oauth/revoke', {
      token: tokens.access_token,
      client_id: client.id,
      client_secret: 'swcs_wrong',
    });
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('invalid_client');
    expect((await api.withToken(tokens.access_token).get('/api/admin/services')).status).toBe(200);
  });
});
