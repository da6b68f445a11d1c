import { apiKeyCreatedSchema, apiKeyCreateSchema, createApiKey } from '../shared/auth/api-keys.js';
import { authorize, MANAGERS } from '../shared/auth/guard.js';
import { json, readJson } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'api-keys-create',
  route: 'admin/api-keys',
  methods: ['POST'],
  handler: async (request, context) => {
    const principal = await authorize(request, MANAGERS);
    const input = await readJson(request, apiKeyCreateSchema);
    const created = await createApiKey(principal.store, principal.userId, input);
    context.log(`api key created tenant=${principal.tenantId} key=${created.id}`);
    return json(201, created);
  },
  docs: {
    summary: 'Create an API key; the key is shown only in this response',
    tag: 'access',
    auth: true,
    body: apiKeyCreateSchema,
    responses: { 201: { description: 'Created.', schema: apiKeyCreatedSchema } },
    errors: [401, 403],
  },
});
