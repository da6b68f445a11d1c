import { describe, expect, it } from 'vitest';

import type { StaffRecord } from '../../shared/catalog/staff.js';
import { TenantStore, trustTenantId } from '../../shared/cosmos/tenant-store.js';
import { setClock } from '../../shared/runtime/clock.js';
import { useTestHost } from '../support/env.js';
import { Api, setUpBusiness, signIn, WEEKDAYS_9_TO_5, withBookingToken } from './api-client.js';

const host = useTestHost();
const api = new Api(() => host().baseUrl);

/** Tuesday 1 January 2030, 09:00 in New York; the Mondays below are 7 and 14 January. */
const NOW = Date.parse('2030-01-01T14:00:00Z');

/** Moves the clock to `iso` and signs the owner in again: access tokens last 15 minutes. */
async function later(slug: string, iso: string): Promise<Api> {
  setClock(() => Date.parse(iso));
  return signIn(api, slug);
}
const MONDAYS_9_TO_5 = { mon: [{ start: '09:00', end: '17:00' }] };

/**
 * A New York business: Alex (weekdays) performs Consultation; Kim (Mondays 09:00–17:00) performs
 * Kut and Consultation.
 */
async function nycBusiness() {
  setClock(() => NOW);
  const biz = await setUpBusiness(api, { timeZone: 'America/New_York' });
  const kim = await biz.admin.post('/api/admin/staff', {
    name: 'Kim',
    timeZone: 'America/New_York',
    weeklyHours: MONDAYS_9_TO_5,
  });
  expect(kim.status).toBe(201);
  const kut = await biz.admin.post('/api/admin/services', {
    name: 'Kut',
    durationMinutes: 30,
    staffIds: [kim.body.id],
  });
  expect(kut.status).toBe(201);
  const consultation = {
    name: 'Consultation',
    durationMinutes: 60,
    staffIds: [biz.staffId, kim.body.id],
  };
  expect((await biz.admin.put(`/api/admin/services/${biz.serviceId}`, consultation)).status).toBe(
    200,
  );
  return { ...biz, kimId: kim.body.id as string, kutId: kut.body.id as string, consultation };
}

async function book(slug: string, serviceId: string, start: string, staffId?: string) {
  const booked = await api.post(`/api/public/${slug}/bookings`, {
    serviceId,
    ...(staffId ? { staffId } : {}),
    start,
    customer: { name: 'Pat', email: 'pat@example.com' },
  });
  expect(booked.status, JSON.stringify(booked.body)).toBe(201);
  return booked.body as { id: string; manageToken: string };
}

