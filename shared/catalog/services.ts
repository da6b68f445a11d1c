import { z } from 'zod';

import type { ServiceRules } from '../availability/types.js';
import { assertNoUpcomingBookings } from '../booking/upcoming.js';
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
import { NotFoundError, ValidationError } from '../errors.js';
import { idSchema, nameSchema } from '../validation/common.js';
import { listStaff, type StaffRecord } from './staff.js';

export const questionSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, {
      message: 'must be lowercase letters, digits, - or _, at most 40',
    }),
    label: z.string().trim().min(1).max(200),
    type: z.enum(['text', 'choice']),
    required: z.boolean().default(false),
    /** The choices, for `choice` questions only. */
    options: z.array(z.string().trim().min(1).max(100)).min(2).max(50).optional(),
    maxLength: z.number().int().min(1).max(2000).default(500),
  })
  .superRefine((question, ctx) => {
    if (question.type === 'choice' && !question.options) {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: 'is required for a choice question',
      });
    }
    if (question.type === 'text' && question.options) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'is only for choice questions' });
    }
    if (question.options && new Set(question.options).size !== question.options.length) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'must not repeat a choice' });
    }
  });
export type Question = z.infer<typeof questionSchema>;

const serviceFields = z.strictObject({
  name: nameSchema,
  description: z.string().trim().max(2000).optional(),
  durationMinutes: z.number().int().min(5).max(1440),
  bufferBeforeMinutes: z.number().int().min(0).max(720).default(0),
  bufferAfterMinutes: z.number().int().min(0).max(720).default(0),
  minimumNoticeMinutes: z.number().int().min(0).max(525_600).default(0),
  maxAdvanceDays: z.number().int().min(1).max(730).default(60),
  /** Step between offered start times; defaults to the duration. */
  slotIntervalMinutes: z.number().int().min(5).max(1440).optional(),
  capacity: z.number().int().min(1).max(500).default(1),
  staffIds: z.array(idSchema).min(1).max(100),
  questions: z.array(questionSchema).max(20).default([]),
});

export const serviceInputSchema = serviceFields.superRefine((service, ctx) => {
  if (new Set(service.staffIds).size !== service.staffIds.length) {
    ctx.addIssue({ code: 'custom', path: ['staffIds'], message: 'must not repeat a staff id' });
  }
  const ids = service.questions.map((q) => q.id);
  ids.forEach((id, index) => {
    if (ids.indexOf(id) !== index) {
      ctx.addIssue({
        code: 'custom',
        path: ['questions', index, 'id'],
        message: 'repeats a question id',
      });
    }
  });
});
export type ServiceInput = z.infer<typeof serviceInputSchema>;

export const serviceSchema = serviceFields.extend({
  id: z.string(),
  staffIds: z
    .array(idSchema)
    .max(100)
    .describe(
      'Empty once every staff member who performed it was removed; customers do not see it until someone is added.',
    ),
  slotIntervalMinutes: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: versionSchema,
});

export interface ServiceRecord extends TenantDoc {
  type: 'service';
  name: string;
  description?: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minimumNoticeMinutes: number;
  maxAdvanceDays: number;
  slotIntervalMinutes: number;
  capacity: number;
  staffIds: string[];
  questions: Question[];
  createdAt: string;
  updatedAt: string;
  deletedAt?: string;
}

export const toServiceView = (record: ServiceRecord) => ({
  ...toView(record),
  version: versionOf(record),
});

/** What customers see of a service: no internal fields. */
function toPublicServiceView(record: ServiceRecord) {
  return {
    id: record.id,
    name: record.name,
    ...(record.description ? { description: record.description } : {}),
    durationMinutes: record.durationMinutes,
    capacity: record.capacity,
    maxAdvanceDays: record.maxAdvanceDays,
    staffIds: record.staffIds,
    questions: record.questions,
  };
}

/**
 * What customers see of the catalogue: the services some current staff member performs, each
 * naming only those people, and those people by id and name (never their email or hours). A
 * service nobody performs could offer no time at all, so it is not shown.
 */
export function toPublicCatalogue(services: ServiceRecord[], staff: StaffRecord[]) {
  const current = new Set(staff.map((member) => member.id));
  const offered = services
    .map((service) => ({ ...service, staffIds: service.staffIds.filter((id) => current.has(id)) }))
    .filter((service) => service.staffIds.length > 0);
  const performing = new Set(offered.flatMap((service) => service.staffIds));
  return {
    services: offered.map(toPublicServiceView),
    staff: staff
      .filter((member) => performing.has(member.id))
      .map((member) => ({ id: member.id, name: member.name })),
  };
}

