import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

import { listFunctions, type HttpFunctionDefinition } from '../../shared/runtime/registry.js';
import { Api, setUpBusiness, TEST_PASSWORD } from './api-client.js';
import { useTestHost } from '../support/env.js';

/**
 * Throws random and hostile input at every auth route of the registry (so routes added later
 * are covered too): whatever arrives, the answer is a 4xx (or a success) in the error shape,
 * never a 500, and never an echo of the secrets sent.
 */
const host = useTestHost();
const api = new Api(() => host().baseUrl);
let slug: string;

beforeAll(async () => {
  slug = (await setUpBusiness(api)).slug;
});

const SECRET = 'Pa55-this-must-never-come-back';

const hostileKey = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '__proto__',
    'constructor',
    '../../etc/passwd',
    '%00',
  ),
  fc.constantFrom("' OR 1=1 --", '<script>alert(1)</script>', '${jndi:ldap://x}', 'a'.repeat(5000)),
);
/** Values may carry the secret; unknown keys are named back to the client, values never are. */
const hostileString = fc.oneof(hostileKey, fc.constant(SECRET));
const hostileValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Bodies shaped like the real ones, with any field replaced by something hostile. */
const bodyFor = (slug: string) =>
  fc.record(
    {
      slug: fc.oneof(fc.constant<unknown>(slug), hostileValue),
      email: fc.oneof(fc.constant(`owner@${slug}.example`), hostileValue),
      password: fc.oneof(fc.constant(TEST_PASSWORD), fc.constant(SECRET), hostileValue),
      businessName: hostileValue,
      timeZone: fc.oneof(fc.constant('Europe/London'), hostileValue),
      refreshToken: hostileValue,
      token: hostileValue,
      code: hostileValue,
      extra: hostileValue,
    },
    { requiredKeys: [] },
  );

function authRoutes(): HttpFunctionDefinition[] {
  return listFunctions().filter(
    (definition): definition is HttpFunctionDefinition =>
      definition.kind === 'http' &&
      definition.route.startsWith('auth/') &&
      definition.methods.includes('POST'),
  );
}

describe('auth routes under hostile input', () => {
  it('has auth routes to test', () => {
    expect(authRoutes().map((route) => route.name)).toEqual(
      expect.arrayContaining(['auth-signup', 'auth-login']),
    );
  });

  it('never answers 500 and never echoes a secret, for random bodies on every auth route', async () => {
    const routes = authRoutes();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(bodyFor(slug), hostileValue),
        async (route, payload) => {
          const response = await api.request('POST', `/api/${route.route}`, {
            rawBody: JSON.stringify(payload) ?? 'null',
          });
          expect(response.status, `${route.name} ${JSON.stringify(payload)}`).toBeLessThan(500);
          expect(JSON.stringify(response.body)).not.toContain(SECRET);
          if (response.status >= 400) {
            expect(response.body.error).toMatchObject({
              code: expect.any(String),
              message: expect.any(String),
            });
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never answers 500 to raw bytes that are not JSON', async () => {
    const routes = authRoutes();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.string({ maxLength: 200 }),
        async (route, raw) => {
          const response = await api.request('POST', `/api/${route.route}`, { rawBody: raw });
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
  });
});
