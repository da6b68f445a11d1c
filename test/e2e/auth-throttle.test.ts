import { describe, expect, it } from 'vitest';

import { setClock } from '../../shared/runtime/clock.js';
import { useEmulators, useTestHost } from '../support/env.js';
import {
  Api,
  randomClientAddress,
  TEST_PASSWORD,
  uniqueSlug,
  type ApiResponse,
} from './api-client.js';

// A lower per-address allowance than production's 20 keeps the test short; the rule is the same.
useEmulators({ LOGIN_ACCOUNT_FREE_FAILURES: '5', LOGIN_ADDRESS_FREE_FAILURES: '8' });

const host = useTestHost();
const api = new Api(() => host().baseUrl);

let clock = 0;
function startClock(iso: string): void {
  clock = Date.parse(iso);
  setClock(() => clock);
}
const advance = (ms: number) => {
  clock += ms;
};

async function signUp() {
  const slug = uniqueSlug('thr');
  const email = `owner@${slug}.example`;
  const response = await api.post('/api/auth/signup', {
    businessName: 'Throttle Test',
    slug,
    email,
    password: TEST_PASSWORD,
    timeZone: 'Europe/London',
  });
  expect(response.status).toBe(201);
  return { slug, email, token: response.body.accessToken as string };
}

function attempt(client: Api, slug: string, email: string, password = 'not the right password') {
  return client.post('/api/auth/login', { slug, email, password });
}

/** What a caller can observe about a response: status, body and the Retry-After header. */
const seen = (response: ApiResponse) => ({
  status: response.status,
  body: response.body,
  retryAfter: response.headers.get('retry-after'),
});

const INVALID = {
  status: 401,
  body: {
    error: {
      code: 'unauthorized',
      message: 'The business, email or password is not correct.',
      details: null,
    },
  },
  retryAfter: null,
};
const locked = (seconds: number) => ({
  status: 429,
  body: {
    error: {
      code: 'too_many_requests',
      message: `Too many failed sign-ins; try again in ${seconds} seconds.`,
      details: null,
    },
  },
  retryAfter: String(seconds),
});

/** Five failures, then a locked attempt, then (after the lock) one more failure and a lock. */
async function runLockoutSequence(client: Api, slug: string, email: string) {
  const outcomes = [];
  for (let i = 0; i < 5; i++) outcomes.push(seen(await attempt(client, slug, email)));
  outcomes.push(seen(await attempt(client, slug, email)));
  advance(30_000);
  outcomes.push(seen(await attempt(client, slug, email)));
  outcomes.push(seen(await attempt(client, slug, email)));
  return outcomes;
}

