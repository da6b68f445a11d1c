import { readFileSync } from 'node:fs';

import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SCOPES } from '../../shared/auth/scopes.js';
import {
  listFunctions,
  pathOf,
  type HttpFunctionDefinition,
} from '../../shared/runtime/registry.js';
import { loadManifest } from '../../shared/site/assets.js';
import { resetClock, setClock } from '../../shared/runtime/clock.js';
import {
  Api,
  connectApp,
  EVERY_DAY,
  OAUTH_REDIRECT,
  pkce,
  setUpBusiness,
  signIn,
  TEST_PASSWORD,
  uniqueSlug,
} from './api-client.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';
import { startTestHost, useEmulators, type TestHost } from '../support/env.js';

/**
 * Follows the table in docs/authorization.md: every cell is one HTTP call as that caller, and
 * the statuses the server gives must be the ones the document promises.
 */
const CALLERS = [
  'owner',
  'admin',
  'staff',
  'staff+grant',
  'customer',
  'anonymous',
  'API key',
] as const;
type Caller = (typeof CALLERS)[number];

interface MatrixRow {
  method: string;
  route: string;
  fn: string;
  expected: Record<Caller, number | null>;
}

function parseMatrix(markdown: string): MatrixRow[] {
  const lines = markdown.split('\n');
  const header = lines.findIndex((line) => line.startsWith('| route | function |'));
  if (header < 0) throw new Error('docs/authorization.md has no matrix table.');
  expect(
    lines[header]!.split('|')
      .slice(3, -1)
      .map((cell) => cell.trim()),
  ).toEqual([...CALLERS]);
  const rows: MatrixRow[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const [routeCell, fnCell, ...statuses] = cells;
    const [method, route] = routeCell!.replaceAll('`', '').split(' ');
    if (statuses.length !== CALLERS.length)
      throw new Error(`Row "${line}" needs ${CALLERS.length} cells.`);
    const expected = Object.fromEntries(
      CALLERS.map((caller, i) => [caller, statuses[i] === '—' ? null : Number(statuses[i])]),
    ) as Record<Caller, number | null>;
    rows.push({ method: method!, route: route!, fn: fnCell!.replaceAll('`', ''), expected });
  }
  return rows;
}

const MATRIX = parseMatrix(readFileSync('docs/authorization.md', 'utf8'));

const NOW = Date.parse('2030-01-02T08:00:00Z');
const HOUR = 3_600_000;

let host: TestHost;
let api: Api;
let google: TestOidcProvider;
let ctx: Awaited<ReturnType<typeof setUpWorld>>;
let tokens: Record<Caller, string | null | undefined>;

