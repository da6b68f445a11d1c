import { createHash } from 'node:crypto';

import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';

import { getConfig } from '../config/config.js';
import { TenantStore, type TenantDoc, type TenantId } from '../cosmos/tenant-store.js';
import { digestsEqual, randomToken, sha256Hex } from '../crypto/hash.js';
import { AppError, NotFoundError } from '../errors.js';
import { now } from '../runtime/clock.js';
import { resolveSlug } from '../tenants/directory.js';
import { signInWithVerifiedEmail } from './accounts.js';

/**
 * Sign-in with Google or Microsoft: OpenID Connect authorization code flow with PKCE (S256),
 * `state` and `nonce`, used only to prove who someone is (scopes `openid email profile`). The
 * verified email signs in an existing member of the business; nobody is ever created here.
 *
 * The flow's secrets (nonce, PKCE verifier) stay on the server in a single-use document in the
 * business's partition, found by the SHA-256 of `state`. `state` is `<slug>.<256-bit random>`:
 * the slug says which partition to look in, the random part is the single-use secret. The flow is
 * also bound to the browser that started it by a cookie holding a random value whose hash the
 * flow keeps, so nobody can finish a sign-in that someone else started (login CSRF).
 */
export const OIDC_PROVIDERS = ['google', 'microsoft'] as const;
export type OidcProviderName = (typeof OIDC_PROVIDERS)[number];

const SCOPE = 'openid email profile';
/** Microsoft's multi-tenant endpoints publish an issuer with this placeholder. */
const TENANT_PLACEHOLDER = '{tenantid}';

interface OidcFlowRecord extends TenantDoc {
  type: 'oidc-flow';
  provider: OidcProviderName;
  nonce: string;
  codeVerifier: string;
  /** SHA-256 of the random value in the starting browser's cookie (see OIDC_BINDING_COOKIE). */
  browserBindingHash: string;
  expiresAt: number;
  usedAt: string | null;
  ttl: number;
}

interface ProviderSettings {
  name: OidcProviderName;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

function providerSettings(name: string): ProviderSettings {
  const config = getConfig();
  const settings =
    name === 'google'
      ? {
          issuer: config.OIDC_GOOGLE_ISSUER,
          id: config.OIDC_GOOGLE_CLIENT_ID,
          secret: config.OIDC_GOOGLE_CLIENT_SECRET,
        }
      : name === 'microsoft'
        ? {
            issuer: config.OIDC_MICROSOFT_ISSUER,
            id: config.OIDC_MICROSOFT_CLIENT_ID,
            secret: config.OIDC_MICROSOFT_CLIENT_SECRET,
          }
        : undefined;
  if (!settings?.id || !settings.secret)
    throw new NotFoundError(`Sign-in provider "${name.slice(0, 32)}"`);
  return {
    name: name as OidcProviderName,
    issuer: settings.issuer.replace(/\/+$/, ''),
    clientId: settings.id,
    clientSecret: settings.secret,
  };
}

const discoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
});

interface Discovered {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwks: ReturnType<typeof createRemoteJWKSet>;
}

const discovered = new Map<string, Promise<Discovered>>();

/** The provider's endpoints and keys from its discovery document, fetched once per issuer. */
function discover(settings: ProviderSettings): Promise<Discovered> {
  let entry = discovered.get(settings.issuer);
  if (!entry) {
    entry = fetchDiscovery(settings.issuer);
    discovered.set(settings.issuer, entry);
    entry.catch(() => discovered.delete(settings.issuer));
  }
  return entry;
}

async function fetchDiscovery(issuer: string): Promise<Discovered> {
  try {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(10_000),
      redirect: 'error',
    });
    if (!response.ok) throw new Error(`discovery answered ${response.status}`);
    const document = discoverySchema.parse(await response.json());
    // The document must describe the issuer we were configured with (OpenID Discovery §4.3).
    if (
      document.issuer.replace(/\/+$/, '') !== issuer &&
      !matchesTemplate(document.issuer, issuer)
    ) {
      throw new Error('discovery issuer differs from the configured issuer');
    }
    return {
      issuer: document.issuer,
      authorizationEndpoint: document.authorization_endpoint,
      tokenEndpoint: document.token_endpoint,
      jwks: createRemoteJWKSet(new URL(document.jwks_uri), { timeoutDuration: 10_000 }),
    };
  } catch (cause) {
    throw new AppError(
      'unavailable',
      503,
      'The sign-in provider cannot be reached; try again later.',
      { cause },
    );
  }
}

/** A templated issuer `…/{tenantid}/v2.0` fits `…/common/v2.0` and `…/<tid>/v2.0`. */
function matchesTemplate(template: string, issuer: string): boolean {
  if (!template.includes(TENANT_PLACEHOLDER)) return false;
  const [before, after] = template.split(TENANT_PLACEHOLDER) as [string, string];
  return issuer.startsWith(before) && issuer.endsWith(after.replace(/\/+$/, ''));
}

