import { describe, expect, it } from 'vitest';

import {
  ZoneOffsets,
  addDays,
  formatInZone,
  isValidLocalDate,
  isValidTimeZone,
  localDateRangeToInstants,
  parseWallTime,
  resolveLocalDateTime,
} from '../../../shared/time/zones.js';
import { at } from './fixtures.js';

describe('isValidTimeZone', () => {
  it.each(['America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC', 'Etc/GMT+5'])(
    'returns true for the IANA name %s',
    (zone) => {
      expect(isValidTimeZone(zone)).toBe(true);
    },
  );

  it.each(['', 'Local', 'local', 'system', '+05:00', 'UTC+5', 'GMT+05:00', 'Mars/Olympus', ' UTC'])(
    'returns false for %j',
    (zone) => {
      expect(isValidTimeZone(zone)).toBe(false);
    },
  );
});

describe('localDateRangeToInstants', () => {
  it('returns local midnights, end exclusive, for Sydney in summer time', () => {
    expect(localDateRangeToInstants('2024-11-25', '2024-11-26', 'Australia/Sydney')).toEqual({
      from: at('2024-11-24T13:00:00Z'),
      to: at('2024-11-25T13:00:00Z'),
    });
  });

  it('returns a 25-hour day for New York on 2024-11-03', () => {
    expect(localDateRangeToInstants('2024-11-03', '2024-11-04', 'America/New_York')).toEqual({
      from: at('2024-11-03T04:00:00Z'),
      to: at('2024-11-04T05:00:00Z'),
    });
  });

  it('starts at 01:00 when Santiago skips midnight on 2024-09-08', () => {
    const { from } = localDateRangeToInstants('2024-09-08', '2024-09-09', 'America/Santiago');
    expect(from).toBe(at('2024-09-08T04:00:00Z'));
    expect(formatInZone(from, 'America/Santiago')).toBe('2024-09-08T01:00:00-03:00');
  });

  it('starts at 01:00 when Beirut skips midnight on 2024-03-31', () => {
    const { from, to } = localDateRangeToInstants('2024-03-30', '2024-03-31', 'Asia/Beirut');
    expect(to).toBe(at('2024-03-30T22:00:00Z'));
    expect(formatInZone(to, 'Asia/Beirut')).toBe('2024-03-31T01:00:00+03:00');
    expect(from).toBe(at('2024-03-29T22:00:00Z'));
  });

  it('returns an empty range for equal dates', () => {
    const { from, to } = localDateRangeToInstants('2024-06-03', '2024-06-03', 'UTC');
    expect(to - from).toBe(0);
  });

  it('throws a RangeError for an end before the start or an impossible date', () => {
    expect(() => localDateRangeToInstants('2024-06-03', '2024-06-02', 'UTC')).toThrow(RangeError);
    expect(() => localDateRangeToInstants('2023-02-29', '2023-03-01', 'UTC')).toThrow(RangeError);
  });
});

describe('resolveLocalDateTime', () => {
  const zone = 'America/New_York';

  it('returns ok with the one instant on an ordinary day', () => {
    expect(resolveLocalDateTime('2024-06-01T12:00', zone)).toEqual({
      kind: 'ok',
      instant: at('2024-06-01T16:00:00Z'),
    });
  });

  it('reads seconds when given', () => {
    expect(resolveLocalDateTime('2024-06-01T12:00:30', zone)).toEqual({
      kind: 'ok',
      instant: at('2024-06-01T16:00:30Z'),
    });
  });

  it('returns gap for 02:30 on 2024-03-10', () => {
    expect(resolveLocalDateTime('2024-03-10T02:30', zone)).toEqual({ kind: 'gap' });
  });

  it('returns ok for 03:00 right after the gap', () => {
    expect(resolveLocalDateTime('2024-03-10T03:00', zone)).toEqual({
      kind: 'ok',
      instant: at('2024-03-10T07:00:00Z'),
    });
  });

  it('returns both instants, earlier first, for 01:30 on 2024-11-03', () => {
    expect(resolveLocalDateTime('2024-11-03T01:30', zone)).toEqual({
      kind: 'ambiguous',
      instants: [at('2024-11-03T05:30:00Z'), at('2024-11-03T06:30:00Z')],
    });
  });

  it('returns both instants of the 30-minute Lord Howe overlap on 2024-04-07', () => {
    expect(resolveLocalDateTime('2024-04-07T01:45', 'Australia/Lord_Howe')).toEqual({
      kind: 'ambiguous',
      instants: [at('2024-04-06T14:45:00Z'), at('2024-04-06T15:15:00Z')],
    });
  });

  it.each(['2024-06-01 12:00', '2024-06-01T24:00', '2024-02-30T10:00', '2024-06-01T12:00Z'])(
    'throws a RangeError for %j',
    (text) => {
      expect(() => resolveLocalDateTime(text, zone)).toThrow(RangeError);
    },
  );

  it('throws a RangeError for a zone that is not an IANA name', () => {
    expect(() => resolveLocalDateTime('2024-06-01T12:00', 'Local')).toThrow(RangeError);
  });
});

