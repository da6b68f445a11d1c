/**
 * Local dates and date-times in a zone, turned into instants with the DST rules of the product:
 * a wall-clock time in a spring-forward gap does not exist; one in an autumn overlap exists twice.
 */
import { DAY_MS, MINUTE_MS, tryParseEpochDay } from './local-date.js';
import { ZoneOffsets } from './zone-offsets.js';

export type LocalDateTimeResolution =
  | { kind: 'ok'; instant: number }
  | { kind: 'gap' }
  | { kind: 'ambiguous'; instants: [number, number] };

const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/**
 * The instants at which the clock in `zone` reads `local` (`YYYY-MM-DDTHH:mm[:ss]`, no offset):
 * `ok` with one instant, `gap` when the time is skipped by a spring-forward change (reject it),
 * `ambiguous` with both instants, earlier first, when an autumn change repeats it.
 * Throws a RangeError for malformed text, an impossible date or an invalid zone.
 */
export function resolveLocalDateTime(local: string, zone: string): LocalDateTimeResolution {
  const wall = parseLocalDateTime(local);
  const instants = ZoneOffsets.forWalls(zone, wall, wall).instantsAt(wall);
  const [first, second] = instants;
  if (first === undefined) return { kind: 'gap' };
  if (second === undefined) return { kind: 'ok', instant: first };
  return { kind: 'ambiguous', instants: [first, second] };
}

/**
 * Instants bounding the local dates [startDate, endDate) in `zone` (end exclusive): `from` is
 * the first instant of startDate, `to` the first instant of endDate. A date's first instant is
 * its midnight, or the first instant after the gap when a DST change skips midnight (Santiago,
 * Beirut), or the earlier midnight when a change repeats it.
 * Throws a RangeError for an invalid date or zone, or when endDate is before startDate.
 */
export function localDateRangeToInstants(
  startDate: string,
  endDate: string,
  zone: string,
): { from: number; to: number } {
  const startDay = tryParseEpochDay(startDate);
  const endDay = tryParseEpochDay(endDate);
  if (startDay === undefined || endDay === undefined) {
    throw new RangeError(`Date range ${startDate}..${endDate} must use real YYYY-MM-DD dates.`);
  }
  if (endDay < startDay) {
    throw new RangeError(`Date range end ${endDate} is before its start ${startDate}.`);
  }

  return { from: firstInstantOfDay(startDay, zone), to: firstInstantOfDay(endDay, zone) };
}

function firstInstantOfDay(epochDay: number, zone: string): number {
  const midnight = epochDay * DAY_MS;
  return ZoneOffsets.forWalls(zone, midnight, midnight).firstInstantAt(midnight);
}

function parseLocalDateTime(local: string): number {
  const match = LOCAL_DATE_TIME.exec(local);
  const day = match?.[1] === undefined ? undefined : tryParseEpochDay(match[1]);
  if (!match || day === undefined) {
    throw new RangeError(`Local date-time "${local}" must be a real YYYY-MM-DDTHH:mm[:ss] time.`);
  }
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return day * DAY_MS + minutes * MINUTE_MS + Number(match[4] ?? 0) * 1000;
}
