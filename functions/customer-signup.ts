import {
  customerSessionSchema,
  customerSignupSchema,
  signupCustomer,
} from '../shared/auth/customers.js';
import { slugParamsSchema } from '../shared/booking/schemas.js';
import { json, readJson, readParams } from '../shared/http/respond.js';
import { defineHttp } from '../shared/runtime/registry.js';
import { storeForSlug } from '../shared/tenants/directory.js';

export default defineHttp({
  name: 'customer-signup',
  route: 'public/{slug}/customers/signup',
  methods: ['POST'],
  handler: async (request) => {
    const { slug } = readParams(request, slugParamsSchema);
    const input = await readJson(request, customerSignupSchema);
    const store = await storeForSlug(slug);
    return json(201, await signupCustomer(store, input));
  },
  docs: {
    summary: 'Create a customer account at a business and sign in',
    tag: 'customers',
    params: slugParamsSchema,
    body: customerSignupSchema,
    responses: {
      201: { description: 'Created; signed in as a customer.', schema: customerSessionSchema },
    },
    errors: [404, 409],
  },
});
