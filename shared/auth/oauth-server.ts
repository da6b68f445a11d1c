import { createHash } from 'node:crypto';

import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';

import { getConfig } from '../config/config.js';
import { sql } from '../cosmos/sql.js';
import { TenantStore, toView, type TenantDoc } from '../cosmos/tenant-store.js';
import { digestsEqual, randomToken, sha256Hex } from '../crypto/hash.js';
import { AppError, AuthError, NotFoundError, ValidationError } from '../errors.js';
import { json, readForm } from '../http/respond.js';
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
import { isScope, SCOPES, type Scope } from './scopes.js';

/**
 * OAuth 2.0 for third-party apps (RFC 6749 authorization code grant with PKCE, RFC 7636, S256
 * only; token revocation, RFC 7009). A business registers an app (a client) for itself; one of
 * its owners or admins consents; the app gets an opaque access token limited to the granted
 * scopes and a rotating refresh token. Each consent is a grant (a "connection"): revoking it
 * stops every token issued under it at the next request, because the guard checks the grant on
 * every call.
 *
 * Tokens: `swa_<grantId>_<secret>` (access) and `swr_<grantId>_<secret>` (refresh), 256-bit
 * secrets stored only as SHA-256. The grant id indexes the tenant through the directory.
 */
export const APP_TOKEN_PREFIX = 'swa_';
const ACCESS_TOKEN = /^swa_(g[0-9a-f]{24})_([A-Za-z0-9_-]{43})$/;
const REFRESH_TOKEN = /^swr_(g[0-9a-f]{24})_([A-Za-z0-9_-]{43})$/;

/** Authorization codes live 5 minutes (RFC 6749 §4.1.2 recommends at most 10). */
const CODE_TTL_MS = 5 * 60_000;
/** Refresh tokens replaced by rotation, kept so a replayed one is recognised as theft. */
const RETIRED_REFRESH_KEPT = 20;
const LAST_USED_RESOLUTION_MS = 60_000;

export type ClientType = 'confidential' | 'public';

export interface OAuthClientRecord extends TenantDoc {
  type: 'oauth-client';
  name: string;
  redirectUris: string[];
  clientType: ClientType;
  secretHash: string | null;
  createdBy: string;
  createdAt: string;
}

interface OAuthCodeRecord extends TenantDoc {
  type: 'oauth-code';
  clientId: string;
  userId: string;
  redirectUri: string;
  scopes: Scope[];
  codeChallenge: string;
  expiresAt: number;
  usedAt: string | null;
  /** Decided when the code is made, so a replayed code can revoke what it produced. */
  grantId: string;
  ttl: number;
}

export interface OAuthGrantRecord extends TenantDoc {
  type: 'oauth-grant';
  clientId: string;
  clientName: string;
  userId: string;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  accessTokenHash: string | null;
  accessScopes: Scope[];
  accessExpiresAt: number;
  refreshTokenHash: string | null;
  refreshExpiresAt: number;
  retiredRefreshHashes: string[];
}

// ---------------------------------------------------------------------------------------------
// Client registration

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https anywhere, plain http only on loopback (RFC 8252 native apps); never a fragment. */
export const redirectUriSchema = z
  .string()
  .max(2048)
  .refine(
    (value) => {
      if (!URL.canParse(value)) return false;
      const url = new URL(value);
      if (url.hash || url.username || url.password) return false;
      return (
        url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
      );
    },
    { message: 'must be an absolute https URL (http only on loopback) without a fragment' },
  );

export const oauthClientCreateSchema = z.strictObject({
  name: nameSchema,
  redirectUris: z.array(redirectUriSchema).min(1).max(10),
  type: z.enum(['confidential', 'public']).default('confidential'),
});
export type OAuthClientCreate = z.infer<typeof oauthClientCreateSchema>;

export const oauthClientViewSchema = z.object({
  id: z.string().describe('The client_id.'),
  name: z.string(),
  redirectUris: z.array(z.string()),
  type: z.enum(['confidential', 'public']),
  createdAt: z.string(),
});
export const oauthClientCreatedSchema = oauthClientViewSchema.extend({
  clientSecret: z
    .string()
    .optional()
    .describe('Confidential clients only; shown only in this response.'),
});

export function toClientView(client: OAuthClientRecord): z.infer<typeof oauthClientViewSchema> {
  return {
    id: client.id,
    name: client.name,
    redirectUris: client.redirectUris,
    type: client.clientType,
    createdAt: client.createdAt,
  };
}

