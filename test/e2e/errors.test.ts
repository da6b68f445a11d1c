import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';

import { Api, setUpBusiness, TEST_PASSWORD, uniqueSlug, withBookingToken } from './api-client.js';
import { useTestHost } from '../support/env.js';

const host = useTestHost();
const api = new Api(() => host().baseUrl);
let biz: Awaited<ReturnType<typeof setUpBusiness>>;
let other: Awaited<ReturnType<typeof setUpBusiness>>;

beforeAll(async () => {
  [biz, other] = await Promise.all([setUpBusiness(api), setUpBusiness(api)]);
});

function expectError(response: { status: number; body: any }, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.body).toEqual({
    error: { code, message: expect.any(String), details: response.body?.error?.details ?? null },
  });
}

describe('bad input gets a clear 4xx naming the field', () => {
  it('answers 400 to malformed JSON', async () => {
    const response = await api.request('POST', '/api/auth/signup', { rawBody: '{"slug": ' });
    expectError(response, 400, 'malformed_json');
  });

  it('answers 415 to a body that is not JSON', async () => {
    const response = await api.request('POST', '/api/auth/signup', {
      rawBody: 'slug=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectError(response, 415, 'unsupported_media_type');
  });

  it('answers 413 to an oversized body', async () => {
    const response = await api.request('POST', '/api/auth/signup', {
      rawBody: JSON.stringify({ businessName: 'x'.repeat(70_000) }),
    });
    expect(response.status).toBe(413);
  });

  it('names every offending field, nested ones and unknown ones, with 422', async () => {
    const response = await api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      start: 'tomorrow at noon',
      customer: { name: '', email: 'not-an-email', shoeSize: 44 },
      coupon: 'FREE',
    });
    expectError(response, 422, 'validation_failed');
    const paths = response.body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual([
      'coupon',
      'customer.email',
      'customer.name',
      'customer.shoeSize',
      'start',
    ]);
  });

  it('refuses unknown and repeated query parameters and bad dates on the slot list', async () => {
    const base = `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}`;
    const unknown = await api.get(`${base}&start=2030-01-01&end=2030-01-02&limit=5`);
    expect(unknown.body.error.details).toEqual([
      { path: 'query.limit', message: 'is not a known field' },
    ]);
    const impossible = await api.get(`${base}&start=2030-02-30&end=2030-03-02`);
    expect(impossible.body.error.details).toEqual([
      { path: 'query.start', message: 'is not a real calendar date' },
    ]);
    const backwards = await api.get(`${base}&start=2030-03-02&end=2030-03-01`);
    expect(backwards.body.error.details[0].path).toBe('query.end');
    const zone = await api.get(`${base}&start=2030-03-01&end=2030-03-02&timeZone=Mars/Olympus`);
    expect(zone.body.error.details[0].path).toBe('query.timeZone');
    const tooLong = await api.get(`${base}&start=2030-01-01&end=2030-12-31`);
    expect(tooLong.body.error.details[0].path).toBe('query.end');
  });

  it('validates weekly hours: overlapping intervals and impossible times are named', async () => {
    const response = await biz.admin.post('/api/admin/staff', {
      name: 'Sam',
      timeZone: 'Europe/London',
      weeklyHours: {
        mon: [
          { start: '09:00', end: '12:00' },
          { start: '11:00', end: '13:00' },
        ],
        tue: [{ start: '25:00', end: '12:00' }],
        funday: [],
      },
    });
    expectError(response, 422, 'validation_failed');
    expect(response.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'weeklyHours.funday',
      'weeklyHours.mon.1',
      'weeklyHours.tue.0.start',
    ]);
  });

  it('refuses a weekly interval past midnight that overlaps the next weekday, naming the later one', async () => {
    const response = await biz.admin.post('/api/admin/staff', {
      name: 'Sam',
      timeZone: 'Europe/London',
      weeklyHours: {
        mon: [{ start: '18:00', end: '18:00' }],
        tue: [{ start: '09:00', end: '17:00' }],
        sun: [{ start: '22:00', end: '02:00' }],
      },
    });
    expectError(response, 422, 'validation_failed');
    expect(response.body.error.details).toEqual([
      {
        path: 'weeklyHours.tue.0',
        message: 'overlaps 18:00–18:00 on Monday, which runs past midnight',
      },
    ]);

    // Sunday's night runs into Monday; an interval that starts as it ends only touches it.
    const wrapped = await biz.admin.post('/api/admin/staff', {
      name: 'Sam',
      timeZone: 'Europe/London',
      weeklyHours: {
        mon: [
          { start: '02:00', end: '04:00' },
          { start: '01:00', end: '01:30' },
        ],
        sun: [{ start: '22:00', end: '02:00' }],
      },
    });
    expect(wrapped.body.error.details).toEqual([
      {
        path: 'weeklyHours.mon.1',
        message: 'overlaps 22:00–02:00 on Sunday, which runs past midnight',
      },
    ]);
  });

  it('refuses an override past midnight that overlaps the next date’s override, and names repeated dates', async () => {
    const response = await biz.admin.post('/api/admin/staff', {
      name: 'Sam',
      timeZone: 'Europe/London',
      weeklyHours: {},
      overrides: [
        { date: '2026-12-15', intervals: [{ start: '01:00', end: '03:00' }] },
        { date: '2026-12-14', intervals: [{ start: '22:00', end: '02:00' }] },
        { date: '2026-12-16', intervals: [{ start: '02:00', end: '04:00' }] },
        { date: '2026-12-14', intervals: [] },
      ],
    });
    expectError(response, 422, 'validation_failed');
    expect(response.body.error.details).toEqual([
      { path: 'overrides.3.date', message: 'repeats 2026-12-14, the date of an earlier override' },
      {
        path: 'overrides.0.intervals.0',
        message: 'overlaps 22:00–02:00 on 2026-12-14, which runs past midnight',
      },
    ]);

    // Without an override on the next date the night runs on, whatever that weekday's hours.
    const saved = await biz.admin.post('/api/admin/staff', {
      name: 'Sam',
      timeZone: 'Europe/London',
      weeklyHours: { tue: [{ start: '00:00', end: '09:00' }] },
      overrides: [{ date: '2026-12-14', intervals: [{ start: '22:00', end: '02:00' }] }],
    });
    expect(saved.status).toBe(201);
  });

  it('reports no overlap for hours that are not valid times, only their format', async () => {
    const response = await biz.admin.post('/api/admin/staff', {
      name: 'Sam',
      timeZone: 'Europe/London',
      weeklyHours: {
        mon: [
          { start: '09:00', end: '10:00' },
          { start: '9', end: '9.30pm' },
          { start: '9', end: '12:00' },
        ],
        sun: [{ start: '22:00', end: '9.30' }],
      },
    });
    expectError(response, 422, 'validation_failed');
    expect(response.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'weeklyHours.mon.1.end',
      'weeklyHours.mon.1.start',
      'weeklyHours.mon.2.start',
      'weeklyHours.sun.0.end',
    ]);
  });

  it('refuses a service naming a staff member that does not exist', async () => {
    const response = await biz.admin.post('/api/admin/services', {
      name: 'Massage',
      durationMinutes: 45,
      staffIds: [biz.staffId, other.staffId],
    });
    expect(response.status).toBe(422);
    expect(response.body.error.details).toEqual([
      { path: 'staffIds.1', message: `no staff member has id ${other.staffId}` },
    ]);
  });

  it('refuses a required intake question left empty and a choice outside its options', async () => {
    const service = await biz.admin.post('/api/admin/services', {
      name: 'Fitting',
      durationMinutes: 30,
      staffIds: [biz.staffId],
      questions: [
        { id: 'size', label: 'Size', type: 'choice', options: ['S', 'M', 'L'], required: true },
        { id: 'notes', label: 'Notes', type: 'text' },
      ],
    });
    expect(service.status).toBe(201);
    const response = await api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: service.body.id,
      start: '2030-01-07T09:00:00Z',
      customer: { name: 'Pat', email: 'pat@example.com' },
      answers: { size: 'XXL', color: 'red' },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'answers.color',
      'answers.size',
    ]);
  });

  it('answers 409 to a slug that is taken, and leaves no half-made business behind', async () => {
    const response = await api.post('/api/auth/signup', {
      businessName: 'Copycat',
      slug: biz.slug,
      email: 'copy@example.com',
      password: TEST_PASSWORD,
      timeZone: 'Europe/Paris',
    });
    expectError(response, 409, 'conflict');
    const login = await api.post('/api/auth/login', {
      slug: biz.slug,
      email: 'copy@example.com',
      password: TEST_PASSWORD,
    });
    expect(login.status).toBe(401);
  });

  it('answers 404 for unknown businesses, routes and bookings, and for a wrong manage token', async () => {
    expectError(await api.get(`/api/public/${uniqueSlug()}/services`), 404, 'not_found');
    expect((await api.get('/api/nowhere')).status).toBe(404);
    const wrong = await api.get(
      `/api/public/${biz.slug}/bookings/bkg_missing`,
      withBookingToken('x'.repeat(43)),
    );
    expectError(wrong, 404, 'not_found');
  });
});

