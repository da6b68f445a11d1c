import { z } from 'zod';

import type { StaffSchedule, WallInterval, Weekday } from '../availability/types.js';
import { WEEKDAYS } from '../availability/types.js';
import { sql } from '../cosmos/sql.js';
import { toView, type TenantDoc, type TenantStore } from '../cosmos/tenant-store.js';
import {
  assertVersion,
  updateChecked,
  versionOf,
  versionSchema,
  type IfMatch,
} from '../cosmos/versions.js';
import { newId } from '../crypto/hash.js';
import { NotFoundError } from '../errors.js';
import { tryParseEpochDay } from '../time/local-date.js';
import { END_OF_DAY_MINUTES, parseWallTime } from '../time/wall-time.js';
import { emailSchema, localDateSchema, nameSchema, timeZoneSchema } from '../validation/common.js';

const WALL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const WEEKDAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export const wallIntervalSchema = z.strictObject({
  start: z.string().regex(WALL_TIME, { message: 'must be a time as HH:mm, 00:00 to 23:59' }),
  end: z.string().regex(/^(?:([01]\d|2[0-3]):[0-5]\d|24:00)$/, {
    message: 'must be a time as HH:mm, up to 24:00',
  }),
});

/** An interval in minutes from its own day's midnight; an `end` past 1440 runs into the next day. */
interface Span {
  start: number;
  end: number;
  index: number;
}

/**
 * The intervals whose start and end are both real times, measured, by start. The others only get
 * their format messages: an overlap worked out from text like `9.30pm` would be made up.
 */
function spansOf(intervals: unknown): Span[] {
  if (!Array.isArray(intervals)) return [];
  const spans: Span[] = [];
  intervals.forEach((interval: Partial<Record<'start' | 'end', unknown>> | null, index) => {
    const start = typeof interval?.start === 'string' ? parseWallTime(interval.start) : undefined;
    const end = typeof interval?.end === 'string' ? parseWallTime(interval.end, 'end') : undefined;
    if (start === undefined || end === undefined) return;
    // An end not after the start runs past midnight, as the engine reads it.
    spans.push({ start, end: end > start ? end : end + END_OF_DAY_MINUTES, index });
  });
  return spans.sort((a, b) => a.start - b.start);
}

const spanText = (intervals: WallInterval[], span: Span) =>
  `${intervals[span.index]!.start}–${intervals[span.index]!.end}`;

/**
 * One day's intervals. An interval whose end is not after its start runs into the next day, so
 * it is measured as such; intervals of one day may touch but not overlap.
 */
const dayIntervalsSchema = z
  .array(wallIntervalSchema)
  .max(12)
  .superRefine((intervals, ctx) => {
    const spans = spansOf(intervals);
    for (let i = 1; i < spans.length; i++) {
      const previous = spans[i - 1]!;
      const current = spans[i]!;
      if (current.start < previous.end) {
        ctx.addIssue({
          code: 'custom',
          path: [current.index],
          message: `overlaps ${spanText(intervals, previous)} on the same day`,
        });
      }
    }
  });

/**
 * Refuses each interval of a day that starts before an interval of the day before, running past
 * midnight, has ended. The issue names the later interval, as the same-day check does.
 */
function refuseNightOverlaps(
  ctx: z.RefinementCtx,
  before: { intervals: unknown; name: string },
  after: { intervals: unknown; path: (index: number) => PropertyKey[] },
): void {
  const nights = spansOf(before.intervals).filter((span) => span.end > END_OF_DAY_MINUTES);
  if (nights.length === 0) return;
  for (const later of spansOf(after.intervals)) {
    const night = nights.find((span) => later.start < span.end - END_OF_DAY_MINUTES);
    if (!night) continue;
    ctx.addIssue({
      code: 'custom',
      path: after.path(later.index),
      message: `overlaps ${spanText(before.intervals as WallInterval[], night)} on ${before.name}, which runs past midnight`,
    });
  }
}

/**
 * Hours per weekday. An interval running past midnight may not overlap the next weekday's
 * intervals (Sunday's night runs into Monday).
 */
export const weeklyHoursSchema = z
  .strictObject(
    Object.fromEntries(WEEKDAYS.map((day) => [day, dayIntervalsSchema.optional()])) as Record<
      Weekday,
      z.ZodOptional<typeof dayIntervalsSchema>
    >,
  )
  .superRefine((week, ctx) => {
    WEEKDAYS.forEach((day, i) => {
      const next = WEEKDAYS[(i + 1) % WEEKDAYS.length]!;
      refuseNightOverlaps(
        ctx,
        { intervals: week[day], name: WEEKDAY_NAMES[day] },
        { intervals: week[next], path: (index) => [next, index] },
      );
    });
  })
  .describe(
    'Working intervals per weekday, HH:mm in the staff member’s zone. An end at or before its start runs past midnight into the next day (09:00–09:00 is 24 hours) and may not overlap that day’s intervals; Sunday runs into Monday.',
  );

