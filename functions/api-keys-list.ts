import { z } from 'zod';

import { apiKeyViewSchema, listApiKeys, toApiKeyView } from '../shared/auth/api-keys.js';
import { authorize, MANAGERS } from '../shared/auth/guard.js';
import { json } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'api-keys-list',
  route: 'admin/api-keys',
  methods: ['GET'],
  handler: async (request) => {
    const { store } = await authorize(request, MANAGERS);
    return json(200, { items: (await listApiKeys(store)).map(toApiKeyView) });
  },
  docs: {
    summary: 'List API keys (never their secrets), revoked ones included',
    tag: 'access',
    auth: true,
    responses: {
      200: { description: 'Newest first.', schema: z.object({ items: z.array(apiKeyViewSchema) }) },
    },
    errors: [401, 403],
  },
});
