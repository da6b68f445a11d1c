import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Api } from './api-client.js';
import { startTestHost, useEmulators, type TestHost } from '../support/env.js';

let host: TestHost;
let api: Api;
const PARTNER = 'https://partner.example';

beforeAll(async () => {
  useEmulators({ CORS_ALLOWED_ORIGINS: PARTNER });
  host = await startTestHost();
  api = new Api(host.baseUrl);
});
afterAll(async () => {
  await host?.stop();
});

describe('security headers', () => {
  it('sends HSTS, nosniff, no framing, no-store and a deny-all CSP on success and error responses', async () => {
    for (const response of [
      await api.get('/api/health'),
      await api.get('/api/admin/staff'),
      await api.request('POST', '/api/auth/login', { rawBody: '{' }),
      await api.get('/api/no/such/route'),
    ]) {
      expect(response.headers.get('strict-transport-security')).toBe(
        'max-age=63072000; includeSubDomains',
      );
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('content-security-policy')).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin and refuses any other', async () => {
    const allowed = await fetch(`${host.baseUrl}/api/public/demo/bookings`, {
      method: 'OPTIONS',
      headers: { origin: PARTNER, 'access-control-request-method': 'POST' },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(PARTNER);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('idempotency-key');

    // A partner's page managing a booking sends its manage token in the Booking-Token header.
    const manage = await fetch(`${host.baseUrl}/api/public/demo/bookings/bkg_x/cancel`, {
      method: 'OPTIONS',
      headers: {
        origin: PARTNER,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'booking-token',
      },
    });
    expect(manage.status).toBe(204);
    expect(manage.headers.get('access-control-allow-headers')?.split(', ')).toContain(
      'booking-token',
    );

    // A partner's page editing the catalogue reads ETag and sends it back in If-Match.
    const edit = await fetch(`${host.baseUrl}/api/admin/services/svc_x`, {
      method: 'OPTIONS',
      headers: {
        origin: PARTNER,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'if-match',
      },
    });
    expect(edit.status).toBe(204);
    expect(edit.headers.get('access-control-allow-headers')?.split(', ')).toContain('if-match');
    expect(edit.headers.get('access-control-expose-headers')?.split(', ')).toContain('etag');

    const denied = await fetch(`${host.baseUrl}/api/public/demo/bookings`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('labels responses for allowed origins only', async () => {
    const ok = await api.get('/api/health', { headers: { origin: PARTNER } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(PARTNER);
    expect(ok.headers.get('vary')).toBe('origin');
    const other = await api.get('/api/health', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
