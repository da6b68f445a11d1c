import { z } from 'zod';

import { handleRevokeRequest, revokeRequestSchema } from '../shared/auth/oauth-server.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'oauth-revoke',
  route: 'oauth/revoke',
  methods: ['POST'],
  handler: (request) => handleRevokeRequest(request),
  docs: {
    summary:
      'OAuth 2.0 token revocation (RFC 7009): 200 whatever the token; a refresh token ends the whole grant',
    tag: 'oauth',
    body: revokeRequestSchema,
    bodyType: 'form',
    responses: { 200: { description: 'Done (or nothing to do).', schema: z.object({}) } },
    errors: [401],
  },
});