/** Registers a third-party app for this business; a confidential client's secret is shown once. */
export async function createOAuthClient(
  store: TenantStore,
  createdBy: string,
  input: OAuthClientCreate,
) {
  const id = newCredentialId('c');
  const secret = input.type === 'confidential' ? `swcs_${randomToken(32)}` : undefined;
  const result = await store.create<OAuthClientRecord>({
    id,
    type: 'oauth-client',
    name: input.name,
    redirectUris: input.redirectUris,
    clientType: input.type,
    secretHash: secret ? sha256Hex(secret) : null,
    createdBy,
    createdAt: new Date(now()).toISOString(),
  });
  if (!result.ok) throw new AppError('internal', 500, 'Could not store the app.');
  if (!(await registerCredential('oauthclient', id, store.tenantId))) {
    await store.delete(id);
    throw new AppError('internal', 500, 'Could not register the app.');
  }
  return { ...toClientView(result.doc), ...(secret ? { clientSecret: secret } : {}) };
}

export async function listOAuthClients(store: TenantStore): Promise<OAuthClientRecord[]> {
  return store.query<OAuthClientRecord>(
    sql`SELECT * FROM c WHERE c.type = 'oauth-client' ORDER BY c.createdAt DESC`,
  );
}

// ---------------------------------------------------------------------------------------------
// Authorization and consent (RFC 6749 §4.1.1, §4.1.2)

const param = (max: number) => z.string().max(max).optional();

/**
 * Loose on purpose: which problems redirect and which do not is decided after parsing, and
 * unknown parameters are ignored as RFC 6749 §3.1 requires.
 */
export const authorizeQuerySchema = z.object({
  response_type: param(64),
  client_id: param(64),
  redirect_uri: param(2048),
  scope: param(512),
  state: param(512),
  code_challenge: param(128),
  code_challenge_method: param(16),
});
export type AuthorizeQuery = z.infer<typeof authorizeQuerySchema>;

export const consentRequestSchema = z.strictObject({
  ...authorizeQuerySchema.shape,
  approve: z.boolean(),
});
export type ConsentRequest = z.infer<typeof consentRequestSchema>;

export const consentDetailsSchema = z.object({
  client: z.object({ id: z.string(), name: z.string() }),
  redirectUri: z.string(),
  scopes: z.array(z.enum(SCOPES)),
  state: z.string().nullable(),
});
export const consentResultSchema = z.object({
  redirectTo: z.string().describe('Where to send the browser: the app with a code, or an error.'),
});

interface ValidAuthorization {
  client: OAuthClientRecord;
  redirectUri: string;
  scopes: Scope[];
  state: string | undefined;
  codeChallenge: string;
}

const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const PKCE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * Checks an authorization request. A bad client or redirect URI is answered here (400) and never
 * redirected, so an attacker cannot bounce users to an address the app did not register
 * (RFC 6749 §4.1.2.1). Other problems go back to the app at its registered URI.
 */
async function checkAuthorization(
  store: TenantStore,
  query: AuthorizeQuery,
): Promise<ValidAuthorization> {
  const client = query.client_id ? await readClient(store, query.client_id) : undefined;
  if (!client) {
    throw new ValidationError([
      { path: 'client_id', message: 'is not an app registered with this business' },
    ]);
  }
  const redirectUri = query.redirect_uri;
  if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
    throw new ValidationError([
      { path: 'redirect_uri', message: 'is not registered for this app' },
    ]);
  }
  const back = (error: string, description: string) =>
    redirectError(redirectUri, error, description, query.state);

  if (query.response_type !== 'code') {
    throw back('unsupported_response_type', 'Only response_type=code is supported.');
  }
  if (!query.code_challenge || !PKCE_CHALLENGE.test(query.code_challenge)) {
    throw back('invalid_request', 'code_challenge is required (PKCE, RFC 7636).');
  }
  if (query.code_challenge_method !== 'S256') {
    throw back('invalid_request', 'code_challenge_method must be S256.');
  }
  const scopes = parseScopes(query.scope);
  if (!scopes) throw back('invalid_scope', `scope must list some of: ${SCOPES.join(' ')}.`);
  return { client, redirectUri, scopes, state: query.state, codeChallenge: query.code_challenge };
}

