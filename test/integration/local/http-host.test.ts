import {
  request as httpRequest,
  type ClientRequest,
  type IncomingHttpHeaders,
  type RequestOptions,
} from 'node:http';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { Router, RouteTemplateError } from '../../../local/routes.js';
import { skipAzureRegistration } from '../../../shared/runtime/registry.js';
import { startTestHost, type TestHost } from '../../support/env.js';

// Imported after switching registration off, so the library does not warn once per fixture.
skipAzureRegistration();
const fixtures = await import('./fixtures/functions.js');

let host: TestHost;

beforeAll(async () => {
  host = await startTestHost({
    functions: fixtures.http,
    triggers: false,
    maxBodyBytes: 64 * 1024,
  });
});
afterAll(async () => {
  await host?.stop();
});

/** node:http rather than fetch, for requests fetch cannot make (repeated headers, early 413). */
function rawRequest(
  path: string,
  options: RequestOptions,
  write?: (request: ClientRequest) => void,
): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${host.baseUrl}${path}`, options);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    write?.(req);
    req.end();
  });
}

async function getJson(path: string, init: RequestInit = {}) {
  const response = await fetch(`${host.baseUrl}${path}`, init);
  const body = (await response.json()) as any;
  return { status: response.status, headers: response.headers, body };
}

describe('Router', () => {
  const router = new Router<string>();
  router.add('items/{id}', ['GET'], 'param');
  router.add('items/new', ['GET'], 'literal');
  router.add('items/{id:int}/parts', ['GET'], 'constrained');
  router.add('items/{id}/parts', ['GET'], 'unconstrained');
  router.add('docs/{*path}', ['GET'], 'catch-all');
  router.add('docs/{section}/{page?}', ['GET'], 'optional');
  router.add('orders', ['POST'], 'orders-post');

  const target = (method: string, path: string) => {
    const match = router.match(method, path);
    return match.kind === 'found' ? [match.route.target, match.params] : [match.kind];
  };

  it('prefers a literal segment over a parameter whatever the definition order', () => {
    expect(target('GET', 'items/new')).toEqual(['literal', {}]);
    expect(target('GET', 'items/42')).toEqual(['param', { id: '42' }]);
    expect(target('GET', 'ITEMS/NEW')).toEqual(['literal', {}]);
  });

  it('prefers a constrained parameter and falls back when the constraint fails', () => {
    expect(target('GET', 'items/7/parts')).toEqual(['constrained', { id: '7' }]);
    expect(target('GET', 'items/abc/parts')).toEqual(['unconstrained', { id: 'abc' }]);
  });

  it('matches optional parameters with and without a value, before a catch-all', () => {
    expect(target('GET', 'docs/intro')).toEqual(['optional', { section: 'intro' }]);
    expect(target('GET', 'docs/intro/3')).toEqual(['optional', { section: 'intro', page: '3' }]);
    expect(target('GET', 'docs/a/b/c')).toEqual(['catch-all', { path: 'a/b/c' }]);
    expect(target('GET', 'docs')).toEqual(['catch-all', {}]);
  });

  it('decodes percent-encoded segments and ignores a trailing slash', () => {
    const encoded = 'items/caf%C3%A9%20au%20lait/';
    expect(target('GET', encoded)).toEqual(['param', { id: 'café au lait' }]);
    expect(target('GET', 'items/%E0%A4%A')).toEqual(['notFound']);
  });

  it('answers methodNotAllowed with every method of the matching routes', () => {
    expect(router.match('DELETE', 'items/42')).toEqual({
      kind: 'methodNotAllowed',
      allow: ['GET', 'HEAD'],
    });
    expect(router.match('GET', 'orders')).toEqual({ kind: 'methodNotAllowed', allow: ['POST'] });
    expect(router.match('GET', 'nothing/here')).toEqual({ kind: 'notFound' });
  });

  it('serves HEAD from a GET route', () => {
    expect(target('HEAD', 'items/new')).toEqual(['literal', {}]);
  });

  it('rejects templates the local host cannot honour', () => {
    expect(() => new Router().add('a/{b?}/c', ['GET'], 0)).toThrow(RouteTemplateError);
    expect(() => new Router().add('a/{*rest}/c', ['GET'], 0)).toThrow(/catch-all/);
    expect(() => new Router().add('a/{x}.{y}', ['GET'], 0)).toThrow(/one whole \{parameter\}/);
    expect(() => new Router().add('a/{x:datetime}', ['GET'], 0)).toThrow(/"datetime"/);
  });
});

describe('local host routing', () => {
  it('serves a literal route before a parameter route on the same path', async () => {
    const literal = await getJson('/api/fixture/items/new');
    const param = await getJson('/api/fixture/items/new-ish');
    expect(literal.body.fn).toBe('fixture-items-new');
    expect(param.body).toMatchObject({ fn: 'fixture-items-get', params: { id: 'new-ish' } });
  });

  it('routes by constraint, optional parameter and catch-all', async () => {
    expect((await getJson('/api/fixture/numbers/12')).body).toMatchObject({
      fn: 'fixture-items-by-number',
      params: { n: '12' },
    });
    expect((await getJson('/api/fixture/numbers/twelve')).body.fn).toBe('fixture-items-by-name');
    const pages = await getJson('/api/fixture/pages');
    expect(pages.body).toMatchObject({ fn: 'fixture-pages', params: {} });
    expect((await getJson('/api/fixture/pages/2')).body.params).toEqual({ page: '2' });
    expect((await getJson('/api/fixture/files/a/b%20c.txt')).body).toMatchObject({
      fn: 'fixture-files',
      params: { path: 'a/b c.txt' },
    });
    expect((await getJson('/api/fixture/files/readme')).body.fn).toBe('fixture-files-readme');
  });

  it('picks the function by method when two share a route', async () => {
    expect((await getJson('/api/fixture/items')).body.fn).toBe('fixture-items-list');
    const created = await getJson('/api/fixture/items', { method: 'POST', body: '{}' });
    expect(created.body.fn).toBe('fixture-items-create');
  });

  it('returns the JSON not_found error for a path no function serves', async () => {
    for (const path of ['/api/fixture/nothing', '/elsewhere', '/api']) {
      const response = await getJson(path);
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('not_found');
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    }
  });

  it('returns 405 method_not_allowed with an Allow header when only the method is wrong', async () => {
    const response = await getJson('/api/fixture/items/9', { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS, PUT');
    expect(response.body.error.code).toBe('method_not_allowed');
  });

  it('answers HEAD through the GET handler, with the length and no body', async () => {
    const head = await fetch(`${host.baseUrl}/api/fixture/responses/buffer`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/octet-stream');
    expect(head.headers.get('content-length')).toBe('4');
    expect((await head.arrayBuffer()).byteLength).toBe(0);

    // A GET-only route answers HEAD (not 405), and no body follows however large GET's is.
    const echoed = await rawRequest('/api/fixture/items/new', { method: 'HEAD' });
    expect(echoed.status).toBe(200);
    expect(echoed.text).toBe('');
  });
});

describe('local host request conversion', () => {
  it('passes method, full URL, headers, params and every repeated query value', async () => {
    const response = await getJson('/api/fixture/items/abc?tag=x&tag=y&empty=&q=a%20b', {
      method: 'PUT',
      headers: { 'x-custom': 'one', authorization: 'Bearer t0k3n', 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(response.body).toMatchObject({
      method: 'PUT',
      url: `${host.baseUrl}/api/fixture/items/abc?tag=x&tag=y&empty=&q=a%20b`,
      params: { id: 'abc' },
      query: [
        ['tag', 'x'],
        ['tag', 'y'],
        ['empty', ''],
        ['q', 'a b'],
      ],
      bodyBase64: Buffer.from('hello').toString('base64'),
    });
    expect(response.body.headers).toMatchObject({
      'x-custom': 'one',
      authorization: 'Bearer t0k3n',
      'content-type': 'text/plain',
    });
  });

  it('joins repeated request headers as Fetch does', async () => {
    // The flat raw form is the only way to send a header twice with node:http; it adds no Host.
    const raw = ['host', `127.0.0.1:${host.port}`];
    raw.push('x-repeat', 'a', 'x-repeat', 'b', 'cookie', 'a=1', 'cookie', 'b=2');
    const headers = raw as unknown as Record<string, string>;
    const response = await rawRequest('/api/fixture/items', { headers });
    expect(response.status).toBe(200);
    const body = JSON.parse(response.text);
    expect(body.headers['x-repeat']).toBe('a, b');
    expect(body.headers.cookie).toBe('a=1; b=2');
  });

  it('keeps every byte of a binary body both ways', async () => {
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
    const response = await fetch(`${host.baseUrl}/api/fixture/binary`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('refuses a body over the limit with 413 before the handler runs', async () => {
    const declared = await fetch(`${host.baseUrl}/api/fixture/upload`, {
      method: 'POST',
      body: Buffer.alloc(64 * 1024 + 1),
    });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as any).error.code).toBe('payload_too_large');

    // A chunked body without content-length is cut off while it streams in.
    const chunked = await rawRequest('/api/fixture/upload', { method: 'POST' }, (req) => {
      for (let i = 0; i < 80; i++) req.write(Buffer.alloc(1024));
    });
    expect(chunked.status).toBe(413);
    expect(chunked.headers.connection).toBe('close');
    expect(host.logs.some((line) => line.includes('fn=fixture-upload'))).toBe(false);
  });
});

describe('local host response conversion', () => {
  it('sends an HttpResponse instance with its status and JSON body', async () => {
    const response = await getJson('/api/fixture/responses/instance');
    expect(response.status).toBe(202);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.body).toEqual({ via: 'HttpResponse' });
  });

  it('streams a Node stream body and sends a Buffer body unchanged', async () => {
    const stream = await fetch(`${host.baseUrl}/api/fixture/responses/stream`);
    expect(await stream.text()).toBe('chunk-1;chunk-2');
    const buffer = await fetch(`${host.baseUrl}/api/fixture/responses/buffer`);
    expect(Buffer.from(await buffer.arrayBuffer())).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
  });

  it('writes headers and cookies, including repeated Set-Cookie lines', async () => {
    const response = await fetch(`${host.baseUrl}/api/fixture/responses/cookies`);
    expect(response.status).toBe(204);
    expect(response.headers.get('x-multi')).toBe('a');
    expect(response.headers.getSetCookie()).toEqual([
      'raw=1; Path=/',
      'session=abc; Path=/; Max-Age=60; Secure; HttpOnly; SameSite=Strict',
      'theme=dark; Expires=Tue, 01 Jan 2030 00:00:00 GMT',
    ]);
  });

  it('logs no error when the client hangs up in the middle of a streamed answer', async () => {
    const controller = new AbortController();
    const response = await fetch(`${host.baseUrl}/api/fixture/responses/endless`, {
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('tick;');
    controller.abort();
    // The access line is written when the server sees the connection close.
    await vi.waitFor(() => {
      const line = host.logs.find((entry) =>
        entry.includes('route=/api/fixture/responses/{kind} '),
      );
      expect(line).toBeDefined();
    });
    expect(host.logs.filter((entry) => entry.includes('response stream failed'))).toEqual([]);
  });

  it('turns a thrown error into the JSON 500, logged once on one line with the invocation id', async () => {
    const response = await getJson('/api/fixture/responses/throw');
    expect(response.status).toBe(500);
    expect(response.body.error.code).toBe('internal');
    const errors = host.logs.filter((line) => line.includes(' error fn=fixture-response-kinds '));
    expect(errors).toHaveLength(1);
    const prefix = /^\[[^\]]+\] error fn=fixture-response-kinds invocation=[0-9a-f-]{36} /;
    expect(errors[0]).toMatch(prefix);
    expect(errors[0]).toContain('Error: fixture exploded | at ');
    expect(errors[0]).not.toContain('\n');
  });

  it('logs the route template, never the raw path or query', async () => {
    await (await fetch(`${host.baseUrl}/api/fixture/items/secret-id?token=hunter2`)).text();
    // Written on the server's 'close' event, which can trail the client's last byte.
    const line = await vi.waitFor(() => {
      const found = host.logs.find((entry) => entry.includes('route=/api/fixture/items/{id} '));
      if (found === undefined) throw new Error('no access line yet');
      return found;
    });
    const expected =
      / http method=GET route=\/api\/fixture\/items\/\{id\} status=200 ms=\d+(\.\d)?$/;
    expect(line).toMatch(expected);
    expect(host.logs.join('\n')).not.toMatch(/hunter2|secret-id/);
  });
});
