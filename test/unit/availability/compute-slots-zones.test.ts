import { describe, expect, it } from 'vitest';

import { computeSlots } from '../../../shared/availability/engine.js';
import type { StaffSchedule } from '../../../shared/availability/engine.js';
import { formatInZone } from '../../../shared/time/zones.js';
import { at, days, hours, query, service, staff, starts, utcStarts } from './fixtures.js';

const NEW_YORK = 'America/New_York';
const LORD_HOWE = 'Australia/Lord_Howe';

describe('computeSlots: DST and unusual offsets', () => {
  it('skips 02:00 and 02:30 in the New York spring gap on 2024-03-10', () => {
    const slots = computeSlots(
      query({
        now: at('2024-03-01T00:00:00Z'),
        ...days(NEW_YORK, '2024-03-10'),
        service: service({ durationMinutes: 30, slotIntervalMinutes: 30 }),
        staff: [staff(NEW_YORK, hours(['sun'], ['00:00', '06:00']))],
      }),
    );
    expect(starts(slots, NEW_YORK)).toEqual([
      '2024-03-10T00:00:00-05:00',
      '2024-03-10T00:30:00-05:00',
      '2024-03-10T01:00:00-05:00',
      '2024-03-10T01:30:00-05:00',
      '2024-03-10T03:00:00-04:00',
      '2024-03-10T03:30:00-04:00',
      '2024-03-10T04:00:00-04:00',
      '2024-03-10T04:30:00-04:00',
      '2024-03-10T05:00:00-04:00',
      '2024-03-10T05:30:00-04:00',
    ]);
    // 01:30 EST + 30 real minutes ends at 03:00 EDT.
    expect(slots[3]?.end).toBe(at('2024-03-10T03:00:00-04:00'));
  });

  it('offers 01:00 and 01:30 twice in the New York autumn overlap on 2024-11-03', () => {
    const slots = computeSlots(
      query({
        now: at('2024-11-01T00:00:00Z'),
        ...days(NEW_YORK, '2024-11-03'),
        service: service({ durationMinutes: 30, slotIntervalMinutes: 30 }),
        staff: [staff(NEW_YORK, hours(['sun'], ['00:00', '06:00']))],
      }),
    );
    expect(starts(slots, NEW_YORK)).toEqual([
      '2024-11-03T00:00:00-04:00',
      '2024-11-03T00:30:00-04:00',
      '2024-11-03T01:00:00-04:00',
      '2024-11-03T01:30:00-04:00',
      '2024-11-03T01:00:00-05:00',
      '2024-11-03T01:30:00-05:00',
      '2024-11-03T02:00:00-05:00',
      '2024-11-03T02:30:00-05:00',
      '2024-11-03T03:00:00-05:00',
      '2024-11-03T03:30:00-05:00',
      '2024-11-03T04:00:00-05:00',
      '2024-11-03T04:30:00-05:00',
      '2024-11-03T05:00:00-05:00',
      '2024-11-03T05:30:00-05:00',
    ]);
    expect(utcStarts(slots).slice(2, 6)).toEqual([
      '2024-11-03T05:00:00.000Z',
      '2024-11-03T05:30:00.000Z',
      '2024-11-03T06:00:00.000Z',
      '2024-11-03T06:30:00.000Z',
    ]);
  });

  it('ends working time at the first 01:30 when the hours end inside the overlap', () => {
    const slots = computeSlots(
      query({
        now: at('2024-11-01T00:00:00Z'),
        ...days(NEW_YORK, '2024-11-03'),
        service: service({ durationMinutes: 30, slotIntervalMinutes: 30 }),
        staff: [staff(NEW_YORK, hours(['sun'], ['00:00', '01:30']))],
      }),
    );
    expect(starts(slots, NEW_YORK)).toEqual([
      '2024-11-03T00:00:00-04:00',
      '2024-11-03T00:30:00-04:00',
      '2024-11-03T01:00:00-04:00',
    ]);
  });

  it('starts working time right after the gap when the hours start inside it', () => {
    const slots = computeSlots(
      query({
        now: at('2024-03-01T00:00:00Z'),
        ...days(NEW_YORK, '2024-03-10'),
        service: service({ durationMinutes: 30, slotIntervalMinutes: 30 }),
        staff: [staff(NEW_YORK, hours(['sun'], ['02:00', '04:00']))],
      }),
    );
    // The grid stays anchored at 02:00 wall time; 02:00 and 02:30 do not exist.
    expect(starts(slots, NEW_YORK)).toEqual([
      '2024-03-10T03:00:00-04:00',
      '2024-03-10T03:30:00-04:00',
    ]);
  });

  it('returns slots at +05:30 in Asia/Kolkata', () => {
    const zone = 'Asia/Kolkata';
    const slots = computeSlots(
      query({
        now: at('2024-06-01T00:00:00Z'),
        ...days(zone, '2024-06-03'),
        staff: [staff(zone, hours(['mon'], ['09:00', '12:00']))],
      }),
    );
    expect(utcStarts(slots)).toEqual([
      '2024-06-03T03:30:00.000Z',
      '2024-06-03T04:30:00.000Z',
      '2024-06-03T05:30:00.000Z',
    ]);
    expect(starts(slots, zone)[0]).toBe('2024-06-03T09:00:00+05:30');
  });

  it('returns slots at +05:45 in Asia/Kathmandu', () => {
    const zone = 'Asia/Kathmandu';
    const slots = computeSlots(
      query({
        now: at('2024-06-01T00:00:00Z'),
        ...days(zone, '2024-06-03'),
        service: service({ durationMinutes: 30, slotIntervalMinutes: 30 }),
        staff: [staff(zone, hours(['mon'], ['09:00', '11:00']))],
      }),
    );
    expect(utcStarts(slots)).toEqual([
      '2024-06-03T03:15:00.000Z',
      '2024-06-03T03:45:00.000Z',
      '2024-06-03T04:15:00.000Z',
      '2024-06-03T04:45:00.000Z',
    ]);
    expect(starts(slots, zone)[3]).toBe('2024-06-03T10:30:00+05:45');
  });

  it('skips 02:00 and 02:15 in the 30-minute Lord Howe gap on 2024-10-06', () => {
    const slots = computeSlots(
      query({
        now: at('2024-10-01T00:00:00Z'),
        ...days(LORD_HOWE, '2024-10-06'),
        service: service({ durationMinutes: 30, slotIntervalMinutes: 15 }),
        staff: [staff(LORD_HOWE, hours(['sun'], ['00:00', '04:00']))],
      }),
    );
    expect(starts(slots, LORD_HOWE)).toEqual([
      '2024-10-06T00:00:00+10:30',
      '2024-10-06T00:15:00+10:30',
      '2024-10-06T00:30:00+10:30',
      '2024-10-06T00:45:00+10:30',
      '2024-10-06T01:00:00+10:30',
      '2024-10-06T01:15:00+10:30',
      '2024-10-06T01:30:00+10:30',
      '2024-10-06T01:45:00+10:30',
      '2024-10-06T02:30:00+11:00',
      '2024-10-06T02:45:00+11:00',
      '2024-10-06T03:00:00+11:00',
      '2024-10-06T03:15:00+11:00',
      '2024-10-06T03:30:00+11:00',
    ]);
    expect(slots[7]?.end).toBe(at('2024-10-06T02:45:00+11:00'));
  });

  it('offers 01:30 and 01:45 twice in the 30-minute Lord Howe overlap on 2024-04-07', () => {
    const slots = computeSlots(
      query({
        now: at('2024-04-01T00:00:00Z'),
        ...days(LORD_HOWE, '2024-04-07'),
        service: service({ durationMinutes: 15, slotIntervalMinutes: 15 }),
        staff: [staff(LORD_HOWE, hours(['sun'], ['01:00', '02:30']))],
      }),
    );
    expect(starts(slots, LORD_HOWE)).toEqual([
      '2024-04-07T01:00:00+11:00',
      '2024-04-07T01:15:00+11:00',
      '2024-04-07T01:30:00+11:00',
      '2024-04-07T01:45:00+11:00',
      '2024-04-07T01:30:00+10:30',
      '2024-04-07T01:45:00+10:30',
      '2024-04-07T02:00:00+10:30',
      '2024-04-07T02:15:00+10:30',
    ]);
  });

  it('measures a slot across the overlap in real minutes', () => {
    // A 60-minute slot from 01:00 EDT ends at 01:00 EST, one real hour later.
    const slots = computeSlots(
      query({
        now: at('2024-11-01T00:00:00Z'),
        ...days(NEW_YORK, '2024-11-03'),
        service: service({ durationMinutes: 60, slotIntervalMinutes: 30 }),
        staff: [staff(NEW_YORK, hours(['sun'], ['00:00', '03:00']))],
      }),
    );
    expect(starts(slots, NEW_YORK)).toEqual([
      '2024-11-03T00:00:00-04:00',
      '2024-11-03T00:30:00-04:00',
      '2024-11-03T01:00:00-04:00',
      '2024-11-03T01:30:00-04:00',
      '2024-11-03T01:00:00-05:00',
      '2024-11-03T01:30:00-05:00',
      '2024-11-03T02:00:00-05:00',
    ]);
    expect(slots[2]?.end).toBe(at('2024-11-03T01:00:00-05:00'));
  });
});

