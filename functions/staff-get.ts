import { authorize, MANAGERS } from '../shared/auth/guard.js';
import { getStaff, staffSchema, toStaffView } from '../shared/catalog/staff.js';
import { etagDocs, etagHeader } from '../shared/http/conditional.js';
import { json, readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { idParamsSchema } from '../shared/validation/common.js';

export default defineHttp({
  name: 'staff-get',
  route: 'admin/staff/{id}',
  methods: ['GET'],
  handler: async (request) => {
    const { store } = await authorize(request, { roles: MANAGERS, scope: 'catalog:read' });
    const { id } = readParams(request, idParamsSchema);
    const member = await getStaff(store, id);
    return json(200, toStaffView(member), etagHeader(member));
  },
  docs: {
    summary: 'Get one staff member',
    tag: 'admin',
    auth: true,
    scope: 'catalog:read',
    params: idParamsSchema,
    responses: {
      200: { description: 'Found.', headers: etagDocs('staff member'), schema: staffSchema },
    },
    errors: [401, 403, 404],
  },
});
