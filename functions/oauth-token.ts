import {
  handleTokenRequest,
  tokenRequestSchema,
  tokenResponseSchema,
} from '../shared/auth/oauth-server.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'oauth-token',
  route: 'oauth/token',
  methods: ['POST'],
  handler: (request) => handleTokenRequest(request),
  docs: {
    summary:
      'OAuth 2.0 token endpoint (RFC 6749): authorization_code with code_verifier, or refresh_token (rotated); errors as RFC 6749 §5.2',
    tag: 'oauth',
    body: tokenRequestSchema,
    bodyType: 'form',
    responses: { 200: { description: 'Tokens.', schema: tokenResponseSchema } },
    errors: [401],
  },
});
