import { authorize, PEOPLE } from '../shared/auth/guard.js';
import { readTwoFactorStatus, twoFactorStatusSchema } from '../shared/auth/two-factor.js';
import { json } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'auth-mfa-status',
  route: 'auth/mfa',
  methods: ['GET'],
  handler: async (request) => {
    // Readable while enrolment is required, so a console can tell the person what to do.
    const { store, userId } = await authorize(request, {
      roles: PEOPLE,
      allowDuringEnrolment: true,
    });
    return json(200, await readTwoFactorStatus(store, userId));
  },
  docs: {
    summary: 'Whether your two-factor sign-in is on, and whether your business requires it',
    tag: 'auth',
    auth: true,
    responses: { 200: { description: 'Your status.', schema: twoFactorStatusSchema } },
    errors: [401, 403],
  },
});
