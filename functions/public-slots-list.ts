import {
  slotsQuerySchema,
  slotsResponseSchema,
  slugParamsSchema,
} from '../shared/booking/schemas.js';
import { getBookingWithToken } from '../shared/booking/bookings.js';
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
    const query = readQuery(request, slotsQuerySchema);
    const store = await storeForSlug(slug);
    // Only the holder of a booking's manage link may see past that booking's own time.
    const moving = query.rescheduling
      ? await getBookingWithToken(store, query.rescheduling, query.token ?? '')
      : undefined;
    return json(200, await listSlots(store, query, moving?.id));
  },
  docs: {
    summary: 'Bookable slots of a service between two local dates (end excluded)',
    tag: 'public',
    params: slugParamsSchema,
    query: slotsQuerySchema,
    responses: { 200: { description: 'Slots sorted by start.', schema: slotsResponseSchema } },
    errors: [404, 422],
  },
});
