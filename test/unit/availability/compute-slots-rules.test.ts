import { describe, expect, it } from 'vitest';

import { computeSlots } from '../../../shared/availability/engine.js';
import type { ServiceRules, SlotQuery } from '../../../shared/availability/engine.js';
import {
  EVERY_DAY,
  at,
  booking,
  busy,
  clock,
  days,
  hours,
  query,
  service,
  staff,
  starts,
  utcStarts,
} from './fixtures.js';

const PARIS = 'Europe/Paris';

/** Mon 2024-06-03 in Paris with the given hours, service rules, bookings and busy blocks. */
function monday(
  open: [string, string],
  rules: Partial<ServiceRules>,
  extra: Partial<SlotQuery> = {},
): string[] {
  const q = query({
    now: at('2024-06-01T00:00:00Z'),
    ...days(PARIS, '2024-06-03'),
    service: service(rules),
    staff: [staff(PARIS, hours(['mon'], open))],
    ...extra,
  });
  return clock(computeSlots(q), PARIS);
}

describe('computeSlots: buffers', () => {
  const tenToEleven = booking('2024-06-03T10:00:00+02:00', '2024-06-03T11:00:00+02:00');

  it('keeps an existing booking out of the new slot’s before and after buffers', () => {
    const rules = { slotIntervalMinutes: 15, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 };
    expect(monday(['08:00', '13:00'], rules, { bookings: [tenToEleven] })).toEqual([
      '08:00',
      '08:15',
      '08:30',
      '08:45',
      '11:15',
      '11:30',
      '11:45',
      '12:00',
    ]);
  });

  it('keeps the new slot out of an existing booking’s own buffers', () => {
    const buffered = { ...tenToEleven, bufferBeforeMinutes: 30, bufferAfterMinutes: 30 };
    const slots = monday(['08:00', '13:00'], { slotIntervalMinutes: 30 }, { bookings: [buffered] });
    expect(slots).toEqual(['08:00', '08:30', '11:30', '12:00']);
  });

  it('lets the buffers of two bookings overlap', () => {
    // The booking keeps 11:00-11:15 free after it; the 11:15 slot keeps 11:00-11:15 before it.
    const buffered = { ...tenToEleven, bufferAfterMinutes: 15 };
    const rules = { slotIntervalMinutes: 15, bufferBeforeMinutes: 15 };
    expect(monday(['10:00', '13:00'], rules, { bookings: [buffered] })).toEqual([
      '11:15',
      '11:30',
      '11:45',
      '12:00',
    ]);
  });

  it('lets buffers fall outside working hours', () => {
    const rules = { bufferBeforeMinutes: 30, bufferAfterMinutes: 30 };
    expect(monday(['09:00', '12:00'], rules)).toEqual(['09:00', '10:00', '11:00']);
  });

  it('blocks a slot whose after buffer holds a busy block', () => {
    const blocks = [busy('2024-06-03T12:00:00+02:00', '2024-06-03T12:15:00+02:00')];
    expect(monday(['09:00', '13:00'], { bufferAfterMinutes: 30 }, { busy: blocks })).toEqual([
      '09:00',
      '10:00',
    ]);
  });

  it('blocks a slot whose before buffer holds a busy block outside working hours', () => {
    const blocks = [busy('2024-06-03T08:45:00+02:00', '2024-06-03T09:00:00+02:00')];
    expect(monday(['09:00', '12:00'], { bufferBeforeMinutes: 30 }, { busy: blocks })).toEqual([
      '10:00',
      '11:00',
    ]);
  });

  it('lets a busy block touch a slot without buffers', () => {
    const blocks = [
      busy('2024-06-03T08:00:00+02:00', '2024-06-03T09:00:00+02:00'),
      busy('2024-06-03T10:00:00+02:00', '2024-06-03T10:30:00+02:00'),
    ];
    expect(monday(['09:00', '12:00'], {}, { busy: blocks })).toEqual(['09:00', '11:00']);
  });

  it('ignores bookings and busy blocks of other staff members', () => {
    const other = { staffId: 'staff-2' };
    const extra = {
      bookings: [{ ...tenToEleven, ...other }],
      busy: [busy('2024-06-03T09:00:00+02:00', '2024-06-03T12:00:00+02:00', 'staff-2')],
    };
    expect(monday(['09:00', '12:00'], {}, extra)).toEqual(['09:00', '10:00', '11:00']);
  });
});

