import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sql } from '../../shared/cosmos/sql.js';
import { TenantStore, trustTenantId } from '../../shared/cosmos/tenant-store.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';
import { startTestHost, useEmulators, type TestHost } from '../support/env.js';
import { Api, setUpBusiness } from './api-client.js';

let google: TestOidcProvider;
let microsoft: TestOidcProvider;
let host: TestHost;
let api: Api;
let biz: Awaited<ReturnType<typeof setUpBusiness>>;
let other: Awaited<ReturnType<typeof setUpBusiness>>;

beforeAll(async () => {
  [google, microsoft] = await Promise.all([
    startOidcProvider(),
    startOidcProvider({ microsoftStyle: true }),
  ]);
  useEmulators({
    OIDC_GOOGLE_ISSUER: google.issuer,
    OIDC_GOOGLE_CLIENT_ID: google.clientId,
    OIDC_GOOGLE_CLIENT_SECRET: google.clientSecret,
    OIDC_MICROSOFT_ISSUER: microsoft.issuer,
    OIDC_MICROSOFT_CLIENT_ID: microsoft.clientId,
    OIDC_MICROSOFT_CLIENT_SECRET: microsoft.clientSecret,
  });
  host = await startTestHost({ triggers: false });
  api = new Api(host.baseUrl);
  [biz, other] = await Promise.all([setUpBusiness(api), setUpBusiness(api)]);
});
afterAll(async () => {
  await host?.stop();
  await google?.stop();
  await microsoft?.stop();
});

const ownerEmail = (slug: string) => `owner@${slug}.example`;

/** Starts a sign-in at the app, lets the provider sign the user in, and returns the callback URL. */
async function throughProvider(provider: 'google' | 'microsoft', slug: string): Promise<string> {
  const start = await fetch(`${host.baseUrl}/api/auth/oidc/${provider}/start?slug=${slug}`, {
    redirect: 'manual',
  });
  expect(start.status).toBe(302);
  // The binding cookie, as the browser would keep it (name=value only).
  browserCookie = (start.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const atProvider = await fetch(start.headers.get('location') as string, { redirect: 'manual' });
  expect(atProvider.status).toBe(302);
  const callback = new URL(atProvider.headers.get('location') as string);
  // The callback URL is built from PUBLIC_BASE_URL; the test host listens on its own port.
  return `${callback.pathname}${callback.search}`;
}

let browserCookie = '';

/** Requests a callback URL as the browser that started the sign-in (with its cookie). */
function visit(path: string, cookie = browserCookie) {
  return api.get(path, { headers: cookie ? { cookie } : {} });
}

async function signIn(provider: 'google' | 'microsoft', slug: string) {
  return visit(await throughProvider(provider, slug));
}

function expectRefused(response: { status: number; body: any }, reason: string) {
  expect(response.status).toBe(401);
  expect(response.body.error).toEqual({
    code: 'unauthorized',
    message: 'Sign-in with this provider did not succeed; start again.',
    details: { reason },
  });
}

describe('GET /api/auth/oidc/{provider}/start', () => {
  it('redirects to the provider with code flow, PKCE S256, state, nonce and only openid email profile', async () => {
    const start = await fetch(`${host.baseUrl}/api/auth/oidc/google/start?slug=${biz.slug}`, {
      redirect: 'manual',
    });
    expect(start.status).toBe(302);
    const location = new URL(start.headers.get('location') as string);
    expect(`${location.origin}${location.pathname}`).toBe(`${google.issuer}/authorize`);
    const q = location.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(google.clientId);
    expect(q.get('scope')).toBe('openid email profile');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')).toMatch(new RegExp(`^${biz.slug}\\.[A-Za-z0-9_-]{43}$`));
    expect(q.get('redirect_uri')).toBe('http://127.0.0.1:7071/api/auth/oidc/google/callback');
  });

  it('answers 404 for an unknown business and 422 for an unknown provider', async () => {
    expect((await api.get('/api/auth/oidc/google/start?slug=no-such-business')).status).toBe(404);
    const unknown = await api.get(`/api/auth/oidc/github/start?slug=${biz.slug}`);
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details[0].path).toBe('path.provider');
  });
});

