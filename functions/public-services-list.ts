import { z } from 'zod';

import { listServices, toPublicServiceView } from '../shared/catalog/services.js';
import { json, readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { storeForSlug } from '../shared/tenants/directory.js';
import { loadTenant } from '../shared/tenants/tenant.js';
import { publicServicesResponseSchema, slugParamsSchema } from '../shared/booking/schemas.js';

export default defineHttp({
  name: 'public-services-list',
  route: 'public/{slug}/services',
  methods: ['GET'],
  handler: async (request) => {
    const { slug } = readParams(request, slugParamsSchema);
    const store = await storeForSlug(slug);
    const tenant = await loadTenant(store);
    const services = await listServices(store);
    return json(200, {
      business: { name: tenant.businessName, slug: tenant.slug, timeZone: tenant.timeZone },
      services: services.map(toPublicServiceView),
    });
  },
  docs: {
    summary: "A business's bookable services",
    tag: 'public',
    params: slugParamsSchema,
    responses: { 200: { description: 'The services.', schema: publicServicesResponseSchema } },
    errors: [404],
  },
});
