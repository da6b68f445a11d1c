import { authorize, PEOPLE } from '../shared/auth/guard.js';
import { narrowStaffFilter } from '../shared/auth/policy.js';
import { listBookings, toBookingView } from '../shared/booking/bookings.js';
import {
  adminBookingsQuerySchema,
  adminBookingsResponseSchema,
} from '../shared/booking/schemas.js';
import { ValidationError } from '../shared/errors.js';
import { json, readQuery } from '../shared/http/respond.js';
import { now } from '../shared/runtime/clock.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { loadTenant } from '../shared/tenants/tenant.js';
import { addDays, formatInZone, localDateRangeToInstants } from '../shared/time/zones.js';

const MAX_DAYS = 92;

export default defineHttp({
  name: 'admin-bookings-list',
  route: 'admin/bookings',
  methods: ['GET'],
  handler: async (request) => {
    const principal = await authorize(request, { roles: PEOPLE, scope: 'bookings:read' });
    const { store } = principal;
    const query = readQuery(request, adminBookingsQuerySchema);
    const zone = query.timeZone ?? (await loadTenant(store)).timeZone;
    const from = query.from ?? formatInZone(now(), zone).slice(0, 10);
    const to = query.to ?? addDays(from, 7);
    if (to <= from || to > addDays(from, MAX_DAYS)) {
      throw new ValidationError([
        { path: 'query.to', message: `must be after from and at most ${MAX_DAYS} days later` },
      ]);
    }
    const range = localDateRangeToInstants(from, to, zone);
    const visible = narrowStaffFilter(principal, query.staffId);
    const bookings = visible
      ? await listBookings(store, range.from, range.to, { ...query, ...visible })
      : [];
    return json(200, {
      timeZone: zone,
      from,
      to,
      items: bookings.map((b) => toBookingView(b, zone)),
    });
  },
  docs: {
    summary:
      'Bookings starting between two local dates (to excluded; default: the next 7 days); staff see their own',
    tag: 'admin',
    auth: true,
    scope: 'bookings:read',
    query: adminBookingsQuerySchema,
    responses: { 200: { description: 'Earliest first.', schema: adminBookingsResponseSchema } },
    errors: [401, 403, 422],
  },
});
