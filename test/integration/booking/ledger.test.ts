import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { BookingRecord } from '../../../shared/booking/bookings.js';
import { holdResolverFor } from '../../../shared/booking/bookings.js';
import {
  claimsConflict,
  confirmClaim,
  demoteClaim,
  HOLD_MS,
  holdClaim,
  loadClaims,
  releaseClaim,
  type Claim,
  type LedgerRecord,
} from '../../../shared/booking/ledger.js';
import { sweep } from '../../../shared/booking/sweeper.js';
import { newId } from '../../../shared/crypto/hash.js';
import { sql } from '../../../shared/cosmos/sql.js';
import { TenantStore, trustTenantId } from '../../../shared/cosmos/tenant-store.js';
import { resetClock, setClock } from '../../../shared/runtime/clock.js';
import { useOwnDatabase } from '../../support/env.js';

const T0 = Date.parse('2031-03-03T09:00:00Z');
const HOUR = 3_600_000;

// The sweeper scans every tenant, at these tests' clock: on a database of their own.
beforeAll(async () => {
  await useOwnDatabase();
});
afterEach(() => resetClock());

function freshStore(): TenantStore {
  return TenantStore.for(trustTenantId(newId('tnt')));
}

function claim(start: number, overrides: Partial<Claim> = {}): Claim {
  return {
    bookingId: newId('bkg'),
    serviceId: 'svc_a',
    start,
    end: start + HOUR,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    seats: 1,
    capacity: 1,
    ...overrides,
  };
}

/** Stores the booking a claim stands for, as `createBooking` would. */
async function storeBooking(
  store: TenantStore,
  staffId: string,
  c: Claim,
  status: BookingRecord['status'] = 'confirmed',
) {
  await store.create<BookingRecord>({
    id: c.bookingId,
    type: 'booking',
    serviceId: c.serviceId,
    serviceName: 'Test',
    staffId,
    start: new Date(c.start).toISOString(),
    end: new Date(c.end).toISOString(),
    durationMinutes: (c.end - c.start) / 60_000,
    bufferBeforeMinutes: c.bufferBeforeMinutes,
    bufferAfterMinutes: c.bufferAfterMinutes,
    capacity: c.capacity,
    seats: c.seats,
    status,
    customer: { name: 'Test', email: 'test@example.com' },
    answers: [],
    timeZone: 'UTC',
    manageTokenNonce: 'n',
    manageTokenHash: 'h',
    sequence: 0,
    createdAt: new Date(T0).toISOString(),
    updatedAt: new Date(T0).toISOString(),
  });
}

describe('claimsConflict', () => {
  it('lets buffers overlap each other but not a booking', () => {
    const a = claim(T0, { bufferAfterMinutes: 30 });
    // a's buffer after and b's buffer before cover the same half hour: allowed.
    expect(claimsConflict(a, claim(T0 + HOUR + 30 * 60_000, { bufferBeforeMinutes: 30 }))).toBe(
      false,
    );
    expect(claimsConflict(a, claim(T0 + HOUR, { bufferBeforeMinutes: 30 }))).toBe(true);
    expect(claimsConflict(a, claim(T0 + HOUR + 29 * 60_000))).toBe(true);
    expect(claimsConflict(a, claim(T0 + HOUR + 30 * 60_000))).toBe(false);
    expect(
      claimsConflict(claim(T0), claim(T0 + HOUR + 10 * 60_000, { bufferBeforeMinutes: 11 })),
    ).toBe(true);
  });
});

