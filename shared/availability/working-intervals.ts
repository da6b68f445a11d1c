/**
 * Working time of one staff member: weekly hours and date overrides, per local date in the
 * staff member's zone, turned into instants.
 */
import { DAY_MS, MINUTE_MS, isoWeekday, tryParseEpochDay } from '../time/local-date.js';
import { END_OF_DAY_MINUTES, parseWallTime } from '../time/wall-time.js';
import type { ZoneOffsets } from '../time/zone-offsets.js';
import type { StaffSchedule, WallInterval } from './types.js';
import { WEEKDAYS } from './types.js';

/** Minutes from the owning date's midnight; `end` may reach into the next day (up to 2880). */
interface DayMinutes {
  start: number;
  end: number;
}

/** One merged interval of one local date, on the wall clock and as instants. */
export interface WorkingInterval {
  /** Wall value (see ZoneOffsets) of the start: the slot grid is anchored here. */
  wallStart: number;
  wallEnd: number;
  /** First instant the clock reads wallStart (after the gap if it falls in one). */
  start: number;
  /** First instant the clock reads wallEnd; the interval is [start, end). */
  end: number;
}

/** A staff member's hours parsed once, so each date only looks them up. */
export interface ParsedSchedule {
  /** Index 0 = Monday … 6 = Sunday, as in WEEKDAYS. */
  weekly: DayMinutes[][];
  overrides: Map<number, DayMinutes[]>;
}

/**
 * Parses and checks a schedule's wall times. Throws a RangeError naming the staff member and the
 * field for anything a schema should have rejected (bad `HH:mm`, `24:00` as a start, bad date).
 */
export function parseSchedule(schedule: StaffSchedule): ParsedSchedule {
  const weekly = WEEKDAYS.map((day) =>
    parseIntervals(schedule.weeklyHours[day] ?? [], `staff ${schedule.staffId} weeklyHours.${day}`),
  );
  const overrides = new Map<number, DayMinutes[]>();
  for (const override of schedule.overrides) {
    const where = `staff ${schedule.staffId} override ${override.date}`;
    const day = tryParseEpochDay(override.date);
    if (day === undefined) {
      throw new RangeError(`Date of ${where} is not a real YYYY-MM-DD date.`);
    }
    const parsed = parseIntervals(override.intervals, where);
    // Two overrides for one date add up rather than one silently winning.
    overrides.set(day, [...(overrides.get(day) ?? []), ...parsed]);
  }
  return { weekly, overrides };
}

/**
 * The merged working intervals of every local date in [firstDay, lastDay] (epoch days), ordered
 * by date, then by start. Intervals of one date that touch or overlap are merged, so a slot may
 * span 09:00-12:00 + 12:00-17:00. Intervals of different dates are kept apart (each anchors its
 * own grid); intervals that collapse to nothing in a DST gap are dropped.
 *
 * A date with an override is decided by that override alone, from its local midnight to the
 * next: an interval of the date before that runs past midnight (weekly hours or an override of
 * its own) stops at the overridden date's midnight, so "closed all day" closes all of it. A date
 * without an override lets the date before run into it, as weekly hours always have.
 */
export function workingIntervals(
  schedule: ParsedSchedule,
  offsets: ZoneOffsets,
  firstDay: number,
  lastDay: number,
): WorkingInterval[] {
  const result: WorkingInterval[] = [];
  for (let day = firstDay; day <= lastDay; day += 1) {
    const hours = schedule.overrides.get(day) ?? schedule.weekly[isoWeekday(day) - 1] ?? [];
    const lastMinute = schedule.overrides.has(day + 1) ? END_OF_DAY_MINUTES : Infinity;
    for (const { start, end } of mergeDayMinutes(hours)) {
      const wallStart = day * DAY_MS + start * MINUTE_MS;
      // Cut in wall time, so the end is the next date's first instant: after a repeated hour
      // that belongs to this date, and at the end of a gap that swallows midnight.
      const wallEnd = day * DAY_MS + Math.min(end, lastMinute) * MINUTE_MS;
      const interval = {
        wallStart,
        wallEnd,
        start: offsets.firstInstantAt(wallStart),
        end: offsets.firstInstantAt(wallEnd),
      };
      if (interval.end > interval.start) result.push(interval);
    }
  }
  return result;
}

function parseIntervals(intervals: WallInterval[], where: string): DayMinutes[] {
  return intervals.map(({ start, end }) => {
    const startMinutes = parseWallTime(start, 'start');
    const endMinutes = parseWallTime(end, 'end');
    if (startMinutes === undefined || endMinutes === undefined) {
      throw new RangeError(`Working interval ${start}-${end} of ${where} is not HH:mm-HH:mm.`);
    }
    // An end not after the start runs past midnight: 22:00-02:00, or 09:00-09:00 for 24 hours.
    const endAfterStart = endMinutes > startMinutes ? endMinutes : endMinutes + END_OF_DAY_MINUTES;
    return { start: startMinutes, end: endAfterStart };
  });
}

function mergeDayMinutes(intervals: DayMinutes[]): DayMinutes[] {
  if (intervals.length <= 1) return intervals;
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: DayMinutes[] = [];
  for (const next of sorted) {
    const last = merged[merged.length - 1];
    if (last && next.start <= last.end) last.end = Math.max(last.end, next.end);
    else merged.push({ ...next });
  }
  return merged;
}
