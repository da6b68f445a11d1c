import { assertNoUpcomingBookings } from '../booking/upcoming.js';
import { sql } from '../cosmos/sql.js';
import type { TenantStore } from '../cosmos/tenant-store.js';
import { getService, type ServiceRecord } from './services.js';
import { getStaff, type StaffRecord } from './staff.js';

/**
 * Removing staff and services. Both stay as records, marked deleted, because past bookings
 * still name them; neither may go while it has upcoming bookings, which could then never be
 * moved (a booking moves only to a current staff member of its current service).
 */

/**
 * Removes a staff member: refused (409) while they have upcoming bookings. Their id leaves
 * every service first, so no service names someone who is gone; a service left with nobody is
 * kept for its owner to staff again, and customers do not see it meanwhile.
 */
export async function deleteStaff(store: TenantStore, id: string): Promise<void> {
  const member = await getStaff(store, id);
  await assertNoUpcomingBookings(
    store,
    { staffId: id },
    (found) =>
      `${member.name} has ${found.summary()}; move ${found.pronoun} to another staff member or cancel ${found.pronoun} first, then remove ${member.name}.`,
  );

  // Services first: a failure part-way leaves the person in place, and removing them again
  // finishes the work; the other order could leave services naming someone already gone.
  const services = await store.query<ServiceRecord>(
    sql`SELECT * FROM c WHERE c.type = 'service' AND NOT IS_DEFINED(c.deletedAt) AND ARRAY_CONTAINS(c.staffIds, @staffId)`,
    { '@staffId': id },
  );
  for (const service of services) {
    await store.update<ServiceRecord>('service', service.id, (current) =>
      current.staffIds.includes(id)
        ? {
            ...current,
            staffIds: current.staffIds.filter((staffId) => staffId !== id),
            updatedAt: new Date().toISOString(),
          }
        : undefined,
    );
  }
  await store.update<StaffRecord>('staff', id, (current) =>
    current.deletedAt ? undefined : { ...current, deletedAt: new Date().toISOString() },
  );
}

/** Stops offering a service: refused (409) while it has upcoming bookings. */
export async function deleteService(store: TenantStore, id: string): Promise<void> {
  const service = await getService(store, id);
  await assertNoUpcomingBookings(
    store,
    { serviceId: id },
    (found) =>
      `The service “${service.name}” has ${found.summary()}; cancel ${found.pronoun}, or wait until ${found.pronoun === 'it' ? 'it has' : 'they have'} taken place, before deleting the service.`,
  );
  await store.update<ServiceRecord>('service', id, (current) =>
    current.deletedAt ? undefined : { ...current, deletedAt: new Date().toISOString() },
  );
}
