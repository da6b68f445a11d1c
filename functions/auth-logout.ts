import { authorize, EVERYONE } from '../shared/auth/guard.js';
import { endSession } from '../shared/auth/sessions.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'auth-logout',
  route: 'auth/logout',
  methods: ['POST'],
  handler: async (request) => {
    const { store, sessionId } = await authorize(request, {
      roles: EVERYONE,
      allowDuringEnrolment: true,
    });
    if (sessionId) await endSession(store, sessionId, 'logout');
    return { status: 204 };
  },
  docs: {
    summary: 'End this session: its access and refresh tokens stop working at once',
    tag: 'auth',
    auth: true,
    responses: { 204: { description: 'Signed out.', schema: null } },
    errors: [401],
  },
});
