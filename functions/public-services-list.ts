import { listServices, toPublicCatalogue } from '../shared/catalog/services.js';
import { listStaff } from '../shared/catalog/staff.js';
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
    const [tenant, services, staff] = await Promise.all([
      loadTenant(store),
      listServices(store),
      listStaff(store),
    ]);
    return json(200, {
      business: { name: tenant.businessName, slug: tenant.slug, timeZone: tenant.timeZone },
      ...toPublicCatalogue(services, staff),
    });
  },
  docs: {
    summary:
      "A business's bookable services, and who performs them (names only); a service no current staff member performs is left out",
    tag: 'public',
    params: slugParamsSchema,
    responses: { 200: { description: 'The services.', schema: publicServicesResponseSchema } },
    errors: [404],
  },
});
