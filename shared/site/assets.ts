import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';

import { NotFoundError } from '../errors.js';
import { pickEncoding } from '../http/compression.js';

/**
 * The browser bundles `npm run build` writes to `dist/web/` (see local/build-web.ts): one
 * JavaScript and one CSS file per page app, named by content hash, each also stored brotli- and
 * gzip-compressed, listed in `manifest.json`. Only files the manifest lists are ever served, so a
 * request path can never reach anything else on disk.
 */
function webDir(): string {
  // Compiled, this file is dist/shared/site/assets.js and the bundles sit in dist/web/; run from
  // source (the tests), it is shared/site/assets.ts and they sit in dist/web/ all the same.
  const compiled = fileURLToPath(new URL('../../web/', import.meta.url));
  return existsSync(compiled)
    ? compiled
    : fileURLToPath(new URL('../../dist/web/', import.meta.url));
}

export const WEB_DIR = webDir();

export type WebApp = 'booking' | 'console';

const manifestSchema = z.object({
  apps: z.record(z.string(), z.object({ js: z.string(), css: z.string().optional() })),
  files: z.record(
    z.string(),
    z.object({ bytes: z.number(), gzipBytes: z.number(), brotliBytes: z.number() }),
  ),
});

export type WebManifest = z.infer<typeof manifestSchema>;

let manifest: Promise<WebManifest> | undefined;

/** The manifest of the built bundles, read once per process. */
export function loadManifest(): Promise<WebManifest> {
  manifest ??= readFile(`${WEB_DIR}manifest.json`, 'utf8').then(
    (text) => manifestSchema.parse(JSON.parse(text)),
    (error: unknown) => {
      manifest = undefined;
      throw new Error('The browser bundles are missing; run `npm run build` first.', {
        cause: error,
      });
    },
  );
  return manifest;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Serves one built asset, compressed when the client accepts it, cached for a year. */
export async function serveAsset(request: HttpRequest, file: string): Promise<HttpResponseInit> {
  const { files } = await loadManifest();
  const type = CONTENT_TYPES[extname(file)];
  if (!Object.hasOwn(files, file) || !type) {
    throw new NotFoundError(`The asset "${file}"`);
  }
  const encoding = pickEncoding(request.headers.get('accept-encoding'));
  const suffix = encoding === 'br' ? '.br' : encoding === 'gzip' ? '.gz' : '';
  const body = await readFile(`${WEB_DIR}${file}${suffix}`);
  return {
    status: 200,
    body,
    headers: {
      'content-type': type,
      // Names carry a content hash: a changed file is a new name, so caches may keep this forever.
      'cache-control': 'public, max-age=31536000, immutable',
      'cross-origin-resource-policy': 'same-origin',
      vary: 'accept-encoding',
      ...(encoding ? { 'content-encoding': encoding } : {}),
    },
  };
}
