import { authorize, MANAGERS } from '../shared/auth/guard.js';
import { deleteService } from '../shared/catalog/removal.js';
import { readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { idParamsSchema } from '../shared/validation/common.js';

export default defineHttp({
  name: 'service-delete',
  route: 'admin/services/{id}',
  methods: ['DELETE'],
  handler: async (request) => {
    const { store } = await authorize(request, { roles: MANAGERS, scope: 'catalog:write' });
    const { id } = readParams(request, idParamsSchema);
    await deleteService(store, id);
    return { status: 204 };
  },
  docs: {
    summary:
      'Remove a service; 409 while it has upcoming bookings (cancel those first, or wait until they have taken place)',
    tag: 'admin',
    auth: true,
    scope: 'catalog:write',
    params: idParamsSchema,
    responses: { 204: { description: 'Removed.', schema: null } },
    errors: [401, 403, 404, 409],
  },
});
