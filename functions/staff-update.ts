import { authorize, MANAGERS } from '../shared/auth/guard.js';
import {
  replaceStaff,
  staffInputSchema,
  staffSchema,
  toStaffView,
} from '../shared/catalog/staff.js';
import { etagDocs, etagHeader, ifMatchDocs, readIfMatch } from '../shared/http/conditional.js';
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
    const ifMatch = readIfMatch(request);
    const input = await readJson(request, staffInputSchema);
    const member = await replaceStaff(store, id, input, ifMatch);
    return json(200, toStaffView(member), etagHeader(member));
  },
  docs: {
    summary: 'Replace a staff member',
    tag: 'admin',
    auth: true,
    scope: 'catalog:write',
    params: idParamsSchema,
    headers: [ifMatchDocs('staff member')],
    body: staffInputSchema,
    responses: {
      200: { description: 'Replaced.', headers: etagDocs('staff member'), schema: staffSchema },
    },
    errors: [401, 403, 404, 412],
  },
});
