/**
 * The console's own dates: weekdays as the API names them, weeks, and dates typed into forms.
 * The arithmetic and formatting every page shares is in `common/time.ts`.
 */
import {
  addDays,
  dateIn,
  dateOfUtc,
  formatLongDate,
  formatPlainDate,
  formatTime,
  formatter,
  utcOf,
  weekdayOf,
} from '../common/time';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Monday of the week `date` is in. */
export function startOfWeek(date: string): string {
  return addDays(date, -weekdayOf(date));
}

export function isLocalDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && dateOfUtc(utcOf(text)) === text;
}

/** Today's date in `zone`. */
export function todayIn(zone: string, at = Date.now()): string {
  return dateIn(at, zone);
}

/** The local date of an ISO instant with an offset, as the server writes it in the zone asked. */
export function dateOfIso(iso: string): string {
  return iso.slice(0, 10);
}

/** A plain date as `Mon 3 Jun`. */
export function formatShortDate(date: string): string {
  return formatPlainDate(date, { weekday: 'short', day: 'numeric', month: 'short' });
}

/** The span of a week as `3 – 9 June 2024`. */
export function formatRange(from: string, toInclusive: string): string {
  return formatter('UTC', { day: 'numeric', month: 'long', year: 'numeric' }).formatRange(
    utcOf(from),
    utcOf(toInclusive),
  );
}

/**
 * A booking's times for a card: `10:00–11:00`, or with both dates when it ends on a later day
 * (`Fri 4 Dec, 23:45 – Sat 5 Dec, 00:15`), so a late booking never seems to end before it starts.
 */
export function formatBookingTimes(start: string, end: string, zone: string): string {
  if (dateOfIso(start) === dateOfIso(end)) {
    return `${formatTime(start, zone)}–${formatTime(end, zone)}`;
  }
  return `${formatShortDate(dateOfIso(start))}, ${formatTime(start, zone)} – ${formatShortDate(dateOfIso(end))}, ${formatTime(end, zone)}`;
}

/** A booking's date and times in full, as the booking dialog states them; see above. */
export function formatBookingWhen(start: string, end: string, zone: string): string {
  const first = formatLongDate(dateOfIso(start));
  if (dateOfIso(start) === dateOfIso(end)) {
    return `${first}, ${formatTime(start, zone)}–${formatTime(end, zone)}`;
  }
  return `${first}, ${formatTime(start, zone)} – ${formatLongDate(dateOfIso(end))}, ${formatTime(end, zone)}`;
}
