/**
 * Inputs and outputs of the availability engine. Everything here is plain data: instants are
 * epoch milliseconds (UTC), rules are wall-clock times in an IANA zone. The engine never reads
 * the clock or the process time zone; callers pass `now` and zones explicitly.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A working interval in wall-clock time, `HH:mm` (24 h). `end` may be `24:00` (end of the day).
 * An interval whose end is not after its start runs past midnight into the next day
 * (`22:00`–`02:00`; `09:00`–`09:00` is a full 24 hours).
 */
export interface WallInterval {
  start: string;
  end: string;
}

export type WeeklyHours = Partial<Record<Weekday, WallInterval[]>>;

/**
 * Decides all working time of one local date, from its midnight to the next: it replaces that
 * weekday's hours, and a shift of the date before that runs past midnight stops at this date's
 * midnight. An empty list is a day off. Its own intervals may run past midnight into the next
 * date, unless that date has an override too.
 */
export interface DateOverride {
  date: string; // YYYY-MM-DD, in the staff member's zone
  intervals: WallInterval[];
}

export interface StaffSchedule {
  staffId: string;
  timeZone: string; // IANA
  weeklyHours: WeeklyHours;
  overrides: DateOverride[];
}

export interface ServiceRules {
  serviceId: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** Earliest bookable start is `now + minimumNoticeMinutes`; a slot exactly there is bookable. */
  minimumNoticeMinutes: number;
  /** Last bookable local date is today + maxAdvanceDays, in the staff member's zone. */
  maxAdvanceDays: number;
  /** Step between candidate starts, in wall-clock minutes from the start of each interval. */
  slotIntervalMinutes: number;
  /** 1 = one customer per slot; more = a group session sharing one start time. */
  capacity: number;
}

/** An existing (active) booking of a staff member, with the buffers it keeps free around it. */
export interface BookedInterval {
  staffId: string;
  serviceId: string;
  start: number;
  end: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** Seats this booking takes in a group session (default 1). */
  seats?: number;
}

/** Time blocked by something outside the product (a connected calendar). */
export interface BusyBlock {
  staffId: string;
  start: number;
  end: number;
}

export interface SlotQuery {
  now: number;
  /** Slot starts are listed when `from <= start < to`. */
  from: number;
  to: number;
  service: ServiceRules;
  staff: StaffSchedule[];
  bookings: BookedInterval[];
  busy: BusyBlock[];
}

export interface Slot {
  start: number;
  end: number;
  staffId: string;
  seatsLeft: number;
}
