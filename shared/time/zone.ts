/**
 * IANA time zones: validation, offsets and formatting. Offsets come from Luxon's IANAZone (the
 * runtime's Intl data), never from the process time zone.
 */
import { IANAZone } from 'luxon';

import { MINUTE_MS, pad } from './local-date.js';

// Area/Location names as in the tz database (`America/Argentina/Buenos_Aires`, `Etc/GMT+5`,
// `UTC`). Requiring a leading letter rules out offset strings such as `+05:00`, which newer
// Intl versions accept as zones but which have no DST rules and so are not business zones.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

// Luxon checks a zone by building an Intl.DateTimeFormat, about 0.2 ms a time. The answer for a
// name never changes within a process, so it is remembered; the cap bounds what junk input costs.
const MAX_REMEMBERED_ZONES = 1000;
const zoneValidity = new Map<string, boolean>();

/**
 * Whether `zone` is an IANA tz database name the runtime knows (`Europe/London`, `UTC`,
 * `Etc/GMT+5`). Rejects '', Luxon's keywords (`local`, `system`) and fixed offsets such as
 * `+05:00` or `UTC+5`. Matching is case-insensitive, as in ECMA-402 and the tz database.
 */
export function isValidTimeZone(zone: string): boolean {
  const known = zoneValidity.get(zone);
  if (known !== undefined) return known;
  const valid = ZONE_NAME.test(zone) && IANAZone.isValidZone(zone);
  if (zoneValidity.size >= MAX_REMEMBERED_ZONES) zoneValidity.clear();
  zoneValidity.set(zone, valid);
  return valid;
}

/** Throws a RangeError naming `what` when `zone` is not a valid IANA zone name. */
export function assertValidTimeZone(zone: string, what = 'Time zone'): void {
  if (!isValidTimeZone(zone)) {
    throw new RangeError(`${what} "${zone}" is not an IANA time zone name such as Europe/London.`);
  }
}

/**
 * UTC offset of `zone` at `instant`, in milliseconds (positive east of Greenwich). Goes through
 * Intl and costs microseconds per call: for many instants use ZoneOffsets instead.
 */
export function offsetMsAt(zone: string, instant: number): number {
  assertValidTimeZone(zone);
  return Math.round(IANAZone.create(zone).offset(instant) * MINUTE_MS);
}

/**
 * ISO-8601 text of `instant` in `zone` with the zone's offset and whole seconds, e.g.
 * `2023-11-06T09:00:00-05:00`; UTC is written `+00:00`. Milliseconds are truncated.
 */
export function formatInZone(instant: number, zone: string): string {
  if (!Number.isFinite(instant)) throw new RangeError(`Instant ${instant} is not a finite number.`);
  return formatWithOffset(instant, offsetMsAt(zone, Math.floor(instant / 1000) * 1000), zone);
}

/** `formatInZone` with the offset already known (from a ZoneOffsets table, say). */
export function formatWithOffset(instant: number, offsetMs: number, zone: string): string {
  const second = Math.floor(instant / 1000) * 1000;

  // Pre-1900 local mean time offsets have seconds, which ISO-8601 offsets cannot carry; rounding
  // the offset and deriving the wall time from it keeps the text equal to the instant.
  const offsetMinutes = Math.round(offsetMs / MINUTE_MS);
  const wall = new Date(second + offsetMinutes * MINUTE_MS);
  const year = wall.getUTCFullYear();
  if (year < 0 || year > 9999) {
    throw new RangeError(`Instant ${instant} falls outside the years 0000-9999 in ${zone}.`);
  }

  const date = `${pad(year, 4)}-${pad(wall.getUTCMonth() + 1, 2)}-${pad(wall.getUTCDate(), 2)}`;
  const hms = [wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds()];
  const time = hms.map((part) => pad(part, 2)).join(':');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${date}T${time}${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}
