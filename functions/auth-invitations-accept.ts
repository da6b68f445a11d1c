import {
  acceptedInvitationSchema,
  acceptInvitation,
  acceptInvitationSchema,
} from '../shared/auth/invites.js';
import { json, readJson } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'auth-invitations-accept',
  route: 'auth/invitations/accept',
  methods: ['POST'],
  handler: async (request) =>
    json(201, await acceptInvitation(await readJson(request, acceptInvitationSchema))),
  docs: {
    summary:
      'Accept an invitation: set a password, create the account and sign in; other pending invitations for the email are revoked',
    tag: 'auth',
    body: acceptInvitationSchema,
    responses: {
      201: { description: 'Account created; signed in.', schema: acceptedInvitationSchema },
    },
    errors: [404, 409, 410],
  },
});
