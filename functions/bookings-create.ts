import { optionalCustomer } from '../shared/auth/customers.js';
import { createBooking, createBookingOnce } from '../shared/booking/bookings.js';
import { readIdempotencyKey } from '../shared/booking/idempotency.js';
import {
  bookingRequestSchema,
  bookingResponseSchema,
  slugParamsSchema,
} from '../shared/booking/schemas.js';
import { json, readJson, readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { storeForSlug } from '../shared/tenants/directory.js';

export default defineHttp({
  name: 'bookings-create',
  route: 'public/{slug}/bookings',
  methods: ['POST'],
  handler: async (request) => {
    const { slug } = readParams(request, slugParamsSchema);
    const key = readIdempotencyKey(request.headers.get('idempotency-key'));
    const input = await readJson(request, bookingRequestSchema);
    const store = await storeForSlug(slug);
    const customer = await optionalCustomer(request, store);
    const options = customer ? { customerUserId: customer.userId } : {};
    if (!key) return json(201, await createBooking(store, input, options));

    const outcome = await createBookingOnce(store, key, input, options);
    return json(
      outcome.status,
      outcome.body,
      outcome.replayed ? { 'idempotent-replayed': 'true' } : {},
    );
  },
  docs: {
    summary: 'Book a slot, as a guest or (with a customer access token) as a signed-in customer',
    tag: 'public',
    params: slugParamsSchema,
    body: bookingRequestSchema,
    headers: [
      {
        name: 'Idempotency-Key',
        description:
          'Retries with the same key and body return the first response instead of booking twice.',
      },
      {
        name: 'Authorization',
        description:
          'Optional `Bearer <customer access token>`: the booking is listed under the customer’s account.',
      },
    ],
    responses: {
      201: {
        description: 'Booked. `manageToken` is shown only here.',
        schema: bookingResponseSchema,
      },
    },
    errors: [401, 403, 404, 409],
  },
});
