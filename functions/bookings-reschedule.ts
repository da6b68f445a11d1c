import {
  getBookingWithToken,
  rescheduleBooking,
  toBookingView,
} from '../shared/booking/bookings.js';
import { BOOKING_TOKEN_DOCS, readManageToken } from '../shared/booking/manage-request.js';
import {
  bookingParamsSchema,
  bookingViewSchema,
  rescheduleRequestSchema,
} from '../shared/booking/schemas.js';
import { json, readJson, readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { storeForSlug } from '../shared/tenants/directory.js';

export default defineHttp({
  name: 'bookings-reschedule',
  route: 'public/{slug}/bookings/{id}/reschedule',
  methods: ['POST'],
  handler: async (request) => {
    const { slug, id } = readParams(request, bookingParamsSchema);
    const token = readManageToken(request);
    const input = await readJson(request, rescheduleRequestSchema);
    const store = await storeForSlug(slug);
    await getBookingWithToken(store, id, token);
    return json(200, toBookingView(await rescheduleBooking(store, id, input)));
  },
  docs: {
    summary: 'Move a booking to another offered time through its manage link',
    tag: 'public',
    params: bookingParamsSchema,
    headers: [BOOKING_TOKEN_DOCS],
    body: rescheduleRequestSchema,
    responses: { 200: { description: 'Moved.', schema: bookingViewSchema } },
    errors: [404, 409],
  },
});