/** Space-separated scopes, each known, none repeated; `undefined` when that is not the case. */
function parseScopes(value: string | undefined): Scope[] | undefined {
  const parts = (value ?? '').split(' ').filter(Boolean);
  if (parts.length === 0 || new Set(parts).size !== parts.length || !parts.every(isScope))
    return undefined;
  return parts as Scope[];
}

function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url.href;
}

function redirectError(redirectUri: string, error: string, description: string, state?: string) {
  return new AppError('bad_request', 400, description, {
    details: {
      error,
      redirectTo: redirectWith(redirectUri, { error, error_description: description, state }),
    },
  });
}

/** What the consent screen shows: the app, where it goes back to, and the scopes it asks for. */
export async function describeAuthorization(principal: Principal, query: AuthorizeQuery) {
  const valid = await checkAuthorization(principal.store, query);
  return {
    client: { id: valid.client.id, name: valid.client.name },
    redirectUri: valid.redirectUri,
    scopes: valid.scopes,
    state: valid.state ?? null,
  };
}

/** Records the person's decision: a single-use code for the app, or `access_denied`. */
export async function decideConsent(principal: Principal, request: ConsentRequest) {
  const { approve, ...query } = request;
  const valid = await checkAuthorization(principal.store, query);
  if (!approve) {
    const redirectTo = redirectWith(valid.redirectUri, {
      error: 'access_denied',
      error_description: 'The business did not allow access.',
      state: valid.state,
    });
    return { redirectTo };
  }
  const code = randomToken(32);
  const result = await principal.store.create<OAuthCodeRecord>({
    id: codeDocId(code),
    type: 'oauth-code',
    clientId: valid.client.id,
    userId: principal.userId,
    redirectUri: valid.redirectUri,
    scopes: valid.scopes,
    codeChallenge: valid.codeChallenge,
    expiresAt: now() + CODE_TTL_MS,
    usedAt: null,
    grantId: newCredentialId('g'),
    // Real Cosmos removes spent codes after a day; reads check `expiresAt` regardless.
    ttl: 24 * 3600,
  });
  if (!result.ok) throw new AppError('internal', 500, 'Could not store the authorization code.');
  return { redirectTo: redirectWith(valid.redirectUri, { code, state: valid.state }) };
}

const codeDocId = (code: string) => `oac-${sha256Hex(code)}`;

async function readClient(
  store: TenantStore,
  clientId: string,
): Promise<OAuthClientRecord | undefined> {
  if (!/^c[0-9a-f]{24}$/.test(clientId)) return undefined;
  return store.read<OAuthClientRecord>('oauth-client', clientId);
}

// ---------------------------------------------------------------------------------------------
// Token endpoint (RFC 6749 §3.2, §4.1.3, §6) and revocation (RFC 7009)

/** An error in the shape OAuth clients expect (RFC 6749 §5.2), not the app's own shape. */
class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

const formParam = (max: number) => z.string().min(1).max(max).optional();

/** Unknown parameters are ignored, as RFC 6749 §3.2 requires of the token endpoint. */
export const tokenRequestSchema = z.object({
  grant_type: z.string().min(1).max(64),
  code: formParam(128),
  redirect_uri: formParam(2048),
  code_verifier: formParam(128),
  refresh_token: formParam(256),
  scope: formParam(512),
  client_id: formParam(64),
  client_secret: formParam(256),
});

export const revokeRequestSchema = z.object({
  token: z.string().min(1).max(512),
  token_type_hint: z.string().max(64).optional(),
  client_id: formParam(64),
  client_secret: formParam(256),
});

export const tokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number(),
  refresh_token: z.string(),
  scope: z.string(),
});

/** Runs `work` and answers in the OAuth error shape; the app's 4xx become `invalid_request`. */
async function oauthResponse(work: () => Promise<unknown>): Promise<HttpResponseInit> {
  try {
    return json(200, await work(), { pragma: 'no-cache' });
  } catch (caught) {
    let error = caught;
    if (caught instanceof AppError && caught.status < 500) {
      // Wrong media type and oversized bodies keep their status; the rest is a plain 400.
      const status = caught.status === 413 || caught.status === 415 ? caught.status : 400;
      error = new OAuthError('invalid_request', caught.message, status);
    }
    if (!(error instanceof OAuthError)) throw caught;
    const headers: Record<string, string> =
      error.status === 401 ? { 'www-authenticate': 'Basic realm="slotwise"' } : {};
    return json(
      error.status,
      { error: error.error, error_description: error.description },
      headers,
    );
  }
}

