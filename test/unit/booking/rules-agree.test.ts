import { describe, expect, it } from 'vitest';

import { computeSlots } from '../../../shared/availability/engine.js';
import type { BookedInterval, ServiceRules } from '../../../shared/availability/types.js';
import { claimsConflict, type Claim } from '../../../shared/booking/ledger.js';

/**
 * The slot list (availability engine) and the write path (ledger conflict rule) must agree:
 * every listed slot can be claimed, and every unlisted grid time inside working hours is refused
 * by some existing claim. A seeded sweep over random calendars checks it.
 */
const MINUTE = 60_000;
const DAY_START = Date.parse('2031-06-02T00:00:00Z'); // a Monday

function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function toClaim(booking: BookedInterval, id: string, capacity: number): Claim {
  return {
    bookingId: id,
    serviceId: booking.serviceId,
    start: booking.start,
    end: booking.end,
    bufferBeforeMinutes: booking.bufferBeforeMinutes,
    bufferAfterMinutes: booking.bufferAfterMinutes,
    seats: booking.seats ?? 1,
    capacity,
  };
}

describe('slot list and write path', () => {
  it('agree on which times are free, over 200 random calendars with buffers', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(seed);
      const pick = (values: number[]) => values[Math.floor(next() * values.length)]!;
      const service: ServiceRules = {
        serviceId: 'svc_new',
        durationMinutes: pick([15, 30, 45, 60]),
        bufferBeforeMinutes: pick([0, 5, 15, 30]),
        bufferAfterMinutes: pick([0, 10, 15]),
        minimumNoticeMinutes: 0,
        maxAdvanceDays: 365,
        slotIntervalMinutes: pick([15, 30]),
        capacity: 1,
      };
      const bookings: BookedInterval[] = Array.from({ length: 1 + Math.floor(next() * 6) }, () => {
        const start = DAY_START + (8 * 60 + Math.floor(next() * 40) * 15) * MINUTE;
        return {
          staffId: 'stf_1',
          serviceId: 'svc_other',
          start,
          end: start + pick([15, 30, 60]) * MINUTE,
          bufferBeforeMinutes: pick([0, 10, 20]),
          bufferAfterMinutes: pick([0, 10, 20]),
        };
      });
      const slots = computeSlots({
        now: DAY_START - 86_400_000,
        from: DAY_START,
        to: DAY_START + 86_400_000,
        service,
        staff: [
          {
            staffId: 'stf_1',
            timeZone: 'UTC',
            weeklyHours: { mon: [{ start: '08:00', end: '20:00' }] },
            overrides: [],
          },
        ],
        bookings,
        busy: [],
      });
      const listed = new Set(slots.map((slot) => slot.start));
      const existing = bookings.map((b, i) => toClaim(b, `bkg_${i}`, 1));

      for (
        let minute = 8 * 60;
        minute + service.durationMinutes <= 20 * 60;
        minute += service.slotIntervalMinutes
      ) {
        const start = DAY_START + minute * MINUTE;
        const candidate = toClaim(
          { ...service, staffId: 'stf_1', start, end: start + service.durationMinutes * MINUTE },
          'bkg_new',
          1,
        );
        const refused = existing.some((other) => claimsConflict(candidate, other));
        expect(listed.has(start), `seed ${seed}, ${new Date(start).toISOString()}`).toBe(!refused);
      }
    }
  });
});