describe('admin routes need a valid token for the right business', () => {
  it('answers 401 without a token, with a tampered one, and with one signed by another key', async () => {
    expectError(await api.get('/api/admin/staff'), 401, 'unauthorized');

    const token = (biz.admin as unknown as { token: string }).token;
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, tid: other.tenantId })).toString(
      'base64url',
    );
    const tampered = `${header}.${forgedPayload}.${signature}`;
    expectError(await api.get('/api/admin/staff', { token: tampered }), 401, 'unauthorized');

    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
    expectError(await api.get('/api/admin/staff', { token: none }), 401, 'unauthorized');

    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .sign(new TextEncoder().encode('guessed-secret-guessed-secret-32'));
    expectError(await api.get('/api/admin/staff', { token: hmac }), 401, 'unauthorized');
  });

  it("never shows or changes another business's records, even with their ids", async () => {
    const read = await biz.admin.get(`/api/admin/staff/${other.staffId}`);
    expectError(read, 404, 'not_found');
    const change = await biz.admin.put(`/api/admin/services/${other.serviceId}`, {
      name: 'Hijacked',
      durationMinutes: 30,
      staffIds: [biz.staffId],
    });
    expectError(change, 404, 'not_found');
    const remove = await biz.admin.delete(`/api/admin/staff/${other.staffId}`);
    expectError(remove, 404, 'not_found');
    const theirs = await other.admin.get(`/api/admin/services/${other.serviceId}`);
    expect(theirs.body.name).toBe('Consultation');
  });

  it('logs in with the right password only', async () => {
    const email = `owner@${biz.slug}.example`;
    const good = await api.post('/api/auth/login', {
      slug: biz.slug,
      email,
      password: TEST_PASSWORD,
    });
    expect(good.status).toBe(200);
    expect(good.body.expiresIn).toBe(900);
    const staff = await api.get('/api/admin/staff', { token: good.body.accessToken });
    expect(staff.status).toBe(200);
    expect(staff.body.items.map((s: { id: string }) => s.id)).toContain(biz.staffId);

    const bad = await api.post('/api/auth/login', {
      slug: biz.slug,
      email,
      password: `${TEST_PASSWORD}!`,
    });
    expectError(bad, 401, 'unauthorized');
    const nobody = await api.post('/api/auth/login', {
      slug: biz.slug,
      email: 'ghost@example.com',
      password: TEST_PASSWORD,
    });
    expect(nobody.body.error.message).toBe(bad.body.error.message);
  });
});

