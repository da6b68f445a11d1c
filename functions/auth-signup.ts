import { signup, signupRequestSchema, signupResponseSchema } from '../shared/auth/accounts.js';
import { json, readJson } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'auth-signup',
  route: 'auth/signup',
  methods: ['POST'],
  handler: async (request) => json(201, await signup(await readJson(request, signupRequestSchema))),
  docs: {
    summary: 'Create a business and its owner account',
    tag: 'auth',
    body: signupRequestSchema,
    responses: {
      201: { description: 'Created; the owner is signed in.', schema: signupResponseSchema },
    },
    errors: [409],
  },
});
