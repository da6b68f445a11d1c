import { z } from 'zod';

import { authorize, MANAGERS } from '../shared/auth/guard.js';
import { listServices, serviceSchema, toServiceView } from '../shared/catalog/services.js';
import { json } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'service-list',
  route: 'admin/services',
  methods: ['GET'],
  handler: async (request) => {
    const { store } = await authorize(request, { roles: MANAGERS, scope: 'catalog:read' });
    return json(200, { items: (await listServices(store)).map(toServiceView) });
  },
  docs: {
    summary: 'List services',
    tag: 'admin',
    auth: true,
    scope: 'catalog:read',
    responses: {
      200: {
        description: 'All current services.',
        schema: z.object({ items: z.array(serviceSchema) }),
      },
    },
    errors: [401, 403],
  },
});
