/**
 * Booking under load against the local host: (a) many simultaneous bookings of distinct slots,
 * spread over several staff members and days, and (b) many simultaneous bookings of one slot.
 * Each phase is then checked through the admin API: no staff member may hold two confirmed
 * bookings that overlap, and every 201 must be a stored booking at the time it was asked for.
 */
import { randomBytes } from 'node:crypto';

import { DateTime } from 'luxon';

import {
  requestsPerSecond,
  summarizeLatency,
  type LatencySummary,
  type LoadClient,
  type RequestSpec,
  type Sample,
} from './load-client.js';

export interface BenchBusiness {
  slug: string;
  accessToken: string;
  serviceId: string;
  staffIds: string[];
  timeZone: string;
  /** The booked week as local dates, end excluded: the next Monday at least a day ahead. */
  week: { start: string; end: string };
}

export interface Slot {
  start: string;
  end: string;
  staffId: string;
}

export interface Check {
  name: string;
  ok: boolean;
  /** A failed fatal check is a correctness bug: the run exits non-zero. */
  fatal: boolean;
  detail: string;
}

export interface BookingPhase {
  name: string;
  requests: number;
  created: number;
  conflicts: number;
  /** Anything but 201 and 409, as `status code` -> count. */
  other: Record<string, number>;
  /** The first error message seen for each entry of `other`, to tell causes apart. */
  otherMessages: Record<string, string>;
  elapsedMs: number;
  requestsPerSecond: number;
  latency: LatencySummary;
  checks: Check[];
}

export interface BookingBenchResult {
  business: BenchBusiness;
  /** Slots the service offered in the week before any booking. */
  offeredSlots: number;
  phases: BookingPhase[];
}

export interface BookingBenchOptions {
  staffCount?: number;
  distinctBookings?: number;
  sameSlotBookings?: number;
}

const TIME_ZONE = 'America/New_York';
const NINE_TO_FIVE = [{ start: '09:00', end: '17:00' }];
const REQUEST_TIMEOUT_MS = 60_000;

export async function runBookingBench(
  origin: string,
  client: LoadClient,
  options: BookingBenchOptions = {},
): Promise<BookingBenchResult> {
  const { staffCount = 5, distinctBookings = 200, sameSlotBookings = 50 } = options;
  const business = await setUpBusiness(origin, staffCount);
  const offered = await listSlots(origin, business);
  if (offered.length < distinctBookings + 1) {
    throw new Error(
      `The bench service offers ${offered.length} slots in ${business.week.start}..` +
        `${business.week.end}; phase (a) needs ${distinctBookings + 1}. Widen its hours.`,
    );
  }
  const spread = pickSpread(offered, distinctBookings);
  const taken = new Set(spread.map(slotKey));
  const contested = offered.find((slot) => !taken.has(slotKey(slot))) as Slot;

  const distinct = await runPhase(origin, client, business, {
    name: `(a) ${distinctBookings} distinct slots`,
    slots: spread,
    expectEvery201: true,
  });
  const single = await runPhase(origin, client, business, {
    name: `(b) ${sameSlotBookings} requests, one slot`,
    slots: Array.from({ length: sameSlotBookings }, () => contested),
    expectEvery201: false,
  });
  return { business, offeredSlots: offered.length, phases: [distinct, single] };
}

/** Signs up a business, adds its staff (weekdays 09:00-17:00) and one 30-minute service. */
async function setUpBusiness(origin: string, staffCount: number): Promise<BenchBusiness> {
  const slug = `bench-${randomBytes(4).toString('hex')}`;
  const signup = await call(origin, 'POST', '/api/auth/signup', 201, {
    body: {
      businessName: 'Bench Clinic',
      slug,
      email: `owner@${slug}.example.com`,
      password: randomBytes(18).toString('base64url'),
      timeZone: TIME_ZONE,
    },
  });
  const accessToken = signup.accessToken as string;

  const staffIds: string[] = [];
  for (let i = 1; i <= staffCount; i += 1) {
    const staff = await call(origin, 'POST', '/api/admin/staff', 201, {
      token: accessToken,
      body: {
        name: `Practitioner ${i}`,
        timeZone: TIME_ZONE,
        weeklyHours: {
          mon: NINE_TO_FIVE,
          tue: NINE_TO_FIVE,
          wed: NINE_TO_FIVE,
          thu: NINE_TO_FIVE,
          fri: NINE_TO_FIVE,
        },
      },
    });
    staffIds.push(staff.id as string);
  }
  const service = await call(origin, 'POST', '/api/admin/services', 201, {
    token: accessToken,
    body: { name: 'Consultation', durationMinutes: 30, slotIntervalMinutes: 30, staffIds },
  });

  let monday = DateTime.now().setZone(TIME_ZONE).startOf('day').plus({ days: 1 });
  while (monday.weekday !== 1) monday = monday.plus({ days: 1 });
  const week = {
    start: monday.toISODate() as string,
    end: monday.plus({ days: 7 }).toISODate() as string,
  };
  return {
    slug,
    accessToken,
    serviceId: service.id as string,
    staffIds,
    timeZone: TIME_ZONE,
    week,
  };
}

