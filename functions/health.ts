import { z } from 'zod';

import { getConfig } from '../shared/config/config.js';
import { json } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'health',
  route: 'health',
  methods: ['GET'],
  handler: async () => {
    const config = getConfig();
    return json(200, {
      status: 'ok',
      version: config.SLOTWISE_VERSION,
      region: config.SLOTWISE_REGION,
    });
  },
  docs: {
    summary: 'Liveness check',
    tag: 'platform',
    responses: {
      200: {
        description: 'The app is up.',
        schema: z.object({ status: z.literal('ok'), version: z.string(), region: z.string() }),
      },
    },
  },
});