describe('inputs found by breaking it', () => {
  it('refuses a signup for a region this deployment does not serve, naming the field', async () => {
    const slug = uniqueSlug();
    const response = await api.post('/api/auth/signup', {
      businessName: 'Elsewhere',
      slug,
      email: `o@${slug}.example`,
      password: TEST_PASSWORD,
      timeZone: 'Europe/Berlin',
      region: 'eu',
    });
    expectError(response, 422, 'validation_failed');
    expect(response.body.error.details[0].path).toBe('region');
    expectError(await api.get(`/api/public/${slug}/services`), 404, 'not_found');
  });

  it('treats a question id like "constructor" as an ordinary id', async () => {
    const service = await biz.admin.post('/api/admin/services', {
      name: 'Odd questions',
      durationMinutes: 30,
      staffIds: [biz.staffId],
      questions: [
        { id: 'constructor', label: 'c', type: 'text' },
        { id: 'tostring', label: 't', type: 'text', required: true },
      ],
    });
    expect(service.status).toBe(201);
    const response = await api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: service.body.id,
      start: '2030-01-07T09:00:00Z',
      customer: { name: 'Pat', email: 'pat@example.com' },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.details).toEqual([
      { path: 'answers.tostring', message: 'is required' },
    ]);
  });

  it('names a query parameter called __proto__ as unknown, not as repeated', async () => {
    const response = await api.get(
      `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}&start=2030-01-01&end=2030-01-02&__proto__=1`,
    );
    expect(response.body.error.details).toEqual([
      { path: 'query.__proto__', message: 'is not a known field' },
    ]);
  });

  it('refuses dates near the end of time instead of failing on them', async () => {
    const response = await biz.admin.get('/api/admin/bookings?from=9999-12-30');
    expectError(response, 422, 'validation_failed');
    expect(response.body.error.details[0].path).toBe('query.from');
  });

  it('refuses a slot request that would weigh too many candidate times, with the days allowed', async () => {
    const staff = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        biz.admin.post('/api/admin/staff', {
          name: `Crew ${i}`,
          timeZone: 'UTC',
          weeklyHours: { mon: [{ start: '00:00', end: '24:00' }] },
        }),
      ),
    );
    const service = await biz.admin.post('/api/admin/services', {
      name: 'Fine grid',
      durationMinutes: 5,
      slotIntervalMinutes: 5,
      staffIds: staff.map((s) => s.body.id),
    });
    const response = await api.get(
      `/api/public/${biz.slug}/slots?serviceId=${service.body.id}&start=2030-01-01&end=2030-03-01`,
    );
    expect(response.status).toBe(422);
    expect(response.body.error.details[0]).toEqual({
      path: 'query.end',
      message: 'must be at most 28 days after start for this service (or name a staffId)',
    });
  });

  it('echoes time zones in their canonical spelling and refuses control characters in names', async () => {
    const slots = await api.get(
      `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}&start=2030-01-07&end=2030-01-08&timeZone=america/new_york`,
    );
    expect(slots.status).toBe(200);
    expect(slots.body.timeZone).toBe('America/New_York');
    for (const [asked, echoed] of [
      ['Asia/Calcutta', 'Asia/Kolkata'],
      ['asia/kathmandu', 'Asia/Kathmandu'],
      ['Europe/Kiev', 'Europe/Kyiv'],
    ]) {
      const renamed = await api.get(
        `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}&start=2030-01-07&end=2030-01-08&timeZone=${asked}`,
      );
      expect(renamed.body.timeZone, asked).toBe(echoed);
    }
    const response = await api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      start: '2030-01-07T09:00:00Z',
      customer: { name: 'Evil\r\nBcc: victim@example.com', email: 'pat@example.com' },
    });
    expect(response.body.error.details).toEqual([
      { path: 'customer.name', message: 'must not contain control characters' },
    ]);
  });

  it('refuses direction overrides in names and control characters in answers, naming each', async () => {
    const response = await api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      start: '2030-01-07T09:00:00Z',
      customer: { name: 'RTL \u202Egnp.exe', email: 'pat@example.com' },
      answers: { topic: 'hello\u0000', notes: 'two\nlines\tand a tab', other: 'a\u2066b' },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.details).toEqual([
      { path: 'customer.name', message: 'must not contain text-direction override characters' },
      {
        path: 'answers.topic',
        message: 'must not contain control characters other than line breaks and tabs',
      },
      { path: 'answers.other', message: 'must not contain text-direction override characters' },
    ]);
  });

  it('refuses a name that shows as nothing, or holds half a surrogate pair, naming the field', async () => {
    for (const [name, message] of [
      ['\u200b\u200b', 'must contain a visible character'],
      ['Ann\ud800', 'must be valid Unicode text (it holds half of a surrogate pair)'],
    ]) {
      const response = await api.post(`/api/public/${biz.slug}/bookings`, {
        serviceId: biz.serviceId,
        start: '2030-01-07T09:00:00Z',
        customer: { name, email: 'pat@example.com' },
      });
      expect(response.status).toBe(422);
      expect(response.body.error.details).toEqual([{ path: 'customer.name', message }]);
    }
  });
});
