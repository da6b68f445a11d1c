import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { setClock } from '../../shared/runtime/clock.js';
import { useTestHost } from '../support/env.js';
import { Api, setUpBusiness } from './api-client.js';

const host = useTestHost();
const api = new Api(() => host().baseUrl);

/** node:http, which neither asks for nor undoes compression by itself. */
function raw(path: string, acceptEncoding?: string) {
  return new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    const headers = acceptEncoding ? { 'accept-encoding': acceptEncoding } : {};
    const req = httpRequest(`${host().baseUrl}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('JSON compression', () => {
  it('sends a large answer brotli- or gzip-compressed as asked, and plain to anyone else', async () => {
    setClock(() => Date.parse('2030-01-01T09:00:00Z'));
    const biz = await setUpBusiness(api);
    const path =
      `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}` +
      '&start=2030-01-07&end=2030-02-04&timeZone=Europe/London';
    const plain = await raw(path);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['vary']).toContain('accept-encoding');
    const expected = JSON.parse(plain.body.toString('utf8'));
    expect(expected.slots).toHaveLength(160);

    const br = await raw(path, 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(br.body).toString('utf8'))).toEqual(expected);
    expect(br.body.length).toBeLessThan(plain.body.length / 5);

    const gz = await raw(path, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.body).toString('utf8'))).toEqual(expected);
  });

  it('leaves small answers alone', async () => {
    const health = await raw('/api/health', 'br');
    expect(health.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(health.body.toString('utf8')).status).toBe('ok');
  });
});
