import { changePassword, changePasswordRequestSchema } from '../shared/auth/accounts.js';
import { authorize, PEOPLE } from '../shared/auth/guard.js';
import { clientAddress } from '../shared/http/client-address.js';
import { readJson } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'auth-password-change',
  route: 'auth/password',
  methods: ['POST'],
  handler: async (request) => {
    const { store, userId } = await authorize(request, PEOPLE);
    const input = await readJson(request, changePasswordRequestSchema);
    await changePassword(store, userId, input, { address: clientAddress(request) });
    return { status: 204 };
  },
  docs: {
    summary: 'Change your password; every session of yours ends (sign in again)',
    tag: 'auth',
    auth: true,
    body: changePasswordRequestSchema,
    responses: { 204: { description: 'Changed; all your sessions have ended.', schema: null } },
    errors: [401, 403, 422, 429],
  },
});
