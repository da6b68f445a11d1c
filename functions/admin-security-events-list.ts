import {
  listSecurityEvents,
  securityEventsQuerySchema,
  securityEventsResponseSchema,
} from '../shared/audit/security-events.js';
import { authorize } from '../shared/auth/guard.js';
import { json, readQuery } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'admin-security-events-list',
  route: 'admin/security-events',
  methods: ['GET'],
  handler: async (request) => {
    const { store } = await authorize(request, ['owner']);
    const query = readQuery(request, securityEventsQuerySchema);
    return json(200, await listSecurityEvents(store, query));
  },
  docs: {
    summary: 'Security events of the business, newest first (owner only)',
    tag: 'admin',
    auth: true,
    query: securityEventsQuerySchema,
    responses: { 200: { description: 'A page of events.', schema: securityEventsResponseSchema } },
    errors: [401, 403, 422],
  },
});
