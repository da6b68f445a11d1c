/**
 * Dates and times for every page, with the browser's own Intl only (no date library: it would
 * outweigh the apps). A calendar date is a `YYYY-MM-DD` string; its arithmetic is done on UTC
 * midnights, where every day has 24 hours and no zone can shift a day, and only turned into
 * wall-clock text for a zone when shown.
 */
export const DAY_MS = 86_400_000;

/** The UTC midnight of a calendar date; an impossible one (`2024-02-30`) rolls over. */
export function utcOf(date: string): number {
  return Date.UTC(
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)) - 1,
    Number(date.slice(8, 10)),
  );
}

export function dateOfUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return dateOfUtc(utcOf(date) + days * DAY_MS);
}

/** 0 for Monday through 6 for Sunday: weeks start on Monday on every page. */
export function weekdayOf(date: string): number {
  return (new Date(utcOf(date)).getUTCDay() + 6) % 7;
}

/** The calendar date an instant falls on in a zone. */
export function dateIn(instant: number, zone: string): string {
  const parts = formatter(
    zone,
    { year: 'numeric', month: '2-digit', day: '2-digit' },
    'en-US',
  ).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** A formatter for the reader's locale (or `locale`), made once: pages format many times. */
export function formatter(
  zone: string,
  options: Intl.DateTimeFormatOptions,
  locale?: string,
): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${zone}|${JSON.stringify(options)}`;
  let formatter = formats.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { timeZone: zone, ...options });
    formats.set(key, formatter);
  }
  return formatter;
}

/** A calendar date formatted in UTC (where its midnight lies), for names of days and months. */
export function formatPlainDate(date: string, options: Intl.DateTimeFormatOptions): string {
  return formatter('UTC', options).format(utcOf(date));
}

/**
 * `14:30` (or `2:30 pm`, as the reader's locale writes times) in the zone, of an epoch
 * millisecond or of an ISO instant with an offset as the API writes it.
 */
export function formatTime(instant: number | string, zone: string): string {
  const at = typeof instant === 'string' ? Date.parse(instant) : instant;
  return formatter(zone, { hour: '2-digit', minute: '2-digit' }).format(at);
}

/** A calendar date as `Tuesday 8 January 2030` in the reader's locale. */
export function formatLongDate(date: string): string {
  return formatPlainDate(date, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

/** `Monday` … `Sunday` (or `Mon` … `Sun`) in the reader's locale, for index 0 (Monday) to 6. */
export function weekdayName(index: number, width: 'long' | 'short' = 'long'): string {
  // 2024-01-01 was a Monday.
  return formatter('UTC', { weekday: width }).format(Date.UTC(2024, 0, 1 + index));
}
