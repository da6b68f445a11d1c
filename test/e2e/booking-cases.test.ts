import { describe, expect, it } from 'vitest';

import { sql } from '../../shared/cosmos/sql.js';
import { TenantStore, trustTenantId } from '../../shared/cosmos/tenant-store.js';
import { setClock } from '../../shared/runtime/clock.js';
import { Api, EVERY_DAY, setUpBusiness, WEEKDAYS_9_TO_5, withBookingToken } from './api-client.js';
import { useTestHost } from '../support/env.js';

const host = useTestHost();
const api = new Api(() => host().baseUrl);

const book = (slug: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api.post(`/api/public/${slug}/bookings`, body, { headers });

const customer = (n: number | string) => ({ name: `Customer ${n}`, email: `c${n}@example.com` });

describe('booking cases (../shared/cases/booking-cases.md)', () => {
  it('case 11: fills one group session with 3 of 5 simultaneous bookers and frees a seat on cancel', async () => {
    setClock(() => Date.parse('2024-05-20T09:00:00Z'));
    const biz = await setUpBusiness(api, {
      weeklyHours: { mon: [{ start: '18:00', end: '20:00' }] },
      service: { name: 'Group class', durationMinutes: 60, capacity: 3, slotIntervalMinutes: 60 },
    });
    const start = '2024-06-03T18:00:00+01:00';
    const attempts = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        book(biz.slug, { serviceId: biz.serviceId, start, customer: customer(n) }),
      ),
    );
    expect(attempts.map((a) => a.status).sort()).toEqual([201, 201, 201, 409, 409]);

    const winners = attempts.filter((a) => a.status === 201);
    expect(new Set(winners.map((a) => a.body.start))).toEqual(new Set([start]));
    expect(new Set(winners.map((a) => a.body.staffId)).size).toBe(1);

    const slotsPath = `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}&start=2024-06-03&end=2024-06-04`;
    const full = await api.get(slotsPath);
    expect(full.body.slots.map((s: { start: string }) => s.start)).toEqual([
      '2024-06-03T19:00:00+01:00',
    ]);

    const [first] = winners;
    const cancelled = await api.post(
      `/api/public/${biz.slug}/bookings/${first!.body.id}/cancel`,
      undefined,
      withBookingToken(first!.body.manageToken),
    );
    expect(cancelled.status).toBe(200);
    const reopened = await api.get(slotsPath);
    expect(reopened.body.slots[0]).toMatchObject({ start, seatsLeft: 1 });
  });

  it('case 12: a cancelled booking stops blocking its time at once', async () => {
    setClock(() => Date.parse('2024-05-20T09:00:00Z'));
    const biz = await setUpBusiness(api, {
      timeZone: 'America/Chicago',
      weeklyHours: { mon: [{ start: '09:00', end: '12:00' }] },
    });
    const start = '2024-06-03T10:00:00-05:00';
    const first = await book(biz.slug, { serviceId: biz.serviceId, start, customer: customer(1) });
    expect(first.status).toBe(201);
    const cancel = await api.post(
      `/api/public/${biz.slug}/bookings/${first.body.id}/cancel`,
      undefined,
      withBookingToken(first.body.manageToken),
    );
    expect(cancel.status).toBe(200);

    const slots = await api.get(
      `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}&start=2024-06-03&end=2024-06-04`,
    );
    expect(slots.body.slots.map((s: { start: string }) => s.start)).toEqual([
      '2024-06-03T09:00:00-05:00',
      '2024-06-03T10:00:00-05:00',
      '2024-06-03T11:00:00-05:00',
    ]);
    const again = await book(biz.slug, { serviceId: biz.serviceId, start, customer: customer(2) });
    expect(again.status).toBe(201);
  });

  it('case 20: create enforces minimum notice exactly as the slot list does', async () => {
    setClock(() => Date.parse('2024-04-08T15:00:00+01:00'));
    const biz = await setUpBusiness(api, {
      weeklyHours: WEEKDAYS_9_TO_5,
      service: { minimumNoticeMinutes: 1200 },
    });
    const slots = await api.get(
      `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}&start=2024-04-08&end=2024-04-10`,
    );
    expect(slots.body.slots.map((s: { start: string }) => s.start)).toEqual(
      ['11', '12', '13', '14', '15', '16'].map((h) => `2024-04-09T${h}:00:00+01:00`),
    );
    const early = await book(biz.slug, {
      serviceId: biz.serviceId,
      start: '2024-04-09T10:00:00+01:00',
      customer: customer(1),
    });
    expect(early.status).toBe(422);
    expect(early.body.error.details).toEqual([
      {
        path: 'start',
        message: 'is not an available time for this service; pick one from the slot list',
      },
    ]);
    const onTime = await book(biz.slug, {
      serviceId: biz.serviceId,
      start: '2024-04-09T11:00:00+01:00',
      customer: customer(2),
    });
    expect(onTime.status).toBe(201);
  });

  it('refuses a wall-clock start that does not exist in the zone (DST gap) and asks for an offset in the overlap', async () => {
    setClock(() => Date.parse('2024-03-01T00:00:00Z'));
    const biz = await setUpBusiness(api, {
      timeZone: 'America/New_York',
      weeklyHours: EVERY_DAY('00:00', '06:00'),
      service: { durationMinutes: 30, slotIntervalMinutes: 30 },
    });
    const gap = await book(biz.slug, {
      serviceId: biz.serviceId,
      start: '2024-03-10T02:30',
      customer: customer(1),
    });
    expect(gap.status).toBe(422);
    expect(gap.body.error.details[0].path).toBe('start');
    expect(gap.body.error.details[0].message).toContain('does not exist');

    setClock(() => Date.parse('2024-10-25T00:00:00Z'));
    const twice = await book(biz.slug, {
      serviceId: biz.serviceId,
      start: '2024-11-03T01:30',
      customer: customer(2),
    });
    expect(twice.status).toBe(422);
    expect(twice.body.error.details[0].message).toContain('happens twice');

    const withOffset = await book(biz.slug, {
      serviceId: biz.serviceId,
      start: '2024-11-03T01:30:00-05:00',
      customer: customer(3),
    });
    expect(withOffset.status).toBe(201);
    expect(withOffset.body.start).toBe('2024-11-03T01:30:00-05:00');
  });
});

