import { authorizeCustomer } from '../shared/auth/customers.js';
import { bookingAccessFor } from '../shared/auth/policy.js';
import { rescheduleBooking, toBookingView } from '../shared/booking/bookings.js';
import {
  bookingParamsSchema,
  bookingViewSchema,
  rescheduleRequestSchema,
} from '../shared/booking/schemas.js';
import { json, readJson, readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { storeForSlug } from '../shared/tenants/directory.js';

export default defineHttp({
  name: 'customer-bookings-reschedule',
  route: 'public/{slug}/me/bookings/{id}/reschedule',
  methods: ['POST'],
  handler: async (request) => {
    const { slug, id } = readParams(request, bookingParamsSchema);
    const input = await readJson(request, rescheduleRequestSchema);
    const store = await storeForSlug(slug);
    const customer = await authorizeCustomer(request, store);
    const moved = await rescheduleBooking(store, id, input, bookingAccessFor(customer));
    return json(200, toBookingView(moved));
  },
  docs: {
    summary: 'Move one of the signed-in customer’s bookings to another offered time',
    tag: 'customers',
    auth: true,
    params: bookingParamsSchema,
    body: rescheduleRequestSchema,
    responses: { 200: { description: 'Moved.', schema: bookingViewSchema } },
    errors: [401, 403, 404, 409],
  },
});
