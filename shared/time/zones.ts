/**
 * The public time helpers: IANA zones, local dates and wall-clock times, and the DST rules that
 * turn them into instants. Import from here; the files behind it are details.
 */
export {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  addDays,
  fromEpochDay,
  isValidLocalDate,
  isoWeekday,
  toEpochDay,
  tryParseEpochDay,
} from './local-date.js';
export type { LocalDateTimeResolution } from './local-date-time.js';
export { localDateRangeToInstants, resolveLocalDateTime } from './local-date-time.js';
export { END_OF_DAY_MINUTES, parseWallTime } from './wall-time.js';
export { assertValidTimeZone, formatInZone, isValidTimeZone, offsetMsAt } from './zone.js';
export { ZoneOffsets } from './zone-offsets.js';
export { currentZoneName } from './zone-names.js';