/** Forgets discovered providers (tests that restart a provider). */
export function resetOidcProviders(): void {
  discovered.clear();
}

function callbackUrl(provider: OidcProviderName): string {
  return `${getConfig().PUBLIC_BASE_URL.replace(/\/+$/, '')}/api/auth/oidc/${provider}/callback`;
}

const flowDocId = (state: string) => `oidc-${sha256Hex(state)}`;

/** The cookie that binds a sign-in to the browser that started it; sent to the callback only. */
export const OIDC_BINDING_COOKIE = 'slotwise_oidc';

function bindingCookie(value: string, maxAgeSeconds: number): string {
  const secure = getConfig().PUBLIC_BASE_URL.startsWith('https:') ? '; Secure' : '';
  // Lax: the provider sends the browser back with a top-level GET, which carries Lax cookies.
  return (
    `${OIDC_BINDING_COOKIE}=${value}; Path=/api/auth/oidc/; Max-Age=${maxAgeSeconds}; ` +
    `HttpOnly; SameSite=Lax${secure}`
  );
}

/** A `set-cookie` value that removes the binding cookie once the sign-in is over. */
export function clearOidcBindingCookie(): string {
  return bindingCookie('', 0);
}

function readBindingCookie(header: string | null): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === OIDC_BINDING_COOKIE && value && /^[A-Za-z0-9_-]{43}$/.test(value)) return value;
  }
  return undefined;
}

/**
 * Starts a sign-in: stores the flow's secrets and returns the provider URL for the browser and
 * the `set-cookie` value that binds the flow to that browser.
 */
export async function startOidcLogin(
  providerName: string,
  slug: string,
): Promise<{ location: string; cookie: string }> {
  const settings = providerSettings(providerName);
  const tenant = await resolveSlug(slug);
  if (!tenant) throw new NotFoundError(`Business "${slug.slice(0, 63)}"`);
  const provider = await discover(settings);

  const state = `${slug}.${randomToken(32)}`;
  const nonce = randomToken(32);
  const codeVerifier = randomToken(48);
  const binding = randomToken(32);
  const ttlSeconds = getConfig().OIDC_FLOW_TTL_SECONDS;
  const created = await TenantStore.for(tenant.tenantId).create<OidcFlowRecord>({
    id: flowDocId(state),
    type: 'oidc-flow',
    provider: settings.name,
    nonce,
    codeVerifier,
    browserBindingHash: sha256Hex(binding),
    expiresAt: now() + ttlSeconds * 1000,
    usedAt: null,
    // Real Cosmos removes the record later; reads check `expiresAt` regardless.
    ttl: ttlSeconds * 2,
  });
  if (!created.ok) throw new AppError('internal', 500, 'Could not start the sign-in.');

  const url = new URL(provider.authorizationEndpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: callbackUrl(settings.name),
    scope: SCOPE,
    state,
    nonce,
    code_challenge: createHash('sha256').update(codeVerifier, 'ascii').digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  return { location: url.href, cookie: bindingCookie(binding, ttlSeconds) };
}

/** Providers add parameters of their own (`scope`, `authuser`, `session_state`…): ignored. */
export const oidcCallbackQuerySchema = z.object({
  state: z.string().min(1).max(512),
  code: z.string().min(1).max(4096).optional(),
  error: z.string().max(256).optional(),
});
export type OidcCallbackQuery = z.infer<typeof oidcCallbackQuerySchema>;

/** Why a sign-in was refused; told to the person signing in, never anything about others. */
export type OidcFailure =
  | 'state_invalid'
  | 'browser_mismatch'
  | 'provider_error'
  | 'code_rejected'
  | 'id_token_invalid'
  | 'nonce_mismatch'
  | 'email_unverified'
  | 'no_account';

function refuse(reason: OidcFailure): AppError {
  return new AppError(
    'unauthorized',
    401,
    'Sign-in with this provider did not succeed; start again.',
    {
      details: { reason },
    },
  );
}

/**
 * Finishes a sign-in: consumes the flow (once), checks it is the browser that started it,
 * exchanges the code with its PKCE verifier, verifies the ID token (signature from the
 * provider's JWKS, issuer, audience, expiry, nonce), requires a verified email and signs in the
 * member with that email.
 */
export async function finishOidcLogin(
  providerName: string,
  query: OidcCallbackQuery,
  cookieHeader: string | null,
) {
  const settings = providerSettings(providerName);
  const { store, flow } = await consumeFlow(settings.name, query.state);
  const binding = readBindingCookie(cookieHeader);
  if (!binding || !digestsEqual(sha256Hex(binding), flow.browserBindingHash)) {
    throw refuse('browser_mismatch');
  }
  if (query.error || !query.code) throw refuse('provider_error');

  const provider = await discover(settings);
  const idToken = await exchangeCode(settings, provider, query.code, flow.codeVerifier);
  const claims = await verifyIdToken(settings, provider, idToken);
  if (claims.nonce !== flow.nonce) throw refuse('nonce_mismatch');
  const email = verifiedEmail(settings.name, claims);
  if (!email) throw refuse('email_unverified');

  const session = await signInWithVerifiedEmail(store.tenantId, email);
  if (!session) throw refuse('no_account');
  return session;
}

async function consumeFlow(provider: OidcProviderName, state: string) {
  const slug = /^([a-z0-9-]{1,63})\.[A-Za-z0-9_-]{43}$/.exec(state)?.[1];
  const tenant = slug ? await resolveSlug(slug) : undefined;
  if (!tenant) throw refuse('state_invalid');
  const store = TenantStore.for(tenant.tenantId as TenantId);
  const flow = await store.read<OidcFlowRecord>('oidc-flow', flowDocId(state));
  if (!flow || flow.usedAt || flow.provider !== provider || flow.expiresAt <= now()) {
    throw refuse('state_invalid');
  }
  // The ETag makes this single-use even when the same callback arrives twice at once.
  const claimed = await store.replace<OidcFlowRecord>({
    ...flow,
    usedAt: new Date(now()).toISOString(),
  });
  if (!claimed.ok) throw refuse('state_invalid');
  return { store, flow };
}

const tokenResponseSchema = z.object({ id_token: z.string().min(1) });

async function exchangeCode(
  settings: ProviderSettings,
  provider: Discovered,
  code: string,
  codeVerifier: string,
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(provider.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: callbackUrl(settings.name),
        client_id: settings.clientId,
        client_secret: settings.clientSecret,
        code_verifier: codeVerifier,
      }),
      signal: AbortSignal.timeout(10_000),
      redirect: 'error',
    });
  } catch (cause) {
    throw new AppError(
      'unavailable',
      503,
      'The sign-in provider cannot be reached; try again later.',
      { cause },
    );
  }
  if (!response.ok) throw refuse('code_rejected');
  const parsed = tokenResponseSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw refuse('code_rejected');
  return parsed.data.id_token;
}

