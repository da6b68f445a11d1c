import { login, loginRequestSchema, loginResponseSchema } from '../shared/auth/accounts.js';
import { json, readJson } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'auth-login',
  route: 'auth/login',
  methods: ['POST'],
  handler: async (request) => json(200, await login(await readJson(request, loginRequestSchema))),
  docs: {
    summary: 'Sign in to a business',
    tag: 'auth',
    body: loginRequestSchema,
    responses: { 200: { description: 'Signed in.', schema: loginResponseSchema } },
    errors: [401],
  },
});