/** One business with every kind of caller, and helpers that make fresh targets for each call. */
async function setUpWorld() {
  const biz = await setUpBusiness(api, { weeklyHours: EVERY_DAY('00:00', '24:00') });
  const owner = biz.admin;
  const blake = await owner.post('/api/admin/staff', {
    name: 'Blake',
    timeZone: 'Europe/London',
    weeklyHours: EVERY_DAY('00:00', '24:00'),
  });
  const serviceBody = {
    name: 'Consultation',
    durationMinutes: 60,
    staffIds: [biz.staffId, blake.body.id],
  };
  await owner.put(`/api/admin/services/${biz.serviceId}`, serviceBody);

  let hour = 0;
  const nextStart = () =>
    new Date(Date.parse('2030-01-07T00:00:00Z') + hour++ * HOUR).toISOString();
  const invite = async (role: 'admin' | 'staff', staffId?: string) => {
    const email = `${uniqueSlug('p')}@example.com`;
    const created = await owner.post('/api/admin/invitations', {
      email,
      role,
      ...(staffId ? { staffId } : {}),
    });
    return created.body as { id: string; token: string };
  };
  const join = async (role: 'admin' | 'staff', staffId?: string) => {
    const email = `${uniqueSlug('p')}@example.com`;
    const invitation = await owner.post('/api/admin/invitations', {
      email,
      role,
      ...(staffId ? { staffId } : {}),
    });
    const accepted = await api.post('/api/auth/invitations/accept', {
      token: invitation.body.token,
      password: TEST_PASSWORD,
    });
    if (accepted.status !== 201) throw new Error(`accept failed: ${JSON.stringify(accepted.body)}`);
    return { ...(accepted.body as { userId: string; accessToken: string }), email };
  };
  const customerEmail = `${uniqueSlug('c')}@example.com`;
  const customer = await api.post(`/api/public/${biz.slug}/customers/signup`, {
    name: 'Robin',
    email: customerEmail,
    password: TEST_PASSWORD,
  });
  const customerApi = api.withToken(customer.body.accessToken);
  const book = async (client: Api) => {
    const booked = await client.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      staffId: blake.body.id,
      start: nextStart(),
      customer: { name: 'Pat', email: 'pat@example.com' },
    });
    if (booked.status !== 201) throw new Error(`booking failed: ${JSON.stringify(booked.body)}`);
    return booked.body as { id: string; manageToken: string };
  };
  const staffBody = {
    name: 'Target',
    timeZone: 'Europe/London',
    weeklyHours: EVERY_DAY('09:00', '17:00'),
  };
  const targetStaff = await owner.post('/api/admin/staff', staffBody);

  const [admin, staff, desk, target] = [
    await join('admin'),
    await join('staff', biz.staffId),
    await join('staff'),
    await join('staff'),
  ];
  await owner.request('PATCH', `/api/admin/users/${desk.userId}`, {
    body: { permissions: ['bookings:all'] },
  });
  const key = await owner.post('/api/admin/api-keys', { name: 'Everything', scopes: SCOPES });
  tokens = {
    owner: (owner as unknown as { token: string }).token,
    admin: admin.accessToken,
    staff: staff.accessToken,
    'staff+grant': desk.accessToken,
    customer: customer.body.accessToken,
    anonymous: null,
    'API key': key.body.key,
  };

  /**
   * A new person of the caller's kind, signed in, for calls that end the caller's sessions or
   * change how they sign in (logout, password, two-factor); keys and the anonymous caller are
   * the shared ones.
   */
  const freshToken = async (caller: Caller): Promise<string | null> => {
    if (caller === 'customer') {
      const signup = await api.post(`/api/public/${biz.slug}/customers/signup`, {
        name: 'Kim',
        email: `${uniqueSlug('k')}@example.com`,
        password: TEST_PASSWORD,
      });
      return signup.body.accessToken;
    }
    if (caller === 'owner' || caller === 'admin') {
      const person = await join('admin');
      if (caller === 'admin') return person.accessToken;
      await owner.request('PATCH', `/api/admin/users/${person.userId}`, {
        body: { role: 'owner' },
      });
      return person.accessToken;
    }
    if (caller === 'staff') return (await join('staff', biz.staffId)).accessToken;
    if (caller === 'staff+grant') {
      const person = await join('staff');
      await owner.request('PATCH', `/api/admin/users/${person.userId}`, {
        body: { permissions: ['bookings:all'] },
      });
      return person.accessToken;
    }
    return tokens[caller] ?? null;
  };

  /** Starts two-factor enrolment for the token's person; the seed, or none (not allowed). */
  const totpSetup = async (token: string | null) => {
    const setup = await api.post('/api/auth/mfa/totp/setup', undefined, { token });
    return setup.status === 200 ? (setup.body.secret as string) : undefined;
  };
  // Codes one step apart: the clock is frozen at NOW, and each step's code works once.
  const totpCode = (seed: string | undefined, step: -1 | 0) =>
    seed
      ? new TOTP({ secret: Secret.fromBase32(seed) }).generate({ timestamp: NOW + step * 30_000 })
      : '000000';

  // One person with two-factor on, whose recovery codes complete sign-ins at login/mfa.
  const mfaPerson = await join('staff');
  const mfaSeed = await totpSetup(mfaPerson.accessToken);
  const confirmed = await api.post(
    '/api/auth/mfa/totp/confirm',
    { code: totpCode(mfaSeed, 0) },
    { token: mfaPerson.accessToken },
  );
  const recoveryCodes = [...(confirmed.body.recoveryCodes as string[])];
  const mfaChallenge = async () => {
    const login = await api.post('/api/auth/login', {
      slug: biz.slug,
      email: mfaPerson.email,
      password: TEST_PASSWORD,
    });
    return { mfaToken: login.body.mfaToken as string, recoveryCode: recoveryCodes.pop() };
  };

  const app = await connectApp(api, owner);
  return {
    ...biz,
    owner,
    serviceBody,
    staffBody,
    targetStaffId: targetStaff.body.id as string,
    targetUserId: target.userId,
    customerEmail,
    nextStart,
    invite,
    book: () => book(api),
    bookAsCustomer: () => book(customerApi),
    freshToken,
    totpSetup,
    totpCode,
    mfaChallenge,
    oauthClient: app.client,
  };
}

