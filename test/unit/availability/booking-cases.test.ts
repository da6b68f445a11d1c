import { isMainThread } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import { computeSlots, isSlotOffered } from '../../../shared/availability/engine.js';
import type { SlotQuery } from '../../../shared/availability/engine.js';
import {
  EVERY_DAY,
  MON_FRI,
  at,
  booking,
  clock,
  days,
  hourly,
  hours,
  query,
  service,
  staff,
  starts,
  utcStarts,
} from './fixtures.js';

const NEW_YORK = 'America/New_York';
const SYDNEY = 'Australia/Sydney';
const LONDON = 'Europe/London';
const BERLIN = 'Europe/Berlin';

describe('computeSlots: booking cases', () => {
  describe('case 1: offsets after a DST change', () => {
    const base = {
      now: at('2023-10-20T12:00:00-04:00'),
      staff: [staff(NEW_YORK, hours(MON_FRI, ['09:00', '17:00']))],
    };

    it('returns 09:00…16:00 EDT on Fri 2023-11-03, before the change', () => {
      const slots = computeSlots(query({ ...base, ...days(NEW_YORK, '2023-11-03') }));
      expect(utcStarts(slots)).toEqual([
        '2023-11-03T13:00:00.000Z',
        '2023-11-03T14:00:00.000Z',
        '2023-11-03T15:00:00.000Z',
        '2023-11-03T16:00:00.000Z',
        '2023-11-03T17:00:00.000Z',
        '2023-11-03T18:00:00.000Z',
        '2023-11-03T19:00:00.000Z',
        '2023-11-03T20:00:00.000Z',
      ]);
    });

    it('returns 09:00…16:00 EST on Mon 2023-11-06, after the change', () => {
      const slots = computeSlots(query({ ...base, ...days(NEW_YORK, '2023-11-06') }));
      expect(utcStarts(slots)).toEqual([
        '2023-11-06T14:00:00.000Z',
        '2023-11-06T15:00:00.000Z',
        '2023-11-06T16:00:00.000Z',
        '2023-11-06T17:00:00.000Z',
        '2023-11-06T18:00:00.000Z',
        '2023-11-06T19:00:00.000Z',
        '2023-11-06T20:00:00.000Z',
        '2023-11-06T21:00:00.000Z',
      ]);
      expect(starts(slots, NEW_YORK)).toEqual(hourly('2023-11-06', 9, 16, '-05:00'));
    });

    it('returns both days unchanged when one query spans the change', () => {
      const slots = computeSlots(query({ ...base, ...days(NEW_YORK, '2023-11-03', '2023-11-07') }));
      expect(starts(slots, NEW_YORK)).toEqual([
        ...hourly('2023-11-03', 9, 16, '-04:00'),
        ...hourly('2023-11-06', 9, 16, '-05:00'),
      ]);
    });
  });

  describe('case 4: minimum-notice cutoff on the DST day', () => {
    const q = query({
      now: at('2023-10-29T14:00:00Z'),
      ...days(NEW_YORK, '2023-11-04', '2023-11-07'),
      service: service({ minimumNoticeMinutes: 10080 }),
      staff: [staff(NEW_YORK, hours(EVERY_DAY, ['09:00', '17:00']))],
    });

    it('returns nothing on Nov 4 and 09:00…16:00 EST from the 2023-11-05T14:00Z cutoff', () => {
      const slots = computeSlots(q);
      expect(starts(slots, NEW_YORK)).toEqual([
        ...hourly('2023-11-05', 9, 16, '-05:00'),
        ...hourly('2023-11-06', 9, 16, '-05:00'),
      ]);
      expect(slots[0]?.start).toBe(at('2023-11-05T14:00:00Z'));
    });
  });

  describe('case 6: independent of the process time zone', () => {
    const q = query({
      now: at('2023-10-01T00:00:00Z'),
      ...days(SYDNEY, '2023-10-31'),
      staff: [staff(SYDNEY, hours(EVERY_DAY, ['09:00', '17:00']))],
    });
    const expected = [
      '2023-10-30T22:00:00.000Z',
      '2023-10-30T23:00:00.000Z',
      '2023-10-31T00:00:00.000Z',
      '2023-10-31T01:00:00.000Z',
      '2023-10-31T02:00:00.000Z',
      '2023-10-31T03:00:00.000Z',
      '2023-10-31T04:00:00.000Z',
      '2023-10-31T05:00:00.000Z',
    ];

    it('returns 09:00…16:00 AEDT on 2023-10-31 under the suite TZ', () => {
      expect(utcStarts(computeSlots(q))).toEqual(expected);
    });

    // A TZ assigned at run time changes the zone of the whole process, which a worker thread
    // cannot do; the project runs tests in forked processes, where this check is real.
    it.skipIf(!isMainThread)('returns identical slots with TZ=UTC and TZ=Australia/Sydney', () => {
      const saved = process.env.TZ;
      const runUnder = (tz: string) => {
        process.env.TZ = tz;
        // Proves the switch took effect: Sydney was at +10:00 on 1970-01-01.
        const hostOffset = new Date(0).getTimezoneOffset();
        const range = days(SYDNEY, '2023-10-31');
        return { hostOffset, range, slots: computeSlots({ ...q, ...range }) };
      };
      try {
        const utc = runUnder('UTC');
        const sydney = runUnder('Australia/Sydney');
        expect([utc.hostOffset, sydney.hostOffset]).toEqual([0, -600]);
        expect(sydney.range).toEqual(utc.range);
        expect(sydney.slots).toEqual(utc.slots);
        expect(utcStarts(utc.slots)).toEqual(expected);
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    });
  });

  describe('case 7: date range read in the requested zone', () => {
    it('returns exactly 2024-11-25 09:00…16:00 +11:00 for start=25, end=26', () => {
      const slots = computeSlots(
        query({
          now: at('2024-11-01T00:00:00Z'),
          ...days(SYDNEY, '2024-11-25', '2024-11-26'),
          staff: [staff(SYDNEY, hours(EVERY_DAY, ['09:00', '17:00']))],
        }),
      );
      expect(starts(slots, SYDNEY)).toEqual(hourly('2024-11-25', 9, 16, '+11:00'));
    });
  });

  describe('case 11: seats of a group session', () => {
    // Mon 2024-06-03, 17:00-20:00 Berlin, 60-minute class on a 30-minute grid, 18:00 session.
    const base = query({
      now: at('2024-06-01T00:00:00Z'),
      ...days(BERLIN, '2024-06-03'),
      service: service({ capacity: 3, slotIntervalMinutes: 30 }),
      staff: [staff(BERLIN, hours(['mon'], ['17:00', '20:00']))],
    });
    const seat = (extra = {}) =>
      booking('2024-06-03T18:00:00+02:00', '2024-06-03T19:00:00+02:00', extra);
    const listed = (q: SlotQuery) =>
      computeSlots(q).map((slot) => `${clock([slot], BERLIN)[0]} ${slot.seatsLeft}`);

    it('returns every start with 3 seats when nobody has booked', () => {
      expect(listed(base)).toEqual(['17:00 3', '17:30 3', '18:00 3', '18:30 3', '19:00 3']);
    });

    it('returns the 18:00 session with 1 seat left when 2 seats are booked', () => {
      const q = { ...base, bookings: [seat(), seat()] };
      expect(listed(q)).toEqual(['17:00 3', '18:00 1', '19:00 3']);
    });

    it('returns no 18:00 slot when 3 seats are booked', () => {
      const q = { ...base, bookings: [seat(), seat(), seat()] };
      expect(listed(q)).toEqual(['17:00 3', '19:00 3']);
    });

    it('counts the seats field of each booking', () => {
      const q = { ...base, bookings: [seat({ seats: 2 }), seat()] };
      expect(listed(q)).toEqual(['17:00 3', '19:00 3']);
      expect(isSlotOffered(q, 'staff-1', at('2024-06-03T18:00:00+02:00'))).toBeUndefined();
    });

    it('returns 1 seat again after one of 3 bookings is cancelled (left out)', () => {
      const q = { ...base, bookings: [seat(), seat()] };
      expect(isSlotOffered(q, 'staff-1', at('2024-06-03T18:00:00+02:00'))).toEqual({
        start: at('2024-06-03T16:00:00Z'),
        end: at('2024-06-03T17:00:00Z'),
        staffId: 'staff-1',
        seatsLeft: 1,
      });
    });

    it('blocks the start when the booking there is of another service', () => {
      const q = { ...base, bookings: [seat({ serviceId: 'svc-other' })] };
      expect(listed(q)).toEqual(['17:00 3', '19:00 3']);
    });

    it('blocks the start for capacity 1 and lists 1 seat elsewhere', () => {
      const q = { ...base, service: service({ slotIntervalMinutes: 30 }), bookings: [seat()] };
      expect(listed(q)).toEqual(['17:00 1', '19:00 1']);
    });
  });

  describe('case 12: only active bookings block', () => {
    const base = query({
      now: at('2024-06-01T00:00:00Z'),
      ...days(BERLIN, '2024-06-04'),
      staff: [staff(BERLIN, hours(['tue'], ['09:00', '12:00']))],
    });

    it('returns 09:00 and 11:00 while the 10:00 booking is active', () => {
      const tenOClock = booking('2024-06-04T10:00:00+02:00', '2024-06-04T11:00:00+02:00');
      const q = { ...base, bookings: [tenOClock] };
      expect(clock(computeSlots(q), BERLIN)).toEqual(['09:00', '11:00']);
    });

    it('returns 09:00, 10:00 and 11:00 once the cancelled booking is left out', () => {
      expect(clock(computeSlots(base), BERLIN)).toEqual(['09:00', '10:00', '11:00']);
      expect(isSlotOffered(base, 'staff-1', at('2024-06-04T10:00:00+02:00'))?.start).toBe(
        at('2024-06-04T08:00:00Z'),
      );
    });
  });

  describe('case 20: minimum notice across days', () => {
    const q = query({
      now: at('2024-04-08T15:00:00+01:00'),
      ...days(LONDON, '2024-04-08', '2024-04-10'),
      service: service({ minimumNoticeMinutes: 1200 }),
      staff: [staff(LONDON, hours(MON_FRI, ['09:00', '17:00']))],
    });

    it('returns nothing on Monday and Tuesday 11:00…16:00 BST', () => {
      expect(starts(computeSlots(q), LONDON)).toEqual(hourly('2024-04-09', 11, 16, '+01:00'));
    });

    it('refuses Tue 10:00 and offers Tue 11:00 on the create re-check', () => {
      expect(isSlotOffered(q, 'staff-1', at('2024-04-09T10:00:00+01:00'))).toBeUndefined();
      expect(isSlotOffered(q, 'staff-1', at('2024-04-09T11:00:00+01:00'))).toEqual({
        start: at('2024-04-09T10:00:00Z'),
        end: at('2024-04-09T11:00:00Z'),
        staffId: 'staff-1',
        seatsLeft: 1,
      });
    });
  });
});
