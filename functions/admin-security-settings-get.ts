import { authorize, MANAGERS } from '../shared/auth/guard.js';
import { readSecuritySettings, securitySettingsSchema } from '../shared/auth/two-factor.js';
import { json } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'admin-security-settings-get',
  route: 'admin/settings/security',
  methods: ['GET'],
  handler: async (request) => {
    const { store } = await authorize(request, MANAGERS);
    return json(200, await readSecuritySettings(store));
  },
  docs: {
    summary: "The business's sign-in policy",
    tag: 'admin',
    auth: true,
    responses: { 200: { description: 'The policy.', schema: securitySettingsSchema } },
    errors: [401, 403],
  },
});
