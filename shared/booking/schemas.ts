import { z } from 'zod';

import { isValidLocalDate } from '../time/zones.js';
import {
  emailSchema,
  freeTextSchema,
  idSchema,
  localDateSchema,
  nameSchema,
  timeZoneSchema,
} from '../validation/common.js';

/**
 * A start time: an ISO-8601 instant with an offset (`2024-06-03T18:00:00+01:00`, `…Z`), or a
 * wall-clock time without one (`2024-06-03T18:00`), read in the zone of the request.
 */
const START_PATTERN =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,3})?)?(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)?$/;

export const startSchema = z
  .string()
  .max(40)
  .regex(START_PATTERN, {
    message: 'must be an ISO-8601 date-time such as 2024-06-03T18:00:00+01:00',
    abort: true,
  })
  .refine((value) => isValidLocalDate(value.slice(0, 10)), {
    message: 'is not a real calendar date',
  });

export const customerSchema = z.strictObject({
  name: nameSchema,
  email: emailSchema,
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9 ()-]{5,24}$/, {
      message: 'must be a phone number such as +44 20 7946 0000',
    })
    .optional(),
});

export const answersSchema = z.record(z.string().max(40), freeTextSchema(2000));

export const bookingRequestSchema = z.strictObject({
  serviceId: idSchema,
  staffId: idSchema.optional(),
  start: startSchema,
  /** The customer's zone: times in the response and the confirmation are shown in it. */
  timeZone: timeZoneSchema.optional(),
  customer: customerSchema,
  answers: answersSchema.optional(),
});
export type BookingRequest = z.infer<typeof bookingRequestSchema>;

export const rescheduleRequestSchema = z.strictObject({
  start: startSchema,
  staffId: idSchema.optional(),
  timeZone: timeZoneSchema.optional(),
});
export type RescheduleRequest = z.infer<typeof rescheduleRequestSchema>;

export const cancelRequestSchema = z.strictObject({
  reason: z.string().trim().max(500).optional(),
});

export const slotsQuerySchema = z.strictObject({
  serviceId: idSchema,
  start: localDateSchema,
  end: localDateSchema,
  timeZone: timeZoneSchema.optional(),
  staffId: idSchema.optional(),
  /**
   * A booking being moved, whose manage token comes in the `Booking-Token` header: its own time
   * is offered as free, so it can move by less than its length (10:00 -> 10:15).
   */
  rescheduling: idSchema.optional(),
});
export type SlotsQuery = z.infer<typeof slotsQuerySchema>;

export const slotsResponseSchema = z.object({
  timeZone: z.string(),
  slots: z.array(
    z.object({
      start: z.string(),
      end: z.string(),
      staffId: z.string(),
      seatsLeft: z.number().int(),
    }),
  ),
});

export const adminBookingsQuerySchema = z.strictObject({
  from: localDateSchema.optional(),
  to: localDateSchema.optional(),
  timeZone: timeZoneSchema.optional(),
  staffId: idSchema.optional(),
  status: z.enum(['confirmed', 'cancelled']).optional(),
});

/**
 * The request header that carries a booking's manage token on the public manage routes. Not the
 * query string: Azure's request logs and proxies record URLs, and the token opens the booking.
 */
export const BOOKING_TOKEN_HEADER = 'Booking-Token';

const MANAGE_TOKEN_SHAPE = "must be the manage token from the booking's link, 16 to 128 characters";

export const manageTokenSchema = z
  .string({ error: "is missing; send the manage token from the booking's link in it" })
  .min(16, MANAGE_TOKEN_SHAPE)
  .max(128, MANAGE_TOKEN_SHAPE)
  // Tokens are base64url. A header sent twice arrives joined with ', ', which would otherwise
  // read as a wrong token: a 404 that does not say what the client did wrong.
  .regex(
    /^[A-Za-z0-9_-]*$/,
    "must be one manage token from the booking's link (letters, digits, - and _), sent once",
  );

export const manageHeadersSchema = z.object({ [BOOKING_TOKEN_HEADER]: manageTokenSchema });

export const slugParamsSchema = z.strictObject({ slug: z.string().min(1).max(63) });

export const bookingParamsSchema = z.strictObject({
  slug: z.string().min(1).max(63),
  id: idSchema,
});

export const bookingViewSchema = z.object({
  id: z.string(),
  status: z.enum(['confirmed', 'cancelled']),
  start: z.string(),
  end: z.string(),
  staffId: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  seats: z.number().int(),
  timeZone: z.string(),
  customer: customerSchema,
  answers: z.array(z.object({ questionId: z.string(), label: z.string(), value: z.string() })),
  createdAt: z.string(),
  cancelledAt: z.string().optional(),
});

export const publicServicesResponseSchema = z.object({
  business: z.object({ name: z.string(), slug: z.string(), timeZone: z.string() }),
  services: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      description: z.string().optional(),
      durationMinutes: z.number().int(),
      capacity: z.number().int(),
      maxAdvanceDays: z.number().int(),
      staffIds: z.array(z.string()),
      questions: z.array(z.unknown()),
    }),
  ),
  /** Who performs the listed services, by name only: customers may choose one. */
  staff: z.array(z.object({ id: z.string(), name: z.string() })),
});

export const adminBookingsResponseSchema = z.object({
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  items: z.array(bookingViewSchema),
});

export const bookingResponseSchema = bookingViewSchema.extend({
  manageToken: z.string(),
  manageUrl: z.string(),
});
