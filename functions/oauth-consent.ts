import { authorize, MANAGERS } from '../shared/auth/guard.js';
import {
  consentRequestSchema,
  consentResultSchema,
  decideConsent,
} from '../shared/auth/oauth-server.js';
import { json, readJson } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'oauth-consent',
  route: 'oauth/authorize/consent',
  methods: ['POST'],
  handler: async (request) => {
    const principal = await authorize(request, MANAGERS);
    const input = await readJson(request, consentRequestSchema);
    return json(200, await decideConsent(principal, input));
  },
  docs: {
    summary: 'Approve or deny an app; returns where to send the browser (code or access_denied)',
    tag: 'oauth',
    auth: true,
    body: consentRequestSchema,
    responses: {
      200: {
        description: 'The app redirect URI with code and state.',
        schema: consentResultSchema,
      },
    },
    errors: [401, 403],
  },
});
