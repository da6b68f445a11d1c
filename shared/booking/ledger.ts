import type { BookedInterval } from '../availability/types.js';
import { sql } from '../cosmos/sql.js';
import type { TenantDoc, TenantStore } from '../cosmos/tenant-store.js';
import { AppError } from '../errors.js';
import { now as clockNow } from '../runtime/clock.js';

/**
 * No double booking, on real Cosmos and on the embedded server alike: each staff member has one
 * ledger document per UTC day holding the intervals claimed on that day. A claim is written with
 * the document's ETag (IfMatch) and retried on 412, so two writers of one day are serialized.
 * A claim is recorded in every day its buffered interval touches; two claims that conflict always
 * share at least one of those days, so the second writer of that day sees the first claim.
 *
 * A claim starts as a short hold (`expiresAt`) and is confirmed once its booking is stored. A
 * hold left behind by a crash is resolved against its booking by the next writer or the sweeper,
 * so nothing can block time for ever.
 */
export interface Claim {
  bookingId: string;
  serviceId: string;
  start: number;
  end: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  seats: number;
  capacity: number;
  /** Set while the claim is only a hold. */
  expiresAt?: number;
}

export interface LedgerRecord extends TenantDoc {
  type: 'ledger';
  staffId: string;
  day: string;
  claims: Claim[];
  /** Whether any claim is still a hold; lets the sweeper find its work without a scan. */
  holds: boolean;
}

export const HOLD_MS = 60_000;
const MINUTE = 60_000;
const DAY = 86_400_000;
const WRITE_BUDGET_MS = 15_000;

const ledgerId = (staffId: string, day: string) => `ledger:${staffId}:${day}`;

function utcDay(instant: number): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/** The UTC days a claim's buffered interval touches, in order (the order writers lock them). */
export function claimDays(
  claim: Pick<Claim, 'start' | 'end' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'>,
): string[] {
  const from = claim.start - claim.bufferBeforeMinutes * MINUTE;
  const to = claim.end + claim.bufferAfterMinutes * MINUTE;
  const days: string[] = [];
  for (let day = from - (from % DAY); day < to; day += DAY) days.push(utcDay(day));
  return days;
}

function overlaps(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  return aStart < bEnd && bStart < aEnd;
}

/** Whether two claims share one group session (same service, same start, seats to share). */
function isSameSession(a: Claim, b: Claim): boolean {
  return a.capacity > 1 && a.serviceId === b.serviceId && a.start === b.start;
}

/**
 * The buffer rule: neither booking may fall inside the other's buffers, though buffers may
 * overlap each other. The same rule the availability engine applies to its slot list.
 */
export function claimsConflict(a: Claim, b: Claim): boolean {
  if (a.bookingId === b.bookingId || isSameSession(a, b)) return false;
  const aFrom = a.start - a.bufferBeforeMinutes * MINUTE;
  const aTo = a.end + a.bufferAfterMinutes * MINUTE;
  const bFrom = b.start - b.bufferBeforeMinutes * MINUTE;
  const bTo = b.end + b.bufferAfterMinutes * MINUTE;
  return overlaps(a.start, a.end, bFrom, bTo) || overlaps(aFrom, aTo, b.start, b.end);
}

/** Whether `claim` fits beside `existing`: no conflict and, for a session, a seat left. */
function fits(claim: Claim, existing: Claim[]): boolean {
  let seatsTaken = 0;
  for (const other of existing) {
    if (other.bookingId === claim.bookingId) continue;
    if (claimsConflict(claim, other)) return false;
    if (isSameSession(claim, other)) seatsTaken += other.seats;
  }
  return seatsTaken + claim.seats <= claim.capacity;
}

/** Decides what an expired hold means by looking at its booking. */
export type HoldResolver = (claim: Claim, staffId: string) => Promise<'confirmed' | 'orphaned'>;

