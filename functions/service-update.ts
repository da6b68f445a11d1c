import { authorize, MANAGERS } from '../shared/auth/guard.js';
import {
  replaceService,
  serviceInputSchema,
  serviceSchema,
  toServiceView,
} from '../shared/catalog/services.js';
import { etagDocs, etagHeader, ifMatchDocs, readIfMatch } from '../shared/http/conditional.js';
import { json, readJson, readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { idParamsSchema } from '../shared/validation/common.js';

export default defineHttp({
  name: 'service-update',
  route: 'admin/services/{id}',
  methods: ['PUT'],
  handler: async (request) => {
    const { store } = await authorize(request, { roles: MANAGERS, scope: 'catalog:write' });
    const { id } = readParams(request, idParamsSchema);
    const ifMatch = readIfMatch(request);
    const input = await readJson(request, serviceInputSchema);
    const service = await replaceService(store, id, input, ifMatch);
    return json(200, toServiceView(service), etagHeader(service));
  },
  docs: {
    summary:
      'Replace a service; 409 if it would drop staff who have upcoming bookings of it (named in the message and `details.staffIds`)',
    tag: 'admin',
    auth: true,
    scope: 'catalog:write',
    params: idParamsSchema,
    headers: [ifMatchDocs('service')],
    body: serviceInputSchema,
    responses: {
      200: { description: 'Replaced.', headers: etagDocs('service'), schema: serviceSchema },
    },
    errors: [401, 403, 404, 409, 412],
  },
});
