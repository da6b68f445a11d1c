import { defineHttp } from '../shared/runtime/registry.js';
import { renderBusinessPage } from '../shared/site/pages.js';

export default defineHttp({
  name: 'page-console',
  route: '{slug}/admin',
  site: true,
  methods: ['GET'],
  handler: (request) =>
    renderBusinessPage(request.params.slug, (business) => ({
      app: 'console',
      title: `${business.name} · Slotwise console`,
      // The shell names the business and its zone so the console can draw its heading and
      // today's date before any API call.
      data: { slug: business.slug, name: business.name, 'time-zone': business.timeZone },
    })),
});
