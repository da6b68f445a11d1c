import {
  customerLoginSchema,
  customerSessionSchema,
  loginCustomer,
} from '../shared/auth/customers.js';
import { slugParamsSchema } from '../shared/booking/schemas.js';
import { clientAddress } from '../shared/http/client-address.js';
import { json, readJson, readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { storeForSlug } from '../shared/tenants/directory.js';

export default defineHttp({
  name: 'customer-login',
  route: 'public/{slug}/customers/login',
  methods: ['POST'],
  handler: async (request) => {
    const { slug } = readParams(request, slugParamsSchema);
    const input = await readJson(request, customerLoginSchema);
    const store = await storeForSlug(slug);
    return json(200, await loginCustomer(store, input, { address: clientAddress(request) }));
  },
  docs: {
    summary: 'Sign in to a customer account at a business',
    tag: 'customers',
    params: slugParamsSchema,
    body: customerLoginSchema,
    responses: { 200: { description: 'Signed in as a customer.', schema: customerSessionSchema } },
    errors: [401, 404, 429],
  },
});