describe('GET /api/auth/oidc/{provider}/callback', () => {
  it('signs in the member whose verified email the provider vouches for', async () => {
    google.user = { sub: 'g-1', email: ownerEmail(biz.slug).toUpperCase() };
    const response = await signIn('google', biz.slug);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      accessToken: expect.any(String),
      expiresIn: 900,
      refreshToken: expect.stringMatching(/^tnt_[\w-]+\.ses_[\w-]+\.[\w-]{43}$/),
    });
    const services = await api.withToken(response.body.accessToken).get('/api/admin/services');
    expect(services.status).toBe(200);
    expect(services.body.items.map((s: { id: string }) => s.id)).toEqual([biz.serviceId]);
    expect(google.refusedTokenRequests).toEqual([]);
    // A session like any sign-in: the refresh token is good once.
    const refreshed = await api.post('/api/auth/refresh', {
      refreshToken: response.body.refreshToken,
    });
    expect(refreshed.status).toBe(200);
  });

  it('refuses a wrong state', async () => {
    google.user = { sub: 'g-1', email: ownerEmail(biz.slug) };
    const callback = new URL(await throughProvider('google', biz.slug), host.baseUrl);
    const state = callback.searchParams.get('state') as string;
    callback.searchParams.set('state', `${state.slice(0, -4)}AAAA`);
    expectRefused(await visit(`${callback.pathname}${callback.search}`), 'state_invalid');
    callback.searchParams.set('state', `${other.slug}.${state.split('.')[1]}`);
    expectRefused(await visit(`${callback.pathname}${callback.search}`), 'state_invalid');
  });

  it('sets an HttpOnly binding cookie for the callback path only, and clears it after', async () => {
    google.user = { sub: 'g-1', email: ownerEmail(biz.slug) };
    const start = await fetch(`${host.baseUrl}/api/auth/oidc/google/start?slug=${biz.slug}`, {
      redirect: 'manual',
    });
    expect(start.headers.get('set-cookie')).toMatch(
      /^slotwise_oidc=[A-Za-z0-9_-]{43}; Path=\/api\/auth\/oidc\/; Max-Age=600; HttpOnly; SameSite=Lax$/,
    );
    const response = await signIn('google', biz.slug);
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/^slotwise_oidc=; .*Max-Age=0;/);
  });

  it('refuses a callback from a browser that did not start the sign-in (login CSRF)', async () => {
    google.user = { sub: 'g-1', email: ownerEmail(biz.slug) };
    const callback = await throughProvider('google', biz.slug);
    expectRefused(await visit(callback, ''), 'browser_mismatch');
    const second = await throughProvider('google', biz.slug);
    expectRefused(await visit(second, `slotwise_oidc=${'A'.repeat(43)}`), 'browser_mismatch');
  });

  it('refuses a replayed state', async () => {
    google.user = { sub: 'g-1', email: ownerEmail(biz.slug) };
    const callback = await throughProvider('google', biz.slug);
    expect((await visit(callback)).status).toBe(200);
    expectRefused(await visit(callback), 'state_invalid');
  });

  it('refuses a state started for the other provider', async () => {
    google.user = { sub: 'g-1', email: ownerEmail(biz.slug) };
    const callback = await throughProvider('google', biz.slug);
    expectRefused(await visit(callback.replace('/google/', '/microsoft/')), 'state_invalid');
  });

  it('refuses an ID token with the wrong nonce', async () => {
    google.user = { sub: 'g-1', email: ownerEmail(biz.slug) };
    google.tamper = { claims: { nonce: 'a-nonce-from-another-sign-in' } };
    expectRefused(await signIn('google', biz.slug), 'nonce_mismatch');
  });

  it('refuses an ID token signed by another key', async () => {
    google.user = { sub: 'g-1', email: ownerEmail(biz.slug) };
    google.tamper = { signWithOtherKey: true };
    expectRefused(await signIn('google', biz.slug), 'id_token_invalid');
  });

  it('refuses an expired ID token', async () => {
    google.user = { sub: 'g-1', email: ownerEmail(biz.slug) };
    const seconds = Math.floor(Date.now() / 1000);
    google.tamper = { claims: { iat: seconds - 7200, exp: seconds - 3600 } };
    expectRefused(await signIn('google', biz.slug), 'id_token_invalid');
  });

  it('refuses an ID token for another audience or from another issuer', async () => {
    google.user = { sub: 'g-1', email: ownerEmail(biz.slug) };
    google.tamper = { claims: { aud: 'some-other-app' } };
    expectRefused(await signIn('google', biz.slug), 'id_token_invalid');
    google.tamper = { claims: { aud: [google.clientId, 'some-other-app'] } };
    expectRefused(await signIn('google', biz.slug), 'id_token_invalid');
    google.tamper = { claims: { iss: 'https://issuer.example' } };
    expectRefused(await signIn('google', biz.slug), 'id_token_invalid');
  });

  it('refuses an unverified email', async () => {
    google.user = { sub: 'g-1', email: ownerEmail(biz.slug) };
    google.tamper = { claims: { email_verified: false } };
    expectRefused(await signIn('google', biz.slug), 'email_unverified');
  });

  it('refuses an unknown email, or a member of another business, without creating anything', async () => {
    const store = TenantStore.for(trustTenantId(biz.tenantId));
    const users = () => store.query(sql`SELECT c.id FROM c WHERE c.type = 'user'`);
    const before = await users();

    google.user = { sub: 'g-2', email: 'stranger@elsewhere.example' };
    expectRefused(await signIn('google', biz.slug), 'no_account');
    google.user = { sub: 'g-3', email: ownerEmail(other.slug) };
    expectRefused(await signIn('google', biz.slug), 'no_account');

    expect(await users()).toEqual(before);
  });

  it('refuses when the provider reports an error instead of a code', async () => {
    google.user = { sub: 'g-1', email: ownerEmail(biz.slug) };
    const callback = new URL(await throughProvider('google', biz.slug), host.baseUrl);
    callback.searchParams.delete('code');
    callback.searchParams.set('error', 'access_denied');
    expectRefused(await visit(`${callback.pathname}${callback.search}`), 'provider_error');
  });
});

