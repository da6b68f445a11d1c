import { defineHttp } from '../shared/runtime/registry.js';
import { serveAsset } from '../shared/site/assets.js';

export default defineHttp({
  name: 'site-assets',
  route: 'assets/{file}',
  site: true,
  methods: ['GET'],
  handler: (request) => serveAsset(request, request.params.file ?? ''),
});
