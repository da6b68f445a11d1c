import { authorize, MANAGERS } from '../shared/auth/guard.js';
import { revokeInvitation } from '../shared/auth/invites.js';
import { readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { idParamsSchema } from '../shared/validation/common.js';

export default defineHttp({
  name: 'admin-invitations-revoke',
  route: 'admin/invitations/{id}',
  methods: ['DELETE'],
  handler: async (request) => {
    const { store } = await authorize(request, MANAGERS);
    const { id } = readParams(request, idParamsSchema);
    await revokeInvitation(store, id);
    return { status: 204 };
  },
  docs: {
    summary: 'Revoke a pending invitation; its link stops working at once',
    tag: 'people',
    auth: true,
    params: idParamsSchema,
    responses: { 204: { description: 'Revoked.', schema: null } },
    errors: [401, 403, 404, 409],
  },
});
