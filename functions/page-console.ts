import { defineHttp } from '../shared/runtime/registry.js';
import { businessForPage, notFoundPage, renderPage } from '../shared/site/pages.js';

export default defineHttp({
  name: 'page-console',
  route: '{slug}/admin',
  site: true,
  methods: ['GET'],
  handler: async (request) => {
    const business = await businessForPage(request.params.slug);
    if (!business)
      return notFoundPage('No business has this address. Check the link you followed.');
    return renderPage({
      app: 'console',
      title: `${business.name} · Slotwise console`,
      data: { slug: business.slug },
    });
  },
});
