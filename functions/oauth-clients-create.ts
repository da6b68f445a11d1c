import { authorize } from '../shared/auth/guard.js';
import {
  createOAuthClient,
  oauthClientCreatedSchema,
  oauthClientCreateSchema,
} from '../shared/auth/oauth-server.js';
import { json, readJson } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'oauth-clients-create',
  route: 'admin/oauth/clients',
  methods: ['POST'],
  handler: async (request, context) => {
    const principal = await authorize(request, ['owner']);
    const input = await readJson(request, oauthClientCreateSchema);
    const created = await createOAuthClient(principal.store, principal.userId, input);
    context.log(`oauth client created tenant=${principal.tenantId} client=${created.id}`);
    return json(201, created);
  },
  docs: {
    summary: 'Register a third-party app (owner only); a confidential client secret is shown once',
    tag: 'access',
    auth: true,
    body: oauthClientCreateSchema,
    responses: { 201: { description: 'Registered.', schema: oauthClientCreatedSchema } },
    errors: [401, 403],
  },
});
