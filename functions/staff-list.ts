import { z } from 'zod';

import { authorize, MANAGERS } from '../shared/auth/guard.js';
import { listStaff, staffSchema, toStaffView } from '../shared/catalog/staff.js';
import { json } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'staff-list',
  route: 'admin/staff',
  methods: ['GET'],
  handler: async (request) => {
    const { store } = await authorize(request, { roles: MANAGERS, scope: 'catalog:read' });
    return json(200, { items: (await listStaff(store)).map(toStaffView) });
  },
  docs: {
    summary: 'List staff members',
    tag: 'admin',
    auth: true,
    scope: 'catalog:read',
    responses: {
      200: {
        description: 'All current staff members.',
        schema: z.object({ items: z.array(staffSchema) }),
      },
    },
    errors: [401, 403],
  },
});
