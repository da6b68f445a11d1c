import { readdir, readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { setClock } from '../../shared/runtime/clock.js';
import { Api, setUpBusiness, withBookingToken } from './api-client.js';
import { useTestHost } from '../support/env.js';

const host = useTestHost();
const api = new Api(() => host().baseUrl);

const NEXT_MONDAY = (() => {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + 7 + ((8 - date.getUTCDay()) % 7));
  return date.toISOString().slice(0, 10);
})();
const dayAfter = (date: string, days = 1) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('booking over HTTP', () => {
  it('books, reads, reschedules and cancels through the manage link, and emails each step', async () => {
    const biz = await setUpBusiness(api, {
      service: { questions: [{ id: 'topic', label: 'Topic', type: 'text', required: true }] },
    });
    const slotsPath = `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}&start=${NEXT_MONDAY}&end=${dayAfter(NEXT_MONDAY)}`;
    const before = await api.get(slotsPath);
    expect(before.status).toBe(200);
    expect(before.body.timeZone).toBe('Europe/London');
    expect(before.body.slots).toHaveLength(8);
    const [first, second] = before.body.slots;

    const created = await api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      start: first.start,
      customer: { name: 'Chris Customer', email: 'Chris@Example.com' },
      answers: { topic: 'Knee' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'confirmed',
      start: first.start,
      end: first.end,
      staffId: biz.staffId,
    });
    expect(created.body.manageToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { id, manageToken } = created.body;

    const manage = withBookingToken(manageToken);
    const fetched = await api.get(`/api/public/${biz.slug}/bookings/${id}`, manage);
    expect(fetched.status).toBe(200);
    expect(fetched.body.customer).toEqual({ name: 'Chris Customer', email: 'chris@example.com' });
    expect(fetched.body.answers).toEqual([{ questionId: 'topic', label: 'Topic', value: 'Knee' }]);

    const outbox = (name: string) =>
      waitFor(async () => (await readdir(host().outboxDir)).includes(name) || undefined);
    await outbox(`${id}-confirmed-0.json`);

    const listed = (await api.get(slotsPath)).body.slots.map(
      (slot: { start: string }) => slot.start,
    );
    expect(listed).not.toContain(first.start);
    expect(listed).toHaveLength(7);

    const moved = await api.post(
      `/api/public/${biz.slug}/bookings/${id}/reschedule`,
      { start: second.start },
      manage,
    );
    expect(moved.status).toBe(200);
    expect(moved.body.start).toBe(second.start);
    const afterMove = (await api.get(slotsPath)).body.slots.map(
      (slot: { start: string }) => slot.start,
    );
    expect(afterMove).toContain(first.start);
    expect(afterMove).not.toContain(second.start);

    await outbox(`${id}-rescheduled-1.json`);
    const cancelled = await api.post(
      `/api/public/${biz.slug}/bookings/${id}/cancel`,
      undefined,
      manage,
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await api.get(slotsPath)).body.slots).toHaveLength(8);

    const again = await api.post(
      `/api/public/${biz.slug}/bookings/${id}/cancel`,
      undefined,
      manage,
    );
    expect(again.status).toBe(409);

    const files = await waitFor(async () => {
      const names = (await readdir(host().outboxDir).catch(() => [])).filter((name) =>
        name.startsWith(id),
      );
      return names.filter((name) => name.endsWith('.json')).length === 3 ? names.sort() : undefined;
    });
    expect(files).toEqual([
      `${id}-cancelled-2-invite.ics`,
      `${id}-cancelled-2.json`,
      `${id}-confirmed-0-invite.ics`,
      `${id}-confirmed-0.json`,
      `${id}-rescheduled-1-invite.ics`,
      `${id}-rescheduled-1.json`,
    ]);
    const confirmation = JSON.parse(
      await readFile(`${host().outboxDir}/${id}-confirmed-0.json`, 'utf8'),
    );
    expect(confirmation.to.address).toBe('chris@example.com');
    expect(confirmation.text).toContain(`/${biz.slug}/manage/${id}#token=${manageToken}`);
    const invite = await readFile(`${host().outboxDir}/${id}-confirmed-0-invite.ics`, 'utf8');
    expect(invite).toContain('METHOD:REQUEST');
    expect(invite.replace(/\r\n[ \t]/g, '')).toMatch(/ATTENDEE;[^\r\n]*mailto:chris@example.com/i);
    expect(invite).toContain(`UID:${id}@slotwise`);
    expect(invite).toMatch(/DTSTART[^\n]*:\d{8}T\d{6}Z/);
    const cancelInvite = await readFile(`${host().outboxDir}/${id}-cancelled-2-invite.ics`, 'utf8');
    expect(cancelInvite).toContain('METHOD:CANCEL');
    expect(cancelInvite).toContain('SEQUENCE:2');
  });

  it('lists the services with the names of who performs them, and no staff emails', async () => {
    const biz = await setUpBusiness(api);
    await biz.admin.post('/api/admin/staff', {
      name: 'Idle Ivo',
      email: 'ivo@example.com',
      timeZone: 'Europe/London',
      weeklyHours: {},
    });
    const listed = await api.get(`/api/public/${biz.slug}/services`);
    expect(listed.status).toBe(200);
    expect(listed.body.business).toEqual({
      name: 'Test Business',
      slug: biz.slug,
      timeZone: 'Europe/London',
    });
    expect(listed.body.services.map((s: { id: string }) => s.id)).toEqual([biz.serviceId]);
    expect(listed.body.staff).toEqual([{ id: biz.staffId, name: 'Alex' }]);
  });

  it('serves the calendar file of a booking to the holder of its manage link', async () => {
    const biz = await setUpBusiness(api);
    const slots = (
      await api.get(
        `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}&start=${NEXT_MONDAY}&end=${dayAfter(NEXT_MONDAY)}`,
      )
    ).body.slots;
    const booked = await api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      start: slots[0].start,
      customer: { name: 'Ines', email: 'ines@example.com' },
    });
    expect(booked.status).toBe(201);
    const { id, manageToken, manageUrl } = booked.body;
    expect(manageUrl).toBe(`http://127.0.0.1:7071/${biz.slug}/manage/${id}#token=${manageToken}`);

    const ics = `/api/public/${biz.slug}/bookings/${id}/ics`;
    const file = await api.get(ics, withBookingToken(manageToken));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(file.headers.get('content-disposition')).toBe(
      `attachment; filename="booking-${id}.ics"`,
    );
    const text = String(file.body);
    const unfolded = text.replace(/\r\n[ \t]/g, '');
    expect(text).toContain('METHOD:PUBLISH');
    expect(text).toContain(`UID:${id}@slotwise`);
    expect(text).toContain('SEQUENCE:0');
    const utcStart = new Date(slots[0].start).toISOString().slice(0, 19).replace(/[-:]/g, '');
    expect(text).toContain(`DTSTART:${utcStart}Z`);
    expect(unfolded).toContain('SUMMARY:Consultation with Test Business');
    expect(unfolded).toContain(`/${biz.slug}/manage/${id}#token=${manageToken}`);
    expect(text).not.toContain('ines@example.com');

    const wrong = await api.get(ics, withBookingToken('A'.repeat(43)));
    expect(wrong.status).toBe(404);
    const missing = await api.get(ics);
    expect(missing.status).toBe(422);
    expect(missing.body.error.details).toEqual([
      { path: 'header.Booking-Token', message: expect.any(String) },
    ]);
  });

  it('lets the owner list, reschedule and cancel bookings through the admin API', async () => {
    const biz = await setUpBusiness(api);
    const slots = (
      await api.get(
        `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}&start=${NEXT_MONDAY}&end=${dayAfter(NEXT_MONDAY)}`,
      )
    ).body.slots;
    const booked = await api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      start: slots[2].start,
      customer: { name: 'Dana', email: 'dana@example.com' },
    });
    expect(booked.status).toBe(201);

    const list = await biz.admin.get(
      `/api/admin/bookings?from=${NEXT_MONDAY}&to=${dayAfter(NEXT_MONDAY)}`,
    );
    expect(list.status).toBe(200);
    expect(list.body.items.map((b: { id: string }) => b.id)).toEqual([booked.body.id]);

    const moved = await biz.admin.post(`/api/admin/bookings/${booked.body.id}/reschedule`, {
      start: slots[5].start,
    });
    expect(moved.status).toBe(200);
    expect(moved.body.start).toBe(slots[5].start);

    const cancelled = await biz.admin.post(`/api/admin/bookings/${booked.body.id}/cancel`, {
      reason: 'Closed for a training day',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const confirmedOnly = await biz.admin.get(
      `/api/admin/bookings?from=${NEXT_MONDAY}&to=${dayAfter(NEXT_MONDAY)}&status=confirmed`,
    );
    expect(confirmedOnly.body.items).toEqual([]);
  });

  it('offers and books nothing on a date closed all day, not even the night before after midnight', async () => {
    setClock(() => Date.parse('2026-12-01T09:00:00Z'));
    const sundayNight = { sun: [{ start: '22:00', end: '02:00' }] };
    const biz = await setUpBusiness(api, { weeklyHours: sundayNight });
    const closed = await biz.admin.put(`/api/admin/staff/${biz.staffId}`, {
      name: 'Alex',
      timeZone: 'Europe/London',
      weeklyHours: sundayNight,
      overrides: [{ date: '2026-12-14', intervals: [] }],
    });
    expect(closed.status).toBe(200);

    const slots = await api.get(
      `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}&start=2026-12-06&end=2026-12-15`,
    );
    expect(slots.body.slots.map((slot: { start: string }) => slot.start)).toEqual([
      '2026-12-06T22:00:00+00:00',
      '2026-12-06T23:00:00+00:00',
      '2026-12-07T00:00:00+00:00',
      '2026-12-07T01:00:00+00:00',
      '2026-12-13T22:00:00+00:00',
      '2026-12-13T23:00:00+00:00',
    ]);
    const booked = await api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      start: '2026-12-14T00:00:00Z',
      customer: { name: 'Dana', email: 'dana@example.com' },
    });
    expect(booked.status).toBe(422);
    expect(booked.body.error.details).toEqual([
      {
        path: 'start',
        message: 'is not an available time for this service; pick one from the slot list',
      },
    ]);
  });

  it('books exactly one of many simultaneous requests for one slot', async () => {
    const biz = await setUpBusiness(api);
    const [slot] = (
      await api.get(
        `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}&start=${NEXT_MONDAY}&end=${dayAfter(NEXT_MONDAY)}`,
      )
    ).body.slots;
    const attempts = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        api.post(`/api/public/${biz.slug}/bookings`, {
          serviceId: biz.serviceId,
          start: slot.start,
          customer: { name: `Racer ${i}`, email: `racer${i}@example.com` },
        }),
      ),
    );
    const statuses = attempts.map((attempt) => attempt.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(39);
    expect(attempts.find((a) => a.status === 409)?.body.error.code).toBe('slot_unavailable');
    const list = await biz.admin.get(
      `/api/admin/bookings?from=${NEXT_MONDAY}&to=${dayAfter(NEXT_MONDAY)}`,
    );
    expect(list.body.items).toHaveLength(1);
  });

  it("never lets simultaneous bookings fall inside each other's buffers", async () => {
    const biz = await setUpBusiness(api, {
      service: {
        durationMinutes: 30,
        bufferBeforeMinutes: 15,
        bufferAfterMinutes: 15,
        slotIntervalMinutes: 15,
      },
    });
    const slots = (
      await api.get(
        `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}&start=${NEXT_MONDAY}&end=${dayAfter(NEXT_MONDAY)}`,
      )
    ).body.slots;
    const attempts = await Promise.all(
      slots.slice(0, 12).flatMap((slot: { start: string }, i: number) =>
        [0, 1].map((copy) =>
          api.post(`/api/public/${biz.slug}/bookings`, {
            serviceId: biz.serviceId,
            start: slot.start,
            customer: { name: `C${i}-${copy}`, email: `c${i}-${copy}@example.com` },
          }),
        ),
      ),
    );
    expect(attempts.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    const booked = (
      await biz.admin.get(`/api/admin/bookings?from=${NEXT_MONDAY}&to=${dayAfter(NEXT_MONDAY)}`)
    ).body.items
      .map((b: { start: string; end: string }) => ({
        start: Date.parse(b.start),
        end: Date.parse(b.end),
      }))
      .sort((a: { start: number }, b: { start: number }) => a.start - b.start);
    expect(booked.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < booked.length; i++) {
      // 15 minutes of buffer after the earlier one, and none of it inside the later one.
      expect(booked[i].start - booked[i - 1].end).toBeGreaterThanOrEqual(15 * 60_000);
    }
  });
});

