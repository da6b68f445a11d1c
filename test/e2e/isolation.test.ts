import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';

import { calculateJwkThumbprint, decodeJwt, exportJWK, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SCOPES } from '../../shared/auth/scopes.js';
import { resetClock, setClock } from '../../shared/runtime/clock.js';
import { listFunctions, type HttpFunctionDefinition } from '../../shared/runtime/registry.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';
import { startTestHost, useEmulators, type TestHost } from '../support/env.js';
import {
  Api,
  connectApp,
  setUpBusiness,
  signIn,
  TEST_PASSWORD,
  type ApiResponse,
} from './api-client.js';
import { ISOLATION_CASES, type IsolationCase, type IsolationIds } from './isolation-cases.js';

/**
 * Tenant isolation, route by route (issue 3, item 8): business A's owner calls every HTTP
 * function against business B's records; then every protected route is called with no token, a
 * tampered token and forged tokens. B's records are read with B's own credentials before and
 * after, and must not change; no answer may carry B's private ids, emails or names.
 */

/** The app's clock is frozen here, a few days before the bookings the cases name. */
const NOW = Date.parse('2030-01-02T08:00:00Z');

let google: TestOidcProvider;
let host: TestHost;
let api: Api;
let a: World;
let b: World;

interface World {
  ids: IsolationIds;
  owner: Api;
  customer: Api;
  apiKey: string;
  /** Names only B's records carry (staff, service, customer), for the leak check. */
  names: { staff: string; service: string; customer: string };
}

async function setUpWorld(): Promise<World> {
  const tag = randomBytes(4).toString('hex');
  const biz = await setUpBusiness(api);
  const owner = biz.admin;
  const names = {
    staff: `Alex ${tag}`,
    service: `Consultation ${tag}`,
    customer: `Robin ${tag}`,
  };
  const hours = Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [{ start: '09:00', end: '17:00' }]]),
  );
  const customerEmail = `robin-${tag}@example.com`;
  const personEmail = `sam-${tag}@example.com`;
  const [, , customerSignup, joined, pending, key, app] = await Promise.all([
    owner.put(`/api/admin/staff/${biz.staffId}`, {
      name: names.staff,
      timeZone: 'Europe/London',
      weeklyHours: hours,
    }),
    owner.put(`/api/admin/services/${biz.serviceId}`, {
      name: names.service,
      durationMinutes: 60,
      staffIds: [biz.staffId],
    }),
    api.post(`/api/public/${biz.slug}/customers/signup`, {
      name: names.customer,
      email: customerEmail,
      password: TEST_PASSWORD,
    }),
    owner.post('/api/admin/invitations', { email: personEmail, role: 'staff' }),
    owner.post('/api/admin/invitations', { email: `kit-${tag}@example.com`, role: 'staff' }),
    owner.post('/api/admin/api-keys', { name: `Zapier ${tag}`, scopes: SCOPES }),
    connectApp(api, owner),
  ]);
  const customer = api.withToken(customerSignup.body.accessToken);
  const [accepted, booked] = await Promise.all([
    api.post('/api/auth/invitations/accept', { token: joined.body.token, password: TEST_PASSWORD }),
    customer.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      staffId: biz.staffId,
      start: '2030-01-08T10:00:00Z',
      customer: { name: names.customer, email: customerEmail },
    }),
  ]);
  for (const response of [customerSignup, joined, pending, key, accepted, booked]) {
    if (response.status >= 300) throw new Error(`setup failed: ${JSON.stringify(response.body)}`);
  }
  return {
    ids: {
      slug: biz.slug,
      tenantId: biz.tenantId,
      ownerEmail: `owner@${biz.slug}.example`,
      staffId: biz.staffId,
      serviceId: biz.serviceId,
      bookingId: booked.body.id,
      customerId: customerSignup.body.customerId,
      customerEmail,
      userId: accepted.body.userId,
      personEmail,
      invitationId: pending.body.id,
      apiKeyId: key.body.id,
      oauthClientId: app.client.id,
      oauthClientSecret: app.client.clientSecret,
      connectionId: app.connectionId,
      appAccessToken: app.accessToken,
    },
    owner,
    customer,
    apiKey: key.body.key,
    names,
  };
}