async function resolveExpiredHolds(
  claims: Claim[],
  staffId: string,
  now: number,
  resolve: HoldResolver,
): Promise<{ claims: Claim[]; changed: boolean }> {
  let changed = false;
  const kept: Claim[] = [];
  for (const claim of claims) {
    if (claim.expiresAt === undefined || claim.expiresAt > now) {
      kept.push(claim);
      continue;
    }
    changed = true;
    if ((await resolve(claim, staffId)) === 'confirmed') {
      const { expiresAt: _expired, ...confirmed } = claim;
      kept.push(confirmed);
    }
  }
  return { claims: kept, changed };
}

async function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(200, 2 ** attempt);
  await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

/**
 * Writers of one ledger day inside this process take turns. The ETag check is what makes writes
 * safe across instances; queueing here only spares a busy day the storm of 412 retries that
 * dozens of simultaneous writers would otherwise cause (each success invalidating all others).
 */
const localTurns = new Map<string, Promise<unknown>>();

async function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = localTurns.get(key) ?? Promise.resolve();
  const mine = previous.then(work, work);
  const settled = mine.catch(() => undefined);
  localTurns.set(key, settled);
  try {
    return await mine;
  } finally {
    if (localTurns.get(key) === settled) localTurns.delete(key);
  }
}

/**
 * Runs `change` against one ledger day until it is written without interference. `change` gets
 * the day's live claims (expired holds already resolved) and returns the next list, or
 * `undefined` to write nothing.
 */
async function updateDay(
  store: TenantStore,
  staffId: string,
  day: string,
  resolve: HoldResolver,
  change: (claims: Claim[]) => Claim[] | undefined,
): Promise<Claim[] | undefined> {
  return inTurn(`${store.tenantId}/${ledgerId(staffId, day)}`, () =>
    writeDay(store, staffId, day, resolve, change),
  );
}

async function writeDay(
  store: TenantStore,
  staffId: string,
  day: string,
  resolve: HoldResolver,
  change: (claims: Claim[]) => Claim[] | undefined,
): Promise<Claim[] | undefined> {
  const deadline = Date.now() + WRITE_BUDGET_MS;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const ledger = await store.read<LedgerRecord>('ledger', ledgerId(staffId, day));
    const live = await resolveExpiredHolds(ledger?.claims ?? [], staffId, clockNow(), resolve);
    const next = change(live.claims);
    if (next === undefined && !live.changed) return undefined;
    const claims = next ?? live.claims;
    const holds = claims.some((claim) => claim.expiresAt !== undefined);

    const written = ledger
      ? await store.replace<LedgerRecord>({ ...ledger, claims, holds })
      : await store.create<LedgerRecord>({
          id: ledgerId(staffId, day),
          type: 'ledger',
          staffId,
          day,
          claims,
          holds,
        });
    if (written.ok) return next;
    await backoff(attempt);
  }
  throw new AppError(
    'unavailable',
    503,
    'This calendar is very busy right now; try again in a moment.',
  );
}

/**
 * Claims an interval for a booking as a hold. Days are taken in order; if any day refuses, the
 * days already taken are given back. `false` means the time is taken.
 */
export async function holdClaim(
  store: TenantStore,
  staffId: string,
  claim: Omit<Claim, 'expiresAt'>,
  resolve: HoldResolver,
): Promise<boolean> {
  const held: Claim = { ...claim, expiresAt: clockNow() + HOLD_MS };
  const taken: string[] = [];
  for (const day of claimDays(held)) {
    let refused = false;
    await updateDay(store, staffId, day, resolve, (claims) => {
      if (!fits(held, claims)) {
        refused = true;
        return undefined;
      }
      return [...claims, held];
    });
    if (refused) {
      await releaseClaim(store, staffId, held, resolve, taken);
      return false;
    }
    taken.push(day);
  }
  return true;
}

type ClaimKey = Pick<
  Claim,
  'bookingId' | 'start' | 'end' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'
>;

const sameClaim = (a: ClaimKey, b: ClaimKey) => a.bookingId === b.bookingId && a.start === b.start;

/**
 * Turns a hold into a lasting claim, once its booking is stored. `false` when the hold is gone
 * (it expired and was resolved away): the caller must then undo the booking.
 */
