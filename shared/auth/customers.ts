import type { HttpRequest } from '@azure/functions';
import { z } from 'zod';

import type { BookingRecord } from '../booking/bookings.js';
import { sql } from '../cosmos/sql.js';
import type { TenantDoc, TenantStore } from '../cosmos/tenant-store.js';
import { newId, sha256Hex } from '../crypto/hash.js';
import { AppError, AuthError, ConflictError } from '../errors.js';
import { now } from '../runtime/clock.js';
import { emailSchema, nameSchema } from '../validation/common.js';
import { countFailure, signupRequestSchema, type ClientInfo } from './accounts.js';
import {
  accountThrottleKey,
  addressThrottleKey,
  assertNotThrottled,
  clearAccountFailures,
  type ThrottleKeys,
} from './throttle.js';
import { authenticate, type Principal } from './guard.js';
import {
  burnPasswordCheck,
  hashPassword,
  PASSWORD_MAX_LENGTH,
  verifyPassword,
} from './passwords.js';
import { loadTenant } from '../tenants/tenant.js';
import { assertPasswordAcceptable } from './password-policy.js';
import { startSession } from './sessions.js';

/**
 * An end customer's account at one business. Customers are not people of the business: they
 * live under their own document type, sign in through the business's public routes, and get
 * tokens with role `customer` bound to that business, which open no admin route.
 */
export interface CustomerRecord extends TenantDoc {
  type: 'customer';
  email: string;
  name: string;
  passwordHash: string;
  status: 'active' | 'disabled';
  createdAt: string;
}

/**
 * Keeps one account per email and business: its id is derived from the email, so a second
 * signup with the same email conflicts on create, however many arrive at once.
 */
interface CustomerEmailRecord extends TenantDoc {
  type: 'customer-email';
  customerId: string;
}

const emailKey = (email: string) => `cem_${sha256Hex(email)}`;

export const customerSignupSchema = z.strictObject({
  name: nameSchema,
  email: emailSchema,
  password: signupRequestSchema.shape.password,
});
export type CustomerSignup = z.infer<typeof customerSignupSchema>;

export const customerLoginSchema = z.strictObject({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});
export type CustomerLogin = z.infer<typeof customerLoginSchema>;

export const customerSessionSchema = z.object({
  customerId: z.string(),
  accessToken: z.string(),
  expiresIn: z.number(),
  refreshToken: z.string(),
});

/**
 * Creates a customer account and signs the customer in. The account is written first and the
 * email claimed second; if the email is taken the account is removed again, and an account left
 * behind by a crash between the two steps cannot be signed in to (login goes through the claim).
 */
export async function signupCustomer(store: TenantStore, input: CustomerSignup) {
  const { slug } = await loadTenant(store);
  await assertPasswordAcceptable(input.password, {
    hasSecondFactor: false,
    slug,
    email: input.email,
  });
  const passwordHash = await hashPassword(input.password);
  const id = newId('cus');
  const created = await store.create<CustomerRecord>({
    id,
    type: 'customer',
    email: input.email,
    name: input.name,
    passwordHash,
    status: 'active',
    createdAt: new Date(now()).toISOString(),
  });
  if (!created.ok) throw new AppError('internal', 500, 'Could not create the account.');
  const claim = await store.create<CustomerEmailRecord>({
    id: emailKey(input.email),
    type: 'customer-email',
    customerId: id,
  });
  if (!claim.ok) {
    await store.delete(id);
    throw new ConflictError('conflict', 'An account with this email exists; sign in instead.');
  }
  const tokens = await startSession(store, { id, role: 'customer' }, ['pwd']);
  return { customerId: id, ...tokens };
}

const INVALID_LOGIN = 'The email or password is not correct.';

/** Signs a customer in. Unknown email and wrong password look and take the same. */
export async function loginCustomer(store: TenantStore, input: CustomerLogin, client: ClientInfo) {
  const email = input.email.toLowerCase();
  // Customers are throttled like the business's people, under keys of their own: a customer
  // and a member of staff may share an email without sharing a lock.
  const { slug } = await loadTenant(store);
  const keys: ThrottleKeys = {
    account: accountThrottleKey(`${slug}#customers`, email),
    address: addressThrottleKey(client.address),
  };
  await assertNotThrottled(keys);

  const claim = await store.read<CustomerEmailRecord>('customer-email', emailKey(email));
  const customer = claim
    ? await store.read<CustomerRecord>('customer', claim.customerId)
    : undefined;
  let accepted = false;
  if (!customer || customer.status !== 'active' || customer.email !== email) {
    await burnPasswordCheck(input.password);
  } else {
    accepted = await verifyPassword(input.password, customer.passwordHash);
  }
  if (!customer || !accepted) {
    await countFailure(keys, store, undefined, 'login_lockout');
    throw new AuthError(401, INVALID_LOGIN);
  }
  await clearAccountFailures(keys.account);
  const tokens = await startSession(store, { id: customer.id, role: 'customer' }, ['pwd']);
  return { customerId: customer.id, ...tokens };
}

/**
 * The signed-in customer of the business behind `store` (resolved from the route's slug). A
 * token of another business is refused with 401, as if it were not valid at all; a token of
 * the business's people is 403 on customer routes.
 */
export async function authorizeCustomer(
  request: HttpRequest,
  store: TenantStore,
): Promise<Principal> {
  const principal = await authenticate(request);
  if (principal.tenantId !== store.tenantId) {
    throw new AuthError(401, 'The access token is not valid for this business; sign in again.');
  }
  if (principal.role !== 'customer') {
    throw new AuthError(403, 'These routes are for customer accounts.');
  }
  return principal;
}

/** Like `authorizeCustomer` when a token is sent; `undefined` for guests who send none. */
export async function optionalCustomer(request: HttpRequest, store: TenantStore) {
  if (!request.headers.has('authorization')) return undefined;
  return authorizeCustomer(request, store);
}

/** The bookings made while signed in to this customer account, earliest first. */
export async function listCustomerBookings(store: TenantStore, customerId: string) {
  return store.query<BookingRecord>(
    sql`SELECT * FROM c WHERE c.type = 'booking' AND c.customerUserId = @customer ORDER BY c.start`,
    { '@customer': customerId },
  );
}
