import { describe, expect, it } from 'vitest';

import { computeSlots } from '../../../shared/availability/engine.js';
import type { StaffSchedule } from '../../../shared/availability/engine.js';
import { at, clock, days, hourly, hours, query, service, staff, starts } from './fixtures.js';

const BERLIN = 'Europe/Berlin';
const NOW = at('2024-06-01T00:00:00Z');

/** Slots of one Berlin staff member between two local dates (2024-06-03 is a Monday). */
function slotsOf(schedule: StaffSchedule, startDate: string, endDate: string, duration = 60) {
  return computeSlots(
    query({
      now: NOW,
      ...days(BERLIN, startDate, endDate),
      service: service({
        durationMinutes: duration,
        slotIntervalMinutes: duration === 90 ? 30 : 60,
      }),
      staff: [schedule],
    }),
  );
}

describe('computeSlots: working hours', () => {
  it('runs a 22:00-02:00 interval into the next day', () => {
    const schedule = staff(BERLIN, hours(['mon'], ['22:00', '02:00']));
    expect(starts(slotsOf(schedule, '2024-06-03', '2024-06-05'), BERLIN)).toEqual([
      '2024-06-03T22:00:00+02:00',
      '2024-06-03T23:00:00+02:00',
      '2024-06-04T00:00:00+02:00',
      '2024-06-04T01:00:00+02:00',
    ]);
  });

  it('lists the after-midnight part of Monday night when only Tuesday is asked for', () => {
    const schedule = staff(BERLIN, hours(['mon'], ['22:00', '02:00']));
    expect(starts(slotsOf(schedule, '2024-06-04', '2024-06-05'), BERLIN)).toEqual([
      '2024-06-04T00:00:00+02:00',
      '2024-06-04T01:00:00+02:00',
    ]);
  });

  it('reads 24:00 as the end of the day', () => {
    const schedule = staff(BERLIN, hours(['mon'], ['20:00', '24:00']));
    expect(clock(slotsOf(schedule, '2024-06-03', '2024-06-05'), BERLIN)).toEqual([
      '20:00',
      '21:00',
      '22:00',
      '23:00',
    ]);
  });

  it('reads 09:00-09:00 as 24 hours', () => {
    const schedule = staff(BERLIN, hours(['mon'], ['09:00', '09:00']));
    expect(starts(slotsOf(schedule, '2024-06-03', '2024-06-06'), BERLIN)).toEqual([
      ...hourly('2024-06-03', 9, 23, '+02:00'),
      ...hourly('2024-06-04', 0, 8, '+02:00'),
    ]);
  });

  it('merges touching intervals so a slot spans 09:00-12:00 + 12:00-17:00', () => {
    const schedule = staff(BERLIN, hours(['mon'], ['12:00', '17:00'], ['09:00', '12:00']));
    const slots = clock(slotsOf(schedule, '2024-06-03', '2024-06-04', 90), BERLIN);
    expect(slots).toContain('11:00');
    expect(slots).toEqual([
      '09:00',
      '09:30',
      '10:00',
      '10:30',
      '11:00',
      '11:30',
      '12:00',
      '12:30',
      '13:00',
      '13:30',
      '14:00',
      '14:30',
      '15:00',
      '15:30',
    ]);
  });

  it('merges overlapping intervals and anchors the grid at the earliest start', () => {
    const schedule = staff(BERLIN, hours(['mon'], ['09:30', '11:00'], ['09:00', '10:00']));
    expect(clock(slotsOf(schedule, '2024-06-03', '2024-06-04'), BERLIN)).toEqual([
      '09:00',
      '10:00',
    ]);
  });

  it('keeps a slot out of a break between two intervals', () => {
    const schedule = staff(BERLIN, hours(['mon'], ['09:00', '12:00'], ['13:00', '15:00']));
    expect(clock(slotsOf(schedule, '2024-06-03', '2024-06-04', 90), BERLIN)).toEqual([
      '09:00',
      '09:30',
      '10:00',
      '10:30',
      '13:00',
      '13:30',
    ]);
  });

  it('lets a slot run from one date into the next when their hours meet at midnight', () => {
    const schedule = staff(BERLIN, {
      mon: [{ start: '21:00', end: '24:00' }],
      tue: [{ start: '00:00', end: '02:00' }],
    });
    expect(starts(slotsOf(schedule, '2024-06-03', '2024-06-05', 90), BERLIN)).toEqual([
      '2024-06-03T21:00:00+02:00',
      '2024-06-03T21:30:00+02:00',
      '2024-06-03T22:00:00+02:00',
      '2024-06-03T22:30:00+02:00',
      '2024-06-03T23:00:00+02:00',
      '2024-06-03T23:30:00+02:00',
      '2024-06-04T00:00:00+02:00',
      '2024-06-04T00:30:00+02:00',
    ]);
  });

  it('replaces the weekly hours of a date with its override', () => {
    const schedule = staff(BERLIN, hours(['mon'], ['09:00', '17:00']), {
      overrides: [{ date: '2024-06-03', intervals: [{ start: '12:00', end: '14:00' }] }],
    });
    expect(starts(slotsOf(schedule, '2024-06-03', '2024-06-11'), BERLIN)).toEqual([
      '2024-06-03T12:00:00+02:00',
      '2024-06-03T13:00:00+02:00',
      ...hourly('2024-06-10', 9, 16, '+02:00'),
    ]);
  });

  it('returns nothing on a date whose override is a day off', () => {
    const schedule = staff(BERLIN, hours(['mon'], ['09:00', '17:00']), {
      overrides: [{ date: '2024-06-10', intervals: [] }],
    });
    expect(starts(slotsOf(schedule, '2024-06-03', '2024-06-18'), BERLIN)).toEqual([
      ...hourly('2024-06-03', 9, 16, '+02:00'),
      ...hourly('2024-06-17', 9, 16, '+02:00'),
    ]);
  });

  it('opens a day without weekly hours through an override', () => {
    const schedule = staff(BERLIN, hours(['mon'], ['09:00', '17:00']), {
      overrides: [{ date: '2024-06-08', intervals: [{ start: '10:00', end: '12:00' }] }],
    });
    expect(starts(slotsOf(schedule, '2024-06-08', '2024-06-09'), BERLIN)).toEqual([
      '2024-06-08T10:00:00+02:00',
      '2024-06-08T11:00:00+02:00',
    ]);
  });

  it('cuts the night before a day-off override at midnight, so the whole date is closed', () => {
    // Sunday 22:00-02:00 and Monday 2024-06-10 closed: Monday's 00:00 and 01:00 are not offered.
    const schedule = staff(BERLIN, hours(['sun'], ['22:00', '02:00']), {
      overrides: [{ date: '2024-06-10', intervals: [] }],
    });
    expect(starts(slotsOf(schedule, '2024-06-02', '2024-06-11'), BERLIN)).toEqual([
      '2024-06-02T22:00:00+02:00',
      '2024-06-02T23:00:00+02:00',
      '2024-06-03T00:00:00+02:00',
      '2024-06-03T01:00:00+02:00',
      '2024-06-09T22:00:00+02:00',
      '2024-06-09T23:00:00+02:00',
    ]);
    expect(slotsOf(schedule, '2024-06-10', '2024-06-11')).toEqual([]);
  });

  it('closes the night of a day-off override as well as the night running into it', () => {
    const schedule = staff(BERLIN, hours(['mon', 'tue'], ['22:00', '02:00']), {
      overrides: [{ date: '2024-06-04', intervals: [] }],
    });
    expect(starts(slotsOf(schedule, '2024-06-03', '2024-06-06'), BERLIN)).toEqual([
      '2024-06-03T22:00:00+02:00',
      '2024-06-03T23:00:00+02:00',
    ]);
  });

  it('cuts the night before an override with hours at midnight and keeps the override hours', () => {
    // Tuesday's own weekly night is replaced too: the override is all of Tuesday's hours.
    const schedule = staff(BERLIN, hours(['mon', 'tue'], ['22:00', '02:00']), {
      overrides: [{ date: '2024-06-04', intervals: [{ start: '01:00', end: '03:00' }] }],
    });
    expect(starts(slotsOf(schedule, '2024-06-03', '2024-06-06'), BERLIN)).toEqual([
      '2024-06-03T22:00:00+02:00',
      '2024-06-03T23:00:00+02:00',
      '2024-06-04T01:00:00+02:00',
      '2024-06-04T02:00:00+02:00',
    ]);
  });

  it('runs an override past midnight unless the next date has an override too', () => {
    // Saturday 2024-06-08 has no weekly hours, nor has Sunday; the override's night runs on.
    const saturday = { date: '2024-06-08', intervals: [{ start: '22:00', end: '02:00' }] };
    const alone = staff(BERLIN, hours(['mon'], ['09:00', '17:00']), { overrides: [saturday] });
    expect(starts(slotsOf(alone, '2024-06-08', '2024-06-10'), BERLIN)).toEqual([
      '2024-06-08T22:00:00+02:00',
      '2024-06-08T23:00:00+02:00',
      '2024-06-09T00:00:00+02:00',
      '2024-06-09T01:00:00+02:00',
    ]);

    const sunday = { date: '2024-06-09', intervals: [{ start: '03:00', end: '05:00' }] };
    const both = staff(BERLIN, hours(['mon'], ['09:00', '17:00']), {
      overrides: [sunday, saturday],
    });
    expect(starts(slotsOf(both, '2024-06-08', '2024-06-10'), BERLIN)).toEqual([
      '2024-06-08T22:00:00+02:00',
      '2024-06-08T23:00:00+02:00',
      '2024-06-09T03:00:00+02:00',
      '2024-06-09T04:00:00+02:00',
    ]);
  });

  it('lets a slot run from the night before into override hours that start at midnight', () => {
    // The night stops at midnight, but the override's own 00:00 joins on without a gap.
    const schedule = staff(BERLIN, hours(['mon'], ['22:00', '02:00']), {
      overrides: [{ date: '2024-06-04', intervals: [{ start: '00:00', end: '01:00' }] }],
    });
    expect(starts(slotsOf(schedule, '2024-06-03', '2024-06-05', 90), BERLIN)).toEqual([
      '2024-06-03T22:00:00+02:00',
      '2024-06-03T22:30:00+02:00',
      '2024-06-03T23:00:00+02:00',
      '2024-06-03T23:30:00+02:00',
    ]);
  });
});
