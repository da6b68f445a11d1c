import { cancelBooking, getBookingWithToken, toBookingView } from '../shared/booking/bookings.js';
import { BOOKING_TOKEN_DOCS, readManageToken } from '../shared/booking/manage-request.js';
import {
  bookingParamsSchema,
  bookingViewSchema,
  cancelRequestSchema,
} from '../shared/booking/schemas.js';
import { json, readOptionalJson, readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { storeForSlug } from '../shared/tenants/directory.js';

export default defineHttp({
  name: 'bookings-cancel',
  route: 'public/{slug}/bookings/{id}/cancel',
  methods: ['POST'],
  handler: async (request) => {
    const { slug, id } = readParams(request, bookingParamsSchema);
    const token = readManageToken(request);
    const { reason } = await readOptionalJson(request, cancelRequestSchema);
    const store = await storeForSlug(slug);
    await getBookingWithToken(store, id, token);
    return json(200, toBookingView(await cancelBooking(store, id, 'customer', reason)));
  },
  docs: {
    summary: 'Cancel a booking through its manage link',
    tag: 'public',
    params: bookingParamsSchema,
    headers: [BOOKING_TOKEN_DOCS],
    responses: {
      200: { description: 'Cancelled; the time is free again.', schema: bookingViewSchema },
    },
    errors: [404, 409, 422],
  },
});
