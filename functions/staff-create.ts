import { authorize, MANAGERS } from '../shared/auth/guard.js';
import {
  createStaff,
  staffInputSchema,
  staffSchema,
  toStaffView,
} from '../shared/catalog/staff.js';
import { etagDocs, etagHeader } from '../shared/http/conditional.js';
import { json, readJson } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'staff-create',
  route: 'admin/staff',
  methods: ['POST'],
  handler: async (request) => {
    const { store } = await authorize(request, { roles: MANAGERS, scope: 'catalog:write' });
    const input = await readJson(request, staffInputSchema);
    const member = await createStaff(store, input);
    return json(201, toStaffView(member), etagHeader(member));
  },
  docs: {
    summary: 'Add a staff member',
    tag: 'admin',
    auth: true,
    scope: 'catalog:write',
    body: staffInputSchema,
    responses: {
      201: { description: 'Created.', headers: etagDocs('staff member'), schema: staffSchema },
    },
    errors: [401, 403],
  },
});
