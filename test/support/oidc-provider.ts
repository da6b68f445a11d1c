import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/**
 * A real, small OpenID Connect provider on loopback for tests: discovery document, JWKS, an
 * authorization endpoint that signs in `user` at once and redirects back with a code, and a token
 * endpoint that checks the client, the redirect URI and the PKCE verifier before issuing an ID
 * token signed with its own RS256 key. `tamper` changes the next ID token (claims or key).
 *
 * With `microsoftStyle`, it behaves like Microsoft's multi-tenant endpoint: the configured issuer
 * is `<origin>/common/v2.0`, discovery publishes `<origin>/{tenantid}/v2.0`, and tokens carry
 * `tid` with `iss` filled in for that tenant.
 */
export interface TestOidcProvider {
  /** The issuer to configure (`OIDC_*_ISSUER`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The tenant id put in Microsoft-style tokens. */
  tenantId: string;
  /** Who signs in at the next authorization. */
  user: { sub: string; email: string; claims?: Record<string, unknown> };
  /** Applied to the next ID token only, then cleared. */
  tamper: { claims?: Record<string, unknown>; signWithOtherKey?: boolean } | undefined;
  /** Token requests the provider refused (wrong client, verifier, redirect URI or code). */
  refusedTokenRequests: string[];
  stop(): Promise<void>;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  nonce: string | null;
  challenge: string;
  user: TestOidcProvider['user'];
  used: boolean;
}

export async function startOidcProvider(
  options: { microsoftStyle?: boolean; clientId?: string; clientSecret?: string } = {},
): Promise<TestOidcProvider> {
  const signing = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const kid = randomBytes(8).toString('hex');
  const jwk: JWK = { ...(await exportJWK(signing.publicKey)), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, PendingCode>();

  let origin = '';
  const server = createServer((request, response) => {
    handle(request, response).catch(() => send(response, 500, { error: 'server_error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider: TestOidcProvider = {
    issuer: options.microsoftStyle ? `${origin}/common/v2.0` : origin,
    clientId: options.clientId ?? `client-${randomBytes(4).toString('hex')}`,
    clientSecret: options.clientSecret ?? randomBytes(24).toString('base64url'),
    tenantId: randomUUID(),
    user: { sub: 'provider-user-1', email: 'nobody@example.com' },
    tamper: undefined,
    refusedTokenRequests: [],
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const publishedIssuer = options.microsoftStyle ? `${origin}/{tenantid}/v2.0` : origin;
  const tokenIssuer = () =>
    options.microsoftStyle ? `${origin}/${provider.tenantId}/v2.0` : origin;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    if (request.method === 'GET' && url.pathname.endsWith('/.well-known/openid-configuration')) {
      send(response, 200, {
        issuer: publishedIssuer,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${origin}/token`,
        jwks_uri: `${origin}/jwks`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    } else if (request.method === 'GET' && url.pathname === '/jwks') {
      send(response, 200, { keys: [jwk] });
    } else if (request.method === 'GET' && url.pathname === '/authorize') {
      authorize(url, response);
    } else if (request.method === 'POST' && url.pathname === '/token') {
      await token(request, response);
    } else {
      send(response, 404, { error: 'not_found' });
    }
  }

  function authorize(url: URL, response: ServerResponse): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri');
    const scopes = (q.get('scope') ?? '').split(' ');
    if (
      q.get('client_id') !== provider.clientId ||
      !redirectUri ||
      q.get('response_type') !== 'code' ||
      !scopes.includes('openid') ||
      q.get('code_challenge_method') !== 'S256' ||
      !q.get('code_challenge')
    ) {
      send(response, 400, { error: 'invalid_request' });
      return;
    }
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      clientId: provider.clientId,
      redirectUri,
      nonce: q.get('nonce'),
      challenge: q.get('code_challenge') as string,
      user: provider.user,
      used: false,
    });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.get('state') ?? '');
    // Real providers add parameters of their own; the app must ignore them.
    back.searchParams.set('scope', 'email profile openid');
    response.writeHead(302, { location: back.href }).end();
  }

  async function token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const refuse = (why: string) => {
      provider.refusedTokenRequests.push(why);
      send(response, 400, { error: 'invalid_grant' });
    };
    if (form.get('grant_type') !== 'authorization_code') return refuse('grant_type');
    if (
      form.get('client_id') !== provider.clientId ||
      form.get('client_secret') !== provider.clientSecret
    ) {
      return refuse('client');
    }
    const pending = codes.get(form.get('code') ?? '');
    if (!pending || pending.used) return refuse('code');
    pending.used = true;
    if (form.get('redirect_uri') !== pending.redirectUri) return refuse('redirect_uri');
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== pending.challenge) {
      return refuse('code_verifier');
    }

    const tamper = provider.tamper;
    provider.tamper = undefined;
    const seconds = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: tokenIssuer(),
      aud: provider.clientId,
      sub: pending.user.sub,
      email: pending.user.email,
      iat: seconds,
      exp: seconds + 3600,
      ...(pending.nonce ? { nonce: pending.nonce } : {}),
      ...(options.microsoftStyle ? { tid: provider.tenantId } : { email_verified: true }),
      ...pending.user.claims,
      ...tamper?.claims,
    };
    const key: CryptoKey = tamper?.signWithOtherKey ? other.privateKey : signing.privateKey;
    const idToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .sign(key);
    send(response, 200, {
      access_token: randomBytes(16).toString('hex'),
      token_type: 'Bearer',
      id_token: idToken,
    });
  }

  return provider;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
