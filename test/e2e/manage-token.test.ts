import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { setClock } from '../../shared/runtime/clock.js';
import { useTestHost } from '../support/env.js';
import { Api, setUpBusiness, withBookingToken, type ApiResponse } from './api-client.js';

const host = useTestHost();
const api = new Api(() => host().baseUrl);

/** 43 base64url characters: the shape of a manage token, opening no booking. */
const WRONG_TOKEN = 'A'.repeat(43);
const MISSING = "is missing; send the manage token from the booking's link in it";
const MALFORMED = "must be the manage token from the booking's link, 16 to 128 characters";
const IN_QUERY =
  'is not accepted in the query string; send the manage token in the Booking-Token header';

let biz: Awaited<ReturnType<typeof setUpBusiness>>;
let other: Awaited<ReturnType<typeof setUpBusiness>>;

beforeEach(() => setClock(() => Date.parse('2030-01-01T09:00:00Z')));

beforeAll(async () => {
  setClock(() => Date.parse('2030-01-01T09:00:00Z'));
  [biz, other] = await Promise.all([
    setUpBusiness(api, { service: { slotIntervalMinutes: 15 } }),
    setUpBusiness(api),
  ]);
});

/** A booking at `time` on Monday 7 January 2030 (each test books its own hour). */
async function book(time: string): Promise<{ id: string; manageToken: string; start: string }> {
  const booked = await api.post(`/api/public/${biz.slug}/bookings`, {
    serviceId: biz.serviceId,
    start: `2030-01-07T${time}`,
    timeZone: 'Europe/London',
    customer: { name: 'Pat', email: 'pat@example.com' },
  });
  expect(booked.status).toBe(201);
  return booked.body;
}

/** One manage route, called for booking `id` of the business `slug`. */
interface ManageRoute {
  name: string;
  send: (
    id: string,
    options?: { headers?: Record<string, string>; query?: string; slug?: string },
  ) => Promise<ApiResponse>;
}

const ROUTES: ManageRoute[] = [
  {
    name: 'bookings-get',
    send: (id, { headers, query = '', slug = biz.slug } = {}) =>
      api.get(`/api/public/${slug}/bookings/${id}${query}`, { headers }),
  },
  {
    name: 'bookings-ics',
    send: (id, { headers, query = '', slug = biz.slug } = {}) =>
      api.get(`/api/public/${slug}/bookings/${id}/ics${query}`, { headers }),
  },
  {
    name: 'bookings-reschedule',
    send: (id, { headers, query = '', slug = biz.slug } = {}) =>
      api.post(
        `/api/public/${slug}/bookings/${id}/reschedule${query}`,
        { start: '2030-01-08T16:00', timeZone: 'Europe/London' },
        { headers },
      ),
  },
  {
    name: 'bookings-cancel',
    send: (id, { headers, query = '', slug = biz.slug } = {}) =>
      api.post(`/api/public/${slug}/bookings/${id}/cancel${query}`, undefined, { headers }),
  },
  {
    name: 'public-slots-list (rescheduling)',
    send: (id, { headers, query = '', slug = biz.slug } = {}) =>
      api.get(
        `/api/public/${slug}/slots?serviceId=${biz.serviceId}&start=2030-01-07&end=2030-01-08&rescheduling=${id}${query.replace('?', '&')}`,
        { headers },
      ),
  },
];

/** The booking as stored, read with its token: what a refused request must leave alone. */
async function stored(id: string, token: string) {
  const read = await api.get(`/api/public/${biz.slug}/bookings/${id}`, withBookingToken(token));
  expect(read.status).toBe(200);
  return { status: read.body.status, start: read.body.start };
}

function validationError(path: string, message: string) {
  return {
    error: {
      code: 'validation_failed',
      message: `${path}: ${message}`,
      details: [{ path, message }],
    },
  };
}

