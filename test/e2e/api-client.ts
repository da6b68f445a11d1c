import { randomBytes } from 'node:crypto';

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
  constructor(
    readonly baseUrl: string,
    private token?: string,
    readonly address: string = randomClientAddress(),
  ) {}

  withToken(token: string): Api {
    return new Api(this.baseUrl, token, this.address);
  }

  /** The same client seen from another address (`x-forwarded-for`). */
  fromAddress(address: string): Api {
    return new Api(this.baseUrl, this.token, address);
  }

  async request<T = any>(
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; token?: string | null } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { 'x-forwarded-for': this.address, ...options.headers };
    const token = options.token === null ? undefined : (options.token ?? this.token);
    if (token) headers['authorization'] = `Bearer ${token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
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

  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, { body });
  }

  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
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

export const TEST_PASSWORD = 'a long and unguessable passphrase';

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
