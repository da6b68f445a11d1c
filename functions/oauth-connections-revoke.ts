import { authorize, MANAGERS } from '../shared/auth/guard.js';
import { revokeConnection } from '../shared/auth/oauth-server.js';
import { readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { idParamsSchema } from '../shared/validation/common.js';

export default defineHttp({
  name: 'oauth-connections-revoke',
  route: 'admin/oauth/connections/{id}',
  methods: ['DELETE'],
  handler: async (request, context) => {
    const { store, tenantId } = await authorize(request, MANAGERS);
    const { id } = readParams(request, idParamsSchema);
    await revokeConnection(store, id);
    context.log(`oauth connection revoked tenant=${tenantId} grant=${id}`);
    return { status: 204 };
  },
  docs: {
    summary: 'Disconnect an app: its tokens are refused from the next request on',
    tag: 'access',
    auth: true,
    params: idParamsSchema,
    responses: { 204: { description: 'Disconnected.', schema: null } },
    errors: [401, 403, 404],
  },
});
