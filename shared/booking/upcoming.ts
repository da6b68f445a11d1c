import { sql } from '../cosmos/sql.js';
import type { TenantDoc, TenantStore } from '../cosmos/tenant-store.js';
import { ConflictError } from '../errors.js';
import { now as clockNow } from '../runtime/clock.js';
import { loadTenant } from '../tenants/tenant.js';
import { formatInZone } from '../time/zones.js';

// The catalogue calls this module, and `bookings.ts` imports the catalogue: so this reads
// bookings by itself and imports neither, which keeps the modules free of import cycles.

/**
 * The bookings a catalogue change would strand: one staff member's, one service's, or one
 * service's with some of its staff.
 */
export type UpcomingScope = { staffId: string } | { serviceId: string; staffIds?: string[] };

interface UpcomingRow extends TenantDoc {
  start: string;
  staffId: string;
}

/** Confirmed bookings in `scope` that have not started at `now`, earliest first. */
async function listUpcoming(store: TenantStore, scope: UpcomingScope, now: number) {
  // Starts are stored as UTC ISO text, so they compare with `now` as text.
  const after = new Date(now).toISOString();
  if ('staffId' in scope) {
    return store.query<UpcomingRow>(
      sql`SELECT c.id, c.tenantId, c.type, c.start, c.staffId FROM c WHERE c.type = 'booking' AND c.staffId = @staffId AND c.status = 'confirmed' AND c.start > @now ORDER BY c.start`,
      { '@staffId': scope.staffId, '@now': after },
    );
  }
  if (scope.staffIds) {
    return store.query<UpcomingRow>(
      sql`SELECT c.id, c.tenantId, c.type, c.start, c.staffId FROM c WHERE c.type = 'booking' AND c.serviceId = @serviceId AND ARRAY_CONTAINS(@staffIds, c.staffId) AND c.status = 'confirmed' AND c.start > @now ORDER BY c.start`,
      { '@serviceId': scope.serviceId, '@staffIds': scope.staffIds, '@now': after },
    );
  }
  return store.query<UpcomingRow>(
    sql`SELECT c.id, c.tenantId, c.type, c.start, c.staffId FROM c WHERE c.type = 'booking' AND c.serviceId = @serviceId AND c.status = 'confirmed' AND c.start > @now ORDER BY c.start`,
    { '@serviceId': scope.serviceId, '@now': after },
  );
}

/** What stands in the way of a catalogue change, for the message that refuses it. */
export interface UpcomingBookings {
  count: number;
  /** The staff members they are with, each once, in the order of their first booking. */
  staffIds: string[];
  /**
   * How many and when the first is, with words after "bookings" if given: `summary('of this
   * service')` is `2 upcoming bookings of this service, the first on 2030-01-07 at 10:00
   * (Europe/London)`.
   */
  summary: (qualifier?: string) => string;
  /** `it` for one booking, else `them`. */
  pronoun: 'it' | 'them';
}

/**
 * Refuses (409 `conflict`) a catalogue change while confirmed bookings in `scope` have not
 * started yet: they would be left with a staff member or service that no longer exists, and
 * could then never be moved. Past and cancelled bookings do not count. `message` words the
 * refusal from what was found (it should say what to do); `details` carries the same for
 * programs: `{ upcomingBookings, firstStart, staffIds }`, the first start in the business's zone.
 *
 * This is a check, not a lock: a booking made in the instant between it and the change still
 * lands (see docs/architecture.md, "Removing staff and services").
 */
export async function assertNoUpcomingBookings(
  store: TenantStore,
  scope: UpcomingScope,
  message: (found: UpcomingBookings) => string,
): Promise<void> {
  const rows = await listUpcoming(store, scope, clockNow());
  const first = rows[0];
  if (!first) return;

  const zone = (await loadTenant(store)).timeZone;
  const firstStart = formatInZone(Date.parse(first.start), zone);
  const when = `${firstStart.slice(0, 10)} at ${firstStart.slice(11, 16)} (${zone})`;
  const count = rows.length;
  const found: UpcomingBookings = {
    count,
    staffIds: [...new Set(rows.map((row) => row.staffId))],
    summary: (qualifier) => {
      const what = `${count} upcoming ${count === 1 ? 'booking' : 'bookings'}`;
      const qualified = qualifier ? `${what} ${qualifier}` : what;
      return count === 1 ? `${qualified}, on ${when}` : `${qualified}, the first on ${when}`;
    },
    pronoun: count === 1 ? 'it' : 'them',
  };
  throw new ConflictError('conflict', message(found), {
    upcomingBookings: count,
    firstStart,
    staffIds: found.staffIds,
  });
}
