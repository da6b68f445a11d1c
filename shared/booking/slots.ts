import { computeSlots } from '../availability/engine.js';
import { loadBusyBlocks } from '../calendars/busy.js';
import { getService, toRules } from '../catalog/services.js';
import { listStaff, toSchedule } from '../catalog/staff.js';
import type { TenantStore } from '../cosmos/tenant-store.js';
import { ValidationError } from '../errors.js';
import { now as clockNow } from '../runtime/clock.js';
import { addDays, localDateRangeToInstants, ZoneOffsets } from '../time/zones.js';
import { loadTenant } from '../tenants/tenant.js';
import { loadClaims } from './ledger.js';
import type { SlotsQuery } from './schemas.js';

/** Longest range one slot request may cover, in days. */
export const MAX_SLOT_RANGE_DAYS = 93;

/**
 * Most candidate starts one request may make the engine weigh (staff x days x grid steps a day).
 * A public, unauthenticated route must not let one request occupy the server for seconds: a
 * business with many staff on a fine grid asks for fewer days at a time instead.
 */
export const MAX_SLOT_CANDIDATES = 100_000;

function assertAffordable(
  staffCount: number,
  stepMinutes: number,
  start: string,
  end: string,
): void {
  const days = Math.round(
    (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY,
  );
  const perDay = staffCount * Math.ceil(1440 / stepMinutes);
  if (perDay * days <= MAX_SLOT_CANDIDATES) return;
  const maxDays = Math.max(1, Math.floor(MAX_SLOT_CANDIDATES / perDay));
  throw new ValidationError([
    {
      path: 'query.end',
      message: `must be at most ${maxDays} days after start for this service (or name a staffId)`,
    },
  ]);
}
const DAY = 86_400_000;

/**
 * The bookable slots of a service between two local dates (end excluded) in the asked zone.
 * Existing claims and busy blocks are loaded with a margin of two days on each side, enough for
 * the longest booking plus its buffers to reach into the range.
 */
export async function listSlots(store: TenantStore, query: SlotsQuery, ignoreBookingId?: string) {
  // The three catalogue reads do not depend on each other: one round trip instead of three.
  const [tenant, service, allStaff] = await Promise.all([
    loadTenant(store),
    getService(store, query.serviceId).catch(() => {
      throw new ValidationError([{ path: 'query.serviceId', message: 'no service has this id' }]);
    }),
    listStaff(store),
  ]);
  const zone = query.timeZone ?? tenant.timeZone;
  if (query.end <= query.start) {
    throw new ValidationError([
      { path: 'query.end', message: 'must be after start (end is excluded)' },
    ]);
  }
  if (query.end > addDays(query.start, MAX_SLOT_RANGE_DAYS)) {
    throw new ValidationError([
      { path: 'query.end', message: `must be at most ${MAX_SLOT_RANGE_DAYS} days after start` },
    ]);
  }
  const { from, to } = localDateRangeToInstants(query.start, query.end, zone);

  let staff = allStaff.filter((member) => service.staffIds.includes(member.id));
  if (query.staffId !== undefined) {
    staff = staff.filter((member) => member.id === query.staffId);
    if (staff.length === 0) {
      throw new ValidationError([
        { path: 'query.staffId', message: 'does not perform this service' },
      ]);
    }
  }
  assertAffordable(staff.length, service.slotIntervalMinutes, query.start, query.end);
  const staffIds = staff.map((member) => member.id);
  const [bookings, busy] = await Promise.all([
    loadClaims(store, staffIds, from - 2 * DAY, to + 2 * DAY),
    loadBusyBlocks(store, staffIds, from - 2 * DAY, to + 2 * DAY),
  ]);

  const slots = computeSlots({
    now: clockNow(),
    from,
    to,
    service: toRules(service),
    staff: staff.map(toSchedule),
    // A booking being moved does not stand in its own way.
    bookings: bookings.filter((claim) => claim.bookingId !== ignoreBookingId),
    busy,
  });
  // One offset table for the whole range: formatting each slot through Intl would cost more
  // than computing the slots.
  const offsets = ZoneOffsets.build(zone, from, to + 2 * DAY);
  return {
    timeZone: zone,
    slots: slots.map((slot) => ({
      start: offsets.format(slot.start),
      end: offsets.format(slot.end),
      staffId: slot.staffId,
      seatsLeft: slot.seatsLeft,
    })),
  };
}
