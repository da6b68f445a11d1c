import {
  refreshRequestSchema,
  refreshSession,
  sessionTokensSchema,
} from '../shared/auth/sessions.js';
import { json, readJson } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'auth-refresh',
  route: 'auth/refresh',
  methods: ['POST'],
  handler: async (request) => {
    const { refreshToken } = await readJson(request, refreshRequestSchema);
    return json(200, await refreshSession(refreshToken));
  },
  docs: {
    summary:
      'Trade a refresh token for new tokens (each works once; the one rotated in the last 10 s gets 409 refresh_token_rotated, any older one ends the session)',
    tag: 'auth',
    body: refreshRequestSchema,
    responses: {
      200: { description: 'New access and refresh tokens.', schema: sessionTokensSchema },
    },
    errors: [401, 409, 422],
  },
});
