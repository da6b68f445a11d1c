import { describe, expect, it } from 'vitest';

import { setClock } from '../../shared/runtime/clock.js';
import { useTestHost } from '../support/env.js';
import { Api, setUpBusiness, withBookingToken } from './api-client.js';

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