describe('computeSlots: notice and horizon', () => {
  const base = {
    ...days(PARIS, '2024-06-03'),
    staff: [staff(PARIS, hours(['mon'], ['09:00', '12:00']))],
  };

  it('offers a slot that starts exactly at the minimum-notice cutoff', () => {
    const now = at('2024-06-03T08:00:00+02:00');
    const q = query({ ...base, now, service: service({ minimumNoticeMinutes: 60 }) });
    expect(clock(computeSlots(q), PARIS)).toEqual(['09:00', '10:00', '11:00']);
  });

  it('drops a slot that starts one minute before the cutoff', () => {
    const now = at('2024-06-03T08:00:00+02:00');
    const q = query({ ...base, now, service: service({ minimumNoticeMinutes: 61 }) });
    expect(clock(computeSlots(q), PARIS)).toEqual(['10:00', '11:00']);
  });

  it('drops slots that already started when there is no notice', () => {
    const q = query({ ...base, now: at('2024-06-03T10:00:00.001+02:00') });
    expect(clock(computeSlots(q), PARIS)).toEqual(['11:00']);
  });

  describe('horizon in the staff member’s zone', () => {
    // 2024-06-03T20:00Z is already Tuesday 2024-06-04 08:00 in Auckland.
    const zone = 'Pacific/Auckland';
    const horizon = (maxAdvanceDays: number) =>
      starts(
        computeSlots(
          query({
            now: at('2024-06-03T20:00:00Z'),
            ...days(zone, '2024-06-01', '2024-06-10'),
            service: service({ maxAdvanceDays }),
            staff: [staff(zone, hours(EVERY_DAY, ['09:00', '10:00']))],
          }),
        ),
        zone,
      );

    it('returns today only when maxAdvanceDays is 0', () => {
      expect(horizon(0)).toEqual(['2024-06-04T09:00:00+12:00']);
    });

    it('returns up to today + maxAdvanceDays, inclusive', () => {
      expect(horizon(2)).toEqual([
        '2024-06-04T09:00:00+12:00',
        '2024-06-05T09:00:00+12:00',
        '2024-06-06T09:00:00+12:00',
      ]);
    });
  });

  it('returns nothing when the query range is empty or reversed', () => {
    const q = query({ ...base, now: at('2024-06-01T00:00:00Z') });
    expect(computeSlots({ ...q, to: q.from })).toEqual([]);
    expect(computeSlots({ ...q, from: q.to, to: q.from })).toEqual([]);
  });

  it('lists starts in [from, to) only', () => {
    const q = query({
      ...base,
      now: at('2024-06-01T00:00:00Z'),
      from: at('2024-06-03T10:00:00+02:00'),
      to: at('2024-06-03T11:00:00+02:00'),
    });
    expect(clock(computeSlots(q), PARIS)).toEqual(['10:00']);
  });
});

describe('computeSlots: several staff members', () => {
  it('sorts by start, then staffId, across zones', () => {
    // 09:00 London (BST) = 04:00 New York (EDT) = 08:00Z; Kolkata 13:00 = 07:30Z.
    const london = hours(['mon'], ['09:00', '11:00']);
    const q = query({
      now: at('2024-06-01T00:00:00Z'),
      from: at('2024-06-03T00:00:00Z'),
      to: at('2024-06-04T00:00:00Z'),
      staff: [
        staff('America/New_York', hours(['mon'], ['04:00', '06:00']), { staffId: 'carol' }),
        staff('Europe/London', london, { staffId: 'bob' }),
        staff('Asia/Kolkata', hours(['mon'], ['13:00', '15:00']), { staffId: 'dave' }),
        staff('Europe/London', london, { staffId: 'alice' }),
      ],
    });
    const slots = computeSlots(q);
    expect(slots.map((slot) => `${utcStarts([slot])[0]} ${slot.staffId}`)).toEqual([
      '2024-06-03T07:30:00.000Z dave',
      '2024-06-03T08:00:00.000Z alice',
      '2024-06-03T08:00:00.000Z bob',
      '2024-06-03T08:00:00.000Z carol',
      '2024-06-03T08:30:00.000Z dave',
      '2024-06-03T09:00:00.000Z alice',
      '2024-06-03T09:00:00.000Z bob',
      '2024-06-03T09:00:00.000Z carol',
    ]);
  });
});

describe('computeSlots: input a schema should have rejected', () => {
  const base = query({
    now: at('2024-06-01T00:00:00Z'),
    ...days(PARIS, '2024-06-03'),
    staff: [staff(PARIS, hours(['mon'], ['09:00', '12:00']))],
  });

  it('throws a RangeError for a zone that is not an IANA name', () => {
    expect(() => computeSlots({ ...base, staff: [staff('+02:00', {})] })).toThrow(
      'Time zone of staff staff-1 "+02:00" is not an IANA time zone name such as Europe/London.',
    );
  });

  it('throws a RangeError for 24:00 as a start', () => {
    const schedule = staff(PARIS, hours(['mon'], ['24:00', '02:00']));
    expect(() => computeSlots({ ...base, staff: [schedule] })).toThrow(RangeError);
  });

  it('throws a RangeError for a zero slot step, which would never advance', () => {
    expect(() => computeSlots({ ...base, service: service({ slotIntervalMinutes: 0 }) })).toThrow(
      'Service slotIntervalMinutes must be an integer of at least 1, not 0.',
    );
  });
});
