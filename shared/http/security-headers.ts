import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { getConfig } from '../config/config.js';

/**
 * Headers every response carries. HTTPS only (HSTS, two years, subdomains), no MIME sniffing,
 * no framing, no referrer, and a content security policy that allows nothing: API responses
 * are data, never pages. Pages (served later) set their own, stricter-than-default policy.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
};

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
// A partner's page that manages a booking sends its manage token in `booking-token`; a page
// editing the catalogue reads a version from `etag` and sends it back in `if-match`.
const ALLOWED_HEADERS = 'authorization, content-type, idempotency-key, booking-token, if-match';
const EXPOSED_HEADERS = 'idempotent-replayed, retry-after, etag';

/** Origins allowed to call the API from a browser: the app's own plus the configured list. */
export function allowedOrigins(): Set<string> {
  const config = getConfig();
  const origins = new Set([new URL(config.PUBLIC_BASE_URL).origin]);
  for (const origin of config.CORS_ALLOWED_ORIGINS) origins.add(origin);
  return origins;
}

/** CORS response headers for an allowed `Origin`; none at all for any other origin. */
export function corsHeaders(request: HttpRequest): Record<string, string> {
  const origin = request.headers.get('origin');
  if (!origin || !allowedOrigins().has(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': EXPOSED_HEADERS,
    vary: 'origin',
  };
}

/** The answer to a CORS preflight: 204 with the allowed methods for a listed origin, else 403. */
export function preflight(request: HttpRequest): HttpResponseInit {
  const cors = corsHeaders(request);
  if (!cors['access-control-allow-origin']) {
    return { status: 403, headers: { ...SECURITY_HEADERS, 'cache-control': 'no-store' } };
  }
  return {
    status: 204,
    headers: {
      ...SECURITY_HEADERS,
      ...cors,
      'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-max-age': '600',
    },
  };
}

/** Adds the security and CORS headers a handler did not set itself. */
export function withSecurityHeaders(
  request: HttpRequest,
  response: HttpResponseInit,
): HttpResponseInit {
  const wanted = { ...SECURITY_HEADERS, ...corsHeaders(request), 'cache-control': 'no-store' };
  // An HttpResponse instance keeps its body behind getters: change its headers in place.
  if (response.headers instanceof Headers) {
    for (const [name, value] of Object.entries(wanted)) {
      if (!response.headers.has(name)) response.headers.set(name, value);
    }
    return response;
  }
  const headers = new Headers(response.headers as ConstructorParameters<typeof Headers>[0]);
  for (const [name, value] of Object.entries(wanted)) {
    if (!headers.has(name)) headers.set(name, value);
  }
  return { ...response, headers: Object.fromEntries(headers.entries()) };
}