describe('DELETE /api/admin/staff/{id}', () => {
  it('answers 409 with how many upcoming bookings and when the first is, and removes nothing', async () => {
    const biz = await nycBusiness();
    const later = await book(biz.slug, biz.kutId, '2030-01-14T10:00');
    await book(biz.slug, biz.kutId, '2030-01-07T10:00');
    await book(biz.slug, biz.serviceId, '2030-01-07T13:00', biz.kimId);

    const refused = await biz.admin.delete(`/api/admin/staff/${biz.kimId}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: {
        code: 'conflict',
        message:
          'Kim has 3 upcoming bookings, the first on 2030-01-07 at 10:00 (America/New_York); move them to another staff member or cancel them first, then remove Kim.',
        details: {
          upcomingBookings: 3,
          firstStart: '2030-01-07T10:00:00-05:00',
          staffIds: [biz.kimId],
        },
      },
    });
    expect((await biz.admin.get(`/api/admin/staff/${biz.kimId}`)).status).toBe(200);
    expect((await biz.admin.get(`/api/admin/services/${biz.kutId}`)).body.staffIds).toEqual([
      biz.kimId,
    ]);

    // A cancelled booking does not count.
    const cancelled = await api.post(
      `/api/public/${biz.slug}/bookings/${later.id}/cancel`,
      undefined,
      withBookingToken(later.manageToken),
    );
    expect(cancelled.status).toBe(200);
    const again = await biz.admin.delete(`/api/admin/staff/${biz.kimId}`);
    expect(again.status).toBe(409);
    expect(again.body.error.details.upcomingBookings).toBe(2);
  });

  it('names the one upcoming booking as such', async () => {
    const biz = await nycBusiness();
    await book(biz.slug, biz.kutId, '2030-01-14T16:30');
    const refused = await biz.admin.delete(`/api/admin/staff/${biz.kimId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      'Kim has 1 upcoming booking, on 2030-01-14 at 16:30 (America/New_York); move it to another staff member or cancel it first, then remove Kim.',
    );
  });

  it('is not blocked by past bookings, and takes the person off every service', async () => {
    const biz = await nycBusiness();
    const past = await book(biz.slug, biz.kutId, '2030-01-07T10:00');
    // The booking has started (10:00 New York is 15:00 UTC): it no longer counts as upcoming.
    const admin = await later(biz.slug, '2030-01-07T15:00:00Z');

    const removed = await admin.delete(`/api/admin/staff/${biz.kimId}`);
    expect(removed.status).toBe(204);
    expect((await admin.get(`/api/admin/staff/${biz.kimId}`)).status).toBe(404);
    const services = await admin.get('/api/admin/services');
    expect(
      services.body.items.map((s: { name: string; staffIds: string[] }) => [s.name, s.staffIds]),
    ).toEqual([
      ['Consultation', [biz.staffId]],
      ['Kut', []],
    ]);
    // The past booking keeps naming who it was with.
    const listed = await admin.get('/api/admin/bookings?from=2030-01-07&to=2030-01-08');
    expect(
      listed.body.items.map((b: { id: string; staffId: string }) => [b.id, b.staffId]),
    ).toEqual([[past.id, biz.kimId]]);
  });

  it('leaves a service nobody performs out of the public list, and the admin list keeps it', async () => {
    const biz = await nycBusiness();
    const before = await api.get(`/api/public/${biz.slug}/services`);
    expect(before.body.services.map((s: { name: string }) => s.name)).toEqual([
      'Consultation',
      'Kut',
    ]);

    expect((await biz.admin.delete(`/api/admin/staff/${biz.kimId}`)).status).toBe(204);
    const after = await api.get(`/api/public/${biz.slug}/services`);
    expect(after.status).toBe(200);
    expect(after.body.services).toEqual([
      {
        id: biz.serviceId,
        name: 'Consultation',
        durationMinutes: 60,
        capacity: 1,
        maxAdvanceDays: 60,
        staffIds: [biz.staffId],
        questions: [],
      },
    ]);
    expect(after.body.staff).toEqual([{ id: biz.staffId, name: 'Alex' }]);
    const admin = await biz.admin.get(`/api/admin/services/${biz.kutId}`);
    expect(admin.status).toBe(200);
    expect(admin.body.staffIds).toEqual([]);
    const slots = await api.get(
      `/api/public/${biz.slug}/slots?serviceId=${biz.kutId}&start=2030-01-07&end=2030-01-14`,
    );
    expect(slots.status).toBe(200);
    expect(slots.body.slots).toEqual([]);

    // Someone performing it again brings it back.
    const staffed = await biz.admin.put(`/api/admin/services/${biz.kutId}`, {
      name: 'Kut',
      durationMinutes: 30,
      staffIds: [biz.staffId],
    });
    expect(staffed.status).toBe(200);
    const back = await api.get(`/api/public/${biz.slug}/services`);
    expect(back.body.services.map((s: { name: string }) => s.name)).toEqual([
      'Consultation',
      'Kut',
    ]);
  });

  it('keeps a service that still lists someone removed earlier out of the public list', async () => {
    const biz = await nycBusiness();
    // Removed the way removals worked before they took people off services.
    await TenantStore.for(trustTenantId(biz.tenantId)).update<StaffRecord>(
      'staff',
      biz.kimId,
      (current) => ({ ...current, deletedAt: new Date(NOW).toISOString() }),
    );
    const listed = await api.get(`/api/public/${biz.slug}/services`);
    expect(
      listed.body.services.map((s: { name: string; staffIds: string[] }) => [s.name, s.staffIds]),
    ).toEqual([['Consultation', [biz.staffId]]]);
  });
});

describe('DELETE /api/admin/services/{id}', () => {
  it('answers 409 while the service has upcoming bookings, and not for past ones', async () => {
    const biz = await nycBusiness();
    await book(biz.slug, biz.kutId, '2030-01-07T10:00');
    await book(biz.slug, biz.kutId, '2030-01-14T11:30');

    const refused = await biz.admin.delete(`/api/admin/services/${biz.kutId}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: {
        code: 'conflict',
        message:
          'The service “Kut” has 2 upcoming bookings, the first on 2030-01-07 at 10:00 (America/New_York); cancel them, or wait until they have taken place, before deleting the service.',
        details: {
          upcomingBookings: 2,
          firstStart: '2030-01-07T10:00:00-05:00',
          staffIds: [biz.kimId],
        },
      },
    });
    const still = await api.get(`/api/public/${biz.slug}/services`);
    expect(still.body.services.map((s: { name: string }) => s.name)).toContain('Kut');

    const tenth = await later(biz.slug, '2030-01-10T12:00:00Z');
    const last = await tenth.delete(`/api/admin/services/${biz.kutId}`);
    expect(last.status).toBe(409);
    expect(last.body.error.message).toBe(
      'The service “Kut” has 1 upcoming booking, on 2030-01-14 at 11:30 (America/New_York); cancel it, or wait until it has taken place, before deleting the service.',
    );

    // 11:30 in New York: the last booking has started.
    const fourteenth = await later(biz.slug, '2030-01-14T16:30:00Z');
    expect((await fourteenth.delete(`/api/admin/services/${biz.kutId}`)).status).toBe(204);
    const after = await api.get(`/api/public/${biz.slug}/services`);
    expect(after.body.services.map((s: { name: string }) => s.name)).toEqual(['Consultation']);
  });
});

describe('PUT /api/admin/services/{id}', () => {
  it('answers 409 naming the staff it would drop who have upcoming bookings of the service', async () => {
    const biz = await nycBusiness();
    await book(biz.slug, biz.serviceId, '2030-01-07T13:00', biz.kimId);
    await book(biz.slug, biz.serviceId, '2030-01-08T09:00', biz.staffId);

    const dropKim = await biz.admin.put(`/api/admin/services/${biz.serviceId}`, {
      ...biz.consultation,
      staffIds: [biz.staffId],
    });
    expect(dropKim.status).toBe(409);
    expect(dropKim.body).toEqual({
      error: {
        code: 'conflict',
        message: `Kim (${biz.kimId}) has 1 upcoming booking of this service, on 2030-01-07 at 13:00 (America/New_York); keep them among its staff (staffIds), or first move it to another staff member of the service or cancel it.`,
        details: {
          upcomingBookings: 1,
          firstStart: '2030-01-07T13:00:00-05:00',
          staffIds: [biz.kimId],
        },
      },
    });
    const kept = await biz.admin.get(`/api/admin/services/${biz.serviceId}`);
    expect(kept.body.staffIds).toEqual([biz.staffId, biz.kimId]);

    const newcomer = await biz.admin.post('/api/admin/staff', {
      name: 'Lee',
      timeZone: 'America/New_York',
      weeklyHours: WEEKDAYS_9_TO_5,
    });
    const dropBoth = await biz.admin.put(`/api/admin/services/${biz.serviceId}`, {
      ...biz.consultation,
      staffIds: [newcomer.body.id],
    });
    expect(dropBoth.status).toBe(409);
    expect(dropBoth.body.error.message).toBe(
      `Kim (${biz.kimId}) and Alex (${biz.staffId}) have 2 upcoming bookings of this service, the first on 2030-01-07 at 13:00 (America/New_York); keep them among its staff (staffIds), or first move them to another staff member of the service or cancel them.`,
    );
    expect(dropBoth.body.error.details.staffIds).toEqual([biz.kimId, biz.staffId]);
  });

  it('drops staff once their bookings of the service are past; other services’ do not count', async () => {
    const biz = await nycBusiness();
    // Kim's upcoming booking is of Kut, not of Consultation; Alex's is of Consultation.
    await book(biz.slug, biz.kutId, '2030-01-07T10:00');
    await book(biz.slug, biz.serviceId, '2030-01-02T09:00', biz.staffId);
    const onlyKim = { ...biz.consultation, staffIds: [biz.kimId] };

    const dropAlex = await biz.admin.put(`/api/admin/services/${biz.serviceId}`, onlyKim);
    expect(dropAlex.status).toBe(409);
    expect(dropAlex.body.error.details).toEqual({
      upcomingBookings: 1,
      firstStart: '2030-01-02T09:00:00-05:00',
      staffIds: [biz.staffId],
    });
    const dropKim = await biz.admin.put(`/api/admin/services/${biz.serviceId}`, {
      ...biz.consultation,
      staffIds: [biz.staffId],
    });
    expect(dropKim.status).toBe(200);
    expect(dropKim.body.staffIds).toEqual([biz.staffId]);

    // 10:00 in New York on the 2nd: Alex's booking has started, and no longer holds them.
    const admin = await later(biz.slug, '2030-01-02T15:00:00Z');
    const swapped = await admin.put(`/api/admin/services/${biz.serviceId}`, onlyKim);
    expect(swapped.status).toBe(200);
    expect(swapped.body.staffIds).toEqual([biz.kimId]);
  });
});

describe('POST /api/public/{slug}/bookings/{id}/reschedule', () => {
  it('answers 409, not a 422 about a staffId nobody sent, when the booking’s staff member is gone', async () => {
    const biz = await nycBusiness();
    const booked = await book(biz.slug, biz.serviceId, '2030-01-07T13:00', biz.kimId);
    // Removed the way removals worked before they checked for upcoming bookings.
    await TenantStore.for(trustTenantId(biz.tenantId)).update<StaffRecord>(
      'staff',
      biz.kimId,
      (current) => ({ ...current, deletedAt: new Date(NOW).toISOString() }),
    );

    const moved = await api.post(
      `/api/public/${biz.slug}/bookings/${booked.id}/reschedule`,
      { start: '2030-01-07T14:00' },
      withBookingToken(booked.manageToken),
    );
    expect(moved.status).toBe(409);
    expect(moved.body.error).toEqual({
      code: 'conflict',
      message: `The staff member of booking ${booked.id} no longer performs its service, so it cannot move to another time with them; name the staffId of someone who does.`,
      details: null,
    });

    // Naming someone who does perform it moves the booking.
    const toAlex = await api.post(
      `/api/public/${biz.slug}/bookings/${booked.id}/reschedule`,
      { start: '2030-01-07T14:00', staffId: biz.staffId },
      withBookingToken(booked.manageToken),
    );
    expect(toAlex.status).toBe(200);
    expect(toAlex.body).toMatchObject({ staffId: biz.staffId, start: '2030-01-07T14:00:00-05:00' });
  });
});
