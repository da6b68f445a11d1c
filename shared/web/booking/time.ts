/**
 * Dates and times for the booking pages, with the browser's own Intl only (no date library: it
 * would outweigh the whole app). A calendar date is a `YYYY-MM-DD` string and a month `YYYY-MM`;
 * their arithmetic is done on UTC midnights, where no zone can shift a day.
 */
const DAY = 86_400_000;

/** The visitor's zone as the browser reports it; UTC when it reports none. */
export function detectZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Every zone the browser knows, plus the given ones (the browser's list may lack UTC). */
export function listZones(extra: string[]): string[] {
  const known =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...known, 'UTC', ...extra])].sort();
}

function utcOf(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

function dateOfUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return dateOfUtc(utcOf(date) + days * DAY);
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
  return Math.round((utcOf(firstOfMonth(addMonths(month, 1))) - utcOf(firstOfMonth(month))) / DAY);
}

/** 0 for Monday through 6 for Sunday: the calendar's weeks start on Monday. */
export function weekdayOf(date: string): number {
  return (new Date(utcOf(date)).getUTCDay() + 6) % 7;
}

/** The calendar date an instant falls on in a zone. */
export function dateIn(instant: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** "Tuesday 8 January 2030" in the visitor's language. */
export function formatDate(date: string): string {
  return new Intl.DateTimeFormat(undefined, {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(utcOf(date));
}

export function formatMonth(month: string): string {
  return new Intl.DateTimeFormat(undefined, {
    timeZone: 'UTC',
    month: 'long',
    year: 'numeric',
  }).format(utcOf(firstOfMonth(month)));
}

/** Short and long names of Monday..Sunday, for the calendar's column headers. */
export function weekdayNames(): { short: string; long: string }[] {
  const monday = utcOf('2024-01-01');
  return Array.from({ length: 7 }, (_, index) => {
    const day = monday + index * DAY;
    const name = (weekday: 'short' | 'long') =>
      new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', weekday }).format(day);
    return { short: name('short'), long: name('long') };
  });
}

export function formatTime(instant: number, zone: string): string {
  return new Intl.DateTimeFormat(undefined, {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
  }).format(instant);
}

/** "Tuesday 8 January 2030, 04:00–05:00" in a zone. */
export function formatSpan(start: number, end: number, zone: string): string {
  return `${formatDate(dateIn(start, zone))}, ${formatTime(start, zone)}–${formatTime(end, zone)}`;
}

export function formatMinutes(minutes: number): string {
  return new Intl.NumberFormat(undefined, {
    style: 'unit',
    unit: 'minute',
    unitDisplay: 'long',
  }).format(minutes);
}
