import { isSlotOffered } from '../availability/engine.js';
import type { BookedInterval, SlotQuery } from '../availability/types.js';
import { loadBusyBlocks } from '../calendars/busy.js';
import { getService, toRules, type Question, type ServiceRecord } from '../catalog/services.js';
import { listStaff, toSchedule, type StaffRecord } from '../catalog/staff.js';
import { getConfig } from '../config/config.js';
import { sql } from '../cosmos/sql.js';
import type { TenantDoc, TenantStore } from '../cosmos/tenant-store.js';
import { digestsEqual, newId, sha256Hex } from '../crypto/hash.js';
import {
  AppError,
  AuthError,
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldIssue,
} from '../errors.js';
import { now as clockNow } from '../runtime/clock.js';
import { formatInZone, resolveLocalDateTime } from '../time/zones.js';
import { loadTenant } from '../tenants/tenant.js';
import {
  confirmClaim,
  demoteClaim,
  holdClaim,
  settleClaim,
  loadClaims,
  releaseClaim,
  type Claim,
  type HoldResolver,
} from './ledger.js';
import { withIdempotency } from './idempotency.js';
import { deriveManageToken, newManageNonce } from './manage-token.js';
import { queueBookingNotice } from './notices.js';
import type { BookingRequest, RescheduleRequest } from './schemas.js';

