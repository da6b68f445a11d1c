import { describe, expect, it } from 'vitest';

import { setClock } from '../../shared/runtime/clock.js';
import { Api, setUpBusiness, TEST_PASSWORD } from './api-client.js';
import { useTestHost } from '../support/env.js';

const host = useTestHost();
const api = new Api(() => host().baseUrl);

const NOW = Date.parse('2030-01-02T08:00:00Z');

async function signUp(slug: string, email: string) {
  const response = await api.post(`/api/public/${slug}/customers/signup`, {
    name: 'Robin',
    email,
    password: TEST_PASSWORD,
  });
  expect(response.status).toBe(201);
  return { id: response.body.customerId as string, api: api.withToken(response.body.accessToken) };
}

function bookAs(client: Api, slug: string, serviceId: string, start: string) {
  return client.post(`/api/public/${slug}/bookings`, {
    serviceId,
    start,
    customer: { name: 'Robin', email: 'robin@example.com' },
  });
}

describe('customer accounts', () => {
  it('signs up, signs in and lists only the bookings made with the account', async () => {
    setClock(() => NOW);
    const biz = await setUpBusiness(api);
    const robin = await signUp(biz.slug, 'Robin@Example.com');
    const kim = await signUp(biz.slug, 'kim@example.com');

    const own = await bookAs(robin.api, biz.slug, biz.serviceId, '2030-01-07T10:00:00Z');
    expect(own.status).toBe(201);
    const guest = await bookAs(api, biz.slug, biz.serviceId, '2030-01-07T11:00:00Z');
    expect(guest.status).toBe(201);
    const kims = await bookAs(kim.api, biz.slug, biz.serviceId, '2030-01-07T12:00:00Z');
    expect(kims.status).toBe(201);

    const login = await api.post(`/api/public/${biz.slug}/customers/login`, {
      email: 'robin@example.com',
      password: TEST_PASSWORD,
    });
    expect(login.status).toBe(200);
    expect(login.body.customerId).toBe(robin.id);
    const mine = await api
      .withToken(login.body.accessToken)
      .get(`/api/public/${biz.slug}/me/bookings`);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((b: { id: string }) => b.id)).toEqual([own.body.id]);
    expect(
      (await kim.api.get(`/api/public/${biz.slug}/me/bookings`)).body.items.map(
        (b: { id: string }) => b.id,
      ),
    ).toEqual([kims.body.id]);
  });

  it('cancels and moves only the customer’s own bookings', async () => {
    setClock(() => NOW);
    const biz = await setUpBusiness(api);
    const robin = await signUp(biz.slug, 'robin@example.com');
    const kim = await signUp(biz.slug, 'kim@example.com');
    const own = await bookAs(robin.api, biz.slug, biz.serviceId, '2030-01-07T10:00:00Z');
    const guest = await bookAs(api, biz.slug, biz.serviceId, '2030-01-07T11:00:00Z');

    const base = `/api/public/${biz.slug}/me/bookings`;
    expect((await kim.api.post(`${base}/${own.body.id}/cancel`)).status).toBe(404);
    expect((await robin.api.post(`${base}/${guest.body.id}/cancel`)).status).toBe(404);
    expect(
      (await kim.api.post(`${base}/${own.body.id}/reschedule`, { start: '2030-01-08T10:00:00Z' }))
        .status,
    ).toBe(404);

    const moved = await robin.api.post(`${base}/${own.body.id}/reschedule`, {
      start: '2030-01-08T10:00:00Z',
    });
    expect(moved.status).toBe(200);
    expect(moved.body.start).toBe('2030-01-08T10:00:00+00:00');
    const cancelled = await robin.api.post(`${base}/${own.body.id}/cancel`, { reason: 'away' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('refuses a second account for one email and a wrong password, alike for unknown emails', async () => {
    const biz = await setUpBusiness(api);
    await signUp(biz.slug, 'once@example.com');
    const twice = await api.post(`/api/public/${biz.slug}/customers/signup`, {
      name: 'Again',
      email: 'ONCE@example.com',
      password: TEST_PASSWORD,
    });
    expect(twice.status).toBe(409);
    const wrong = await api.post(`/api/public/${biz.slug}/customers/login`, {
      email: 'once@example.com',
      password: `${TEST_PASSWORD}!`,
    });
    const unknown = await api.post(`/api/public/${biz.slug}/customers/login`, {
      email: 'nobody@example.com',
      password: TEST_PASSWORD,
    });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
    const short = await api.post(`/api/public/${biz.slug}/customers/signup`, {
      name: 'S',
      email: 's@example.com',
      password: 'short',
    });
    expect(short.status).toBe(422);
    expect(short.body.error.details[0].path).toBe('password');
  });

  it('never opens admin routes with a customer token (403)', async () => {
    const biz = await setUpBusiness(api);
    const robin = await signUp(biz.slug, 'robin@example.com');
    for (const path of [
      '/api/admin/bookings',
      '/api/admin/staff',
      '/api/admin/users',
      '/api/admin/invitations',
    ]) {
      expect((await robin.api.get(path)).status, path).toBe(403);
    }
    expect((await robin.api.post(`/api/admin/staff/${biz.staffId}`)).status).toBe(405);
  });

  it('binds a customer token to its business: another business’s slug gets 401', async () => {
    setClock(() => NOW);
    const [a, b] = await Promise.all([setUpBusiness(api), setUpBusiness(api)]);
    const robin = await signUp(a.slug, 'robin@example.com');
    expect((await robin.api.get(`/api/public/${b.slug}/me/bookings`)).status).toBe(401);
    expect((await bookAs(robin.api, b.slug, b.serviceId, '2030-01-07T10:00:00Z')).status).toBe(401);
    const own = await bookAs(robin.api, a.slug, a.serviceId, '2030-01-07T10:00:00Z');
    expect(
      (await robin.api.post(`/api/public/${b.slug}/me/bookings/${own.body.id}/cancel`)).status,
    ).toBe(401);
    // And the business's own people are not customers.
    expect((await a.admin.get(`/api/public/${a.slug}/me/bookings`)).status).toBe(403);
  });
});

describe('customer sign-in throttling', () => {
  it('locks a customer account after repeated wrong passwords, with Retry-After, alike for unknown emails', async () => {
    const biz = await setUpBusiness(api);
    await signUp(biz.slug, 'locked@example.com');
    const attempt = (email: string, password: string) =>
      api.post(`/api/public/${biz.slug}/customers/login`, { email, password });

    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 6; i++) {
      known.push((await attempt('locked@example.com', `${TEST_PASSWORD} wrong`)).status);
      unknown.push((await attempt('nobody@example.com', `${TEST_PASSWORD} wrong`)).status);
    }
    expect(known).toEqual([401, 401, 401, 401, 401, 429]);
    expect(unknown).toEqual(known);

    const locked = await attempt('locked@example.com', TEST_PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