describe('idempotency', () => {
  it('replays the first response for a retry with the same key and refuses the key with another body', async () => {
    setClock(() => Date.parse('2024-05-20T09:00:00Z'));
    const biz = await setUpBusiness(api);
    const date = '2024-06-03';
    const range = `from=${date}&to=2024-06-04`;
    const slots = await api.get(
      `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}&start=${date}&end=2024-06-04`,
    );
    const [slot, other] = slots.body.slots;
    const body = { serviceId: biz.serviceId, start: slot.start, customer: customer('idem') };
    const key = { 'idempotency-key': 'order-123' };

    const [first, second] = await Promise.all([
      book(biz.slug, body, key),
      book(biz.slug, body, key),
    ]);
    const statuses = [first.status, second.status].sort();
    // Concurrent duplicates: one books, the other is told the request is still running or gets the replay.
    expect(statuses[0]).toBe(201);
    expect([201, 409]).toContain(statuses[1]);

    const replay = await book(biz.slug, body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const original = first.status === 201 ? first : second;
    expect(replay.body.id).toBe(original.body.id);
    expect(replay.body.manageToken).toBe(original.body.manageToken);

    // The kept response never holds the manage token: it is derived again on replay.
    const records = await TenantStore.for(trustTenantId(biz.tenantId)).query(
      sql`SELECT * FROM c WHERE c.type = 'idempotency'`,
    );
    expect(records).toHaveLength(1);
    expect(JSON.stringify(records)).not.toContain(original.body.manageToken);

    const reused = await book(biz.slug, { ...body, start: other.start }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_conflict');

    const list = await biz.admin.get(`/api/admin/bookings?${range}`);
    expect(list.body.items).toHaveLength(1);
  });
});
