import { describe, expect, it } from 'vitest';

import { setClock } from '../../shared/runtime/clock.js';
import { useTestHost } from '../support/env.js';
import {
  Api,
  setUpBusiness,
  TEST_PASSWORD,
  WEEKDAYS_9_TO_5,
  withBookingToken,
} from './api-client.js';

const host = useTestHost();
const api = new Api(() => host().baseUrl);

describe('GET /api/public/{slug}/slots while rescheduling', () => {
  it('offers the booking its own time, to the holder of its manage link only', async () => {
    setClock(() => Date.parse('2030-01-01T09:00:00Z'));
    const biz = await setUpBusiness(api, { service: { slotIntervalMinutes: 15 } });
    const booked = await api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      start: '2030-01-07T10:00',
      timeZone: 'Europe/London',
      customer: { name: 'Pat', email: 'pat@example.com' },
    });
    expect(booked.status).toBe(201);
    const { id, manageToken } = booked.body;
    const slots = `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}&start=2030-01-07&end=2030-01-08&timeZone=Europe/London`;
    const times = (body: { slots: { start: string }[] }) =>
      body.slots.map((slot) => slot.start.slice(11, 16)).filter((t) => t >= '09:00' && t < '11:30');

    const plain = await api.get(slots);
    expect(times(plain.body)).toEqual(['09:00', '11:00', '11:15']);

    const moving = await api.get(`${slots}&rescheduling=${id}`, withBookingToken(manageToken));
    expect(moving.status).toBe(200);
    expect(times(moving.body)).toEqual([
      '09:00',
      '09:15',
      '09:30',
      '09:45',
      '10:00',
      '10:15',
      '10:30',
      '10:45',
      '11:00',
      '11:15',
    ]);

    const wrong = await api.get(`${slots}&rescheduling=${id}`, withBookingToken('A'.repeat(43)));
    expect(wrong.status).toBe(404);
    const alone = await api.get(`${slots}&rescheduling=${id}`);
    expect(alone.status).toBe(422);
    expect(alone.body.error.details).toEqual([
      {
        path: 'header.Booking-Token',
        message: 'is required with rescheduling: send the manage token of the booking being moved',
      },
    ]);
    const headerAlone = await api.get(slots, withBookingToken(manageToken));
    expect(headerAlone.status).toBe(422);
    expect(headerAlone.body.error.details).toEqual([
      {
        path: 'query.rescheduling',
        message: 'must name the booking whose manage token is in the Booking-Token header',
      },
    ]);

    const moved = await api.post(
      `/api/public/${biz.slug}/bookings/${id}/reschedule`,
      { start: '2030-01-07T10:15', timeZone: 'Europe/London' },
      withBookingToken(manageToken),
    );
    expect(moved.status).toBe(200);
    expect(moved.body.start).toBe('2030-01-07T10:15:00+00:00');
  });
});