export const dateOverrideSchema = z
  .strictObject({
    date: localDateSchema,
    /** Other hours for that date; an empty list is a day off. */
    intervals: dayIntervalsSchema,
  })
  .describe(
    'Hours that decide all working time of one local date, from its midnight to the next: they replace that weekday’s hours, and an interval of the day before that runs past midnight stops at this date’s midnight. An empty list is a day off. Its own intervals may run past midnight into the next date, unless that date has an override too, whose intervals they may not overlap.',
  );

export const staffInputSchema = z.strictObject({
  name: nameSchema,
  email: emailSchema.optional(),
  timeZone: timeZoneSchema,
  weeklyHours: weeklyHoursSchema,
  overrides: z
    .array(dateOverrideSchema)
    .max(731)
    .default([])
    .superRefine((overrides, ctx) => {
      const byDay = new Map<number, number[]>();
      const seen = new Set<string>();
      overrides.forEach((override, index) => {
        if (seen.has(override.date)) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'date'],
            message: `repeats ${override.date}, the date of an earlier override`,
          });
        }
        seen.add(override.date);
        const day = typeof override.date === 'string' ? tryParseEpochDay(override.date) : undefined;
        if (day !== undefined) byDay.set(day, [...(byDay.get(day) ?? []), index]);
      });

      // An override's night may run into the next date only where that date has no override.
      for (const [day, indexes] of byDay) {
        for (const before of indexes) {
          for (const after of byDay.get(day + 1) ?? []) {
            refuseNightOverlaps(
              ctx,
              { intervals: overrides[before]!.intervals, name: overrides[before]!.date },
              { intervals: overrides[after]!.intervals, path: (i) => [after, 'intervals', i] },
            );
          }
        }
      }
    }),
});
export type StaffInput = z.infer<typeof staffInputSchema>;

export interface StaffRecord extends TenantDoc {
  type: 'staff';
  name: string;
  email?: string;
  timeZone: string;
  weeklyHours: Partial<Record<(typeof WEEKDAYS)[number], WallInterval[]>>;
  overrides: { date: string; intervals: WallInterval[] }[];
  createdAt: string;
  updatedAt: string;
  deletedAt?: string;
}

export const staffSchema = staffInputSchema.extend({
  id: z.string(),
  overrides: z.array(dateOverrideSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: versionSchema,
});

export const toStaffView = (record: StaffRecord) => ({
  ...toView(record),
  version: versionOf(record),
});

export function toSchedule(record: StaffRecord): StaffSchedule {
  return {
    staffId: record.id,
    timeZone: record.timeZone,
    weeklyHours: record.weeklyHours,
    overrides: record.overrides,
  };
}

export async function createStaff(store: TenantStore, input: StaffInput): Promise<StaffRecord> {
  const now = new Date().toISOString();
  const result = await store.create<StaffRecord>({
    id: newId('stf'),
    type: 'staff',
    ...input,
    createdAt: now,
    updatedAt: now,
  });
  if (!result.ok) throw new Error('Staff id collision.');
  return result.doc;
}

export async function listStaff(store: TenantStore): Promise<StaffRecord[]> {
  return store.query<StaffRecord>(
    sql`SELECT * FROM c WHERE c.type = 'staff' AND NOT IS_DEFINED(c.deletedAt) ORDER BY c.createdAt`,
  );
}

export async function getStaff(store: TenantStore, id: string): Promise<StaffRecord> {
  const record = await store.read<StaffRecord>('staff', id);
  if (!record || record.deletedAt) throw new NotFoundError(`Staff member ${id}`);
  return record;
}

/**
 * Replaces a staff member's details and hours. With `ifMatch` (the request's `If-Match`), only
 * the version it names: one changed since that version was loaded is refused (412), and the
 * write itself is conditional, so a change that lands meanwhile is refused too.
 */
export async function replaceStaff(
  store: TenantStore,
  id: string,
  input: StaffInput,
  ifMatch?: IfMatch,
): Promise<StaffRecord> {
  const what = `Staff member ${id}`;
  const existing = await getStaff(store, id);
  assertVersion(existing, ifMatch, what);
  const updated = await updateChecked(store, existing, ifMatch, what, (current) => {
    if (current.deletedAt) return undefined;
    const { email: _dropped, ...rest } = current;
    return { ...rest, ...input, updatedAt: new Date().toISOString() };
  });
  if (!updated || updated.deletedAt) throw new NotFoundError(`Staff member ${id}`);
  return updated;
}
