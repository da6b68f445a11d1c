import { getBookingWithToken, toBookingView } from '../shared/booking/bookings.js';
import { BOOKING_TOKEN_DOCS, readManageToken } from '../shared/booking/manage-request.js';
import { bookingParamsSchema, bookingViewSchema } from '../shared/booking/schemas.js';
import { json, readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { storeForSlug } from '../shared/tenants/directory.js';

export default defineHttp({
  name: 'bookings-get',
  route: 'public/{slug}/bookings/{id}',
  methods: ['GET'],
  handler: async (request) => {
    const { slug, id } = readParams(request, bookingParamsSchema);
    const token = readManageToken(request);
    const store = await storeForSlug(slug);
    return json(200, toBookingView(await getBookingWithToken(store, id, token)));
  },
  docs: {
    summary: 'A booking, for the holder of its manage link',
    tag: 'public',
    params: bookingParamsSchema,
    headers: [BOOKING_TOKEN_DOCS],
    responses: { 200: { description: 'The booking.', schema: bookingViewSchema } },
    errors: [404, 422],
  },
});
