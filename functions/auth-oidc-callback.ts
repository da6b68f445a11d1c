import { z } from 'zod';

import { loginResponseSchema } from '../shared/auth/accounts.js';
import {
  clearOidcBindingCookie,
  finishOidcLogin,
  OIDC_PROVIDERS,
  oidcCallbackQuerySchema,
} from '../shared/auth/oidc-login.js';
import { json, readParams, readQuery } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

const paramsSchema = z.strictObject({ provider: z.enum(OIDC_PROVIDERS) });

export default defineHttp({
  name: 'auth-oidc-callback',
  route: 'auth/oidc/{provider}/callback',
  methods: ['GET'],
  handler: async (request) => {
    const { provider } = readParams(request, paramsSchema);
    const query = readQuery(request, oidcCallbackQuerySchema);
    const session = await finishOidcLogin(provider, query, request.headers.get('cookie'));
    return json(200, session, { 'set-cookie': clearOidcBindingCookie() });
  },
  docs: {
    summary:
      'Where the provider sends the browser back: signs in the member with that verified email (nobody is created)',
    tag: 'auth',
    params: paramsSchema,
    query: oidcCallbackQuerySchema,
    responses: { 200: { description: 'Signed in.', schema: loginResponseSchema } },
    errors: [401, 404, 422],
  },
});
