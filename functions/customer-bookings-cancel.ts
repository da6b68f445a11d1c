import { authorizeCustomer } from '../shared/auth/customers.js';
import { bookingAccessFor } from '../shared/auth/policy.js';
import { cancelBooking, toBookingView } from '../shared/booking/bookings.js';
import {
  bookingParamsSchema,
  bookingViewSchema,
  cancelRequestSchema,
} from '../shared/booking/schemas.js';
import { json, readOptionalJson, readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { storeForSlug } from '../shared/tenants/directory.js';

export default defineHttp({
  name: 'customer-bookings-cancel',
  route: 'public/{slug}/me/bookings/{id}/cancel',
  methods: ['POST'],
  handler: async (request) => {
    const { slug, id } = readParams(request, bookingParamsSchema);
    const { reason } = await readOptionalJson(request, cancelRequestSchema);
    const store = await storeForSlug(slug);
    const customer = await authorizeCustomer(request, store);
    const cancelled = await cancelBooking(
      store,
      id,
      'customer',
      reason,
      bookingAccessFor(customer),
    );
    return json(200, toBookingView(cancelled));
  },
  docs: {
    summary: 'Cancel one of the signed-in customer’s bookings',
    tag: 'customers',
    auth: true,
    params: bookingParamsSchema,
    responses: {
      200: { description: 'Cancelled; the time is free again.', schema: bookingViewSchema },
    },
    errors: [401, 403, 404, 409],
  },
});
