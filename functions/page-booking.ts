import { defineHttp } from '../shared/runtime/registry.js';
import { renderBusinessPage } from '../shared/site/pages.js';

export default defineHttp({
  name: 'page-booking',
  route: '{slug}',
  site: true,
  methods: ['GET'],
  handler: (request) =>
    renderBusinessPage(request.params.slug, (business) => ({
      app: 'booking',
      title: `Book with ${business.name}`,
      data: { view: 'book', slug: business.slug },
      preload: [`public/${business.slug}/services`],
    })),
});
