/**
 * The availability engine: which slots a service can be booked in, per staff member.
 * Pure: `now` and every zone come in through the query; no clock, no process time zone, no I/O.
 */
import { DAY_MS, MINUTE_MS } from '../time/local-date.js';
import { assertValidTimeZone, offsetMsAt } from '../time/zone.js';
import { ZoneOffsets } from '../time/zone-offsets.js';
import type { Block } from './blocked-time.js';
import { BlockSweep, NO_SESSION, bookingBlock, busyBlock } from './blocked-time.js';
import type {
  BookedInterval,
  BusyBlock,
  ServiceRules,
  Slot,
  SlotQuery,
  StaffSchedule,
} from './types.js';
import type { WorkingInterval } from './working-intervals.js';
import { parseSchedule, workingIntervals } from './working-intervals.js';

/**
 * Bookable slots for `query.service` with the given staff, sorted by start, then staffId.
 *
 * - Working time comes from each staff member's weekly hours, or a date override, per local
 *   date in the staff member's zone. Intervals of one date that touch or overlap merge; a slot
 *   may also run on into working time of the next date (a shift past midnight). A date with an
 *   override has no working time but the override's: the date before's shift stops at its
 *   midnight.
 * - Candidate starts are wall-clock times interval start + k × slotIntervalMinutes. A time in a
 *   spring-forward gap is skipped; one in an autumn overlap is a candidate at both instants. A
 *   slot lasts durationMinutes of real time and must lie within working time.
 * - A start exactly at now + minimumNoticeMinutes is bookable; the start's local date may be at
 *   most maxAdvanceDays after today's local date. Starts are listed when from <= start < to.
 * - No booking may fall inside a candidate's buffers, and the candidate may not fall inside a
 *   booking's buffers; buffers may overlap each other and may lie outside working hours. Busy
 *   blocks may not meet the candidate or its buffers.
 * - With capacity > 1, bookings of this service and staff member at one start form a session:
 *   they do not block that start, which is listed with the seats left (not at all when full).
 *
 * `query.bookings` must hold only active bookings. Throws a RangeError for input a schema
 * should have rejected (bad zone, bad wall time, non-positive duration or step).
 */
export function computeSlots(query: SlotQuery): Slot[] {
  assertValidQuery(query);
  const bookingsByStaff = groupByStaff(query.bookings);
  const busyByStaff = groupByStaff(query.busy);

  const slots: Slot[] = [];
  for (const staff of query.staff) {
    const bookings = bookingsByStaff.get(staff.staffId) ?? [];
    const busy = busyByStaff.get(staff.staffId) ?? [];
    for (const slot of staffSlots(query, staff, bookings, busy)) slots.push(slot);
  }
  return slots.sort(compareSlots);
}

function staffSlots(
  query: SlotQuery,
  staff: StaffSchedule,
  bookings: BookedInterval[],
  busy: BusyBlock[],
): Slot[] {
  const { service } = query;
  assertValidTimeZone(staff.timeZone, `Time zone of staff ${staff.staffId}`);
  const schedule = parseSchedule(staff);
  const durationMs = service.durationMinutes * MINUTE_MS;

  // The horizon bounds the work as well as the result: nothing past it is ever generated.
  const zone = staff.timeZone;
  const lastDay = epochDayOf(query.now + offsetMsAt(zone, query.now)) + service.maxAdvanceDays;
  const lo = Math.max(query.from, query.now + service.minimumNoticeMinutes * MINUTE_MS);
  const hi = Math.min(query.to, (lastDay + 3) * DAY_MS);
  if (lo >= hi) return [];

  // Candidates can come from the date before lo's (a night shift) up to the date after hi's (an
  // autumn overlap at midnight); a slot may run on into working time of later dates.
  const firstDay = epochDayOf(lo + offsetMsAt(zone, lo)) - 1;
  const lastCandidateDay = epochDayOf(hi + offsetMsAt(zone, hi)) + 1;
  const lastDayNeeded = lastCandidateDay + Math.ceil(service.durationMinutes / (24 * 60)) + 1;
  // An interval of the last date needed may end two days after that date's midnight.
  const offsets = ZoneOffsets.forWalls(zone, firstDay * DAY_MS, (lastDayNeeded + 2) * DAY_MS);
  const intervals = workingIntervals(schedule, offsets, firstDay, lastDayNeeded);

  const candidates = candidateStarts(
    intervals.filter((interval) => interval.wallStart < (lastCandidateDay + 1) * DAY_MS),
    offsets,
    service.slotIntervalMinutes * MINUTE_MS,
    { lo, hi, lastWall: (lastDay + 1) * DAY_MS },
  );
  const working = mergeInstants(intervals);
  const sweep = new BlockSweep(relevantBlocks(service, bookings, busy, lo, hi + durationMs));
  const seatsTaken = service.capacity > 1 ? sessionSeats(service, bookings) : undefined;

  const slots: Slot[] = [];
  let w = 0;
  for (const start of candidates) {
    const end = start + durationMs;
    while (w < working.length && (working[w]?.end ?? 0) <= start) w += 1;
    const within = working[w];
    // Checked in every case: the sweep's pointer must see every candidate's end in order.
    const blocked = sweep.blocks(start, end);
    if (!within || within.start > start || end > within.end || blocked) continue;

    const seatsLeft = service.capacity - (seatsTaken?.get(start) ?? 0);
    if (seatsLeft > 0) slots.push({ start, end, staffId: staff.staffId, seatsLeft });
  }
  return slots;
}

