/**
 * The booking pages' own dates and times: the visitor's zone, months for the calendar, and spans
 * of a booking. A month is a `YYYY-MM` string; the rest is in `common/time.ts`.
 */
import {
  dateIn,
  DAY_MS,
  formatLongDate,
  formatPlainDate,
  formatTime,
  utcOf,
  weekdayName,
} from '../common/time.js';
import { modernZone } from '../common/zones.js';

/** The visitor's zone as the browser reports it, by its current name; UTC when it reports none. */
export function detectZone(): string {
  try {
    return modernZone(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  } catch {
    return 'UTC';
  }
}

/**
 * Every zone the browser knows by its current name, plus the given ones (the browser's list may
 * lack UTC).
 */
export function listZones(extra: string[]): string[] {
  const known =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...known, 'UTC', ...extra].map(modernZone))].sort();
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

export function addMonths(month: string, months: number): string {
  const [year, index] = month.split('-').map(Number) as [number, number];
  const total = year * 12 + (index - 1) + months;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

export function firstOfMonth(month: string): string {
  return `${month}-01`;
}

export function daysInMonth(month: string): number {
  return Math.round(
    (utcOf(firstOfMonth(addMonths(month, 1))) - utcOf(firstOfMonth(month))) / DAY_MS,
  );
}

export function formatMonth(month: string): string {
  return formatPlainDate(firstOfMonth(month), { month: 'long', year: 'numeric' });
}

/** Short and long names of Monday..Sunday, for the calendar's column headers. */
export function weekdayNames(): { short: string; long: string }[] {
  return Array.from({ length: 7 }, (_, index) => ({
    short: weekdayName(index, 'short'),
    long: weekdayName(index),
  }));
}

/**
 * "Tuesday 8 January 2030, 04:00–05:00" in a zone; a span that runs past midnight names both
 * days, "Friday 4 December 2026, 23:45 – Saturday 5 December 2026, 00:15", or the end would read
 * as earlier than the start.
 */
export function formatSpan(start: number, end: number, zone: string): string {
  const startDate = dateIn(start, zone);
  const from = `${formatLongDate(startDate)}, ${formatTime(start, zone)}`;
  // One millisecond back, so a span ending at midnight itself ("23:00–00:00") keeps one day.
  if (dateIn(end - 1, zone) === startDate) return `${from}–${formatTime(end, zone)}`;
  return `${from} – ${formatLongDate(dateIn(end, zone))}, ${formatTime(end, zone)}`;
}

export function formatMinutes(minutes: number): string {
  return new Intl.NumberFormat(undefined, {
    style: 'unit',
    unit: 'minute',
    unitDisplay: 'long',
  }).format(minutes);
}
