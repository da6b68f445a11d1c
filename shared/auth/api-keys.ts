import { z } from 'zod';

import { sql } from '../cosmos/sql.js';
import { TenantStore, toView, type TenantDoc } from '../cosmos/tenant-store.js';
import { digestsEqual, randomToken, sha256Hex } from '../crypto/hash.js';
import { AppError, AuthError, NotFoundError } from '../errors.js';
import { now } from '../runtime/clock.js';
import { nameSchema } from '../validation/common.js';
import {
  activeMember,
  newCredentialId,
  registerCredential,
  resolveCredentialTenant,
  unregisterCredential,
} from './credentials.js';
import type { Principal } from './guard.js';
import { SCOPES, type Scope } from './scopes.js';

/**
 * API keys: `swk_<keyId>_<secret>`. The key id is public and indexes the tenant through the
 * directory; the 256-bit secret is shown once and stored only as its SHA-256.
 */
export const API_KEY_PREFIX = 'swk_';
const API_KEY = /^swk_(k[0-9a-f]{24})_([A-Za-z0-9_-]{43})$/;

/** lastUsedAt is written at most this often per key, so busy keys do not write on every call. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKeyRecord extends TenantDoc {
  type: 'api-key';
  name: string;
  scopes: Scope[];
  secretHash: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const scopesSchema = z
  .array(z.enum(SCOPES))
  .min(1)
  .max(SCOPES.length)
  .refine((scopes) => new Set(scopes).size === scopes.length, {
    message: 'must not repeat a scope',
  });

export const apiKeyCreateSchema = z.strictObject({ name: nameSchema, scopes: scopesSchema });
export type ApiKeyCreate = z.infer<typeof apiKeyCreateSchema>;

export const apiKeyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(SCOPES)),
  createdBy: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const apiKeyCreatedSchema = apiKeyViewSchema.extend({
  key: z.string().describe('The key itself, shown only in this response; store it now.'),
});

export function toApiKeyView(record: ApiKeyRecord): z.infer<typeof apiKeyViewSchema> {
  const { secretHash: _secret, ...view } = toView(record);
  return view;
}

/** Issues a key for the caller's business with the given scopes; the secret is returned once. */
export async function createApiKey(store: TenantStore, createdBy: string, input: ApiKeyCreate) {
  const id = newCredentialId('k');
  const secret = randomToken(32);
  const result = await store.create<ApiKeyRecord>({
    id,
    type: 'api-key',
    name: input.name,
    scopes: input.scopes,
    secretHash: sha256Hex(secret),
    createdBy,
    createdAt: new Date(now()).toISOString(),
    lastUsedAt: null,
    revokedAt: null,
  });
  if (!result.ok) throw new AppError('internal', 500, 'Could not store the API key.');
  // The key document alone is unreachable; only the directory entry makes it usable.
  if (!(await registerCredential('apikey', id, store.tenantId))) {
    await store.delete(id);
    throw new AppError('internal', 500, 'Could not register the API key.');
  }
  return { ...toApiKeyView(result.doc), key: `${API_KEY_PREFIX}${id}_${secret}` };
}

export async function listApiKeys(store: TenantStore): Promise<ApiKeyRecord[]> {
  return store.query<ApiKeyRecord>(
    sql`SELECT * FROM c WHERE c.type = 'api-key' ORDER BY c.createdAt DESC`,
  );
}

/** Revokes a key; it is refused from the next request on. Revoking twice is harmless. */
export async function revokeApiKey(store: TenantStore, id: string): Promise<ApiKeyRecord> {
  const revokedAt = new Date(now()).toISOString();
  const record = await store.update<ApiKeyRecord>('api-key', id, (key) =>
    key.revokedAt ? undefined : { ...key, revokedAt },
  );
  if (!record) throw new NotFoundError(`API key "${id}"`);
  await unregisterCredential('apikey', id);
  return record;
}

const INVALID_KEY = 'The API key is not valid or has been revoked.';

/** Turns `swk_…` into a principal limited to the key's scopes, or refuses with 401. */
export async function authenticateApiKey(token: string): Promise<Principal> {
  const match = API_KEY.exec(token);
  if (!match) throw new AuthError(401, INVALID_KEY);
  const [, id, secret] = match as unknown as [string, string, string];

  const tenantId = await resolveCredentialTenant('apikey', id);
  if (!tenantId) throw new AuthError(401, INVALID_KEY);
  const store = TenantStore.for(tenantId);
  const key = await store.read<ApiKeyRecord>('api-key', id);
  if (!key || key.revokedAt || !digestsEqual(sha256Hex(secret), key.secretHash)) {
    throw new AuthError(401, INVALID_KEY);
  }
  const member = await activeMember(store, key.createdBy);
  if (!member) throw new AuthError(401, INVALID_KEY);

  await touchLastUsed(store, key);
  return { kind: 'api-key', userId: key.createdBy, tenantId, ...member, scopes: key.scopes, store };
}

async function touchLastUsed(store: TenantStore, key: ApiKeyRecord): Promise<void> {
  const at = now();
  if (key.lastUsedAt && at - Date.parse(key.lastUsedAt) < LAST_USED_RESOLUTION_MS) return;
  // One attempt with the read ETag: if another request wrote first, its time is as good.
  await store.replace<ApiKeyRecord>({ ...key, lastUsedAt: new Date(at).toISOString() });
}
