import { authorize, MANAGERS } from '../shared/auth/guard.js';
import {
  replaceStaff,
  staffInputSchema,
  staffSchema,
  toStaffView,
} from '../shared/catalog/staff.js';
import { json, readJson, readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { idParamsSchema } from '../shared/validation/common.js';

export default defineHttp({
  name: 'staff-update',
  route: 'admin/staff/{id}',
  methods: ['PUT'],
  handler: async (request) => {
    const { store } = await authorize(request, { roles: MANAGERS, scope: 'catalog:write' });
    const { id } = readParams(request, idParamsSchema);
    const input = await readJson(request, staffInputSchema);
    return json(200, toStaffView(await replaceStaff(store, id, input)));
  },
  docs: {
    summary: 'Replace a staff member',
    tag: 'admin',
    auth: true,
    scope: 'catalog:write',
    params: idParamsSchema,
    body: staffInputSchema,
    responses: { 200: { description: 'Replaced.', schema: staffSchema } },
    errors: [401, 403, 404],
  },
});
