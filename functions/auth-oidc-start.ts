import { z } from 'zod';

import { OIDC_PROVIDERS, startOidcLogin } from '../shared/auth/oidc-login.js';
import { readParams, readQuery } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { slugSchema } from '../shared/validation/common.js';

const paramsSchema = z.strictObject({ provider: z.enum(OIDC_PROVIDERS) });
const querySchema = z.strictObject({ slug: slugSchema });

export default defineHttp({
  name: 'auth-oidc-start',
  route: 'auth/oidc/{provider}/start',
  methods: ['GET'],
  handler: async (request) => {
    const { provider } = readParams(request, paramsSchema);
    const { slug } = readQuery(request, querySchema);
    const { location, cookie } = await startOidcLogin(provider, slug);
    const headers = { location, 'set-cookie': cookie, 'cache-control': 'no-store' };
    return { status: 302, headers: { ...headers, 'referrer-policy': 'no-referrer' } };
  },
  docs: {
    summary: 'Sign in with Google or Microsoft: redirects to the provider (OpenID Connect, PKCE)',
    tag: 'auth',
    params: paramsSchema,
    query: querySchema,
    responses: { 302: { description: 'To the provider sign-in page.', schema: null } },
    errors: [404, 422],
  },
});
