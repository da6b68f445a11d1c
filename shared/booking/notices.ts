import { z } from 'zod';

import { enqueueJson, QUEUES } from '../storage/queues.js';

/** What the notification queue carries: ids only, never personal data or tokens. */
export const bookingNoticeSchema = z.strictObject({
  tenantId: z.string().min(1).max(64),
  bookingId: z.string().min(1).max(64),
  kind: z.enum(['confirmed', 'rescheduled', 'cancelled']),
  /** The booking's sequence when the event happened; names the email, so redelivery overwrites. */
  sequence: z.number().int().min(0),
});
export type BookingNotice = z.infer<typeof bookingNoticeSchema>;

/**
 * Queues an email about a booking. The booking is already stored when this runs, so a queue
 * outage must not turn a successful booking into an error: the failure is reported to the
 * caller as `false` and the booking stands (the customer still has the manage link from the
 * response). A lasting outbox record would close that gap; today nothing re-sends it.
 */
export async function queueBookingNotice(notice: BookingNotice): Promise<boolean> {
  try {
    await enqueueJson(QUEUES.bookingNotifications, notice);
    return true;
  } catch {
    return false;
  }
}
