import { authorize } from '../shared/auth/guard.js';
import { securitySettingsSchema, writeSecuritySettings } from '../shared/auth/two-factor.js';
import { json, readJson } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'admin-security-settings-update',
  route: 'admin/settings/security',
  methods: ['PUT'],
  handler: async (request) => {
    const { store, userId } = await authorize(request, ['owner']);
    const input = await readJson(request, securitySettingsSchema);
    return json(200, await writeSecuritySettings(store, userId, input));
  },
  docs: {
    summary: 'Set the sign-in policy (owner only): requireTwoFactor for every person',
    tag: 'admin',
    auth: true,
    body: securitySettingsSchema,
    responses: { 200: { description: 'The policy now.', schema: securitySettingsSchema } },
    errors: [401, 403, 422],
  },
});
