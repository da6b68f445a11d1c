import { authorize, MANAGERS } from '../shared/auth/guard.js';
import { deleteStaff } from '../shared/catalog/removal.js';
import { readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { idParamsSchema } from '../shared/validation/common.js';

export default defineHttp({
  name: 'staff-delete',
  route: 'admin/staff/{id}',
  methods: ['DELETE'],
  handler: async (request) => {
    const { store } = await authorize(request, { roles: MANAGERS, scope: 'catalog:write' });
    const { id } = readParams(request, idParamsSchema);
    await deleteStaff(store, id);
    return { status: 204 };
  },
  docs: {
    summary:
      'Remove a staff member and take them off every service; 409 while they have upcoming bookings (move or cancel those first)',
    tag: 'admin',
    auth: true,
    scope: 'catalog:write',
    params: idParamsSchema,
    responses: { 204: { description: 'Removed.', schema: null } },
    errors: [401, 403, 404, 409],
  },
});