/**
 * Grid starts of every interval that fall in [lo, hi) and on or before the horizon date,
 * ascending and without duplicates (one instant can be on the grids of two dates' intervals).
 */
function candidateStarts(
  intervals: WorkingInterval[],
  offsets: ZoneOffsets,
  stepMs: number,
  limits: { lo: number; hi: number; lastWall: number },
): Float64Array {
  const found: number[] = [];
  for (const interval of intervals) {
    const wallEnd = Math.min(interval.wallEnd, limits.lastWall);
    for (let wall = interval.wallStart; wall < wallEnd; wall += stepMs) {
      for (const instant of offsets.instantsAt(wall)) {
        // Wall times after an interval's end can reach into it in an overlap; they are not its.
        if (instant < interval.start || instant >= interval.end) continue;
        if (instant >= limits.lo && instant < limits.hi) found.push(instant);
      }
    }
  }

  const sorted = Float64Array.from(found).sort();
  let unique = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    const value = sorted[i] ?? 0;
    if (unique === 0 || sorted[unique - 1] !== value) sorted[unique++] = value;
  }
  return sorted.subarray(0, unique);
}

/** Working time as disjoint instant intervals, ascending; touching intervals join. */
function mergeInstants(intervals: WorkingInterval[]): { start: number; end: number }[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const { start, end } of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else merged.push({ start, end });
  }
  return merged;
}

/** Blocks that can meet a candidate core inside [lo, coreEnd), with session tags. */
function relevantBlocks(
  service: ServiceRules,
  bookings: BookedInterval[],
  busy: BusyBlock[],
  lo: number,
  coreEnd: number,
): Block[] {
  const blocks: Block[] = [];
  const keep = (block: Block | undefined): void => {
    if (block && block.start < coreEnd && block.end > lo) blocks.push(block);
  };
  for (const booking of bookings) {
    const session = isSessionMember(service, booking) ? booking.start : NO_SESSION;
    keep(bookingBlock(booking, service, session));
  }
  for (const block of busy) keep(busyBlock(block, service));
  return blocks;
}

function isSessionMember(service: ServiceRules, booking: BookedInterval): boolean {
  return service.capacity > 1 && booking.serviceId === service.serviceId;
}

/** Seats taken per session start (bookings arrive already filtered to one staff member). */
function sessionSeats(service: ServiceRules, bookings: BookedInterval[]): Map<number, number> {
  const seats = new Map<number, number>();
  for (const booking of bookings) {
    if (!isSessionMember(service, booking)) continue;
    seats.set(booking.start, (seats.get(booking.start) ?? 0) + (booking.seats ?? 1));
  }
  return seats;
}

function groupByStaff<T extends { staffId: string }>(items: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.staffId);
    if (group) group.push(item);
    else groups.set(item.staffId, [item]);
  }
  return groups;
}

function compareSlots(a: Slot, b: Slot): number {
  if (a.start !== b.start) return a.start - b.start;
  if (a.staffId === b.staffId) return 0;
  // Code-unit order, not localeCompare, so the result never depends on the host's locale.
  return a.staffId < b.staffId ? -1 : 1;
}

function epochDayOf(wall: number): number {
  return Math.floor(wall / DAY_MS);
}

function assertValidQuery(query: SlotQuery): void {
  const { service } = query;
  for (const [name, value] of [
    ['now', query.now],
    ['from', query.from],
    ['to', query.to],
  ] as const) {
    if (!Number.isFinite(value)) {
      throw new RangeError(`Slot query ${name} must be a finite instant, not ${value}.`);
    }
  }
  assertInteger('durationMinutes', service.durationMinutes, 1);
  assertInteger('slotIntervalMinutes', service.slotIntervalMinutes, 1);
  assertInteger('capacity', service.capacity, 1);
  assertInteger('bufferBeforeMinutes', service.bufferBeforeMinutes, 0);
  assertInteger('bufferAfterMinutes', service.bufferAfterMinutes, 0);
  assertInteger('minimumNoticeMinutes', service.minimumNoticeMinutes, 0);
  assertInteger('maxAdvanceDays', service.maxAdvanceDays, 0);
}

function assertInteger(field: keyof ServiceRules, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`Service ${field} must be an integer of at least ${min}, not ${value}.`);
  }
}