async function verifyIdToken(
  settings: ProviderSettings,
  provider: Discovered,
  idToken: string,
): Promise<JWTPayload> {
  const templated = provider.issuer.includes(TENANT_PLACEHOLDER);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, provider.jwks, {
      algorithms: ['RS256'],
      audience: settings.clientId,
      // A templated issuer is checked below, against the token's own tenant id.
      ...(templated ? {} : { issuer: acceptedIssuers(provider.issuer) }),
      currentDate: new Date(now()),
      clockTolerance: 60,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    }));
  } catch {
    throw refuse('id_token_invalid');
  }
  if (templated && !issuerFitsTenant(provider.issuer, settings.issuer, payload)) {
    throw refuse('id_token_invalid');
  }
  // With several audiences the token must name us as its authorized party (OIDC Core 3.1.3.7).
  if (
    Array.isArray(payload.aud) &&
    payload.aud.length > 1 &&
    payload['azp'] !== settings.clientId
  ) {
    throw refuse('id_token_invalid');
  }
  return payload;
}

/** Google documents ID tokens with `iss` either with or without the scheme. */
function acceptedIssuers(issuer: string): string[] {
  return issuer === 'https://accounts.google.com' ? [issuer, 'accounts.google.com'] : [issuer];
}

/**
 * Microsoft's `common` (and `organizations`) endpoints publish a templated issuer; the token's
 * `iss` must be that template filled with the token's own `tid`. When a tenant's own issuer is
 * configured, only that tenant's tokens fit.
 */
function issuerFitsTenant(template: string, configured: string, payload: JWTPayload): boolean {
  const tid = payload['tid'];
  if (typeof tid !== 'string' || !/^[0-9a-f-]{36}$/i.test(tid)) return false;
  const expected = template.replace(TENANT_PLACEHOLDER, tid);
  if (payload.iss !== expected) return false;
  const multiTenant = /\/(common|organizations|consumers)\//.test(`${configured}/`);
  return multiTenant || expected.replace(/\/+$/, '') === configured;
}

/**
 * The email the provider vouches for, lowercased, or `undefined`. Google: `email_verified`.
 * Microsoft does not verify `email` by default: the app registration must add the optional
 * `xms_edov` claim (email domain owner verified), or the provider must send `email_verified`.
 */
function verifiedEmail(provider: OidcProviderName, claims: JWTPayload): string | undefined {
  const email = claims['email'];
  if (typeof email !== 'string' || !z.email().safeParse(email).success) return undefined;
  const verified =
    claims['email_verified'] === true || (provider === 'microsoft' && claims['xms_edov'] === true);
  return verified ? email.toLowerCase() : undefined;
}
