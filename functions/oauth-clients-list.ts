import { z } from 'zod';

import { authorize, MANAGERS } from '../shared/auth/guard.js';
import {
  listOAuthClients,
  oauthClientViewSchema,
  toClientView,
} from '../shared/auth/oauth-server.js';
import { json } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'oauth-clients-list',
  route: 'admin/oauth/clients',
  methods: ['GET'],
  handler: async (request) => {
    const { store } = await authorize(request, MANAGERS);
    return json(200, { items: (await listOAuthClients(store)).map(toClientView) });
  },
  docs: {
    summary: 'List the third-party apps registered with this business',
    tag: 'access',
    auth: true,
    responses: {
      200: {
        description: 'Newest first.',
        schema: z.object({ items: z.array(oauthClientViewSchema) }),
      },
    },
    errors: [401, 403],
  },
});
