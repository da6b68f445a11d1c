import { z } from 'zod';

import { authorize, MANAGERS } from '../shared/auth/guard.js';
import {
  connectionViewSchema,
  listConnections,
  toConnectionView,
} from '../shared/auth/oauth-server.js';
import { json } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'oauth-connections-list',
  route: 'admin/oauth/connections',
  methods: ['GET'],
  handler: async (request) => {
    const { store } = await authorize(request, MANAGERS);
    return json(200, { items: (await listConnections(store)).map(toConnectionView) });
  },
  docs: {
    summary: 'List the apps connected to this business (active grants)',
    tag: 'access',
    auth: true,
    responses: {
      200: {
        description: 'Newest first.',
        schema: z.object({ items: z.array(connectionViewSchema) }),
      },
    },
    errors: [401, 403],
  },
});