describe('computeSlots: an override the day after a night shift, on DST days', () => {
  /** 60-minute slots on a 60-minute grid over local dates [startDate, endDate), as start/end. */
  function slotsOf(schedule: StaffSchedule, startDate: string, endDate: string): string[] {
    const zone = schedule.timeZone;
    const slots = computeSlots(
      query({
        now: at(`${startDate}T00:00:00Z`) - 14 * 24 * 3_600_000,
        ...days(zone, startDate, endDate),
        service: service(),
        staff: [schedule],
      }),
    );
    return slots.map((slot) => `${formatInZone(slot.start, zone)} ${formatInZone(slot.end, zone)}`);
  }

  it('stops Saturday night at midnight before the New York spring-forward day 2027-03-14', () => {
    const closed = staff(NEW_YORK, hours(['sat'], ['22:00', '04:00']), {
      overrides: [{ date: '2027-03-14', intervals: [] }],
    });
    expect(slotsOf(closed, '2027-03-13', '2027-03-15')).toEqual([
      '2027-03-13T22:00:00-05:00 2027-03-13T23:00:00-05:00',
      '2027-03-13T23:00:00-05:00 2027-03-14T00:00:00-05:00',
    ]);

    // Override hours across the gap: 01:00 EST lasts one real hour, to 03:00 EDT.
    const open = staff(NEW_YORK, hours(['sat'], ['22:00', '04:00']), {
      overrides: [{ date: '2027-03-14', intervals: [{ start: '01:00', end: '05:00' }] }],
    });
    expect(slotsOf(open, '2027-03-13', '2027-03-15')).toEqual([
      '2027-03-13T22:00:00-05:00 2027-03-13T23:00:00-05:00',
      '2027-03-13T23:00:00-05:00 2027-03-14T00:00:00-05:00',
      '2027-03-14T01:00:00-05:00 2027-03-14T03:00:00-04:00',
      '2027-03-14T03:00:00-04:00 2027-03-14T04:00:00-04:00',
      '2027-03-14T04:00:00-04:00 2027-03-14T05:00:00-04:00',
    ]);
  });

  it('stops Saturday night at midnight before the New York fall-back day 2027-11-07', () => {
    const closed = staff(NEW_YORK, hours(['sat'], ['22:00', '02:00']), {
      overrides: [{ date: '2027-11-07', intervals: [] }],
    });
    expect(slotsOf(closed, '2027-11-06', '2027-11-08')).toEqual([
      '2027-11-06T22:00:00-04:00 2027-11-06T23:00:00-04:00',
      '2027-11-06T23:00:00-04:00 2027-11-07T00:00:00-04:00',
    ]);

    // Override hours across the overlap: 01:30 is offered at both of its instants.
    const open = staff(NEW_YORK, hours(['sat'], ['22:00', '02:00']), {
      overrides: [{ date: '2027-11-07', intervals: [{ start: '00:30', end: '03:00' }] }],
    });
    expect(slotsOf(open, '2027-11-06', '2027-11-08')).toEqual([
      '2027-11-06T22:00:00-04:00 2027-11-06T23:00:00-04:00',
      '2027-11-06T23:00:00-04:00 2027-11-07T00:00:00-04:00',
      '2027-11-07T00:30:00-04:00 2027-11-07T01:30:00-04:00',
      '2027-11-07T01:30:00-04:00 2027-11-07T01:30:00-05:00',
      '2027-11-07T01:30:00-05:00 2027-11-07T02:30:00-05:00',
    ]);
  });

  it('closes both Havana midnights when the clock goes back from 01:00 to 00:00 on 2024-11-03', () => {
    // 00:00-01:00 happens twice on the closed date; neither belongs to Saturday's night.
    const schedule = staff('America/Havana', hours(['sat'], ['22:00', '02:00']), {
      overrides: [{ date: '2024-11-03', intervals: [] }],
    });
    expect(slotsOf(schedule, '2024-11-02', '2024-11-04')).toEqual([
      '2024-11-02T22:00:00-04:00 2024-11-02T23:00:00-04:00',
      '2024-11-02T23:00:00-04:00 2024-11-03T00:00:00-04:00',
    ]);
  });

  it('ends Saturday night at the Santiago gap that swallows midnight on 2024-09-08', () => {
    // The clock goes from 23:59:59 to 01:00, so the closed Sunday begins at 01:00 -03:00.
    const schedule = staff('America/Santiago', hours(['sat'], ['22:00', '02:00']), {
      overrides: [{ date: '2024-09-08', intervals: [] }],
    });
    expect(slotsOf(schedule, '2024-09-07', '2024-09-09')).toEqual([
      '2024-09-07T22:00:00-04:00 2024-09-07T23:00:00-04:00',
      '2024-09-07T23:00:00-04:00 2024-09-08T01:00:00-03:00',
    ]);
  });
});
