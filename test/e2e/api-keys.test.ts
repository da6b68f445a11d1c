import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { sql } from '../../shared/cosmos/sql.js';
import { TenantStore, trustTenantId, type TenantDoc } from '../../shared/cosmos/tenant-store.js';
import { resetClock, setClock } from '../../shared/runtime/clock.js';
import { startTestHost, type TestHost } from '../support/env.js';
import { Api, setUpBusiness, signIn } from './api-client.js';

let host: TestHost;
let api: Api;
let biz: Awaited<ReturnType<typeof setUpBusiness>>;
let other: Awaited<ReturnType<typeof setUpBusiness>>;

beforeAll(async () => {
  host = await startTestHost({ triggers: false });
  api = new Api(host.baseUrl);
  [biz, other] = await Promise.all([setUpBusiness(api), setUpBusiness(api)]);
});
afterAll(async () => {
  await host?.stop();
});
afterEach(() => resetClock());

async function createKey(owner: Api, scopes: string[], name = 'Zapier') {
  const response = await owner.post('/api/admin/api-keys', { name, scopes });
  expect(response.status).toBe(201);
  return response.body as { id: string; key: string; scopes: string[] };
}

describe('POST /api/admin/api-keys', () => {
  it('returns the key once, as swk_<id>_<256-bit secret>, and never lists the secret', async () => {
    const created = await createKey(biz.admin, ['catalog:read']);
    expect(created.key).toMatch(/^swk_k[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(`swk_${created.id}_`)).toBe(true);
    expect(Object.keys(created).sort()).toEqual(
      ['createdAt', 'createdBy', 'id', 'key', 'lastUsedAt', 'name', 'revokedAt', 'scopes'].sort(),
    );

    const list = await biz.admin.get('/api/admin/api-keys');
    expect(list.status).toBe(200);
    const listed = list.body.items.find((item: { id: string }) => item.id === created.id);
    expect(listed).toEqual({
      id: created.id,
      name: 'Zapier',
      scopes: ['catalog:read'],
      createdBy: expect.any(String),
      createdAt: expect.any(String),
      lastUsedAt: null,
      revokedAt: null,
    });
    const secret = created.key.slice(`swk_${created.id}_`.length);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(list.body)).not.toContain(secret);
  });

  it('names bad fields: unknown scope, repeated scope, no scopes, unknown field', async () => {
    const unknown = await biz.admin.post('/api/admin/api-keys', {
      name: 'x',
      scopes: ['catalog:admin'],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details[0].path).toBe('scopes.0');
    const repeated = await biz.admin.post('/api/admin/api-keys', {
      name: 'x',
      scopes: ['catalog:read', 'catalog:read'],
    });
    expect(repeated.body.error.details[0].path).toBe('scopes');
    const none = await biz.admin.post('/api/admin/api-keys', { name: 'x', scopes: [] });
    expect(none.body.error.details[0].path).toBe('scopes');
    const extra = await biz.admin.post('/api/admin/api-keys', {
      name: 'x',
      scopes: ['catalog:read'],
      admin: true,
    });
    expect(extra.body.error.details).toEqual([{ path: 'admin', message: 'is not a known field' }]);
  });
});

describe('Authorization: Bearer swk_…', () => {
  it('lets a catalog:read key list services but answers 403 to creating one', async () => {
    const { key } = await createKey(biz.admin, ['catalog:read']);
    const keyApi = api.withToken(key);

    const list = await keyApi.get('/api/admin/services');
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual([biz.serviceId]);

    const create = await keyApi.post('/api/admin/services', {
      name: 'Sneaky',
      durationMinutes: 30,
      staffIds: [biz.staffId],
    });
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe('forbidden');
    expect(create.body.error.message).toContain('catalog:write');

    const bookings = await keyApi.get('/api/admin/bookings');
    expect(bookings.status).toBe(403);
  });

  it('refuses keys on routes for people only: a key cannot mint keys or register apps', async () => {
    const { key } = await createKey(biz.admin, [
      'catalog:read',
      'catalog:write',
      'bookings:read',
      'bookings:write',
    ]);
    const keyApi = api.withToken(key);
    expect(
      (await keyApi.post('/api/admin/api-keys', { name: 'x', scopes: ['catalog:read'] })).status,
    ).toBe(403);
    expect((await keyApi.get('/api/admin/api-keys')).status).toBe(403);
    expect(
      (
        await keyApi.post('/api/admin/oauth/clients', {
          name: 'x',
          redirectUris: ['https://a.example/cb'],
        })
      ).status,
    ).toBe(403);
    expect((await keyApi.get('/api/oauth/authorize?client_id=x')).status).toBe(403);
  });

  it('answers 401 at once after the key is revoked', async () => {
    const created = await createKey(biz.admin, ['catalog:read']);
    const keyApi = api.withToken(created.key);
    expect((await keyApi.get('/api/admin/services')).status).toBe(200);

    const revoked = await biz.admin.delete(`/api/admin/api-keys/${created.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));

    const after = await keyApi.get('/api/admin/services');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');
    const listed = (await biz.admin.get('/api/admin/api-keys')).body.items.find(
      (item: { id: string }) => item.id === created.id,
    );
    expect(listed.revokedAt).toBe(revoked.body.revokedAt);
  });

  it('answers 401 to a wrong secret, a malformed key and an unknown key id', async () => {
    const created = await createKey(biz.admin, ['catalog:read']);
    const wrongSecret = `swk_${created.id}_${'A'.repeat(43)}`;
    const unknownId = `swk_k${'0'.repeat(24)}_${created.key.slice(`swk_${created.id}_`.length)}`;
    for (const key of [wrongSecret, unknownId, 'swk_nope', `${created.key}x`]) {
      const response = await api.withToken(key).get('/api/admin/services');
      expect(response.status, key.slice(0, 8)).toBe(401);
    }
  });

  it('keeps a key of business A inside business A', async () => {
    const { key } = await createKey(biz.admin, ['catalog:read', 'catalog:write', 'bookings:read']);
    const keyApi = api.withToken(key);
    expect((await keyApi.get(`/api/admin/services/${other.serviceId}`)).status).toBe(404);
    expect((await keyApi.get(`/api/admin/staff/${other.staffId}`)).status).toBe(404);
    expect((await keyApi.delete(`/api/admin/services/${other.serviceId}`)).status).toBe(404);
    const list = await keyApi.get('/api/admin/services');
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual([biz.serviceId]);
    expect((await other.admin.get(`/api/admin/services/${other.serviceId}`)).status).toBe(200);
  });

  it('cannot be revoked from another business', async () => {
    const created = await createKey(biz.admin, ['catalog:read']);
    expect((await other.admin.delete(`/api/admin/api-keys/${created.id}`)).status).toBe(404);
    expect((await api.withToken(created.key).get('/api/admin/services')).status).toBe(200);
  });

  it('records lastUsedAt at most once a minute', async () => {
    const created = await createKey(biz.admin, ['catalog:read']);
    const keyApi = api.withToken(created.key);
    let owner = biz.admin;
    const lastUsed = async () =>
      (await owner.get('/api/admin/api-keys')).body.items.find(
        (i: { id: string }) => i.id === created.id,
      ).lastUsedAt as string | null;

    // Access tokens are checked on the app clock: the owner signs in again in 2031.
    const t0 = Date.parse('2031-05-01T10:00:00Z');
    setClock(() => t0);
    owner = await signIn(api, biz.slug);
    await keyApi.get('/api/admin/services');
    expect(await lastUsed()).toBe('2031-05-01T10:00:00.000Z');

    setClock(() => t0 + 30_000);
    await keyApi.get('/api/admin/services');
    expect(await lastUsed()).toBe('2031-05-01T10:00:00.000Z');

    setClock(() => t0 + 61_000);
    await keyApi.get('/api/admin/services');
    expect(await lastUsed()).toBe('2031-05-01T10:01:01.000Z');
  });
});

describe('a key never outlives its creator', () => {
  it('answers 401 once the member who made the key is no longer active', async () => {
    const third = await setUpBusiness(api);
    const created = await createKey(third.admin, ['catalog:read']);
    const keyApi = api.withToken(created.key);
    expect((await keyApi.get('/api/admin/services')).status).toBe(200);

    // No route disables a member yet; the record is changed the way such a route would.
    const store = TenantStore.for(trustTenantId(third.tenantId));
    const [owner] = await store.query<TenantDoc & { status: string }>(
      sql`SELECT * FROM c WHERE c.type = 'user'`,
    );
    await store.update<TenantDoc & { status: string }>('user', owner!.id, (user) => ({
      ...user,
      status: 'disabled',
    }));
    expect((await keyApi.get('/api/admin/services')).status).toBe(401);
  });
});