describe('ledger', () => {
  it('refuses an overlapping hold and accepts one after release', async () => {
    setClock(() => T0 - 24 * HOUR);
    const store = freshStore();
    const resolve = holdResolverFor(store);
    const first = claim(T0);
    expect(await holdClaim(store, 'stf_1', first, resolve)).toBe(true);
    expect(await holdClaim(store, 'stf_1', claim(T0 + HOUR / 2), resolve)).toBe(false);
    expect(await holdClaim(store, 'stf_2', claim(T0 + HOUR / 2), resolve)).toBe(true);
    await releaseClaim(store, 'stf_1', first, resolve);
    expect(await holdClaim(store, 'stf_1', claim(T0 + HOUR / 2), resolve)).toBe(true);
  });

  it('records a claim that crosses midnight UTC in both days, so either day sees it', async () => {
    setClock(() => T0 - 24 * HOUR);
    const store = freshStore();
    const resolve = holdResolverFor(store);
    const lateNight = Date.parse('2031-03-03T23:30:00Z');
    expect(await holdClaim(store, 'stf_1', claim(lateNight), resolve)).toBe(true);
    const days = await store.query<LedgerRecord>(sql`SELECT * FROM c WHERE c.type = 'ledger'`);
    expect(days.map((d) => d.day).sort()).toEqual(['2031-03-03', '2031-03-04']);
    expect(
      await holdClaim(store, 'stf_1', claim(Date.parse('2031-03-04T00:15:00Z')), resolve),
    ).toBe(false);
  });

  it('drops an expired hold whose booking was never stored (a crash after the hold)', async () => {
    let now = T0 - 24 * HOUR;
    setClock(() => now);
    const store = freshStore();
    const resolve = holdResolverFor(store);
    expect(await holdClaim(store, 'stf_1', claim(T0), resolve)).toBe(true);
    expect(await holdClaim(store, 'stf_1', claim(T0), resolve)).toBe(false);
    now += HOLD_MS + 1;
    expect(await holdClaim(store, 'stf_1', claim(T0), resolve)).toBe(true);
  });

  it('keeps an expired hold whose booking was stored (a crash before confirming), and the sweeper confirms it', async () => {
    let now = T0 - 24 * HOUR;
    setClock(() => now);
    const store = freshStore();
    const resolve = holdResolverFor(store);
    const held = claim(T0);
    expect(await holdClaim(store, 'stf_1', held, resolve)).toBe(true);
    await storeBooking(store, 'stf_1', held);
    now += HOLD_MS + 1;

    expect(await holdClaim(store, 'stf_1', claim(T0), resolve)).toBe(false);
    await sweep(now);
    const [ledger] = await store.query<LedgerRecord>(sql`SELECT * FROM c WHERE c.type = 'ledger'`);
    expect(ledger?.holds).toBe(false);
    expect(ledger?.claims.map((c) => [c.bookingId, c.expiresAt])).toEqual([
      [held.bookingId, undefined],
    ]);
  });

  it('frees the time of a booking cancelled by a process that stopped before releasing it', async () => {
    let now = T0 - 24 * HOUR;
    setClock(() => now);
    const store = freshStore();
    const resolve = holdResolverFor(store);
    const booked = claim(T0);
    await holdClaim(store, 'stf_1', booked, resolve);
    await storeBooking(store, 'stf_1', booked);
    expect(await confirmClaim(store, 'stf_1', booked, resolve)).toBe(true);

    // cancelBooking's first two steps, then a crash before releaseClaim:
    await demoteClaim(store, 'stf_1', booked, resolve);
    await store.update<BookingRecord>('booking', booked.bookingId, (b) => ({
      ...b,
      status: 'cancelled',
    }));
    expect(await loadClaims(store, ['stf_1'], T0 - HOUR, T0 + HOUR)).toHaveLength(1);

    now += HOLD_MS + 1;
    await sweep(now);
    expect(await loadClaims(store, ['stf_1'], T0 - HOUR, T0 + HOUR)).toEqual([]);
  });

  it('serializes many simultaneous holds: exactly one of 25 wins one interval', async () => {
    setClock(() => T0 - 24 * HOUR);
    const store = freshStore();
    const resolve = holdResolverFor(store);
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        holdClaim(store, 'stf_1', claim(T0 + (i % 5) * 60_000), resolve),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('seats a group session up to its capacity', async () => {
    setClock(() => T0 - 24 * HOUR);
    const store = freshStore();
    const resolve = holdResolverFor(store);
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        holdClaim(store, 'stf_1', claim(T0, { capacity: 4 }), resolve),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(4);
    expect(await holdClaim(store, 'stf_1', claim(T0 + 30 * 60_000, { capacity: 4 }), resolve)).toBe(
      false,
    );
  });
});

describe('sweep', () => {
  it('purges idempotency records past their expiry and keeps live ones', async () => {
    const store = freshStore();
    const now = Date.parse('2031-03-03T09:00:00Z');
    const record = (id: string, expiresAt: number) => ({
      id,
      type: 'idempotency' as const,
      state: 'done' as const,
      requestHash: 'h',
      status: 201,
      body: {},
      createdAt: expiresAt - 86_400_000,
      expiresAt,
      ttl: 86_400,
    });
    await store.create(record('idem:old', now - 1));
    await store.create(record('idem:live', now + 60_000));

    const report = await sweep(now);
    expect(report.idempotencyRecordsPurged).toBeGreaterThanOrEqual(1);
    expect(await store.read('idempotency', 'idem:old')).toBeUndefined();
    expect(await store.read('idempotency', 'idem:live')).toMatchObject({ id: 'idem:live' });
  });
});