describe('racing changes to one booking', () => {
  it('leaves no time blocked when a cancel and two reschedules of each booking race', async () => {
    const biz = await setUpBusiness(api, {
      service: { durationMinutes: 20, slotIntervalMinutes: 20 },
    });
    const date = NEXT_MONDAY;
    const slotsPath = `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}&start=${date}&end=${dayAfter(date)}`;
    const all: string[] = (await api.get(slotsPath)).body.slots.map(
      (s: { start: string }) => s.start,
    );
    expect(all).toHaveLength(24);

    const hours = all.filter((start) => start.slice(14, 16) === '00');
    const booked = await Promise.all(
      hours.map((start, i) =>
        api.post(`/api/public/${biz.slug}/bookings`, {
          serviceId: biz.serviceId,
          start,
          customer: { name: `R${i}`, email: `r${i}@example.com` },
        }),
      ),
    );
    expect(booked.every((b) => b.status === 201)).toBe(true);

    await Promise.all(
      booked.flatMap((b) => {
        const base = `/api/public/${biz.slug}/bookings/${b.body.id}`;
        const manage = withBookingToken(b.body.manageToken);
        const at = (minute: string) =>
          `${b.body.start.slice(0, 14)}${minute}${b.body.start.slice(16)}`;
        return [
          api.post(`${base}/cancel`, undefined, manage),
          api.post(`${base}/reschedule`, { start: at('20') }, manage),
          api.post(`${base}/reschedule`, { start: at('40') }, manage),
        ];
      }),
    );

    const confirmed = (
      await biz.admin.get(`/api/admin/bookings?from=${date}&to=${dayAfter(date)}&status=confirmed`)
    ).body.items.map((b: { start: string }) => Date.parse(b.start));
    const free = (await api.get(slotsPath)).body.slots.map((s: { start: string }) =>
      Date.parse(s.start),
    );
    const expected = all
      .map((start) => Date.parse(start))
      .filter((start) => !confirmed.includes(start));
    expect(free).toEqual(expected);
  });
});