beforeAll(async () => {
  setClock(() => NOW);
  google = await startOidcProvider();
  useEmulators({
    OIDC_GOOGLE_ISSUER: google.issuer,
    OIDC_GOOGLE_CLIENT_ID: google.clientId,
    OIDC_GOOGLE_CLIENT_SECRET: google.clientSecret,
  });
  host = await startTestHost({ triggers: false });
  api = new Api(host.baseUrl);
  [a, b] = await Promise.all([setUpWorld(), setUpWorld()]);
  // A's pending enrolment, so its TOTP confirm case meets a seed (and a wrong code).
  await a.owner.post('/api/auth/mfa/totp/setup');
});
afterAll(async () => {
  resetClock();
  await host?.stop();
  await google?.stop();
});

function httpFunctions(): HttpFunctionDefinition[] {
  return listFunctions().filter((fn): fn is HttpFunctionDefinition => fn.kind === 'http');
}

const protectedCases = () =>
  Object.entries(ISOLATION_CASES).filter(([, isolationCase]) => !isolationCase.public);

function request(isolationCase: IsolationCase, target: IsolationIds) {
  return {
    path: isolationCase.path(target, a.ids),
    body: isolationCase.body?.(target, a.ids),
    form: isolationCase.form?.(target, a.ids),
    headers: isolationCase.headers?.(target, a.ids),
  };
}

/** Sends a case's request against B's records (or `target`) with the given credential. */
function send(
  isolationCase: IsolationCase,
  token: string | null,
  target: IsolationIds = b.ids,
): Promise<ApiResponse> {
  const { path, body, form, headers } = request(isolationCase, target);
  return api.request(isolationCase.method, path, {
    token,
    redirect: 'manual',
    ...(body === undefined ? {} : { body }),
    ...(form ? { rawBody: new URLSearchParams(form).toString() } : {}),
    headers: {
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...headers,
    },
  });
}

/**
 * B's ids with their last eight characters changed (digits to digits, letters to letters), so
 * each keeps its shape and prefix but names no record anywhere. The slug, the tenant and the
 * secrets stay: only record ids are probed.
 */
function ghostIds(ids: IsolationIds): IsolationIds {
  const shift = (c: string) =>
    /[0-9]/.test(c)
      ? String((Number(c) + 5) % 10)
      : /[a-f]/.test(c)
        ? 'abcdef'[('abcdef'.indexOf(c) + 3) % 6]!
        : /[a-z]/i.test(c)
          ? c === c.toLowerCase()
            ? 'q'
            : 'Q'
          : c;
  const ghost = (id: string) => id.slice(0, -8) + [...id.slice(-8)].map(shift).join('');
  return {
    ...ids,
    staffId: ghost(ids.staffId),
    serviceId: ghost(ids.serviceId),
    bookingId: ghost(ids.bookingId),
    customerId: ghost(ids.customerId),
    userId: ghost(ids.userId),
    invitationId: ghost(ids.invitationId),
    apiKeyId: ghost(ids.apiKeyId),
    oauthClientId: ghost(ids.oauthClientId),
    connectionId: ghost(ids.connectionId),
  };
}

/** Everything B's owner and customer can read of B, to compare before and after. */
async function snapshotOfB() {
  const reads = [
    '/api/admin/staff',
    '/api/admin/services',
    '/api/admin/bookings?from=2030-01-01&to=2030-01-31',
    '/api/admin/users',
    '/api/admin/invitations',
    '/api/admin/api-keys',
    '/api/admin/oauth/clients',
    '/api/admin/oauth/connections',
    '/api/admin/settings/security',
    '/api/admin/security-events',
  ];
  const [admin, mine] = await Promise.all([
    Promise.all(reads.map((path) => b.owner.get(path))),
    b.customer.get(`/api/public/${b.ids.slug}/me/bookings`),
  ]);
  const responses = [...admin, mine];
  expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
  return responses.map((response) => response.body);
}

