import { authorize, MANAGERS } from '../shared/auth/guard.js';
import { getService, serviceSchema, toServiceView } from '../shared/catalog/services.js';
import { etagDocs, etagHeader } from '../shared/http/conditional.js';
import { json, readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { idParamsSchema } from '../shared/validation/common.js';

export default defineHttp({
  name: 'service-get',
  route: 'admin/services/{id}',
  methods: ['GET'],
  handler: async (request) => {
    const { store } = await authorize(request, { roles: MANAGERS, scope: 'catalog:read' });
    const { id } = readParams(request, idParamsSchema);
    const service = await getService(store, id);
    return json(200, toServiceView(service), etagHeader(service));
  },
  docs: {
    summary: 'Get one service',
    tag: 'admin',
    auth: true,
    scope: 'catalog:read',
    params: idParamsSchema,
    responses: {
      200: { description: 'Found.', headers: etagDocs('service'), schema: serviceSchema },
    },
    errors: [401, 403, 404],
  },
});
