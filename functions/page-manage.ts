import { defineHttp } from '../shared/runtime/registry.js';
import { renderBusinessPage } from '../shared/site/pages.js';

/**
 * The customer's manage page. The manage token travels in the URL fragment (`#token=…`), which
 * browsers never send to the server, so it stays out of request logs; the page reads it and sends
 * it to the public booking API in the `Booking-Token` header, never in a URL. The booking id is
 * read from the path by the page itself.
 */
export default defineHttp({
  name: 'page-manage',
  route: '{slug}/manage/{id}',
  site: true,
  methods: ['GET'],
  handler: (request) =>
    renderBusinessPage(request.params.slug, (business) => ({
      app: 'booking',
      title: `Your booking with ${business.name}`,
      data: { view: 'manage', slug: business.slug },
    })),
});
