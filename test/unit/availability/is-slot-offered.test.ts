import { describe, expect, it } from 'vitest';

import { computeSlots, isSlotOffered } from '../../../shared/availability/engine.js';
import type {
  BookedInterval,
  BusyBlock,
  Slot,
  SlotQuery,
} from '../../../shared/availability/engine.js';
import { addDays } from '../../../shared/time/zones.js';
import { at, days, service, staff } from './fixtures.js';

const MINUTE = 60_000;

/** A small deterministic generator (mulberry32), so the sweep is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Two staff members in DST zones with overnight, split and 24:00 hours, date overrides next to
 * overnight intervals (closed, with their own hours, running past midnight themselves), a group
 * service on an odd grid with buffers, and seeded bookings (some forming sessions) and busy
 * blocks. `firstDate` is a Friday.
 */
function scenario(firstDate: string, dayCount: number, seed: number): SlotQuery {
  const zone = 'America/New_York';
  const { from, to } = days(zone, firstDate, addDays(firstDate, dayCount));
  const next = random(seed);
  // A generator of its own, so the bookings below stay those the seeds were picked for.
  const pickOverrides = random(seed * 7919);
  const date = (offset: number) => addDays(firstDate, offset);
  const overnight = (start: string, end: string) => [{ start, end }];
  const rules = service({
    durationMinutes: 45,
    slotIntervalMinutes: 20,
    bufferBeforeMinutes: 10,
    bufferAfterMinutes: 5,
    minimumNoticeMinutes: 30,
    maxAdvanceDays: 30,
    capacity: 2,
  });
  const ann = staff(
    zone,
    {
      sat: [{ start: '20:00', end: '24:00' }],
      sun: [
        { start: '00:00', end: '06:00' },
        { start: '22:00', end: '02:00' },
      ],
      mon: [
        { start: '09:00', end: '12:00' },
        { start: '12:00', end: '17:00' },
      ],
      tue: [{ start: '07:30', end: '07:30' }],
    },
    {
      staffId: 'ann',
      overrides: [
        // Monday cuts Sunday's 22:00-02:00 at midnight, closed or with a night of its own.
        {
          date: date(3),
          intervals:
            pickOverrides() < 0.5
              ? []
              : [
                  { start: '01:00', end: '04:00' },
                  { start: '21:00', end: '03:00' },
                ],
        },
        // Tuesday cuts Monday's night at midnight in turn; its own 24 hours start at 00:30.
        { date: date(4), intervals: overnight('00:30', '00:30') },
      ],
    },
  );
  const ben = staff(
    'Europe/London',
    {
      sat: [{ start: '06:00', end: '18:00' }],
      sun: [{ start: '06:00', end: '18:00' }],
      mon: [{ start: '23:00', end: '03:00' }],
      tue: [{ start: '09:00', end: '17:00' }],
    },
    {
      staffId: 'ben',
      overrides: [
        // Sunday's night runs on into Monday, which has no override; Tuesday, with its usual
        // hours as an override, cuts Monday's 23:00-03:00 at midnight.
        { date: date(2), intervals: overnight('22:00', pickOverrides() < 0.5 ? '02:00' : '22:00') },
        { date: date(4), intervals: [{ start: '09:00', end: '17:00' }] },
      ],
    },
  );

  const bookings: BookedInterval[] = [];
  const busy: BusyBlock[] = [];
  const span = to - from;
  for (let i = 0; i < 40; i += 1) {
    const staffId = next() < 0.5 ? 'ann' : 'ben';
    const start = from + Math.floor((next() * span) / (20 * MINUTE)) * 20 * MINUTE;
    const length = (15 + Math.floor(next() * 6) * 15) * MINUTE;
    if (next() < 0.4) {
      busy.push({ staffId, start, end: start + length });
      continue;
    }
    const booking = {
      staffId,
      serviceId: next() < 0.7 ? rules.serviceId : 'svc-other',
      start,
      end: start + 45 * MINUTE,
      bufferBeforeMinutes: Math.floor(next() * 3) * 10,
      bufferAfterMinutes: Math.floor(next() * 3) * 10,
    };
    bookings.push(booking);
    // A second seat in the same session now and then fills it.
    if (next() < 0.3) bookings.push({ ...booking });
  }

  return {
    now: at(`${firstDate}T00:00:00Z`) - 2 * 24 * 60 * MINUTE,
    from,
    to,
    service: rules,
    staff: [ann, ben],
    bookings,
    busy,
  };
}

const key = (staffId: string, start: number) => `${staffId}@${start}`;

describe('isSlotOffered', () => {
  const scenarios = [
    { name: 'around the New York spring gap', q: scenario('2024-03-08', 5, 7) },
    { name: 'around the New York autumn overlap', q: scenario('2024-11-01', 5, 11) },
    { name: 'around the London autumn overlap', q: scenario('2024-10-25', 5, 23) },
  ];

  it.each(scenarios)('returns exactly each listed slot $name', ({ q }) => {
    const slots = computeSlots(q);
    expect(slots.length).toBeGreaterThan(100);
    // The seeds were picked so that joinable sessions (one seat left) are among the slots.
    expect(slots.some((slot) => slot.seatsLeft === 1)).toBe(true);
    for (const slot of slots) {
      expect(isSlotOffered(q, slot.staffId, slot.start)).toEqual(slot);
    }
  });

  it.each(scenarios)('returns undefined for every other 10-minute start $name', ({ q }) => {
    const listed = new Map<string, Slot>();
    for (const slot of computeSlots(q)) listed.set(key(slot.staffId, slot.start), slot);

    let refused = 0;
    for (let start = q.from; start < q.to; start += 10 * MINUTE) {
      for (const { staffId } of q.staff) {
        const offered = isSlotOffered(q, staffId, start);
        expect(offered).toEqual(listed.get(key(staffId, start)));
        if (!offered) refused += 1;
      }
    }
    // Off-grid, taken, full and out-of-hours starts all appear in the sweep.
    expect(refused).toBeGreaterThan(500);
  });

  it.each(scenarios)('returns the same slots when asked in six-hour windows $name', ({ q }) => {
    const byDay: Slot[] = [];
    for (let from = q.from; from < q.to; from += 6 * 60 * MINUTE) {
      byDay.push(...computeSlots({ ...q, from, to: Math.min(from + 6 * 60 * MINUTE, q.to) }));
    }
    expect(byDay).toEqual(computeSlots(q));
  });

  it('returns undefined for a start one millisecond off the grid', () => {
    const q = scenarios[0]?.q;
    const slot = q && computeSlots(q)[0];
    if (!q || !slot) throw new Error('scenario lists no slot');
    expect(isSlotOffered(q, slot.staffId, slot.start + 1)).toBeUndefined();
    expect(isSlotOffered(q, slot.staffId, slot.start - 1)).toBeUndefined();
  });

  it('returns undefined for a staff member not in the query', () => {
    const q = scenarios[0]?.q;
    const slot = q && computeSlots(q)[0];
    if (!q || !slot) throw new Error('scenario lists no slot');
    expect(isSlotOffered(q, 'nobody', slot.start)).toBeUndefined();
  });

  it('returns the slot although the query window lies elsewhere', () => {
    const q = scenarios[1]?.q;
    const slot = q && computeSlots(q)[5];
    if (!q || !slot) throw new Error('scenario lists no slot');
    expect(isSlotOffered({ ...q, from: 0, to: 0 }, slot.staffId, slot.start)).toEqual(slot);
  });
});
