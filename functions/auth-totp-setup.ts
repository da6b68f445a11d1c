import { authorize, PEOPLE } from '../shared/auth/guard.js';
import { beginTotpSetup, totpSetupResponseSchema } from '../shared/auth/two-factor.js';
import { json } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'auth-totp-setup',
  route: 'auth/mfa/totp/setup',
  methods: ['POST'],
  handler: async (request) => {
    const { store, userId } = await authorize(request, {
      roles: PEOPLE,
      allowDuringEnrolment: true,
    });
    return json(200, await beginTotpSetup(store, userId));
  },
  docs: {
    summary: 'Start two-factor enrolment: a new TOTP seed, inactive until confirmed',
    tag: 'auth',
    auth: true,
    responses: { 200: { description: 'The seed, once.', schema: totpSetupResponseSchema } },
    errors: [401, 409],
  },
});
