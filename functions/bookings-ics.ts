import { getBookingWithToken } from '../shared/booking/bookings.js';
import { BOOKING_TOKEN_DOCS, readManageToken } from '../shared/booking/manage-request.js';
import { bookingParamsSchema } from '../shared/booking/schemas.js';
import { readParams } from '../shared/http/respond.js';
import { composeBookingEventFile } from '../shared/notifications/booking-email.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { storeForSlug } from '../shared/tenants/directory.js';
import { loadTenant } from '../shared/tenants/tenant.js';

/**
 * The booking as an iCalendar file, for the "add to calendar" download on the confirmation and
 * manage pages, which fetch it with the token in its header and save it from a Blob. Same token
 * as the other manage routes; a wrong one is the same 404.
 */
export default defineHttp({
  name: 'bookings-ics',
  route: 'public/{slug}/bookings/{id}/ics',
  methods: ['GET'],
  handler: async (request) => {
    const { slug, id } = readParams(request, bookingParamsSchema);
    const token = readManageToken(request);
    const store = await storeForSlug(slug);
    const booking = await getBookingWithToken(store, id, token);
    const tenant = await loadTenant(store);
    const file = composeBookingEventFile(
      booking,
      { name: tenant.businessName, slug: tenant.slug },
      token,
    );
    return {
      status: 200,
      body: file,
      headers: {
        'content-type': 'text/calendar; charset=utf-8',
        'content-disposition': `attachment; filename="booking-${booking.id}.ics"`,
        'cache-control': 'no-store',
      },
    };
  },
  docs: {
    summary: 'A booking as an iCalendar (`text/calendar`) file, for the holder of its manage link',
    tag: 'public',
    params: bookingParamsSchema,
    headers: [BOOKING_TOKEN_DOCS],
    responses: {
      200: {
        description:
          'The event (`METHOD:PUBLISH`, same UID and SEQUENCE as the emailed invitation), as an attachment.',
      },
    },
    errors: [404, 422],
  },
});
