import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

import type { HttpRequest, HttpResponseInit } from '@azure/functions';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Smaller answers are sent as they are: compressing them saves less than it costs. */
const MIN_BYTES = 1024;

/** The encoding to send: brotli, then gzip, then none, as the client's Accept-Encoding allows. */
export function pickEncoding(acceptEncoding: string | null): 'br' | 'gzip' | undefined {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  const allows = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (allows('br')) return 'br';
  if (allows('gzip')) return 'gzip';
  return undefined;
}

/**
 * Compresses a JSON answer of 1 KiB or more for a client that accepts it. A month of slots is
 * tens of kilobytes of repetitive JSON that shrinks about tenfold; on a phone's link that is
 * most of the wait for the booking page's times. Brotli at quality 4 costs about what gzip does.
 */
export async function compressJson(
  request: HttpRequest,
  response: HttpResponseInit,
): Promise<HttpResponseInit> {
  const body = response.body;
  if (typeof body !== 'string' || Buffer.byteLength(body) < MIN_BYTES) return response;
  const headers = new Headers(response.headers as ConstructorParameters<typeof Headers>[0]);
  if (!headers.get('content-type')?.startsWith('application/json')) return response;
  if (headers.has('content-encoding')) return response;
  const encoding = pickEncoding(request.headers.get('accept-encoding'));
  headers.set(
    'vary',
    headers.has('vary') ? `${headers.get('vary')}, accept-encoding` : 'accept-encoding',
  );
  if (!encoding) return { ...response, headers: Object.fromEntries(headers.entries()) };
  const compressed =
    encoding === 'br'
      ? await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } })
      : await gzipAsync(body, { level: 6 });
  headers.set('content-encoding', encoding);
  return { ...response, body: compressed, headers: Object.fromEntries(headers.entries()) };
}