export function toRules(record: ServiceRecord): ServiceRules {
  return {
    serviceId: record.id,
    durationMinutes: record.durationMinutes,
    bufferBeforeMinutes: record.bufferBeforeMinutes,
    bufferAfterMinutes: record.bufferAfterMinutes,
    minimumNoticeMinutes: record.minimumNoticeMinutes,
    maxAdvanceDays: record.maxAdvanceDays,
    slotIntervalMinutes: record.slotIntervalMinutes,
    capacity: record.capacity,
  };
}

/** Every staff id must name a current staff member of this business; returns them all. */
async function assertStaffExist(store: TenantStore, staffIds: string[]): Promise<StaffRecord[]> {
  const staff = await listStaff(store);
  const known = new Set(staff.map((member) => member.id));
  const issues = staffIds.flatMap((id, index) =>
    known.has(id) ? [] : [{ path: `staffIds.${index}`, message: `no staff member has id ${id}` }],
  );
  if (issues.length > 0) throw new ValidationError(issues);
  return staff;
}

/** `Kim (stf_1)`, `Kim (stf_1) and Lee (stf_2)`, `Kim (stf_1), Lee (stf_2) and Sam (stf_3)`. */
function nameList(staff: StaffRecord[], ids: string[]): string {
  const names = ids.map((id) => `${staff.find((member) => member.id === id)?.name ?? id} (${id})`);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * Refuses (409) a change that takes a current staff member off a service while they have
 * upcoming bookings of it: those bookings could no longer be moved, as a booking moves only to
 * someone performing its service. Ids of staff already removed do not count: their bookings
 * cannot move either way, and the owner must be able to tidy such an id away.
 */
async function assertKeepsBookedStaff(
  store: TenantStore,
  current: ServiceRecord,
  staffIds: string[],
  staff: StaffRecord[],
): Promise<void> {
  const dropped = current.staffIds.filter(
    (id) => !staffIds.includes(id) && staff.some((member) => member.id === id),
  );
  if (dropped.length === 0) return;
  await assertNoUpcomingBookings(store, { serviceId: current.id, staffIds: dropped }, (found) => {
    const who = nameList(staff, found.staffIds);
    const many = found.staffIds.length > 1;
    return `${who} ${many ? 'have' : 'has'} ${found.summary('of this service')}; keep them among its staff (staffIds), or first move ${found.pronoun} to another staff member of the service or cancel ${found.pronoun}.`;
  });
}

function toStored(input: ServiceInput) {
  return { ...input, slotIntervalMinutes: input.slotIntervalMinutes ?? input.durationMinutes };
}

export async function createService(
  store: TenantStore,
  input: ServiceInput,
): Promise<ServiceRecord> {
  await assertStaffExist(store, input.staffIds);
  const now = new Date().toISOString();
  const result = await store.create<ServiceRecord>({
    id: newId('svc'),
    type: 'service',
    ...toStored(input),
    createdAt: now,
    updatedAt: now,
  });
  if (!result.ok) throw new Error('Service id collision.');
  return result.doc;
}

export async function listServices(store: TenantStore): Promise<ServiceRecord[]> {
  return store.query<ServiceRecord>(
    sql`SELECT * FROM c WHERE c.type = 'service' AND NOT IS_DEFINED(c.deletedAt) ORDER BY c.createdAt`,
  );
}

export async function getService(store: TenantStore, id: string): Promise<ServiceRecord> {
  const record = await store.read<ServiceRecord>('service', id);
  if (!record || record.deletedAt) throw new NotFoundError(`Service ${id}`);
  return record;
}

/**
 * Replaces a service. With `ifMatch` (the request's `If-Match`), only the version it names: a
 * service changed since that version was loaded is refused (412) before anything else is
 * checked, and the write itself is conditional, so a change that lands meanwhile is refused too.
 */
export async function replaceService(
  store: TenantStore,
  id: string,
  input: ServiceInput,
  ifMatch?: IfMatch,
): Promise<ServiceRecord> {
  const what = `Service ${id}`;
  const existing = await getService(store, id);
  assertVersion(existing, ifMatch, what);
  const staff = await assertStaffExist(store, input.staffIds);
  await assertKeepsBookedStaff(store, existing, input.staffIds, staff);
  const updated = await updateChecked(store, existing, ifMatch, what, (current) => {
    if (current.deletedAt) return undefined;
    const { description: _d, ...rest } = current;
    return { ...rest, ...toStored(input), updatedAt: new Date().toISOString() };
  });
  if (!updated || updated.deletedAt) throw new NotFoundError(`Service ${id}`);
  return updated;
}
