import { authorize, MANAGERS } from '../shared/auth/guard.js';
import {
  createdInvitationSchema,
  createInvitation,
  invitationRequestSchema,
} from '../shared/auth/invites.js';
import { json, readJson } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'admin-invitations-create',
  route: 'admin/invitations',
  methods: ['POST'],
  handler: async (request) => {
    const actor = await authorize(request, MANAGERS);
    const input = await readJson(request, invitationRequestSchema);
    return json(201, await createInvitation(actor, input));
  },
  docs: {
    summary:
      'Invite an admin or staff member; the single-use link (7 days) is shown only here. Inviting an email again revokes its pending invitation (a resend)',
    tag: 'people',
    auth: true,
    body: invitationRequestSchema,
    responses: { 201: { description: 'Invited.', schema: createdInvitationSchema } },
    errors: [401, 403, 409],
  },
});
