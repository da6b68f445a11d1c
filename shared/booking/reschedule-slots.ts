import { z } from 'zod';

import { getService } from '../catalog/services.js';
import type { TenantStore } from '../cosmos/tenant-store.js';
import { NotFoundError } from '../errors.js';
import { now as clockNow } from '../runtime/clock.js';
import { idSchema, localDateSchema, timeZoneSchema } from '../validation/common.js';
import {
  assertChangeable,
  assertMayMoveTo,
  getBooking,
  serviceGone,
  type BookingAccess,
} from './bookings.js';
import { listSlots } from './slots.js';

export const rescheduleSlotsQuerySchema = z.strictObject({
  start: localDateSchema,
  end: localDateSchema,
  timeZone: timeZoneSchema.optional(),
  staffId: idSchema.optional(),
});
export type RescheduleSlotsQuery = z.infer<typeof rescheduleSlotsQuerySchema>;

/**
 * The times a booking could move to, as the business: the public slot list of its service with
 * the booking's own claim taken as free (so a 60-minute booking can move by 30 minutes), and only
 * staff the caller may move it to. The rules are the slot list's, which is also what
 * `rescheduleBooking` checks a new time against, so every time listed here is accepted there
 * until someone else takes it. A booking the caller may not reach reads as missing (404); a
 * `staffId` the caller may not move it to is refused (403), as the reschedule refuses it.
 */
export async function listRescheduleSlots(
  store: TenantStore,
  id: string,
  query: RescheduleSlotsQuery,
  access: BookingAccess,
) {
  const booking = await getBooking(store, id);
  if (!access(booking)) throw new NotFoundError(`Booking ${id}`);
  assertChangeable(booking, clockNow());
  if (query.staffId) assertMayMoveTo(booking, query.staffId, access);
  await getService(store, booking.serviceId).catch(() => {
    throw serviceGone(booking);
  });

  const list = await listSlots(store, { ...query, serviceId: booking.serviceId }, booking.id);
  // The reschedule refuses a move to staff the caller may not reach; so does the list.
  const slots = list.slots.filter((slot) => access({ ...booking, staffId: slot.staffId }));
  return { timeZone: list.timeZone, slots };
}
