import { authorize, MANAGERS } from '../shared/auth/guard.js';
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
    const { store } = await authorize(request, { roles: MANAGERS, scope: 'bookings:write' });
    const { id } = readParams(request, idParamsSchema);
    const { reason } = await readOptionalJson(request, cancelRequestSchema);
    return json(200, toBookingView(await cancelBooking(store, id, 'business', reason)));
  },
  docs: {
    summary: 'Cancel a booking as the business; the customer is told',
    tag: 'admin',
    auth: true,
    scope: 'bookings:write',
    params: idParamsSchema,
    responses: { 200: { description: 'Cancelled.', schema: bookingViewSchema } },
    errors: [401, 403, 404, 409, 422],
  },
});