interface Call {
  path: string;
  body?: unknown;
  /** A form body (the OAuth endpoints), sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** The caller's credential for this call, when it is not their shared one (see freshToken). */
  token?: string | null;
}

type Ctx = Awaited<ReturnType<typeof setUpWorld>>;

const NEW_PASSWORD = 'another quite long passphrase 42';

function authorizeParams(clientId: string, challenge = pkce().challenge) {
  return {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: OAUTH_REDIRECT,
    scope: 'catalog:read',
    state: 'state',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
}

/** The callback URL and binding cookie of a sign-in the test provider has just completed. */
async function throughProvider(slug: string): Promise<Call> {
  const start = await api.get(`/api/auth/oidc/google/start?slug=${slug}`, {
    redirect: 'manual',
  });
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const atProvider = await fetch(start.headers.get('location') as string, { redirect: 'manual' });
  const callback = new URL(atProvider.headers.get('location') as string);
  return { path: `${callback.pathname}${callback.search}`, headers: { cookie } };
}

/**
 * A valid request for each function; targets that a call uses up are made fresh each time.
 * `caller` is only for calls that need a credential of their own (see `freshToken`).
 */
const CALLS: Record<string, (c: Ctx, caller: Caller) => Promise<Call> | Call> = {
  health: () => ({ path: '/api/health' }),
  openapi: () => ({ path: '/api/openapi.json' }),
  'auth-jwks': () => ({ path: '/api/.well-known/jwks.json' }),
  'auth-signup': () => {
    const slug = uniqueSlug();
    return {
      path: '/api/auth/signup',
      body: {
        businessName: 'B',
        slug,
        email: `o@${slug}.example`,
        password: TEST_PASSWORD,
        timeZone: 'UTC',
      },
    };
  },
  'auth-login': (c) => ({
    path: '/api/auth/login',
    body: { slug: c.slug, email: `owner@${c.slug}.example`, password: TEST_PASSWORD },
  }),
  'auth-invitations-accept': async (c) => ({
    path: '/api/auth/invitations/accept',
    body: { token: (await c.invite('staff')).token, password: TEST_PASSWORD },
  }),
  'admin-users-list': () => ({ path: '/api/admin/users' }),
  'admin-users-update': (c) => ({
    path: `/api/admin/users/${c.targetUserId}`,
    body: { permissions: [] },
  }),
  'admin-invitations-create': () => ({
    path: '/api/admin/invitations',
    body: { email: `${uniqueSlug('i')}@example.com`, role: 'staff' },
  }),
  'admin-invitations-list': () => ({ path: '/api/admin/invitations' }),
  'admin-invitations-revoke': async (c) => ({
    path: `/api/admin/invitations/${(await c.invite('staff')).id}`,
  }),
  'staff-list': () => ({ path: '/api/admin/staff' }),
  'staff-create': (c) => ({ path: '/api/admin/staff', body: c.staffBody }),
  'staff-get': (c) => ({ path: `/api/admin/staff/${c.targetStaffId}` }),
  'staff-update': (c) => ({ path: `/api/admin/staff/${c.targetStaffId}`, body: c.staffBody }),
  'staff-delete': async (c) => {
    const created = await c.owner.post('/api/admin/staff', c.staffBody);
    return { path: `/api/admin/staff/${created.body.id}` };
  },
  'service-list': () => ({ path: '/api/admin/services' }),
  'service-create': (c) => ({ path: '/api/admin/services', body: c.serviceBody }),
  'service-get': (c) => ({ path: `/api/admin/services/${c.serviceId}` }),
  'service-update': (c) => ({ path: `/api/admin/services/${c.serviceId}`, body: c.serviceBody }),
  'service-delete': async (c) => {
    const created = await c.owner.post('/api/admin/services', c.serviceBody);
    return { path: `/api/admin/services/${created.body.id}` };
  },
  'admin-bookings-list': () => ({ path: '/api/admin/bookings?from=2030-01-07&to=2030-01-14' }),
  'admin-bookings-cancel': async (c) => ({
    path: `/api/admin/bookings/${(await c.book()).id}/cancel`,
  }),
  'admin-bookings-reschedule': async (c) => ({
    path: `/api/admin/bookings/${(await c.book()).id}/reschedule`,
    body: { start: c.nextStart() },
  }),
  'admin-bookings-slots': async (c) => ({
    path: `/api/admin/bookings/${(await c.book()).id}/slots?start=2030-01-07&end=2030-01-08`,
  }),
  'public-services-list': (c) => ({ path: `/api/public/${c.slug}/services` }),
  'page-booking': (c) => ({ path: `/${c.slug}` }),
  'page-manage': async (c) => ({ path: `/${c.slug}/manage/${(await c.book()).id}` }),
  'page-console': (c) => ({ path: `/${c.slug}/admin` }),
  'site-assets': async () => ({
    path: `/assets/${Object.keys((await loadManifest()).files)[0]}`,
  }),
  'public-slots-list': (c) => ({
    path: `/api/public/${c.slug}/slots?serviceId=${c.serviceId}&start=2030-01-07&end=2030-01-08`,
  }),
  'bookings-create': (c) => ({
    path: `/api/public/${c.slug}/bookings`,
    body: {
      serviceId: c.serviceId,
      start: c.nextStart(),
      customer: { name: 'Pat', email: 'pat@example.com' },
    },
  }),
  'bookings-get': async (c) => {
    const booking = await c.book();
    return {
      path: `/api/public/${c.slug}/bookings/${booking.id}`,
      headers: { 'Booking-Token': booking.manageToken },
    };
  },
  'bookings-cancel': async (c) => {
    const booking = await c.book();
    return {
      path: `/api/public/${c.slug}/bookings/${booking.id}/cancel`,
      headers: { 'Booking-Token': booking.manageToken },
    };
  },
  'bookings-reschedule': async (c) => {
    const booking = await c.book();
    return {
      path: `/api/public/${c.slug}/bookings/${booking.id}/reschedule`,
      headers: { 'Booking-Token': booking.manageToken },
      body: { start: c.nextStart() },
    };
  },
  'bookings-ics': async (c) => {
    const booking = await c.book();
    return {
      path: `/api/public/${c.slug}/bookings/${booking.id}/ics`,
      headers: { 'Booking-Token': booking.manageToken },
    };
  },
  'customer-signup': (c) => ({
    path: `/api/public/${c.slug}/customers/signup`,
    body: { name: 'Kim', email: `${uniqueSlug('k')}@example.com`, password: TEST_PASSWORD },
  }),
  'customer-login': (c) => ({
    path: `/api/public/${c.slug}/customers/login`,
    body: { email: c.customerEmail, password: TEST_PASSWORD },
  }),
  'customer-bookings-list': (c) => ({ path: `/api/public/${c.slug}/me/bookings` }),
  'customer-bookings-cancel': async (c) => ({
    path: `/api/public/${c.slug}/me/bookings/${(await c.bookAsCustomer()).id}/cancel`,
  }),
  'customer-bookings-reschedule': async (c) => ({
    path: `/api/public/${c.slug}/me/bookings/${(await c.bookAsCustomer()).id}/reschedule`,
    body: { start: c.nextStart() },
  }),
  'auth-refresh': async (c) => {
    const login = await api.post('/api/auth/login', {
      slug: c.slug,
      email: `owner@${c.slug}.example`,
      password: TEST_PASSWORD,
    });
    return { path: '/api/auth/refresh', body: { refreshToken: login.body.refreshToken } };
  },
  'auth-login-mfa': async (c) => ({ path: '/api/auth/login/mfa', body: await c.mfaChallenge() }),
  'auth-logout': async (c, caller) => ({
    path: '/api/auth/logout',
    token: await c.freshToken(caller),
  }),
  'auth-password-change': async (c, caller) => ({
    path: '/api/auth/password',
    body: { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD },
    token: await c.freshToken(caller),
  }),
  'auth-mfa-status': () => ({ path: '/api/auth/mfa' }),
  'auth-totp-setup': async (c, caller) => ({
    path: '/api/auth/mfa/totp/setup',
    token: await c.freshToken(caller),
  }),
  'auth-totp-confirm': async (c, caller) => {
    const token = await c.freshToken(caller);
    const seed = await c.totpSetup(token);
    return { path: '/api/auth/mfa/totp/confirm', body: { code: c.totpCode(seed, 0) }, token };
  },
  'auth-totp-disable': async (c, caller) => {
    const token = await c.freshToken(caller);
    const seed = await c.totpSetup(token);
    await api.post('/api/auth/mfa/totp/confirm', { code: c.totpCode(seed, -1) }, { token });
    return { path: '/api/auth/mfa/totp/disable', body: { code: c.totpCode(seed, 0) }, token };
  },
  'admin-security-settings-get': () => ({ path: '/api/admin/settings/security' }),
  'admin-security-settings-update': () => ({
    path: '/api/admin/settings/security',
    body: { requireTwoFactor: false },
  }),
  'admin-security-events-list': () => ({ path: '/api/admin/security-events' }),
  'api-keys-create': () => ({
    path: '/api/admin/api-keys',
    body: { name: 'Zapier', scopes: ['catalog:read'] },
  }),
  'api-keys-list': () => ({ path: '/api/admin/api-keys' }),
  'api-keys-revoke': async (c) => {
    const created = await c.owner.post('/api/admin/api-keys', {
      name: 'Zapier',
      scopes: ['catalog:read'],
    });
    return { path: `/api/admin/api-keys/${created.body.id}` };
  },
  'oauth-clients-create': () => ({
    path: '/api/admin/oauth/clients',
    body: { name: 'Calendar Sync Pro', redirectUris: [OAUTH_REDIRECT] },
  }),
  'oauth-clients-list': () => ({ path: '/api/admin/oauth/clients' }),
  'oauth-authorize': (c) => ({
    path: `/api/oauth/authorize?${new URLSearchParams(authorizeParams(c.oauthClient.id))}`,
  }),
  'oauth-consent': (c) => ({
    path: '/api/oauth/authorize/consent',
    body: { ...authorizeParams(c.oauthClient.id), approve: true },
  }),
  'oauth-token': async (c) => {
    const { verifier, challenge } = pkce();
    const consent = await c.owner.post('/api/oauth/authorize/consent', {
      ...authorizeParams(c.oauthClient.id, challenge),
      approve: true,
    });
    return {
      path: '/api/oauth/token',
      form: {
        grant_type: 'authorization_code',
        code: new URL(consent.body.redirectTo).searchParams.get('code') as string,
        redirect_uri: OAUTH_REDIRECT,
        code_verifier: verifier,
        client_id: c.oauthClient.id,
        client_secret: c.oauthClient.clientSecret,
      },
    };
  },
  'oauth-revoke': async (c) => {
    const app = await connectApp(api, c.owner);
    return {
      path: '/api/oauth/revoke',
      form: {
        token: app.refreshToken,
        client_id: app.client.id,
        client_secret: app.client.clientSecret,
      },
    };
  },
  'oauth-connections-list': () => ({ path: '/api/admin/oauth/connections' }),
  'oauth-connections-revoke': async (c) => ({
    path: `/api/admin/oauth/connections/${(await connectApp(api, c.owner)).connectionId}`,
  }),
  'auth-oidc-start': (c) => ({ path: `/api/auth/oidc/google/start?slug=${c.slug}` }),
  'auth-oidc-callback': (c) => {
    google.user = { sub: 'g-owner', email: `owner@${c.slug}.example` };
    // The provider stamps its ID tokens with the real time; the app checks them on its clock.
    const issuedAt = Math.floor(NOW / 1000);
    google.tamper = { claims: { iat: issuedAt, exp: issuedAt + 3600 } };
    return throughProvider(c.slug);
  },
};

beforeAll(async () => {
  setClock(() => NOW);
  google = await startOidcProvider();
  useEmulators({
    OIDC_GOOGLE_ISSUER: google.issuer,
    OIDC_GOOGLE_CLIENT_ID: google.clientId,
    OIDC_GOOGLE_CLIENT_SECRET: google.clientSecret,
  });
  host = await startTestHost();
  api = new Api(host.baseUrl);
  ctx = await setUpWorld();
});
afterAll(async () => {
  resetClock();
  await host?.stop();
  await google?.stop();
});

function httpFunctions(): HttpFunctionDefinition[] {
  return listFunctions().filter((fn): fn is HttpFunctionDefinition => fn.kind === 'http');
}

describe('docs/authorization.md', () => {
  it('has a row, with the right method and route, for every HTTP function, and no other rows', () => {
    const registered = httpFunctions();
    const rows = new Map(MATRIX.map((row) => [row.fn, row]));
    expect(rows.size, 'a function has two rows').toBe(MATRIX.length);
    for (const fn of registered) {
      const row = rows.get(fn.name);
      expect(row, `${fn.name} is missing from docs/authorization.md`).toBeDefined();
      expect(`${row!.method} ${row!.route}`, fn.name).toBe(
        `${fn.methods.join(',')} /${pathOf(fn)}`,
      );
      expect(CALLS[fn.name], `${fn.name} has no request in the matrix test`).toBeDefined();
    }
    expect(
      MATRIX.map((row) => row.fn).filter((name) => !registered.some((fn) => fn.name === name)),
    ).toEqual([]);
  });

  it('leaves a column empty only for callers this version does not have', () => {
    for (const row of MATRIX) {
      for (const caller of CALLERS) {
        if (tokens[caller] === undefined)
          expect(row.expected[caller], `${row.fn} / ${caller}`).toBeNull();
        else expect(row.expected[caller], `${row.fn} / ${caller}`).toEqual(expect.any(Number));
      }
    }
  });

  for (const row of MATRIX) {
    it(`${row.method} ${row.route} answers each caller as the matrix says`, async () => {
      const build = CALLS[row.fn];
      expect(build, `${row.fn} has no request in the matrix test`).toBeDefined();
      const actual: Partial<Record<Caller, number | null>> = {};
      for (const caller of CALLERS) {
        const token = tokens[caller];
        if (token === undefined) {
          actual[caller] = null;
          continue;
        }
        const call = await build!(ctx, caller);
        const response = await api.request(row.method, call.path, {
          token: call.token === undefined ? token : call.token,
          redirect: 'manual',
          ...(call.body === undefined ? {} : { body: call.body }),
          ...(call.form ? { rawBody: new URLSearchParams(call.form).toString() } : {}),
          headers: {
            ...(call.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
            ...call.headers,
          },
        });
        actual[caller] = response.status;
      }
      expect(actual).toEqual(row.expected);
    });
  }
});
