import type {
  BookedInterval,
  BusyBlock,
  ServiceRules,
  Slot,
  SlotQuery,
  StaffSchedule,
  WeeklyHours,
} from '../../../shared/availability/engine.js';
import { addDays, formatInZone, localDateRangeToInstants } from '../../../shared/time/zones.js';

/** An instant from ISO text that carries its offset, so the process TZ never matters. */
export function at(iso: string): number {
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(iso)) throw new Error(`fixture instant ${iso} needs an offset`);
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) throw new Error(`fixture instant ${iso} does not parse`);
  return instant;
}

export function service(overrides: Partial<ServiceRules> = {}): ServiceRules {
  return {
    serviceId: 'svc-cut',
    durationMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    maxAdvanceDays: 365,
    slotIntervalMinutes: 60,
    capacity: 1,
    ...overrides,
  };
}

export function staff(
  timeZone: string,
  weeklyHours: WeeklyHours,
  extra: Partial<StaffSchedule> = {},
): StaffSchedule {
  return { staffId: 'staff-1', timeZone, weeklyHours, overrides: [], ...extra };
}

/** The same hours on the given days. */
export function hours(
  days: (keyof WeeklyHours)[],
  ...intervals: [start: string, end: string][]
): WeeklyHours {
  const weekly: WeeklyHours = {};
  for (const day of days) weekly[day] = intervals.map(([start, end]) => ({ start, end }));
  return weekly;
}

export const MON_FRI: (keyof WeeklyHours)[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
export const EVERY_DAY: (keyof WeeklyHours)[] = [...MON_FRI, 'sat', 'sun'];

/** Local dates [startDate, endDate) in `zone`; endDate defaults to the day after startDate. */
export function days(
  zone: string,
  startDate: string,
  endDate = addDays(startDate, 1),
): { from: number; to: number } {
  return localDateRangeToInstants(startDate, endDate, zone);
}

export function query(
  parts: Pick<SlotQuery, 'now' | 'from' | 'to'> & Partial<SlotQuery>,
): SlotQuery {
  return { service: service(), staff: [], bookings: [], busy: [], ...parts };
}

export function booking(
  start: string,
  end: string,
  extra: Partial<BookedInterval> = {},
): BookedInterval {
  return {
    staffId: 'staff-1',
    serviceId: 'svc-cut',
    start: at(start),
    end: at(end),
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    ...extra,
  };
}

export function busy(start: string, end: string, staffId = 'staff-1'): BusyBlock {
  return { staffId, start: at(start), end: at(end) };
}

/** Slot starts as ISO text with the zone's offset. */
export function starts(slots: Slot[], zone: string): string[] {
  return slots.map((slot) => formatInZone(slot.start, zone));
}

/** Slot starts as UTC ISO text. */
export function utcStarts(slots: Slot[]): string[] {
  return slots.map((slot) => new Date(slot.start).toISOString());
}

/** Local `HH:mm` of each slot start, for rules tests on one ordinary day. */
export function clock(slots: Slot[], zone: string): string[] {
  return starts(slots, zone).map((text) => text.slice(11, 16));
}

/** `HH:00` from the first hour to the last, inclusive, with the given date and offset. */
export function hourly(date: string, first: number, last: number, offset: string): string[] {
  const result: string[] = [];
  for (let hour = first; hour <= last; hour += 1) {
    result.push(`${date}T${String(hour).padStart(2, '0')}:00:00${offset}`);
  }
  return result;
}