/**
 * B's values that must not appear in an answer to A: every id, email and name of B's records,
 * except those the request itself named (an error may quote the id it was asked about) and,
 * on public pages, B's public catalogue.
 */
function secretsOfB(isolationCase: IsolationCase): string[] {
  const { ids, names } = b;
  const publicCatalogue = isolationCase.showsPublicCatalogue
    ? [ids.slug, ids.staffId, ids.serviceId, names.staff, names.service]
    : [];
  const sent = JSON.stringify([
    isolationCase.path(ids, a.ids),
    isolationCase.body?.(ids, a.ids),
    isolationCase.form?.(ids, a.ids),
    isolationCase.headers?.(ids, a.ids),
  ]);
  const values = [...Object.values(ids), b.apiKey, ...Object.values(names)];
  return values.filter((value) => !publicCatalogue.includes(value) && !sent.includes(value));
}

function leaked(response: ApiResponse, secrets: readonly string[]): string[] {
  const seen = JSON.stringify([response.body, [...response.headers.entries()]]);
  return secrets.filter((secret) => seen.includes(secret));
}

describe('tenant isolation', () => {
  it('has a case for every HTTP function, and no other cases', () => {
    const registered = httpFunctions().map((fn) => fn.name);
    expect(registered.filter((name) => !ISOLATION_CASES[name])).toEqual([]);
    expect(Object.keys(ISOLATION_CASES).filter((name) => !registered.includes(name))).toEqual([]);
    // A route that asks for a token must not be skipped by the no-token checks.
    const claimsPublic = httpFunctions().filter(
      (fn) => fn.docs?.auth && ISOLATION_CASES[fn.name]?.public,
    );
    expect(claimsPublic.map((fn) => fn.name)).toEqual([]);
  });

  it("answers A's owner with the expected status on B's records, shows none of B's data and changes nothing of B's", async () => {
    const before = await snapshotOfB();
    const answers: Record<string, number> = {};
    const leaks: Record<string, string[]> = {};
    // One at a time: some cases act on A's own account (two-factor, logout) in order.
    for (const [name, isolationCase] of Object.entries(ISOLATION_CASES)) {
      const token = isolationCase.endsSession
        ? (await signIn(api, a.ids.slug)).token
        : a.owner.token;
      const response = await send(isolationCase, token ?? null);
      answers[name] = response.status;
      const found = leaked(response, secretsOfB(isolationCase));
      if (found.length > 0) leaks[name] = found;
    }

    expect(answers).toEqual(
      Object.fromEntries(Object.entries(ISOLATION_CASES).map(([name, c]) => [name, c.status])),
    );
    expect(leaks).toEqual({});
    expect(await snapshotOfB()).toEqual(before);
    // B's own credentials still work (its customer's did, in the snapshot): its key, its app.
    const [byKey, byApp] = await Promise.all([
      api.get('/api/admin/services', { token: b.apiKey }),
      api.get('/api/admin/services', { token: b.ids.appAccessToken }),
    ]);
    expect([byKey.status, byApp.status]).toEqual([200, 200]);
  });

  it("answers B's ids exactly as ids that exist nowhere, so they cannot be probed", async () => {
    const ghost = ghostIds(b.ids);
    // B's public catalogue is meant to be found; everything else must look like nothing.
    const probes = Object.entries(ISOLATION_CASES).filter(
      ([, c]) =>
        !c.showsPublicCatalogue &&
        JSON.stringify(request(c, b.ids)) !== JSON.stringify(request(c, ghost)),
    );
    expect(probes.length).toBeGreaterThan(20);
    const answers = await Promise.all(
      probes.map(async ([name, c]) => {
        const [real, unknown] = await Promise.all([
          send(c, a.owner.token ?? null),
          send(c, a.owner.token ?? null, ghost),
        ]);
        return [
          name,
          [real.status, real.body?.error?.code],
          [unknown.status, unknown.body?.error?.code],
        ];
      }),
    );
    expect(Object.fromEntries(answers.map(([name, real]) => [name, real]))).toEqual(
      Object.fromEntries(answers.map(([name, , unknown]) => [name, unknown])),
    );
  });

  it('answers 401 to every protected route without a token', async () => {
    const statuses = await Promise.all(
      protectedCases().map(async ([name, c]) => [name, (await send(c, null)).status] as const),
    );
    expect(Object.fromEntries(statuses)).toEqual(
      Object.fromEntries(protectedCases().map(([name]) => [name, 401])),
    );
  });

  it("answers 401 to every protected route given A's token with its tenant changed to B's", async () => {
    const [header, payload, signature] = (a.owner.token as string).split('.');
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
    expect(claims.tid).toBe(a.ids.tenantId);
    const forged = Buffer.from(JSON.stringify({ ...claims, tid: b.ids.tenantId })).toString(
      'base64url',
    );
    const tampered = `${header}.${forged}.${signature}`;

    const statuses = await Promise.all(
      protectedCases().map(async ([name, c]) => [name, (await send(c, tampered)).status] as const),
    );
    expect(Object.fromEntries(statuses)).toEqual(
      Object.fromEntries(protectedCases().map(([name]) => [name, 401])),
    );
  });

  describe('forged access tokens', () => {
    /** The run's signing key, its public half as PEM and JWK, and the key id the app uses. */
    async function signingKey() {
      const { config } = useEmulators();
      const privateKey = createPrivateKey(config.TOKEN_SIGNING_KEY as string);
      const publicKey = createPublicKey(privateKey);
      const jwk = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(jwk);
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      return { config, privateKey, pem, jwk: { ...jwk, kid, alg: 'ES256', use: 'sig' }, kid };
    }

    /** A's owner's real claims (a live session), re-signed the way each attack would. */
    async function forgeries() {
      const { config, privateKey, pem, jwk, kid } = await signingKey();
      const claims = decodeJwt(a.owner.token as string) as JWTPayload & Record<string, unknown>;
      const nowSeconds = Math.floor(NOW / 1000);
      const es256 = (payload: JWTPayload) =>
        new SignJWT(payload)
          .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
          .sign(privateKey);
      const hs256 = (secret: string) =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt' })
          .sign(new TextEncoder().encode(secret));
      const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString('base64url');

      // The JWKS the app publishes is what an attacker holds; it must be this very key.
      const published = await api.get('/api/.well-known/jwks.json');
      expect(published.body.keys).toContainEqual(jwk);
      expect(claims.iss).toBe(config.TOKEN_ISSUER);

      return {
        // Signed like the app signs: must pass, or the 401s below would prove nothing.
        control: await es256(claims),
        forged: {
          'alg none': `${encode({ alg: 'none', kid, typ: 'at+jwt' })}.${encode(claims)}.`,
          'HS256 keyed with the public key PEM': await hs256(pem),
          'HS256 keyed with the public JWK': await hs256(JSON.stringify(published.body.keys[0])),
          'wrong audience': await es256({ ...claims, aud: 'someone-else' }),
          'wrong issuer': await es256({ ...claims, iss: 'https://attacker.example' }),
          expired: await es256({
            ...claims,
            iat: nowSeconds - 7200,
            nbf: nowSeconds - 7200,
            exp: nowSeconds - 3600,
          }),
        },
      };
    }

    it('refuses alg none, HS256 keyed with the public key, a wrong audience or issuer and an expired token with 401 on every protected route', async () => {
      const { control, forged } = await forgeries();
      expect((await api.get('/api/admin/staff', { token: control })).status).toBe(200);

      const statuses: Record<string, Record<string, number>> = {};
      for (const [attack, token] of Object.entries(forged)) {
        const answers = await Promise.all(
          protectedCases().map(async ([name, c]) => [name, (await send(c, token)).status] as const),
        );
        statuses[attack] = Object.fromEntries(answers);
      }
      const all401 = Object.fromEntries(protectedCases().map(([name]) => [name, 401]));
      expect(statuses).toEqual(Object.fromEntries(Object.keys(forged).map((k) => [k, all401])));
    });
  });
});
