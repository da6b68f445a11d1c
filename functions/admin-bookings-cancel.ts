import { authorize, PEOPLE } from '../shared/auth/guard.js';
import { bookingAccessFor } from '../shared/auth/policy.js';
import { cancelBooking, toBookingView } from '../shared/booking/bookings.js';
import { bookingViewSchema, cancelRequestSchema } from '../shared/booking/schemas.js';
import { json, readOptionalJson, readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { idParamsSchema } from '../shared/validation/common.js';

export default defineHttp({
  name: 'admin-bookings-cancel',
  route: 'admin/bookings/{id}/cancel',
  methods: ['POST'],
  handler: async (request) => {
    const principal = await authorize(request, { roles: PEOPLE, scope: 'bookings:write' });
    const { id } = readParams(request, idParamsSchema);
    const { reason } = await readOptionalJson(request, cancelRequestSchema);
    const access = bookingAccessFor(principal);
    return json(
      200,
      toBookingView(await cancelBooking(principal.store, id, 'business', reason, access)),
    );
  },
  docs: {
    summary: 'Cancel a booking as the business (staff: their own only); the customer is told',
    tag: 'admin',
    auth: true,
    scope: 'bookings:write',
    params: idParamsSchema,
    responses: { 200: { description: 'Cancelled.', schema: bookingViewSchema } },
    errors: [401, 403, 404, 409, 422],
  },
});