export interface BookingRecord extends TenantDoc {
  type: 'booking';
  serviceId: string;
  serviceName: string;
  staffId: string;
  /** UTC instants as ISO strings, so ranges sort and compare as text. */
  start: string;
  end: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  capacity: number;
  seats: number;
  status: 'confirmed' | 'cancelled';
  customer: { name: string; email: string; phone?: string };
  /** The customer account that booked, when the customer was signed in (guests have none). */
  customerUserId?: string;
  answers: { questionId: string; label: string; value: string }[];
  /** The customer's zone, for how times are shown to them. */
  timeZone: string;
  /** The manage token is derived from this nonce (see manage-token.ts) and checked by its hash. */
  manageTokenNonce: string;
  manageTokenHash: string;
  /** Bumped on every change, so calendar clients replace the old event (iCalendar SEQUENCE). */
  sequence: number;
  createdAt: string;
  updatedAt: string;
  cancelledAt?: string;
  cancelledBy?: 'customer' | 'business';
  cancelReason?: string;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A booking's claim in the ledger, derived from the booking itself. */
function claimOf(booking: BookingRecord): Claim {
  return {
    bookingId: booking.id,
    serviceId: booking.serviceId,
    start: Date.parse(booking.start),
    end: Date.parse(booking.end),
    bufferBeforeMinutes: booking.bufferBeforeMinutes,
    bufferAfterMinutes: booking.bufferAfterMinutes,
    seats: booking.seats,
    capacity: booking.capacity,
  };
}

/** An expired hold stands only if its booking was stored, confirmed, at that very time. */
export function holdResolverFor(store: TenantStore): HoldResolver {
  return async (claim, staffId) => {
    const booking = await store.read<BookingRecord>('booking', claim.bookingId);
    const stands =
      booking?.status === 'confirmed' &&
      booking.staffId === staffId &&
      Date.parse(booking.start) === claim.start;
    return stands ? 'confirmed' : 'orphaned';
  };
}

/**
 * Reads a start time (already format-checked by `startSchema`) as an instant. Wall-clock times
 * without an offset are read in `zone`; one the clocks skip, or one they pass twice, is refused.
 */
export function parseStart(value: string, zone: string, field = 'start'): number {
  if (/(?:Z|[+-]\d{2}:\d{2})$/.test(value)) return Date.parse(value);
  const resolved = resolveLocalDateTime(value, zone);
  if (resolved.kind === 'ok') return resolved.instant;
  const message =
    resolved.kind === 'gap'
      ? `does not exist in ${zone}: the clocks skip it for daylight saving`
      : `happens twice in ${zone}; add the UTC offset to say which`;
  throw new ValidationError([{ path: field, message }]);
}

/** Checks answers against the service's questions: known ids, required ones, valid choices. */
function checkAnswers(questions: Question[], answers: Record<string, string> = {}) {
  const issues: FieldIssue[] = [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const id of Object.keys(answers)) {
    if (!byId.has(id))
      issues.push({ path: `answers.${id}`, message: 'is not a question of this service' });
  }
  const stored: BookingRecord['answers'] = [];
  for (const question of questions) {
    const value = Object.hasOwn(answers, question.id) ? (answers[question.id] ?? '').trim() : '';
    const path = `answers.${question.id}`;
    if (!value) {
      if (question.required) issues.push({ path, message: 'is required' });
      continue;
    }
    if (question.type === 'choice' && !question.options?.includes(value)) {
      issues.push({ path, message: `must be one of: ${question.options?.join(', ')}` });
    } else if (value.length > question.maxLength) {
      issues.push({ path, message: `must be at most ${question.maxLength} characters` });
    }
    stored.push({ questionId: question.id, label: question.label, value });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return stored;
}

/** The staff who perform a service and still exist, optionally narrowed to one of them. */
async function staffFor(
  store: TenantStore,
  service: ServiceRecord,
  staffId?: string,
  field = 'staffId',
) {
  const live = (await listStaff(store)).filter((staff) => service.staffIds.includes(staff.id));
  if (staffId === undefined) return live;
  const chosen = live.find((staff) => staff.id === staffId);
  if (!chosen)
    throw new ValidationError([{ path: field, message: 'does not perform this service' }]);
  return [chosen];
}

/** The availability query for some staff around one instant: the same rules as the slot list. */
async function queryAround(
  store: TenantStore,
  service: ServiceRecord,
  staff: StaffRecord[],
  start: number,
  now: number,
  ignoreBookingId?: string,
): Promise<SlotQuery> {
  const from = start - 2 * DAY;
  const to = start + 3 * DAY;
  const staffIds = staff.map((member) => member.id);
  const claims = await loadClaims(store, staffIds, from, to);
  return {
    now,
    from,
    to,
    service: toRules(service),
    staff: staff.map(toSchedule),
    bookings: claims.filter((claim) => claim.bookingId !== ignoreBookingId),
    busy: await loadBusyBlocks(store, staffIds, from, to),
  };
}

/**
 * Refuses a time that is not on the slot list. A time that would be offered if nobody had booked
 * it is "taken" (409); any other time is not bookable at all (422 naming the field).
 */
function refuseUnoffered(
  query: SlotQuery,
  staffIds: string[],
  start: number,
  field: string,
): never {
  const free = { ...query, bookings: [], busy: [] };
  if (staffIds.some((staffId) => isSlotOffered(free, staffId, start))) {
    throw new ConflictError('slot_unavailable', 'That time was just taken; choose another slot.');
  }
  throw new ValidationError([
    {
      path: field,
      message: 'is not an available time for this service; pick one from the slot list',
    },
  ]);
}

export interface BookingView {
  id: string;
  status: BookingRecord['status'];
  start: string;
  end: string;
  staffId: string;
  serviceId: string;
  serviceName: string;
  seats: number;
  timeZone: string;
  customer: BookingRecord['customer'];
  answers: BookingRecord['answers'];
  createdAt: string;
  cancelledAt?: string;
}

/** How a booking is shown, with times in `zone` (the customer's zone unless asked otherwise). */
export function toBookingView(booking: BookingRecord, zone = booking.timeZone): BookingView {
  return {
    id: booking.id,
    status: booking.status,
    start: formatInZone(Date.parse(booking.start), zone),
    end: formatInZone(Date.parse(booking.end), zone),
    staffId: booking.staffId,
    serviceId: booking.serviceId,
    serviceName: booking.serviceName,
    seats: booking.seats,
    timeZone: zone,
    customer: booking.customer,
    answers: booking.answers,
    createdAt: booking.createdAt,
    ...(booking.cancelledAt ? { cancelledAt: booking.cancelledAt } : {}),
  };
}

/**
 * The manage link of a stored booking, derived again from its nonce; what `createBooking` returns
 * and what an idempotent replay returns, without the token ever being stored.
 */
export async function manageLinkFor(store: TenantStore, bookingId: string) {
  const booking = await getBooking(store, bookingId);
  const manageToken = deriveManageToken(store.tenantId, booking.id, booking.manageTokenNonce);
  const { slug } = await loadTenant(store);
  return { manageToken, manageUrl: manageUrl(slug, booking.id, manageToken) };
}

/**
 * The customer's manage link: the booking's page, with the token in the fragment. Browsers never
 * send a fragment to the server, so opening the link leaves the token out of request logs and
 * referrers; the page reads it and passes it to the public booking API.
 */
export function manageUrl(slug: string, bookingId: string, token: string): string {
  const base = getConfig().PUBLIC_BASE_URL.replace(/\/$/, '');
  return `${base}/${slug}/manage/${bookingId}#token=${token}`;
}

/**
 * Books a slot for a customer. The time is re-checked with the slot list's own rules, then
 * claimed in the ledger (which is what makes double booking impossible), then stored. When no
 * staff member is named, the least busy of those offering the time that day gets it.
 */
export async function createBooking(
  store: TenantStore,
  input: BookingRequest,
  options: { customerUserId?: string } = {},
) {
  const now = clockNow();
  const tenant = await loadTenant(store);
  const service = await getService(store, input.serviceId).catch(() => {
    throw new ValidationError([{ path: 'serviceId', message: 'no service has this id' }]);
  });
  const staff = await staffFor(store, service, input.staffId);
  // The slot list shows times in the asked zone, else the business's: read them back the same way.
  const zone = input.timeZone ?? tenant.timeZone;
  const start = parseStart(input.start, zone);
  const answers = checkAnswers(service.questions, input.answers);

  const query = await queryAround(store, service, staff, start, now);
  const offered = staff
    .filter((member) => isSlotOffered(query, member.id, start))
    .map((member) => ({
      member,
      load: query.bookings.filter((b) => b.staffId === member.id).length,
    }))
    .sort((a, b) => a.load - b.load);
  if (offered.length === 0)
    refuseUnoffered(
      query,
      staff.map((member) => member.id),
      start,
      'start',
    );

  for (const { member } of offered) {
    const booking = {
      ...newBooking(service, member, start, input, answers, zone, now),
      ...(options.customerUserId ? { customerUserId: options.customerUserId } : {}),
    };
    const token = deriveManageToken(store.tenantId, booking.id, booking.manageTokenNonce);
    const stored = await claimAndStore(store, { ...booking, manageTokenHash: sha256Hex(token) });
    if (stored) {
      await queueBookingNotice({
        tenantId: store.tenantId,
        bookingId: booking.id,
        kind: 'confirmed',
        sequence: stored.sequence,
      });
      return {
        ...toBookingView(stored, zone),
        manageToken: token,
        manageUrl: manageUrl(tenant.slug, stored.id, token),
      };
    }
  }
  throw new ConflictError('slot_unavailable', 'That time was just taken; choose another slot.');
}

/**
 * `createBooking` under an `Idempotency-Key`: a retry with the same key and request gets the
 * first response again. The customer's account is part of the request, so a key reused by
 * another account is a conflict. The kept response leaves out the manage token; it is derived
 * again for every answer, so it is never stored.
 */
export async function createBookingOnce(
  store: TenantStore,
  key: string,
  input: BookingRequest,
  options: { customerUserId?: string } = {},
) {
  const outcome = await withIdempotency(
    store,
    'bookings-create',
    key,
    { ...input, ...options },
    async () => {
      const {
        manageToken: _token,
        manageUrl: _url,
        ...booking
      } = await createBooking(store, input, options);
      return { status: 201, body: booking };
    },
  );
  if (outcome.status !== 201) return outcome;
  const booking = outcome.body as { id: string };
  return { ...outcome, body: { ...booking, ...(await manageLinkFor(store, booking.id)) } };
}

function newBooking(
  service: ServiceRecord,
  staff: StaffRecord,
  start: number,
  input: BookingRequest,
  answers: BookingRecord['answers'],
  zone: string,
  now: number,
): Omit<BookingRecord, 'tenantId' | 'manageTokenHash'> {
  const stamp = new Date(now).toISOString();
  return {
    id: newId('bkg'),
    type: 'booking',
    serviceId: service.id,
    serviceName: service.name,
    staffId: staff.id,
    start: new Date(start).toISOString(),
    end: new Date(start + service.durationMinutes * MINUTE).toISOString(),
    durationMinutes: service.durationMinutes,
    bufferBeforeMinutes: service.bufferBeforeMinutes,
    bufferAfterMinutes: service.bufferAfterMinutes,
    capacity: service.capacity,
    seats: 1,
    status: 'confirmed',
    customer: input.customer,
    answers,
    timeZone: zone,
    manageTokenNonce: newManageNonce(),
    sequence: 0,
    createdAt: stamp,
    updatedAt: stamp,
  };
}

/**
 * Hold -> store -> confirm. If the hold cannot be had the time is taken (`undefined`). If the
 * booking cannot be stored, or its hold vanished meanwhile, everything written is undone.
 */
async function claimAndStore(
  store: TenantStore,
  draft: Omit<BookingRecord, 'tenantId'>,
): Promise<BookingRecord | undefined> {
  const resolve = holdResolverFor(store);
  const claim = claimOf({ ...draft, tenantId: store.tenantId });
  if (!(await holdClaim(store, draft.staffId, claim, resolve))) return undefined;

  let created;
  try {
    created = await store.create<BookingRecord>(draft);
  } catch (error) {
    await releaseClaim(store, draft.staffId, claim, resolve);
    throw error;
  }
  if (!created.ok) {
    await releaseClaim(store, draft.staffId, claim, resolve);
    throw new AppError('internal', 500, 'Could not store the booking.');
  }
  let confirmed: boolean;
  try {
    confirmed = await confirmClaim(store, draft.staffId, claim, resolve);
  } catch (error) {
    // The booking must not outlive a failed request: without its document a hold resolves as
    // orphaned when it expires. A day already confirmed is released here, as far as possible.
    await store.delete(created.doc.id);
    await releaseClaim(store, draft.staffId, claim, resolve).catch(() => undefined);
    throw error;
  }
  if (!confirmed) {
    await store.delete(created.doc.id);
    await releaseClaim(store, draft.staffId, claim, resolve);
    return undefined;
  }
  return created.doc;
}

export async function getBooking(store: TenantStore, id: string): Promise<BookingRecord> {
  const booking = await store.read<BookingRecord>('booking', id);
  if (!booking) throw new NotFoundError(`Booking ${id}`);
  return booking;
}

/**
 * Finds a booking for the holder of its manage link. A wrong token and a missing booking get the
 * same 404, so ids cannot be probed.
 */
export async function getBookingWithToken(store: TenantStore, id: string, token: string) {
  const booking = await store.read<BookingRecord>('booking', id);
  if (!booking || !digestsEqual(booking.manageTokenHash, sha256Hex(token))) {
    throw new NotFoundError(`Booking ${id}`);
  }
  return booking;
}

/**
 * Why a booking of a deleted service cannot move (409): its service is what its times come from.
 * Deleting a service with upcoming bookings is refused, so only a booking older than that rule,
 * or one made in the instant of the delete, meets this.
 */
export function serviceGone(booking: BookingRecord): ConflictError {
  return new ConflictError(
    'conflict',
    `The service of booking ${booking.id} was deleted, so the booking cannot be moved; cancel it if it will not take place.`,
  );
}

/**
 * The staff member a booking moves to: the one asked for (422 naming `staffId` when they do not
 * perform the service), else its own. When its own no longer does (removed before removals were
 * checked, say), that is no fault of the request: 409, asking for someone who does.
 */
async function stayingStaffFor(
  store: TenantStore,
  service: ServiceRecord,
  booking: BookingRecord,
  staffId: string | undefined,
): Promise<StaffRecord> {
  if (staffId !== undefined) return (await staffFor(store, service, staffId))[0]!;
  const [own] = (await staffFor(store, service)).filter((member) => member.id === booking.staffId);
  if (own) return own;
  throw new ConflictError(
    'conflict',
    `The staff member of booking ${booking.id} no longer performs its service, so it cannot move to another time with them; name the staffId of someone who does.`,
  );
}

/** Refuses (409) a change to a booking that is cancelled or has already started. */
export function assertChangeable(booking: BookingRecord, now: number): void {
  if (booking.status === 'cancelled') {
    throw new ConflictError('conflict', `Booking ${booking.id} is already cancelled.`);
  }
  if (Date.parse(booking.start) <= now) {
    throw new ConflictError(
      'conflict',
      `Booking ${booking.id} has already started; it cannot be changed.`,
    );
  }
}

/**
 * Who may change a booking: the predicate sees the booking as stored on each attempt, so a
 * caller limited to some bookings (staff, customers) is checked against what is written, not
 * against an earlier read. A booking the caller may not reach reads as missing (404).
 */
export type BookingAccess = (booking: BookingRecord) => boolean;

const ANYONE: BookingAccess = () => true;

/**
 * Refuses (403) a move of a reachable booking to a staff member the caller may not reach, such
 * as staff without the `bookings:all` grant naming a colleague. The reschedule and the list of
 * times it could move to both ask this, so the two answer alike.
 */
export function assertMayMoveTo(
  booking: BookingRecord,
  staffId: string,
  access: BookingAccess,
): void {
  if (!access({ ...booking, staffId })) {
    throw new AuthError(
      403,
      'staffId names a staff member you may not move this booking to; leave staffId out to keep its current one.',
    );
  }
}

/**
 * Cancels a booking and frees its time at once. The claim is demoted to a hold first, so a crash
 * at any step leaves either a confirmed booking with its claim or a cancelled one whose hold
 * expires; never a confirmed booking without its time.
 */
export async function cancelBooking(
  store: TenantStore,
  id: string,
  by: 'customer' | 'business',
  reason?: string,
  access: BookingAccess = ANYONE,
): Promise<BookingRecord> {
  const now = clockNow();
  const resolve = holdResolverFor(store);
  let cancelled: BookingRecord | undefined;
  for (let attempt = 0; attempt < 10 && !cancelled; attempt++) {
    const booking = await getBooking(store, id);
    if (!access(booking)) throw new NotFoundError(`Booking ${id}`);
    assertChangeable(booking, now);
    await demoteClaim(store, booking.staffId, claimOf(booking), resolve);
    const stamp = new Date(now).toISOString();
    const result = await store.replace<BookingRecord>({
      ...booking,
      status: 'cancelled',
      cancelledAt: stamp,
      cancelledBy: by,
      ...(reason ? { cancelReason: reason } : {}),
      sequence: booking.sequence + 1,
      updatedAt: stamp,
    });
    if (result.ok) cancelled = result.doc;
    else await settleClaim(store, booking.staffId, claimOf(booking), resolve);
  }
  if (!cancelled)
    throw new AppError('unavailable', 503, 'The booking is busy; try again in a moment.');

  await releaseClaim(store, cancelled.staffId, claimOf(cancelled), resolve);
  await queueBookingNotice({
    tenantId: store.tenantId,
    bookingId: id,
    kind: 'cancelled',
    sequence: cancelled.sequence,
  });
  return cancelled;
}

/**
 * Moves a booking to another offered time (and, optionally, another staff member). The new time
 * is claimed before the booking moves and the old one is released after, so the customer never
 * holds neither, and the time never belongs to two bookings.
 */
export async function rescheduleBooking(
  store: TenantStore,
  id: string,
  input: RescheduleRequest,
  access: BookingAccess = ANYONE,
): Promise<BookingRecord> {
  const now = clockNow();
  const booking = await getBooking(store, id);
  if (!access(booking)) throw new NotFoundError(`Booking ${id}`);
  assertChangeable(booking, now);
  // Before any slot check, so a refused move tells nothing about the other staff member's day.
  assertMayMoveTo(booking, input.staffId ?? booking.staffId, access);
  const service = await getService(store, booking.serviceId).catch(() => {
    throw serviceGone(booking);
  });
  const staff = await stayingStaffFor(store, service, booking, input.staffId);
  const zone = input.timeZone ?? booking.timeZone;
  const start = parseStart(input.start, zone);

  const query = await queryAround(store, service, [staff], start, now, booking.id);
  if (!isSlotOffered(query, staff.id, start)) refuseUnoffered(query, [staff.id], start, 'start');

  const resolve = holdResolverFor(store);
  const moved: BookingRecord = {
    ...booking,
    staffId: staff.id,
    start: new Date(start).toISOString(),
    end: new Date(start + booking.durationMinutes * MINUTE).toISOString(),
    bufferBeforeMinutes: service.bufferBeforeMinutes,
    bufferAfterMinutes: service.bufferAfterMinutes,
    capacity: service.capacity,
    timeZone: zone,
    sequence: booking.sequence + 1,
    updatedAt: new Date(now).toISOString(),
  };
  const sameTime = moved.start === booking.start && moved.staffId === booking.staffId;
  if (sameTime) return booking;

  const newClaim = claimOf(moved);
  const oldClaim = claimOf(booking);
  if (!(await holdClaim(store, staff.id, newClaim, resolve))) {
    throw new ConflictError('slot_unavailable', 'That time was just taken; choose another slot.');
  }
  await demoteClaim(store, booking.staffId, oldClaim, resolve);
  const result = await store.replace<BookingRecord>(moved);
  if (!result.ok) {
    await releaseClaim(store, staff.id, newClaim, resolve);
    await settleClaim(store, booking.staffId, oldClaim, resolve);
    throw new ConflictError(
      'conflict',
      `Booking ${id} changed meanwhile; load it again and retry.`,
    );
  }
  if (!(await confirmClaim(store, staff.id, newClaim, resolve))) {
    // The new hold was resolved away before it was confirmed (it expired, or a cancellation
    // released it): decide both claims by the booking as it stands now, and hold the new time
    // again if the booking still stands there.
    const current = await store.read<BookingRecord>('booking', id);
    const standsMoved =
      current?.status === 'confirmed' &&
      current.start === moved.start &&
      current.staffId === staff.id;
    if (!standsMoved || !(await holdClaim(store, staff.id, newClaim, resolve))) {
      await settleClaim(store, booking.staffId, oldClaim, resolve);
      throw new ConflictError(
        'conflict',
        `Booking ${id} changed meanwhile; load it again and retry.`,
      );
    }
    await settleClaim(store, staff.id, newClaim, resolve);
  }
  await releaseClaim(store, booking.staffId, oldClaim, resolve);
  await queueBookingNotice({
    tenantId: store.tenantId,
    bookingId: id,
    kind: 'rescheduled',
    sequence: result.doc.sequence,
  });
  return result.doc;
}

/** The business's bookings whose start falls in [from, to), earliest first. */
export async function listBookings(
  store: TenantStore,
  from: number,
  to: number,
  filters: { staffId?: string; status?: BookingRecord['status'] } = {},
): Promise<BookingRecord[]> {
  const bookings = await store.query<BookingRecord>(
    sql`SELECT * FROM c WHERE c.type = 'booking' AND c.start >= @from AND c.start < @to ORDER BY c.start`,
    { '@from': new Date(from).toISOString(), '@to': new Date(to).toISOString() },
  );
  return bookings.filter(
    (booking) =>
      (!filters.staffId || booking.staffId === filters.staffId) &&
      (!filters.status || booking.status === filters.status),
  );
}
