import { z } from 'zod';

import { authorize, MANAGERS } from '../shared/auth/guard.js';
import { invitationViewSchema, listInvitations } from '../shared/auth/invites.js';
import { json } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'admin-invitations-list',
  route: 'admin/invitations',
  methods: ['GET'],
  handler: async (request) => {
    const { store } = await authorize(request, MANAGERS);
    return json(200, { items: await listInvitations(store) });
  },
  docs: {
    summary: 'Invitations, newest first, with their status (never their tokens)',
    tag: 'people',
    auth: true,
    responses: {
      200: {
        description: 'Newest first.',
        schema: z.object({ items: z.array(invitationViewSchema) }),
      },
    },
    errors: [401, 403],
  },
});
