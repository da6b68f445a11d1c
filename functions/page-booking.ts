import { defineHttp } from '../shared/runtime/registry.js';
import { businessForPage, notFoundPage, renderPage } from '../shared/site/pages.js';

export default defineHttp({
  name: 'page-booking',
  route: '{slug}',
  site: true,
  methods: ['GET'],
  handler: async (request) => {
    const business = await businessForPage(request.params.slug);
    if (!business)
      return notFoundPage('No business has this address. Check the link you followed.');
    return renderPage({
      app: 'booking',
      title: `Book with ${business.name}`,
      data: { view: 'book', slug: business.slug },
    });
  },
});
