/**
 * Calendar arithmetic on local dates (`YYYY-MM-DD`) and formatting with Intl, without a date
 * library: a plain date is computed in UTC, where every day has 24 hours, and only turned into
 * wall-clock text for the business's zone.
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const DAY_MS = 86_400_000;

function toUtc(date: string): number {
  return Date.UTC(
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)) - 1,
    Number(date.slice(8, 10)),
  );
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

/** Monday of the week `date` is in. */
export function startOfWeek(date: string): string {
  const weekday = (new Date(toUtc(date)).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[(new Date(toUtc(date)).getUTCDay() + 6) % 7]!;
}

export function isLocalDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && fromUtc(toUtc(text)) === text;
}

/** Today's date in `zone`. */
export function todayIn(zone: string, at = Date.now()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The local date of an ISO instant with an offset, as the server writes it in the zone asked. */
export function dateOfIso(iso: string): string {
  return iso.slice(0, 10);
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${zone}|${JSON.stringify(options)}`;
  let formatter = formats.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(undefined, { timeZone: zone, ...options });
    formats.set(key, formatter);
  }
  return formatter;
}

/** `14:30` (or `2:30 pm`, as the reader's locale writes times) in the zone. */
export function formatTime(iso: string, zone: string): string {
  return format(zone, { hour: '2-digit', minute: '2-digit' }).format(Date.parse(iso));
}

/** A plain date as `Monday 3 June 2024` in the reader's locale. */
export function formatLongDate(date: string): string {
  return format('UTC', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(toUtc(date));
}

/** A plain date as `Mon 3 Jun`. */
export function formatShortDate(date: string): string {
  return format('UTC', { weekday: 'short', day: 'numeric', month: 'short' }).format(toUtc(date));
}

/** The span of a week as `3 – 9 June 2024`. */
export function formatRange(from: string, toInclusive: string): string {
  return format('UTC', { day: 'numeric', month: 'long', year: 'numeric' }).formatRange(
    toUtc(from),
    toUtc(toInclusive),
  );
}

/** `Monday` … `Sunday` in the reader's locale, for weekday index 0 (Monday) to 6. */
export function weekdayName(index: number): string {
  // 2024-01-01 was a Monday.
  return format('UTC', { weekday: 'long' }).format(Date.UTC(2024, 0, 1 + index));
}
