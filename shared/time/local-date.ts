/**
 * Local calendar dates (`YYYY-MM-DD`, no zone) and the epoch-day numbers the availability engine
 * does its date arithmetic in. Everything here is proleptic Gregorian and independent of the
 * process time zone: dates are turned into numbers with `Date.UTC`, never with local getters.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `date` is a real `YYYY-MM-DD` calendar date (`2024-02-29` yes, `2023-02-29` no). */
export function isValidLocalDate(date: string): boolean {
  return tryParseEpochDay(date) !== undefined;
}

/** Days since 1970-01-01 for a local date, or undefined when it is not a real `YYYY-MM-DD` date. */
export function tryParseEpochDay(date: string): number | undefined {
  const match = LOCAL_DATE.exec(date);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;

  // Date.UTC rolls 2023-02-29 over to March 1st; a round trip catches that.
  const ms = utcMs(year, month, day);
  const check = new Date(ms);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return Math.round(ms / DAY_MS);
}

/** Days since 1970-01-01 for a local date; throws a RangeError when it is not a real date. */
export function toEpochDay(date: string): number {
  const day = tryParseEpochDay(date);
  if (day === undefined) {
    throw new RangeError(`Local date "${date}" is not a real calendar date in YYYY-MM-DD form.`);
  }
  return day;
}

/** The `YYYY-MM-DD` local date of an epoch-day number. */
export function fromEpochDay(epochDay: number): string {
  const d = new Date(epochDay * DAY_MS);
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) {
    throw new RangeError(`Epoch day ${epochDay} falls outside the years 0000-9999.`);
  }
  return `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** Adds whole calendar days to a local date (`addDays('2024-02-28', 1) === '2024-02-29'`). */
export function addDays(date: string, days: number): string {
  return fromEpochDay(toEpochDay(date) + days);
}

/** ISO weekday of an epoch day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(epochDay: number): number {
  // 1970-01-01 was a Thursday (ISO 4); the double modulo keeps days before 1970 positive.
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

export function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function utcMs(year: number, month: number, day: number): number {
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const d = new Date(Date.UTC(2000, month - 1, day));
  d.setUTCFullYear(year);
  return d.getTime();
}
