import { authorize, MANAGERS } from '../shared/auth/guard.js';
import {
  authorizeQuerySchema,
  consentDetailsSchema,
  describeAuthorization,
} from '../shared/auth/oauth-server.js';
import { json, readQuery } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'oauth-authorize',
  route: 'oauth/authorize',
  methods: ['GET'],
  handler: async (request) => {
    const principal = await authorize(request, MANAGERS);
    const query = readQuery(request, authorizeQuerySchema);
    return json(200, await describeAuthorization(principal, query));
  },
  docs: {
    summary:
      'Check an authorization request (code + PKCE S256) and return what to show on the consent screen',
    tag: 'oauth',
    auth: true,
    query: authorizeQuerySchema,
    responses: {
      200: {
        description: 'The app, its redirect URI and the scopes asked for.',
        schema: consentDetailsSchema,
      },
    },
    errors: [400, 401, 403, 422],
  },
});
