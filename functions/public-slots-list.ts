import { getBookingWithToken } from '../shared/booking/bookings.js';
import {
  BOOKING_TOKEN_DOCS,
  pairRescheduling,
  readOptionalManageToken,
} from '../shared/booking/manage-request.js';
import {
  slotsQuerySchema,
  slotsResponseSchema,
  slugParamsSchema,
} from '../shared/booking/schemas.js';
import { listSlots } from '../shared/booking/slots.js';
import { json, readParams, readQuery } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { storeForSlug } from '../shared/tenants/directory.js';

export default defineHttp({
  name: 'public-slots-list',
  route: 'public/{slug}/slots',
  methods: ['GET'],
  handler: async (request) => {
    const { slug } = readParams(request, slugParamsSchema);
    // Before the query, so a `?token=` left from the old form hears where the token goes now.
    const token = readOptionalManageToken(request);
    const query = readQuery(request, slotsQuerySchema);
    const moving = pairRescheduling(query.rescheduling, token);
    const store = await storeForSlug(slug);
    // Only the holder of a booking's manage link may see past that booking's own time.
    const booking = moving && (await getBookingWithToken(store, moving.id, moving.token));
    return json(200, await listSlots(store, query, booking?.id));
  },
  docs: {
    summary: 'Bookable slots of a service between two local dates (end excluded)',
    tag: 'public',
    params: slugParamsSchema,
    query: slotsQuerySchema,
    headers: [
      {
        ...BOOKING_TOKEN_DOCS,
        required: false,
        description:
          'With `rescheduling` only, and then required: the manage token of the booking being moved, whose own time then counts as free. Never in the query string: `?token=` is refused with 422.',
      },
    ],
    responses: { 200: { description: 'Slots sorted by start.', schema: slotsResponseSchema } },
    errors: [404, 422],
  },
});