describe('Booking-Token header on the manage routes', () => {
  it('opens, exports, moves and cancels a booking, and lists its slots, with the token in the header', async () => {
    const booking = await book('09:00');
    const manage = withBookingToken(booking.manageToken);
    const [get, ics, reschedule, cancel, slots] = ROUTES;

    const read = await get!.send(booking.id, manage);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: booking.id, status: 'confirmed', start: booking.start });

    const file = await ics!.send(booking.id, manage);
    expect(file.status).toBe(200);
    expect(String(file.body)).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(String(file.body)).toContain(`UID:${booking.id}@slotwise`);

    // The booking's own time (09:00-10:00) counts as free for it: 09:15 is offered.
    const listed = await slots!.send(booking.id, manage);
    expect(listed.status).toBe(200);
    const starts = listed.body.slots.map((slot: { start: string }) => slot.start.slice(11, 16));
    expect(starts.slice(0, 4)).toEqual(['09:00', '09:15', '09:30', '09:45']);

    const moved = await reschedule!.send(booking.id, manage);
    expect(moved.status).toBe(200);
    expect(moved.body.start).toBe('2030-01-08T16:00:00+00:00');

    const cancelled = await cancel!.send(booking.id, manage);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('answers 422 naming the Booking-Token header when it is missing or malformed', async () => {
    const booking = await book('10:00');
    const before = await stored(booking.id, booking.manageToken);
    for (const route of ROUTES) {
      const missing = await route.send(booking.id);
      expect([route.name, missing.status]).toEqual([route.name, 422]);
      const expected =
        route.name === 'public-slots-list (rescheduling)'
          ? 'is required with rescheduling: send the manage token of the booking being moved'
          : MISSING;
      expect(missing.body).toEqual(validationError('header.Booking-Token', expected));

      for (const token of ['too-short', booking.manageToken.repeat(3)]) {
        const malformed = await route.send(booking.id, withBookingToken(token));
        expect([route.name, malformed.status]).toEqual([route.name, 422]);
        expect(malformed.body).toEqual(validationError('header.Booking-Token', MALFORMED));
      }
    }
    expect(await stored(booking.id, booking.manageToken)).toEqual(before);
  });

  it('refuses a token in the query string with 422 naming token, even beside the header', async () => {
    const booking = await book('11:00');
    const before = await stored(booking.id, booking.manageToken);
    const query = `?token=${booking.manageToken}`;
    for (const route of ROUTES) {
      for (const headers of [{}, withBookingToken(booking.manageToken).headers]) {
        const refused = await route.send(booking.id, { query, headers });
        expect([route.name, refused.status]).toEqual([route.name, 422]);
        expect(refused.body).toEqual(validationError('query.token', IN_QUERY));
        expect(JSON.stringify(refused.body)).not.toContain(booking.manageToken);
      }
    }
    // Refused, not ignored: nothing was moved or cancelled.
    expect(await stored(booking.id, booking.manageToken)).toEqual(before);
  });

  it('answers a wrong token exactly as a booking that does not exist', async () => {
    const booking = await book('12:00');
    const before = await stored(booking.id, booking.manageToken);
    const ghost = `${booking.id.slice(0, -4)}${booking.id.endsWith('zzzz') ? 'yyyy' : 'zzzz'}`;
    for (const route of ROUTES) {
      const wrong = await route.send(booking.id, withBookingToken(WRONG_TOKEN));
      // The same id at another business, where no booking has it, even with the right token.
      const elsewhere = await route.send(booking.id, {
        slug: other.slug,
        ...withBookingToken(booking.manageToken),
      });
      const unknown = await route.send(ghost, withBookingToken(WRONG_TOKEN));

      expect([route.name, wrong.status, elsewhere.status, unknown.status]).toEqual([
        route.name,
        404,
        404,
        404,
      ]);
      expect(wrong.body).toEqual({
        error: {
          code: 'not_found',
          message: `Booking ${booking.id} was not found.`,
          details: null,
        },
      });
      expect(elsewhere.body).toEqual(wrong.body);
      expect(JSON.parse(JSON.stringify(unknown.body).replaceAll(ghost, booking.id))).toEqual(
        wrong.body,
      );
    }
    expect(await stored(booking.id, booking.manageToken)).toEqual(before);
  });
});
