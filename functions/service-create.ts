import { authorize, MANAGERS } from '../shared/auth/guard.js';
import {
  createService,
  serviceInputSchema,
  serviceSchema,
  toServiceView,
} from '../shared/catalog/services.js';
import { etagDocs, etagHeader } from '../shared/http/conditional.js';
import { json, readJson } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'service-create',
  route: 'admin/services',
  methods: ['POST'],
  handler: async (request) => {
    const { store } = await authorize(request, { roles: MANAGERS, scope: 'catalog:write' });
    const input = await readJson(request, serviceInputSchema);
    const service = await createService(store, input);
    return json(201, toServiceView(service), etagHeader(service));
  },
  docs: {
    summary: 'Add a service',
    tag: 'admin',
    auth: true,
    scope: 'catalog:write',
    body: serviceInputSchema,
    responses: {
      201: { description: 'Created.', headers: etagDocs('service'), schema: serviceSchema },
    },
    errors: [401, 403],
  },
});
