import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

import { build } from 'esbuild';

import type { WebManifest } from '../shared/site/assets.js';

/**
 * Bundles the browser apps in shared/web/ into dist/web/: one minified JavaScript and one CSS file
 * per app, named by content hash, each stored again brotli- and gzip-compressed, and a manifest
 * the page functions read to name them. Type checking is `tsc -p shared/web` (esbuild only strips
 * types). Run by `npm run build`.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'dist', 'web');

const APPS = {
  booking: 'shared/web/booking/main.tsx',
  console: 'shared/web/console/main.tsx',
} as const;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

async function main(): Promise<void> {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.entries(APPS).map(([out, path]) => ({ in: path, out })),
    outdir: OUT,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome109', 'firefox115', 'safari15.4'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'external',
    metafile: true,
    logLevel: 'warning',
  });

  const manifest: WebManifest = { apps: {}, files: {} };
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const name = basename(file);
    const app = Object.entries(APPS).find(([, path]) => output.entryPoint === path)?.[0];
    if (app) {
      manifest.apps[app] = { js: name };
      if (output.cssBundle) manifest.apps[app].css = basename(output.cssBundle);
    }
    const bytes = await readFile(join(ROOT, file));
    const [br, gz] = await Promise.all([
      brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
      gzipAsync(bytes, { level: 9 }),
    ]);
    await Promise.all([
      writeFile(join(ROOT, `${file}.br`), br),
      writeFile(join(ROOT, `${file}.gz`), gz),
    ]);
    manifest.files[name] = { bytes: bytes.length, gzipBytes: gz.length, brotliBytes: br.length };
  }
  await writeFile(join(OUT, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

await main();
