import { login, loginRequestSchema, loginResponseSchema } from '../shared/auth/accounts.js';
import { clientAddress } from '../shared/http/client-address.js';
import { json, readJson } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'auth-login',
  route: 'auth/login',
  methods: ['POST'],
  handler: async (request) => {
    const input = await readJson(request, loginRequestSchema);
    return json(200, await login(input, { address: clientAddress(request) }));
  },
  docs: {
    summary: 'Sign in to a business (with two-factor on, the answer is a challenge for login/mfa)',
    tag: 'auth',
    body: loginRequestSchema,
    responses: {
      200: { description: 'Signed in, or the second step is needed.', schema: loginResponseSchema },
    },
    errors: [401, 422, 429],
  },
});
