import { authorize, PEOPLE } from '../shared/auth/guard.js';
import { bookingAccessFor, reachesAllBookings } from '../shared/auth/policy.js';
import {
  listRescheduleSlots,
  rescheduleSlotsQuerySchema,
} from '../shared/booking/reschedule-slots.js';
import { slotsResponseSchema } from '../shared/booking/schemas.js';
import { json, readParams, readQuery } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { idParamsSchema } from '../shared/validation/common.js';

export default defineHttp({
  name: 'admin-bookings-slots',
  route: 'admin/bookings/{id}/slots',
  methods: ['GET'],
  handler: async (request) => {
    const principal = await authorize(request, { roles: PEOPLE, scope: 'bookings:read' });
    const { id } = readParams(request, idParamsSchema);
    const query = readQuery(request, rescheduleSlotsQuerySchema);
    // Staff without the grant may move a booking only within their own times: weigh only those.
    const staffId =
      query.staffId ?? (reachesAllBookings(principal) ? undefined : principal.staffId);
    const access = bookingAccessFor(principal);
    const scoped = { ...query, ...(staffId ? { staffId } : {}) };
    return json(200, await listRescheduleSlots(principal.store, id, scoped, access));
  },
  docs: {
    summary:
      'Times a booking can move to between two local dates (end excluded), its own time counted free (staff: their own only; another staff member’s staffId is 403, as in the reschedule)',
    tag: 'admin',
    auth: true,
    scope: 'bookings:read',
    params: idParamsSchema,
    query: rescheduleSlotsQuerySchema,
    responses: { 200: { description: 'Slots sorted by start.', schema: slotsResponseSchema } },
    errors: [401, 403, 404, 409, 422],
  },
});