describe('POST /api/auth/login throttling per account', () => {
  it('locks an account after 5 failures with 429 and a Retry-After that grows', async () => {
    startClock('2031-06-01T09:00:00Z');
    const business = await signUp();
    const client = new Api(host().baseUrl);

    const outcomes = await runLockoutSequence(client, business.slug, business.email);
    expect(outcomes).toEqual([
      INVALID,
      INVALID,
      INVALID,
      INVALID,
      INVALID,
      locked(30),
      INVALID,
      locked(60),
    ]);

    // The lock holds for the right password and from any address.
    expect(seen(await attempt(client, business.slug, business.email, TEST_PASSWORD))).toEqual(
      locked(60),
    );
    const elsewhere = client.fromAddress(randomClientAddress());
    expect(seen(await attempt(elsewhere, business.slug, business.email, TEST_PASSWORD))).toEqual(
      locked(60),
    );

    advance(60_000);
    const login = await attempt(client, business.slug, business.email, TEST_PASSWORD);
    expect(login.status).toBe(200);

    const events = await client.get('/api/admin/security-events', {
      token: login.body.accessToken,
    });
    const lockouts = events.body.items.filter((e: { kind: string }) => e.kind === 'login_lockout');
    expect(lockouts).toHaveLength(2);
    expect(lockouts[0]).toEqual({
      id: expect.stringMatching(/^sev_/),
      kind: 'login_lockout',
      userId: expect.stringMatching(/^usr_/),
      detail: { account: expect.stringMatching(/^[0-9a-f]{16}$/), failures: 6, lockSeconds: 60 },
      at: new Date(clock - 60_000).toISOString(),
    });
    const text = JSON.stringify(events.body);
    expect(text).not.toContain(business.email);
    expect(text).not.toContain(client.address);
  });

  it('throttles unknown emails and businesses exactly like real accounts', async () => {
    startClock('2031-06-02T09:00:00Z');
    const business = await signUp();
    const real = await runLockoutSequence(new Api(host().baseUrl), business.slug, business.email);
    const unknownEmail = await runLockoutSequence(
      new Api(host().baseUrl),
      business.slug,
      `nobody@${business.slug}.example`,
    );
    const unknownBusiness = await runLockoutSequence(
      new Api(host().baseUrl),
      uniqueSlug('none'),
      'owner@none.example',
    );
    expect(unknownEmail).toEqual(real);
    expect(unknownBusiness).toEqual(real);
  });

  it('spends about as long on an unknown account as on a wrong password', async () => {
    const business = await signUp();
    const client = new Api(host().baseUrl);
    const timed = async (email: string) => {
      const started = performance.now();
      expect((await attempt(client, business.slug, email)).status).toBe(401);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, so load on the machine hits both alike; medians against outliers.
    for (let i = 0; i < 3; i++) {
      known.push(await timed(business.email));
      unknown.push(await timed(`nobody${i}@${business.slug}.example`));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1] as number;
    // Without the burned bcrypt check an unknown account answers in a few milliseconds.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
  });

  it('clears the count after a successful sign-in', async () => {
    startClock('2031-06-03T09:00:00Z');
    const business = await signUp();
    const client = new Api(host().baseUrl);
    for (let i = 0; i < 4; i++)
      expect((await attempt(client, business.slug, business.email)).status).toBe(401);
    expect((await attempt(client, business.slug, business.email, TEST_PASSWORD)).status).toBe(200);
    // Another address, so only the account's count matters (the address keeps its own).
    const later = client.fromAddress(randomClientAddress());
    for (let i = 0; i < 4; i++)
      expect((await attempt(later, business.slug, business.email)).status).toBe(401);
    expect((await attempt(later, business.slug, business.email, TEST_PASSWORD)).status).toBe(200);
  });
});

describe('POST /api/auth/login throttling per client address', () => {
  it('locks an address that fails across many accounts, and only that address', async () => {
    startClock('2031-06-04T09:00:00Z');
    const business = await signUp();
    const sprayer = new Api(host().baseUrl);
    for (let i = 0; i < 8; i++) {
      const response = await attempt(sprayer, business.slug, `guess${i}@${business.slug}.example`);
      expect(response.status).toBe(401);
    }
    // Even a correct sign-in from that address waits; the same account elsewhere does not.
    expect(seen(await attempt(sprayer, business.slug, business.email, TEST_PASSWORD))).toEqual(
      locked(30),
    );
    const elsewhere = new Api(host().baseUrl);
    expect((await attempt(elsewhere, business.slug, business.email, TEST_PASSWORD)).status).toBe(
      200,
    );

    const owner = elsewhere.withToken(
      (await attempt(elsewhere, business.slug, business.email, TEST_PASSWORD)).body.accessToken,
    );
    const events = await owner.get('/api/admin/security-events');
    const addressLock = events.body.items.find(
      (e: { kind: string }) => e.kind === 'address_lockout',
    );
    expect(addressLock?.detail).toEqual({
      address: expect.stringMatching(/^[0-9a-f]{16}$/),
      lockSeconds: 30,
    });
  });

  it('takes the first hop of x-forwarded-for, ignoring the port', async () => {
    startClock('2031-06-05T09:00:00Z');
    const business = await signUp();
    const address = randomClientAddress();
    const withPort = new Api(host().baseUrl).fromAddress(`[${address}]:51000, 10.0.0.1`);
    for (let i = 0; i < 8; i++) await attempt(withPort, business.slug, `spray${i}@example.com`);
    const plain = new Api(host().baseUrl).fromAddress(address);
    expect((await attempt(plain, business.slug, business.email, TEST_PASSWORD)).status).toBe(429);
  });
});

describe('GET /api/admin/security-events', () => {
  it('pages newest first with a cursor', async () => {
    startClock('2031-06-06T09:00:00Z');
    const business = await signUp();
    const client = new Api(host().baseUrl);
    await runLockoutSequence(client, business.slug, business.email);
    advance(120_000);
    const owner = client.withToken(
      (await attempt(client, business.slug, business.email, TEST_PASSWORD)).body.accessToken,
    );

    const all = await owner.get('/api/admin/security-events');
    expect(all.body.nextCursor).toBeNull();
    const times = all.body.items.map((e: { at: string }) => e.at);
    expect(times).toEqual([...times].sort().reverse());

    const first = await owner.get('/api/admin/security-events?limit=1');
    expect(first.body.items).toEqual([all.body.items[0]]);
    const second = await owner.get(
      `/api/admin/security-events?limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items).toEqual([all.body.items[1]]);

    const bad = await owner.get('/api/admin/security-events?cursor=nope');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].path).toBe('query.cursor');
  });
});