interface AuthenticatedClient {
  client: OAuthClientRecord;
  store: TenantStore;
}

/** Client authentication: `client_secret_basic` or `_post`; public clients send none. */
async function authenticateClient(
  request: HttpRequest,
  form: { client_id?: string | undefined; client_secret?: string | undefined },
): Promise<AuthenticatedClient> {
  const basic = parseBasic(request.headers.get('authorization'));
  if (basic && (form.client_id !== undefined || form.client_secret !== undefined)) {
    throw new OAuthError('invalid_request', 'Authenticate the client one way only.');
  }
  const clientId = basic?.id ?? form.client_id;
  const secret = basic?.secret ?? form.client_secret;
  const invalid = new OAuthError(
    'invalid_client',
    'The client is unknown or its credentials are wrong.',
    401,
  );
  if (!clientId) throw invalid;

  const tenantId = /^c[0-9a-f]{24}$/.test(clientId)
    ? await resolveCredentialTenant('oauthclient', clientId)
    : undefined;
  if (!tenantId) throw invalid;
  const store = TenantStore.for(tenantId);
  const client = await readClient(store, clientId);
  if (!client) throw invalid;
  if (client.clientType === 'confidential') {
    if (!secret || !client.secretHash || !digestsEqual(sha256Hex(secret), client.secretHash))
      throw invalid;
  } else if (secret !== undefined) {
    throw invalid;
  }
  return { client, store };
}

function parseBasic(header: string | null): { id: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header?.trim() ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0)
    throw new OAuthError('invalid_client', 'The Basic credentials are malformed.', 401);
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw new OAuthError('invalid_client', 'The Basic credentials are malformed.', 401);
  }
}

/** `POST /oauth/token`: exchanges a code (with its PKCE verifier) or a refresh token. */
export function handleTokenRequest(request: HttpRequest): Promise<HttpResponseInit> {
  return oauthResponse(async () => {
    const form = await readForm(request, tokenRequestSchema);
    const auth = await authenticateClient(request, form);
    if (form.grant_type === 'authorization_code') return redeemCode(auth, form);
    if (form.grant_type === 'refresh_token') return refresh(auth, form);
    throw new OAuthError('unsupported_grant_type', 'Use authorization_code or refresh_token.');
  });
}

type TokenForm = z.infer<typeof tokenRequestSchema>;

function required(value: string | undefined, field: string): string {
  if (value === undefined) throw new OAuthError('invalid_request', `${field} is required.`);
  return value;
}

async function redeemCode({ client, store }: AuthenticatedClient, form: TokenForm) {
  const code = required(form.code, 'code');
  const redirectUri = required(form.redirect_uri, 'redirect_uri');
  const verifier = required(form.code_verifier, 'code_verifier');
  if (!PKCE_VERIFIER.test(verifier)) {
    throw new OAuthError(
      'invalid_request',
      'code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~.',
    );
  }
  const invalid = new OAuthError(
    'invalid_grant',
    'The code is not valid, was used already or has expired.',
  );

  const record = await store.read<OAuthCodeRecord>('oauth-code', codeDocId(code));
  if (!record || record.clientId !== client.id) throw invalid;
  if (record.usedAt) {
    // A code seen twice was stolen or replayed: what it produced is revoked (RFC 6749 §4.1.2).
    await revokeGrant(store, record.grantId);
    throw invalid;
  }
  if (record.expiresAt <= now() || record.redirectUri !== redirectUri) throw invalid;
  if (
    !digestsEqual(
      pkceChallengeHex(verifier),
      Buffer.from(record.codeChallenge, 'base64url').toString('hex'),
    )
  ) {
    throw invalid;
  }
  const claimed = await store.replace<OAuthCodeRecord>({
    ...record,
    usedAt: new Date(now()).toISOString(),
  });
  if (!claimed.ok) {
    await revokeGrant(store, record.grantId);
    throw invalid;
  }
  return createGrant(store, client, record);
}

function pkceChallengeHex(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('hex');
}

interface IssuedTokens {
  access: string;
  refresh: string;
  fields: Pick<
    OAuthGrantRecord,
    'accessTokenHash' | 'accessExpiresAt' | 'refreshTokenHash' | 'refreshExpiresAt'
  >;
}

