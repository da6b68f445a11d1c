import { buildOpenApiDocument } from '../shared/http/openapi.js';
import { json } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'openapi',
  route: 'openapi.json',
  methods: ['GET'],
  handler: async () =>
    json(200, buildOpenApiDocument(), { 'cache-control': 'public, max-age=300' }),
});