describe('Microsoft (multi-tenant issuer)', () => {
  it('signs in with the issuer filled with the token tenant and a domain-verified email', async () => {
    microsoft.user = { sub: 'm-1', email: ownerEmail(biz.slug), claims: { xms_edov: true } };
    const response = await signIn('microsoft', biz.slug);
    expect(response.status).toBe(200);
    expect(response.body.accessToken).toEqual(expect.any(String));
  });

  it('refuses a token whose issuer does not match its own tenant id', async () => {
    microsoft.user = { sub: 'm-1', email: ownerEmail(biz.slug), claims: { xms_edov: true } };
    microsoft.tamper = { claims: { tid: '00000000-0000-0000-0000-000000000000' } };
    expectRefused(await signIn('microsoft', biz.slug), 'id_token_invalid');
  });

  it('refuses an email Microsoft does not vouch for', async () => {
    microsoft.user = { sub: 'm-1', email: ownerEmail(biz.slug) };
    expectRefused(await signIn('microsoft', biz.slug), 'email_unverified');
  });
});

describe('sign-in with a provider and two-factor', () => {
  it('ends in the TOTP challenge for a person who turned two-factor on, and completes with a code', async () => {
    const third = await setUpBusiness(api);
    const setup = await third.admin.post('/api/auth/mfa/totp/setup');
    expect(setup.status).toBe(200);
    const code = () =>
      new TOTP({
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
        secret: Secret.fromBase32(setup.body.secret),
      }).generate();
    expect((await third.admin.post('/api/auth/mfa/totp/confirm', { code: code() })).status).toBe(
      200,
    );

    google.user = { sub: 'g-3', email: ownerEmail(third.slug) };
    const response = await signIn('google', third.slug);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      mfaRequired: true,
      mfaToken: expect.any(String),
      expiresIn: 300,
    });
    expect(response.body.accessToken).toBeUndefined();

    // A code of the next step: the confirm above already used the current one.
    const next = new TOTP({
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      secret: Secret.fromBase32(setup.body.secret),
    }).generate({ timestamp: Date.now() + 30_000 });
    const completed = await api.post('/api/auth/login/mfa', {
      mfaToken: response.body.mfaToken,
      code: next,
    });
    expect(completed.status).toBe(200);
    expect(completed.body.accessToken).toEqual(expect.any(String));
  });
});
