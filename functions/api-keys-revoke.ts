import { apiKeyViewSchema, revokeApiKey, toApiKeyView } from '../shared/auth/api-keys.js';
import { authorize, MANAGERS } from '../shared/auth/guard.js';
import { json, readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { idParamsSchema } from '../shared/validation/common.js';

export default defineHttp({
  name: 'api-keys-revoke',
  route: 'admin/api-keys/{id}',
  methods: ['DELETE'],
  handler: async (request, context) => {
    const { store, tenantId } = await authorize(request, MANAGERS);
    const { id } = readParams(request, idParamsSchema);
    const revoked = await revokeApiKey(store, id);
    context.log(`api key revoked tenant=${tenantId} key=${revoked.id}`);
    return json(200, toApiKeyView(revoked));
  },
  docs: {
    summary: 'Revoke an API key; it is refused from the next request on',
    tag: 'access',
    auth: true,
    params: idParamsSchema,
    responses: { 200: { description: 'Revoked.', schema: apiKeyViewSchema } },
    errors: [401, 403, 404],
  },
});