describe('formatInZone', () => {
  it('returns the local time with the offset of that date', () => {
    expect(formatInZone(at('2023-11-06T14:00:00Z'), 'America/New_York')).toBe(
      '2023-11-06T09:00:00-05:00',
    );
    expect(formatInZone(at('2023-11-03T13:00:00Z'), 'America/New_York')).toBe(
      '2023-11-03T09:00:00-04:00',
    );
  });

  it('truncates milliseconds', () => {
    expect(formatInZone(at('2024-06-03T03:15:59.999Z'), 'Asia/Kathmandu')).toBe(
      '2024-06-03T09:00:59+05:45',
    );
  });

  it('writes UTC as +00:00 and Chatham summer time as +13:45', () => {
    expect(formatInZone(at('2024-01-15T00:00:00Z'), 'UTC')).toBe('2024-01-15T00:00:00+00:00');
    expect(formatInZone(at('2024-01-15T00:00:00Z'), 'Pacific/Chatham')).toBe(
      '2024-01-15T13:45:00+13:45',
    );
  });

  it('writes negative offsets with minutes, as in St. John’s', () => {
    expect(formatInZone(at('2024-01-15T12:00:00Z'), 'America/St_Johns')).toBe(
      '2024-01-15T08:30:00-03:30',
    );
  });
});

describe('local dates and wall times', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2024-04-31', false],
    ['2024-13-01', false],
    ['2024-1-01', false],
    ['2024-01-01T00:00', false],
  ])('isValidLocalDate(%j) returns %s', (date, valid) => {
    expect(isValidLocalDate(date)).toBe(valid);
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it.each([
    ['00:00', 'start', 0],
    ['09:30', 'start', 570],
    ['23:59', 'end', 1439],
    ['24:00', 'end', 1440],
    ['24:00', 'start', undefined],
    ['24:01', 'end', undefined],
    ['9:00', 'start', undefined],
    ['12:60', 'start', undefined],
    ['12:00:00', 'start', undefined],
  ] as const)('parseWallTime(%j, %s) returns %s', (text, role, minutes) => {
    expect(parseWallTime(text, role)).toBe(minutes);
  });
});

describe('ZoneOffsets', () => {
  const zone = 'America/New_York';

  it('answers outside its span with the same offsets as inside', () => {
    const narrow = ZoneOffsets.build(zone, at('2024-06-01T00:00:00Z'), at('2024-06-02T00:00:00Z'));
    const wide = ZoneOffsets.build(zone, at('2024-01-01T00:00:00Z'), at('2024-12-31T00:00:00Z'));
    const wall = Date.UTC(2024, 10, 3, 1, 30);
    expect(narrow.instantsAt(wall)).toEqual(wide.instantsAt(wall));
    expect(narrow.offsetAt(at('2024-12-01T00:00:00Z'))).toBe(-5 * 3_600_000);
    expect(wide.instantsAt(wall)).toEqual([at('2024-11-03T05:30:00Z'), at('2024-11-03T06:30:00Z')]);
  });

  it('finds the transition to the second', () => {
    const table = ZoneOffsets.build(zone, at('2024-03-01T00:00:00Z'), at('2024-03-20T00:00:00Z'));
    expect(table.offsetAt(at('2024-03-10T06:59:59Z'))).toBe(-5 * 3_600_000);
    expect(table.offsetAt(at('2024-03-10T07:00:00Z'))).toBe(-4 * 3_600_000);
    expect(table.firstInstantAt(Date.UTC(2024, 2, 10, 2, 15))).toBe(at('2024-03-10T07:00:00Z'));
  });

  it('finds a transition that is not on a whole minute (Monrovia, 1972)', () => {
    const table = ZoneOffsets.build(
      'Africa/Monrovia',
      at('1972-01-01T00:00:00Z'),
      at('1972-01-10T00:00:00Z'),
    );
    expect(table.offsetAt(at('1972-01-07T00:44:29Z'))).toBe(-(44 * 60 + 30) * 1000);
    expect(table.offsetAt(at('1972-01-07T00:44:30Z'))).toBe(0);
  });
});