function issueTokens(grantId: string): IssuedTokens {
  const config = getConfig();
  const access = `swa_${grantId}_${randomToken(32)}`;
  const refresh = `swr_${grantId}_${randomToken(32)}`;
  const at = now();
  return {
    access,
    refresh,
    fields: {
      accessTokenHash: sha256Hex(access),
      accessExpiresAt: at + config.OAUTH_ACCESS_TOKEN_TTL_SECONDS * 1000,
      refreshTokenHash: sha256Hex(refresh),
      refreshExpiresAt: at + config.OAUTH_REFRESH_TOKEN_TTL_DAYS * 86_400_000,
    },
  };
}

function tokenResponse(tokens: IssuedTokens, scopes: readonly Scope[]) {
  return {
    access_token: tokens.access,
    token_type: 'Bearer' as const,
    expires_in: getConfig().OAUTH_ACCESS_TOKEN_TTL_SECONDS,
    refresh_token: tokens.refresh,
    scope: scopes.join(' '),
  };
}

async function createGrant(store: TenantStore, client: OAuthClientRecord, code: OAuthCodeRecord) {
  const tokens = issueTokens(code.grantId);
  const result = await store.create<OAuthGrantRecord>({
    id: code.grantId,
    type: 'oauth-grant',
    clientId: client.id,
    clientName: client.name,
    userId: code.userId,
    scopes: code.scopes,
    createdAt: new Date(now()).toISOString(),
    lastUsedAt: null,
    revokedAt: null,
    accessScopes: code.scopes,
    retiredRefreshHashes: [],
    ...tokens.fields,
  });
  if (!result.ok) throw new AppError('internal', 500, 'Could not store the grant.');
  if (!(await registerCredential('oauthgrant', code.grantId, store.tenantId))) {
    await store.delete(code.grantId);
    throw new AppError('internal', 500, 'Could not register the grant.');
  }
  return tokenResponse(tokens, code.scopes);
}

async function refresh({ client, store }: AuthenticatedClient, form: TokenForm) {
  const token = required(form.refresh_token, 'refresh_token');
  const invalid = new OAuthError(
    'invalid_grant',
    'The refresh token is not valid, was used already or has expired.',
  );
  const match = REFRESH_TOKEN.exec(token);
  if (!match?.[1]) throw invalid;
  const grantId = match[1];
  const hash = sha256Hex(token);

  for (let attempt = 0; attempt < 5; attempt++) {
    const grant = await store.read<OAuthGrantRecord>('oauth-grant', grantId);
    if (!grant || grant.clientId !== client.id || grant.revokedAt) throw invalid;
    if (!grant.refreshTokenHash || !digestsEqual(hash, grant.refreshTokenHash)) {
      if (grant.retiredRefreshHashes.some((old) => digestsEqual(hash, old))) {
        // A rotated-out refresh token came back: someone kept a copy. End the whole grant.
        await revokeGrant(store, grantId);
      }
      throw invalid;
    }
    if (grant.refreshExpiresAt <= now()) throw invalid;
    const scopes = form.scope === undefined ? grant.scopes : parseScopes(form.scope);
    if (!scopes || !scopes.every((scope) => grant.scopes.includes(scope))) {
      throw new OAuthError('invalid_scope', 'scope may only narrow what was granted.');
    }

    const tokens = issueTokens(grantId);
    const retired = [grant.refreshTokenHash, ...grant.retiredRefreshHashes].slice(
      0,
      RETIRED_REFRESH_KEPT,
    );
    const next = {
      ...grant,
      ...tokens.fields,
      accessScopes: scopes,
      retiredRefreshHashes: retired,
    };
    if ((await store.replace(next)).ok) return tokenResponse(tokens, scopes);
  }
  throw new AppError('unavailable', 503, 'The grant is busy; try again in a moment.');
}

