import { z } from 'zod';

import { authorize, MANAGERS } from '../shared/auth/guard.js';
import { listPeople, personViewSchema, toPersonView } from '../shared/auth/people.js';
import { json } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';

export default defineHttp({
  name: 'admin-users-list',
  route: 'admin/users',
  methods: ['GET'],
  handler: async (request) => {
    const { store } = await authorize(request, MANAGERS);
    return json(200, { items: (await listPeople(store)).map(toPersonView) });
  },
  docs: {
    summary: "The business's people (owners, admins, staff) with their roles and status",
    tag: 'people',
    auth: true,
    responses: {
      200: { description: 'Oldest first.', schema: z.object({ items: z.array(personViewSchema) }) },
    },
    errors: [401, 403],
  },
});