describe('GET /api/admin/bookings/{id}/slots', () => {
  /**
   * Alex and Blake (9–17) share a 60-minute service on a 30-minute grid with 15 minutes after
   * each booking; Pat is booked with Alex at 10:00 and Kim with Alex at 12:00.
   */
  async function businessWithBookings() {
    setClock(() => Date.parse('2030-01-01T09:00:00Z'));
    const biz = await setUpBusiness(api, {
      service: { slotIntervalMinutes: 30, bufferAfterMinutes: 15 },
    });
    const blake = await biz.admin.post('/api/admin/staff', {
      name: 'Blake',
      timeZone: 'Europe/London',
      weeklyHours: WEEKDAYS_9_TO_5,
    });
    const service = await biz.admin.put(`/api/admin/services/${biz.serviceId}`, {
      name: 'Consultation',
      durationMinutes: 60,
      slotIntervalMinutes: 30,
      bufferAfterMinutes: 15,
      staffIds: [biz.staffId, blake.body.id],
    });
    expect(service.status).toBe(200);
    const book = async (start: string, name: string) => {
      const booked = await api.post(`/api/public/${biz.slug}/bookings`, {
        serviceId: biz.serviceId,
        staffId: biz.staffId,
        start,
        timeZone: 'Europe/London',
        customer: { name, email: `${name.toLowerCase()}@example.com` },
      });
      expect(booked.status, JSON.stringify(booked.body)).toBe(201);
      return booked.body.id as string;
    };
    const pat = await book('2030-01-07T10:00', 'Pat');
    const kim = await book('2030-01-07T12:00', 'Kim');
    return { ...biz, blakeId: blake.body.id as string, pat, kim };
  }

  const DAY = 'start=2030-01-07&end=2030-01-08&timeZone=Europe/London';
  const alexTimes = (body: { slots: { start: string; staffId: string }[] }, alexId: string) =>
    body.slots.filter((slot) => slot.staffId === alexId).map((slot) => slot.start.slice(11, 16));

  it('offers a 60-minute booking a move by 30 minutes, which the reschedule accepts', async () => {
    const biz = await businessWithBookings();
    const publicList = await api.get(
      `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}&${DAY}&staffId=${biz.staffId}`,
    );
    // 09:00 would run, with its 15 minutes after, into Pat's 10:00.
    expect(alexTimes(publicList.body, biz.staffId)).toEqual([
      '13:30',
      '14:00',
      '14:30',
      '15:00',
      '15:30',
      '16:00',
    ]);

    const listed = await biz.admin.get(`/api/admin/bookings/${biz.pat}/slots?${DAY}`);
    expect(listed.status).toBe(200);
    expect(listed.body.timeZone).toBe('Europe/London');
    // Pat's own 10:00–11:15 counts as free; Kim's 12:00–13:15 still blocks 11:00 to 13:00.
    expect(alexTimes(listed.body, biz.staffId)).toEqual([
      '09:00',
      '09:30',
      '10:00',
      '10:30',
      '13:30',
      '14:00',
      '14:30',
      '15:00',
      '15:30',
      '16:00',
    ]);
    expect(alexTimes(listed.body, biz.blakeId)).toHaveLength(15);

    const moved = await biz.admin.post(`/api/admin/bookings/${biz.pat}/reschedule`, {
      start: '2030-01-07T10:30',
      timeZone: 'Europe/London',
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect([moved.body.start, moved.body.end]).toEqual([
      '2030-01-07T10:30:00+00:00',
      '2030-01-07T11:30:00+00:00',
    ]);
  });

  it('lists only times the reschedule accepts, and the reschedule refuses the others', async () => {
    const biz = await businessWithBookings();
    const listed = await biz.admin.get(`/api/admin/bookings/${biz.pat}/slots?${DAY}`);
    expect(listed.status).toBe(200);
    const slots = listed.body.slots as { start: string; staffId: string }[];
    expect(slots).toHaveLength(25);
    // The booking's own claim is left out of the list, so moving it changes nothing there:
    // every listed time can be tried in turn.
    for (const slot of slots) {
      const moved = await biz.admin.post(`/api/admin/bookings/${biz.pat}/reschedule`, {
        start: slot.start,
        staffId: slot.staffId,
      });
      expect([slot, moved.status]).toEqual([slot, 200]);
      expect([moved.body.start, moved.body.staffId]).toEqual([slot.start, slot.staffId]);
    }
    const again = await biz.admin.get(`/api/admin/bookings/${biz.pat}/slots?${DAY}`);
    expect(again.body.slots).toEqual(listed.body.slots);

    const listedStarts = new Set(slots.map((slot) => `${slot.staffId} ${slot.start}`));
    const unlisted = ['11:00', '11:30', '12:00', '12:30', '13:00'].map(
      (time) => `2030-01-07T${time}:00+00:00`,
    );
    for (const start of unlisted) {
      expect(listedStarts.has(`${biz.staffId} ${start}`)).toBe(false);
      const refused = await biz.admin.post(`/api/admin/bookings/${biz.pat}/reschedule`, {
        start,
        staffId: biz.staffId,
      });
      expect([start, refused.status]).toEqual([start, 409]);
    }
  });

  it('shows staff only their own times, and another staff member’s booking as missing', async () => {
    const biz = await businessWithBookings();
    const invited = await biz.admin.post('/api/admin/invitations', {
      email: `sam@${biz.slug}.example`,
      role: 'staff',
      staffId: biz.staffId,
    });
    const accepted = await api.post('/api/auth/invitations/accept', {
      token: invited.body.token,
      password: TEST_PASSWORD,
    });
    expect(accepted.status).toBe(201);
    const sam = api.withToken(accepted.body.accessToken);

    const own = await sam.get(`/api/admin/bookings/${biz.pat}/slots?${DAY}`);
    expect(own.status).toBe(200);
    expect(new Set(own.body.slots.map((slot: { staffId: string }) => slot.staffId))).toEqual(
      new Set([biz.staffId]),
    );
    expect(own.body.slots).toHaveLength(10);

    const blakes = await api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      staffId: biz.blakeId,
      start: '2030-01-07T09:00',
      timeZone: 'Europe/London',
      customer: { name: 'Lee', email: 'lee@example.com' },
    });
    const hidden = await sam.get(`/api/admin/bookings/${blakes.body.id}/slots?${DAY}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.message).toBe(`Booking ${blakes.body.id} was not found.`);
  });

  it('refuses staff another staff member’s times with the reschedule’s 403 naming staffId', async () => {
    const biz = await businessWithBookings();
    const invited = await biz.admin.post('/api/admin/invitations', {
      email: `sam@${biz.slug}.example`,
      role: 'staff',
      staffId: biz.staffId,
    });
    const accepted = await api.post('/api/auth/invitations/accept', {
      token: invited.body.token,
      password: TEST_PASSWORD,
    });
    expect(accepted.status).toBe(201);
    const sam = api.withToken(accepted.body.accessToken);
    const slotsFor = (staffId: string) =>
      sam.get(`/api/admin/bookings/${biz.pat}/slots?${DAY}&staffId=${staffId}`);
    const refusal = {
      code: 'forbidden',
      message:
        'staffId names a staff member you may not move this booking to; leave staffId out to keep its current one.',
      details: null,
    };

    const asked = await slotsFor(biz.blakeId);
    expect([asked.status, asked.body.error]).toEqual([403, refusal]);
    // The same move, tried: the same answer, and at a time Blake is not free it is still a 403,
    // so a refused move says nothing about the other staff member's day.
    for (const start of ['2030-01-07T14:00', '2030-01-07T03:00']) {
      const moved = await sam.post(`/api/admin/bookings/${biz.pat}/reschedule`, {
        start,
        timeZone: 'Europe/London',
        staffId: biz.blakeId,
      });
      expect([start, moved.status, moved.body.error]).toEqual([start, 403, refusal]);
    }

    const own = await slotsFor(biz.staffId);
    expect(own.status).toBe(200);
    expect(alexTimes(own.body, biz.staffId)).toHaveLength(10);
    expect(own.body.slots).toHaveLength(10);

    // With the bookings:all grant, Sam may hand the booking to Blake: the list shows Blake's day.
    const granted = await biz.admin.request('PATCH', `/api/admin/users/${accepted.body.userId}`, {
      body: { permissions: ['bookings:all'] },
    });
    expect(granted.status).toBe(200);
    const blakes = await slotsFor(biz.blakeId);
    expect(blakes.status).toBe(200);
    expect(alexTimes(blakes.body, biz.blakeId)).toHaveLength(15);
    expect(blakes.body.slots).toHaveLength(15);
  });

  it('names the bad query field, and refuses a booking that can no longer move', async () => {
    const biz = await businessWithBookings();
    const path = `/api/admin/bookings/${biz.pat}/slots`;
    const cases: [string, { path: string; message: string }][] = [
      ['end=2030-01-08', { path: 'query.start', message: 'is required' }],
      [
        'start=2030-01-07&end=2030-01-07',
        { path: 'query.end', message: 'must be after start (end is excluded)' },
      ],
      [
        'start=2030-01-07&end=2030-06-07',
        { path: 'query.end', message: 'must be at most 93 days after start' },
      ],
      [
        'start=2030-01-07&end=2030-01-08&timeZone=Mars/Base',
        { path: 'query.timeZone', message: 'must be an IANA time zone such as Europe/London' },
      ],
      [
        'start=2030-01-07&end=2030-01-08&serviceId=x',
        { path: 'query.serviceId', message: 'is not a known field' },
      ],
    ];
    for (const [query, issue] of cases) {
      const answer = await biz.admin.get(`${path}?${query}`);
      expect([query, answer.status, answer.body.error.details]).toEqual([query, 422, [issue]]);
    }

    const cancelled = await biz.admin.post(`/api/admin/bookings/${biz.kim}/cancel`);
    expect(cancelled.status).toBe(200);
    const gone = await biz.admin.get(`/api/admin/bookings/${biz.kim}/slots?${DAY}`);
    expect([gone.status, gone.body.error.message]).toEqual([
      409,
      `Booking ${biz.kim} is already cancelled.`,
    ]);
  });
});