/** `POST /oauth/revoke` (RFC 7009): always 200 for a known client, whatever the token was. */
export function handleRevokeRequest(request: HttpRequest): Promise<HttpResponseInit> {
  return oauthResponse(async () => {
    const form = await readForm(request, revokeRequestSchema);
    const { client, store } = await authenticateClient(request, form);
    const access = ACCESS_TOKEN.exec(form.token);
    const refreshMatch = REFRESH_TOKEN.exec(form.token);
    const grantId = access?.[1] ?? refreshMatch?.[1];
    // A token of another client or business is left alone, and the answer is the same.
    const grant = grantId ? await store.read<OAuthGrantRecord>('oauth-grant', grantId) : undefined;
    if (!grant || grant.clientId !== client.id || grant.revokedAt) return {};

    const hash = sha256Hex(form.token);
    if (refreshMatch) {
      const known = [grant.refreshTokenHash, ...grant.retiredRefreshHashes].filter(
        (h): h is string => !!h,
      );
      if (known.some((old) => digestsEqual(hash, old))) await revokeGrant(store, grant.id);
    } else if (grant.accessTokenHash && digestsEqual(hash, grant.accessTokenHash)) {
      await store.update<OAuthGrantRecord>('oauth-grant', grant.id, (current) =>
        current.accessTokenHash === grant.accessTokenHash
          ? { ...current, accessTokenHash: null }
          : undefined,
      );
    }
    return {};
  });
}

// ---------------------------------------------------------------------------------------------
// Connections (grants) and the guard

export const connectionViewSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  clientName: z.string(),
  userId: z.string().describe('Who consented.'),
  scopes: z.array(z.enum(SCOPES)),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});

export function toConnectionView(grant: OAuthGrantRecord): z.infer<typeof connectionViewSchema> {
  const { id, clientId, clientName, userId, scopes, createdAt, lastUsedAt } = toView(grant);
  return { id, clientId, clientName, userId, scopes, createdAt, lastUsedAt };
}

/** Apps connected to this business now (revoked grants are left out). */
export async function listConnections(store: TenantStore): Promise<OAuthGrantRecord[]> {
  const grants = await store.query<OAuthGrantRecord>(
    sql`SELECT * FROM c WHERE c.type = 'oauth-grant' ORDER BY c.createdAt DESC`,
  );
  return grants.filter((grant) => !grant.revokedAt);
}

/** Disconnects an app: every token of the grant is refused from the next request on. */
export async function revokeConnection(store: TenantStore, id: string): Promise<void> {
  const grant = await store.read<OAuthGrantRecord>('oauth-grant', id);
  if (!grant || grant.revokedAt) throw new NotFoundError(`Connection "${id}"`);
  await revokeGrant(store, id);
}

async function revokeGrant(store: TenantStore, grantId: string): Promise<void> {
  const revokedAt = new Date(now()).toISOString();
  await store.update<OAuthGrantRecord>('oauth-grant', grantId, (grant) =>
    grant.revokedAt
      ? undefined
      : {
          ...grant,
          revokedAt,
          accessTokenHash: null,
          refreshTokenHash: null,
          retiredRefreshHashes: [],
        },
  );
  await unregisterCredential('oauthgrant', grantId);
}

const INVALID_APP_TOKEN = 'The access token is not valid, was revoked or has expired.';

/** Turns `swa_…` into a principal acting for the consenting person within the granted scopes. */
export async function authenticateAppToken(token: string): Promise<Principal> {
  const match = ACCESS_TOKEN.exec(token);
  if (!match?.[1]) throw new AuthError(401, INVALID_APP_TOKEN);
  const grantId = match[1];

  const tenantId = await resolveCredentialTenant('oauthgrant', grantId);
  if (!tenantId) throw new AuthError(401, INVALID_APP_TOKEN);
  const store = TenantStore.for(tenantId);
  const grant = await store.read<OAuthGrantRecord>('oauth-grant', grantId);
  const valid =
    grant &&
    !grant.revokedAt &&
    grant.accessTokenHash &&
    digestsEqual(sha256Hex(token), grant.accessTokenHash) &&
    grant.accessExpiresAt > now();
  if (!grant || !valid) throw new AuthError(401, INVALID_APP_TOKEN);
  const member = await activeMember(store, grant.userId);
  if (!member) throw new AuthError(401, INVALID_APP_TOKEN);

  const at = now();
  if (!grant.lastUsedAt || at - Date.parse(grant.lastUsedAt) >= LAST_USED_RESOLUTION_MS) {
    // One attempt with the read ETag: a revocation written meanwhile always wins.
    await store.replace<OAuthGrantRecord>({ ...grant, lastUsedAt: new Date(at).toISOString() });
  }
  return {
    kind: 'app',
    userId: grant.userId,
    tenantId,
    ...member,
    scopes: grant.accessScopes,
    store,
  };
}
