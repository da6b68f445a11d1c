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
      // The shell names the business and its zone so the console can draw its heading and
      // today's date before any API call.
      data: { slug: business.slug, name: business.name, 'time-zone': business.timeZone },
    });
  },
});