export async function confirmClaim(
  store: TenantStore,
  staffId: string,
  claim: ClaimKey,
  resolve: HoldResolver,
): Promise<boolean> {
  for (const day of claimDays(claim)) {
    let missing = false;
    await updateDay(store, staffId, day, resolve, (claims) => {
      const present = claims.find((c) => sameClaim(c, claim));
      if (!present) missing = true;
      if (!present || present.expiresAt === undefined) return undefined;
      return claims.map((c) => {
        if (!sameClaim(c, claim)) return c;
        const { expiresAt: _held, ...confirmed } = c;
        return confirmed;
      });
    });
    if (missing) return false;
  }
  return true;
}

/**
 * Turns a lasting claim back into a hold before its booking is cancelled or moved. Should the
 * process stop before the claim is released, the hold expires and is resolved against the
 * booking (now cancelled or elsewhere), so the time cannot stay blocked for ever.
 */
export async function demoteClaim(
  store: TenantStore,
  staffId: string,
  claim: ClaimKey,
  resolve: HoldResolver,
): Promise<void> {
  const expiresAt = clockNow() + HOLD_MS;
  for (const day of claimDays(claim)) {
    await updateDay(store, staffId, day, resolve, (claims) =>
      claims.some((c) => sameClaim(c, claim))
        ? claims.map((c) => (sameClaim(c, claim) ? { ...c, expiresAt } : c))
        : undefined,
    );
  }
}

/**
 * Decides a claim by its booking, as an expired hold would be decided, without waiting for the
 * expiry: kept (confirmed) if the booking stands at that time, released otherwise. Used where a
 * write failed half-way and what happened meanwhile is unknown.
 */
export async function settleClaim(
  store: TenantStore,
  staffId: string,
  claim: Claim,
  resolve: HoldResolver,
): Promise<void> {
  if ((await resolve(claim, staffId)) === 'confirmed')
    await confirmClaim(store, staffId, claim, resolve);
  else await releaseClaim(store, staffId, claim, resolve);
}

/** Gives a claim's time back at once (cancellation, reschedule, or a failed create). */
export async function releaseClaim(
  store: TenantStore,
  staffId: string,
  claim: ClaimKey,
  resolve: HoldResolver,
  days: string[] = claimDays(claim),
): Promise<void> {
  for (const day of days) {
    await updateDay(store, staffId, day, resolve, (claims) =>
      claims.some((c) => sameClaim(c, claim))
        ? claims.filter((c) => !sameClaim(c, claim))
        : undefined,
    );
  }
}

export interface LedgerInterval extends BookedInterval {
  bookingId: string;
}

/**
 * The claimed intervals of some staff between two instants, as the availability engine wants
 * them. Holds count as busy until resolved, so a slot is never listed while someone holds it.
 */
export async function loadClaims(
  store: TenantStore,
  staffIds: string[],
  from: number,
  to: number,
): Promise<LedgerInterval[]> {
  if (staffIds.length === 0) return [];
  const ledgers = await store.query<LedgerRecord>(
    sql`SELECT * FROM c WHERE c.type = 'ledger' AND c.day >= @from AND c.day <= @to AND ARRAY_CONTAINS(@staffIds, c.staffId)`,
    { '@from': utcDay(from - DAY), '@to': utcDay(to + DAY), '@staffIds': staffIds },
  );
  const seen = new Set<string>();
  const intervals: LedgerInterval[] = [];
  for (const ledger of ledgers) {
    for (const claim of ledger.claims) {
      const key = `${ledger.staffId}|${claim.bookingId}|${claim.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      intervals.push({
        bookingId: claim.bookingId,
        staffId: ledger.staffId,
        serviceId: claim.serviceId,
        start: claim.start,
        end: claim.end,
        bufferBeforeMinutes: claim.bufferBeforeMinutes,
        bufferAfterMinutes: claim.bufferAfterMinutes,
        seats: claim.seats,
      });
    }
  }
  return intervals;
}

/** Resolves every expired hold in one ledger day (used by the sweeper). */
export async function sweepLedgerDay(
  store: TenantStore,
  staffId: string,
  day: string,
  resolve: HoldResolver,
): Promise<void> {
  await updateDay(store, staffId, day, resolve, () => undefined);
}
