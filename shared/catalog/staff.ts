import { z } from 'zod';

import type { StaffSchedule, WallInterval } from '../availability/types.js';
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
import { emailSchema, localDateSchema, nameSchema, timeZoneSchema } from '../validation/common.js';

const WALL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function minutesOf(hhmm: string): number {
  return hhmm === '24:00' ? 1440 : Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

export const wallIntervalSchema = z.strictObject({
  start: z.string().regex(WALL_TIME, { message: 'must be a time as HH:mm, 00:00 to 23:59' }),
  end: z.string().regex(/^(?:([01]\d|2[0-3]):[0-5]\d|24:00)$/, {
    message: 'must be a time as HH:mm, up to 24:00',
  }),
});

/**
 * One day's intervals. An interval whose end is not after its start runs into the next day, so
 * it is measured as such; intervals of one day may touch but not overlap.
 */
const dayIntervalsSchema = z
  .array(wallIntervalSchema)
  .max(12)
  .superRefine((intervals, ctx) => {
    const spans = intervals
      .map((interval, index) => {
        const start = minutesOf(interval.start);
        let end = minutesOf(interval.end);
        if (end <= start) end += 1440;
        return { start, end, index };
      })
      .sort((a, b) => a.start - b.start);
    for (let i = 1; i < spans.length; i++) {
      const previous = spans[i - 1]!;
      const current = spans[i]!;
      if (current.start < previous.end) {
        ctx.addIssue({
          code: 'custom',
          path: [current.index],
          message: `overlaps ${intervals[previous.index]!.start}–${intervals[previous.index]!.end} on the same day`,
        });
      }
    }
  });

export const weeklyHoursSchema = z.strictObject(
  Object.fromEntries(WEEKDAYS.map((day) => [day, dayIntervalsSchema.optional()])) as Record<
    (typeof WEEKDAYS)[number],
    z.ZodOptional<typeof dayIntervalsSchema>
  >,
);

export const dateOverrideSchema = z.strictObject({
  date: localDateSchema,
  /** Other hours for that date; an empty list is a day off. */
  intervals: dayIntervalsSchema,
});

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
      const seen = new Map<string, number>();
      overrides.forEach((override, index) => {
        const first = seen.get(override.date);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'date'],
            message: `repeats the date of override ${first}`,
          });
        }
        seen.set(override.date, index);
      });
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
