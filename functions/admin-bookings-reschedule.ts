import { authorize, PEOPLE } from '../shared/auth/guard.js';
import { bookingAccessFor } from '../shared/auth/policy.js';
import { rescheduleBooking, toBookingView } from '../shared/booking/bookings.js';
import { bookingViewSchema, rescheduleRequestSchema } from '../shared/booking/schemas.js';
import { json, readJson, readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { idParamsSchema } from '../shared/validation/common.js';

export default defineHttp({
  name: 'admin-bookings-reschedule',
  route: 'admin/bookings/{id}/reschedule',
  methods: ['POST'],
  handler: async (request) => {
    const principal = await authorize(request, { roles: PEOPLE, scope: 'bookings:write' });
    const { id } = readParams(request, idParamsSchema);
    const input = await readJson(request, rescheduleRequestSchema);
    const access = bookingAccessFor(principal);
    return json(200, toBookingView(await rescheduleBooking(principal.store, id, input, access)));
  },
  docs: {
    summary: 'Move a booking to another offered time as the business (staff: their own only)',
    tag: 'admin',
    auth: true,
    scope: 'bookings:write',
    params: idParamsSchema,
    body: rescheduleRequestSchema,
    responses: { 200: { description: 'Moved.', schema: bookingViewSchema } },
    errors: [401, 403, 404, 409],
  },
});
