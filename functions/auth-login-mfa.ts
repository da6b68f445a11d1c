import { loginMfaRequestSchema, loginWithSecondFactor } from '../shared/auth/accounts.js';
import { sessionTokensSchema } from '../shared/auth/sessions.js';
import { clientAddress } from '../shared/http/client-address.js';
import { json, readJson } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'auth-login-mfa',
  route: 'auth/login/mfa',
  methods: ['POST'],
  handler: async (request) => {
    const input = await readJson(request, loginMfaRequestSchema);
    return json(200, await loginWithSecondFactor(input, { address: clientAddress(request) }));
  },
  docs: {
    summary: 'Complete a sign-in with a TOTP code or a recovery code',
    tag: 'auth',
    body: loginMfaRequestSchema,
    responses: { 200: { description: 'Signed in.', schema: sessionTokensSchema } },
    errors: [401, 422, 429],
  },
});
