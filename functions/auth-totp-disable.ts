import { authorize, PEOPLE } from '../shared/auth/guard.js';
import { disableTotp, totpCodeRequestSchema } from '../shared/auth/two-factor.js';
import { clientAddress } from '../shared/http/client-address.js';
import { readJson } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'auth-totp-disable',
  route: 'auth/mfa/totp/disable',
  methods: ['POST'],
  handler: async (request) => {
    const { store, userId } = await authorize(request, PEOPLE);
    const { code } = await readJson(request, totpCodeRequestSchema);
    await disableTotp(store, userId, code, { address: clientAddress(request) });
    return { status: 204 };
  },
  docs: {
    summary: 'Turn two-factor sign-in off with a current code',
    tag: 'auth',
    auth: true,
    body: totpCodeRequestSchema,
    responses: { 204: { description: 'Off.', schema: null } },
    errors: [401, 403, 409, 422, 429],
  },
});
