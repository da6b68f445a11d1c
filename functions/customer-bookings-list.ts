import { z } from 'zod';

import { authorizeCustomer, listCustomerBookings } from '../shared/auth/customers.js';
import { toBookingView } from '../shared/booking/bookings.js';
import { bookingViewSchema, slugParamsSchema } from '../shared/booking/schemas.js';
import { json, readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { storeForSlug } from '../shared/tenants/directory.js';

export default defineHttp({
  name: 'customer-bookings-list',
  route: 'public/{slug}/me/bookings',
  methods: ['GET'],
  handler: async (request) => {
    const { slug } = readParams(request, slugParamsSchema);
    const store = await storeForSlug(slug);
    const customer = await authorizeCustomer(request, store);
    const bookings = await listCustomerBookings(store, customer.userId);
    return json(200, { items: bookings.map((booking) => toBookingView(booking)) });
  },
  docs: {
    summary: 'The signed-in customer’s own bookings at this business',
    tag: 'customers',
    auth: true,
    params: slugParamsSchema,
    responses: {
      200: {
        description: 'Earliest first.',
        schema: z.object({ items: z.array(bookingViewSchema) }),
      },
    },
    errors: [401, 403, 404],
  },
});