export function slotsPath(business: BenchBusiness): string {
  const { slug, serviceId, week } = business;
  return `/api/public/${slug}/slots?serviceId=${serviceId}&start=${week.start}&end=${week.end}`;
}

async function listSlots(origin: string, business: BenchBusiness): Promise<Slot[]> {
  const body = await call(origin, 'GET', slotsPath(business), 200);
  return body.slots as Slot[];
}

const slotKey = (slot: Pick<Slot, 'staffId' | 'start'>): string =>
  `${slot.staffId}|${Date.parse(slot.start)}`;

/**
 * `count` slots spread the way real demand is: round-robin over every (staff member, day), and
 * within a day every other slot first, so the bookings are spread over the whole week and no
 * single ledger day takes them all.
 */
export function pickSpread(slots: readonly Slot[], count: number): Slot[] {
  const buckets = new Map<string, Slot[]>();
  for (const slot of slots) {
    const key = `${slot.staffId}|${slot.start.slice(0, 10)}`;
    buckets.set(key, [...(buckets.get(key) ?? []), slot]);
  }
  const queues = [...buckets.values()].map((day) => [
    ...day.filter((_, i) => i % 2 === 0),
    ...day.filter((_, i) => i % 2 === 1),
  ]);
  const picked: Slot[] = [];
  for (let round = 0; picked.length < count && queues.some((q) => round < q.length); round += 1) {
    for (const queue of queues) {
      const slot = queue[round];
      if (slot && picked.length < count) picked.push(slot);
    }
  }
  return picked;
}

interface PhasePlan {
  name: string;
  /** One request per entry; repeated entries race for the same slot. */
  slots: Slot[];
  /** Whether every request should get its slot (distinct, free slots). */
  expectEvery201: boolean;
}

