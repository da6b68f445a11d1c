import { createHash, randomBytes } from 'node:crypto';

/** A small HTTP client for end-to-end tests: every call goes over the wire to the local host. */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * A made-up client address (IPv6 documentation range) per client: sign-ins are throttled per
 * address across the whole run's database, so test files must not share one.
 */
export function randomClientAddress(): string {
  return `2001:db8::${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;
}

export class Api {
  /** The host's origin, or a function giving it once the host has started (see `useTestHost`). */
  private readonly origin: string | (() => string);

  constructor(
    origin: string | (() => string),
    readonly token?: string,
    readonly address: string = randomClientAddress(),
  ) {
    this.origin = origin;
  }

  get baseUrl(): string {
    return typeof this.origin === 'string' ? this.origin : this.origin();
  }

  withToken(token: string): Api {
    return new Api(this.origin, token, this.address);
  }

  /** The same client seen from another address (`x-forwarded-for`). */
  fromAddress(address: string): Api {
    return new Api(this.origin, this.token, address);
  }

  async request<T = any>(
    method: string,
    path: string,
    options: {
      body?: unknown;
      rawBody?: string;
      headers?: Record<string, string>;
      token?: string | null;
      /** `manual` answers a redirect itself (302 with its location) instead of following it. */
      redirect?: 'follow' | 'manual';
    } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { 'x-forwarded-for': this.address, ...options.headers };
    const token = options.token === null ? undefined : (options.token ?? this.token);
    if (token) headers['authorization'] = `Bearer ${token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !headers['content-type'])
      headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body,
      ...(options.redirect ? { redirect: options.redirect } : {}),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON; the raw text is kept
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  get<T = any>(path: string, options?: Parameters<Api['request']>[2]) {
    return this.request<T>('GET', path, options);
  }

  post<T = any>(path: string, body?: unknown, options: Parameters<Api['request']>[2] = {}) {
    return this.request<T>('POST', path, { ...options, ...(body === undefined ? {} : { body }) });
  }

  put<T = any>(path: string, body?: unknown, options: Parameters<Api['request']>[2] = {}) {
    return this.request<T>('PUT', path, { ...options, ...(body === undefined ? {} : { body }) });
  }

  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

/** Request options sending a booking's manage token the one way the API takes it: its header. */
export function withBookingToken(token: string): { headers: Record<string, string> } {
  return { headers: { 'Booking-Token': token } };
}

export const WEEKDAYS_9_TO_5 = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [{ start: '09:00', end: '17:00' }]]),
);

export const EVERY_DAY = (start: string, end: string) =>
  Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start, end }]]),
  );

/** A unique slug per test business, so tests can share one database. */
export function uniqueSlug(prefix = 'biz'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** Matches what `uniqueSlug` makes (a prefix, a hyphen, ten hex digits) inside other text. */
export const UNIQUE_SLUG_SOURCE = '\\b[a-z0-9]+-[0-9a-f]{10}\\b';

export const TEST_PASSWORD = 'a long and unguessable passphrase';

/**
 * Signs a person of the business in and returns a client with their fresh access token. Tests
 * that move the injected clock past the access token's 15 minutes (or the session's limits)
 * sign in again at the new time, as a real client would.
 */
export async function signIn(
  api: Api,
  slug: string,
  email = `owner@${slug}.example`,
  password = TEST_PASSWORD,
): Promise<Api> {
  const login = await api.post('/api/auth/login', { slug, email, password });
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  return api.withToken(login.body.accessToken);
}

/** Signs up a business with one staff member and one service; returns their ids and an admin client. */
export async function setUpBusiness(
  api: Api,
  options: {
    timeZone?: string;
    weeklyHours?: Record<string, { start: string; end: string }[]>;
    service?: Record<string, unknown>;
  } = {},
) {
  const slug = uniqueSlug();
  const timeZone = options.timeZone ?? 'Europe/London';
  const signup = await api.post('/api/auth/signup', {
    businessName: 'Test Business',
    slug,
    email: `owner@${slug}.example`,
    password: TEST_PASSWORD,
    timeZone,
  });
  if (signup.status !== 201) throw new Error(`signup failed: ${JSON.stringify(signup.body)}`);
  const admin = api.withToken(signup.body.accessToken);
  const staff = await admin.post('/api/admin/staff', {
    name: 'Alex',
    timeZone,
    weeklyHours: options.weeklyHours ?? WEEKDAYS_9_TO_5,
  });
  if (staff.status !== 201) throw new Error(`staff failed: ${JSON.stringify(staff.body)}`);
  const service = await admin.post('/api/admin/services', {
    name: 'Consultation',
    durationMinutes: 60,
    staffIds: [staff.body.id],
    ...options.service,
  });
  if (service.status !== 201) throw new Error(`service failed: ${JSON.stringify(service.body)}`);
  return {
    slug,
    tenantId: signup.body.tenantId as string,
    admin,
    staffId: staff.body.id as string,
    serviceId: service.body.id as string,
  };
}

/** A PKCE pair (RFC 7636, S256). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

export const OAUTH_REDIRECT = 'https://app.example/callback';

/**
 * Registers an app with the business (as its owner), consents to it and redeems the code: the
 * app is connected. Returns the client and the app's tokens; the grant (connection) id is the
 * `g…` part of the access token.
 */
export async function connectApp(api: Api, owner: Api, scope = 'catalog:read bookings:read') {
  const registered = await owner.post('/api/admin/oauth/clients', {
    name: 'Calendar Sync Pro',
    redirectUris: [OAUTH_REDIRECT],
  });
  if (registered.status !== 201) throw new Error(`client: ${JSON.stringify(registered.body)}`);
  const client = registered.body as { id: string; clientSecret: string };
  const { verifier, challenge } = pkce();
  const consent = await owner.post('/api/oauth/authorize/consent', {
    response_type: 'code',
    client_id: client.id,
    redirect_uri: OAUTH_REDIRECT,
    scope,
    state: 'state',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    approve: true,
  });
  if (consent.status !== 200) throw new Error(`consent: ${JSON.stringify(consent.body)}`);
  const code = new URL(consent.body.redirectTo).searchParams.get('code') as string;
  const tokens = await api.request('POST', '/api/oauth/token', {
    rawBody: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: OAUTH_REDIRECT,
      code_verifier: verifier,
      client_id: client.id,
      client_secret: client.clientSecret,
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (tokens.status !== 200) throw new Error(`token: ${JSON.stringify(tokens.body)}`);
  const accessToken = tokens.body.access_token as string;
  const connectionId = /^swa_(g[0-9a-f]{24})_/.exec(accessToken)?.[1] as string;
  return { client, accessToken, refreshToken: tokens.body.refresh_token as string, connectionId };
}
