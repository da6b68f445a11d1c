import { authorize, PEOPLE } from '../shared/auth/guard.js';
import {
  confirmTotp,
  totpCodeRequestSchema,
  totpConfirmResponseSchema,
} from '../shared/auth/two-factor.js';
import { json, readJson } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'auth-totp-confirm',
  route: 'auth/mfa/totp/confirm',
  methods: ['POST'],
  handler: async (request) => {
    const { store, userId } = await authorize(request, {
      roles: PEOPLE,
      allowDuringEnrolment: true,
    });
    const { code } = await readJson(request, totpCodeRequestSchema);
    return json(200, { recoveryCodes: await confirmTotp(store, userId, code) });
  },
  docs: {
    summary: 'Turn two-factor sign-in on with a code from the app; returns recovery codes once',
    tag: 'auth',
    auth: true,
    body: totpCodeRequestSchema,
    responses: { 200: { description: 'On.', schema: totpConfirmResponseSchema } },
    errors: [401, 409, 422],
  },
});
