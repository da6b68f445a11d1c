import { authorize, MANAGERS } from '../shared/auth/guard.js';
import {
  personUpdateSchema,
  personViewSchema,
  toPersonView,
  updatePerson,
} from '../shared/auth/people.js';
import { json, readJson, readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { idParamsSchema } from '../shared/validation/common.js';

export default defineHttp({
  name: 'admin-users-update',
  route: 'admin/users/{id}',
  methods: ['PATCH'],
  handler: async (request) => {
    const actor = await authorize(request, MANAGERS);
    const { id } = readParams(request, idParamsSchema);
    const change = await readJson(request, personUpdateSchema);
    return json(200, toPersonView(await updatePerson(actor, id, change)));
  },
  docs: {
    summary: 'Change a person’s role, status (disable/enable), staff link or grants',
    tag: 'people',
    auth: true,
    params: idParamsSchema,
    body: personUpdateSchema,
    responses: {
      200: {
        description: 'Changed; takes effect on their next request.',
        schema: personViewSchema,
      },
    },
    errors: [401, 403, 404, 409],
  },
});