async function runPhase(
  origin: string,
  client: LoadClient,
  business: BenchBusiness,
  plan: PhasePlan,
): Promise<BookingPhase> {
  const run = randomBytes(3).toString('hex');
  const requests: RequestSpec[] = plan.slots.map((slot, i) => ({
    method: 'POST',
    path: `/api/public/${business.slug}/bookings`,
    // A unique Idempotency-Key per request, as a browser client sends (see README).
    headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${run}-${i}` },
    body: JSON.stringify({
      serviceId: business.serviceId,
      staffId: slot.staffId,
      start: slot.start,
      customer: { name: `Customer ${run} ${i}`, email: `customer-${run}-${i}@example.com` },
    }),
  }));
  const { samples, elapsedMs } = await client.burst({
    origin,
    requests,
    timeoutMs: REQUEST_TIMEOUT_MS,
  });

  const created = samples.filter((sample) => sample.status === 201);
  const other: Record<string, number> = {};
  const otherMessages: Record<string, string> = {};
  for (const sample of samples) {
    if (sample.status === 201 || sample.status === 409) continue;
    const label = `${sample.status} ${errorCodeOf(sample)}`;
    other[label] = (other[label] ?? 0) + 1;
    otherMessages[label] ??= errorMessageOf(sample);
  }
  const listed = await listConfirmed(origin, business);
  return {
    name: plan.name,
    requests: requests.length,
    created: created.length,
    conflicts: samples.filter((sample) => sample.status === 409).length,
    other,
    otherMessages,
    elapsedMs,
    requestsPerSecond: requestsPerSecond(samples.length, elapsedMs),
    latency: summarizeLatency(samples.map((sample) => sample.ms)),
    checks: checkPhase(plan, samples, listed),
  };
}

interface ListedBooking {
  id: string;
  staffId: string;
  start: string;
  end: string;
}

async function listConfirmed(origin: string, business: BenchBusiness): Promise<ListedBooking[]> {
  const { start, end } = business.week;
  const path = `/api/admin/bookings?from=${start}&to=${end}&status=confirmed`;
  const body = await call(origin, 'GET', path, 200, { token: business.accessToken });
  return body.items as ListedBooking[];
}

function checkPhase(plan: PhasePlan, samples: Sample[], listed: ListedBooking[]): Check[] {
  const checks: Check[] = [];
  const overlaps = findOverlaps(listed);
  checks.push({
    name: 'no double booking (no two confirmed bookings of one staff member overlap)',
    ok: overlaps.length === 0,
    fatal: true,
    detail:
      overlaps.length === 0
        ? `${listed.length} confirmed bookings in the week, none overlapping`
        : `${overlaps.length} overlapping pairs, e.g. ${overlaps.slice(0, 3).join('; ')}`,
  });

  const listedById = new Map(listed.map((booking) => [booking.id, booking]));
  const lost: string[] = [];
  samples.forEach((sample, i) => {
    if (sample.status !== 201) return;
    const id = bookingIdOf(sample);
    const booking = id === undefined ? undefined : listedById.get(id);
    const asked = plan.slots[i] as Slot;
    if (!booking || slotKey(booking) !== slotKey(asked)) lost.push(id ?? `request ${i}`);
  });
  const createdCount = samples.filter((sample) => sample.status === 201).length;
  checks.push({
    name: 'every 201 is a confirmed booking at the slot asked for',
    ok: lost.length === 0,
    fatal: true,
    detail:
      lost.length === 0
        ? `${createdCount} of ${createdCount} found`
        : `${lost.length} missing or moved: ${lost.slice(0, 3).join(', ')}`,
  });

  const askedKeys = new Set(plan.slots.map(slotKey));
  const createdIds = new Set(samples.map(bookingIdOf).filter((id) => id !== undefined));
  const unanswered = listed.filter(
    (booking) => askedKeys.has(slotKey(booking)) && !createdIds.has(booking.id),
  );
  checks.push({
    name: 'no booking stored for a request that did not get a 201',
    ok: unanswered.length === 0,
    fatal: false,
    detail:
      unanswered.length === 0
        ? 'none'
        : `${unanswered.length} stored without a 201 (the customer was told it failed), ` +
          `e.g. ${unanswered[0]?.id}`,
  });

  if (plan.expectEvery201) {
    checks.push({
      name: 'every free distinct slot is booked (all 201)',
      ok: createdCount === samples.length,
      fatal: false,
      detail: `${createdCount} of ${samples.length}`,
    });
  } else {
    checks.push({
      name: 'exactly one 201 for the contested slot',
      ok: createdCount === 1,
      fatal: true,
      detail: `${createdCount} of ${samples.length}`,
    });
    const refused = samples.filter(
      (sample) => sample.status === 409 && errorCodeOf(sample) === 'slot_unavailable',
    ).length;
    checks.push({
      name: 'every other request is 409 slot_unavailable',
      ok: refused === samples.length - 1,
      fatal: false,
      detail: `${refused} of ${samples.length - 1}`,
    });
  }
  return checks;
}

/** Overlapping pairs of confirmed bookings per staff member, as readable strings. */
export function findOverlaps(
  bookings: readonly Pick<ListedBooking, 'id' | 'staffId' | 'start' | 'end'>[],
): string[] {
  const byStaff = new Map<string, { id: string; start: number; end: number }[]>();
  for (const booking of bookings) {
    const list = byStaff.get(booking.staffId) ?? [];
    list.push({ id: booking.id, start: Date.parse(booking.start), end: Date.parse(booking.end) });
    byStaff.set(booking.staffId, list);
  }
  const pairs: string[] = [];
  for (const list of byStaff.values()) {
    list.sort((a, b) => a.start - b.start);
    // Compare with every earlier booking still running, not only the previous one: a long
    // booking can overlap several later ones.
    for (let i = 0; i < list.length; i += 1) {
      const later = list[i] as (typeof list)[number];
      for (let j = i - 1; j >= 0; j -= 1) {
        const earlier = list[j] as (typeof list)[number];
        if (earlier.end > later.start) pairs.push(`${earlier.id} / ${later.id}`);
      }
    }
  }
  return pairs;
}

function parseBody(sample: Sample): Record<string, any> | undefined {
  try {
    return sample.body ? (JSON.parse(sample.body) as Record<string, any>) : undefined;
  } catch {
    return undefined;
  }
}

function bookingIdOf(sample: Sample): string | undefined {
  if (sample.status !== 201) return undefined;
  const id = parseBody(sample)?.id;
  return typeof id === 'string' ? id : undefined;
}

function errorCodeOf(sample: Sample): string {
  if (sample.status === 0) return sample.error ?? 'transport error';
  const code = parseBody(sample)?.error?.code;
  return typeof code === 'string' ? code : '(no error code)';
}

function errorMessageOf(sample: Sample): string {
  if (sample.status === 0) return sample.error ?? 'transport error';
  const message = parseBody(sample)?.error?.message;
  return typeof message === 'string' ? message : (sample.body ?? '').slice(0, 200);
}

/** Setup and verification calls: plain `fetch` from the main thread, failing loudly. */
async function call(
  origin: string,
  method: 'GET' | 'POST',
  path: string,
  expected: number,
  options: { body?: unknown; token?: string } = {},
): Promise<Record<string, any>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${origin}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  if (response.status !== expected) {
    const route = path.split('?')[0];
    throw new Error(
      `${method} ${route} answered ${response.status}, expected ${expected}: ${text.slice(0, 300)}`,
    );
  }
  return JSON.parse(text) as Record<string, any>;
}
