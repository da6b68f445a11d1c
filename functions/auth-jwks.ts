import { publicJwks } from '../shared/auth/tokens.js';
import { json } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'auth-jwks',
  route: '.well-known/jwks.json',
  methods: ['GET'],
  handler: async () => json(200, await publicJwks(), { 'cache-control': 'public, max-age=300' }),
});
