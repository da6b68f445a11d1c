import { readFile } from 'node:fs/promises';

import { beforeAll, describe, expect, it } from 'vitest';

import { listFunctions, pathOf, skipAzureRegistration } from '../../../shared/runtime/registry.js';
import { pickEncoding } from '../../../shared/http/compression.js';
import { loadManifest } from '../../../shared/site/assets.js';
import { escapeHtml, PAGE_CSP } from '../../../shared/site/pages.js';
import { slugSchema } from '../../../shared/validation/common.js';

beforeAll(async () => {
  skipAzureRegistration();
  await import('../../../functions/index.js');
});

describe('routes', () => {
  it('keeps every API function below /api and every page at the site root', async () => {
    const hostJson = JSON.parse(await readFile('host.json', 'utf8'));
    expect(hostJson.extensions.http.routePrefix).toBe('');
    for (const fn of listFunctions()) {
      if (fn.kind !== 'http') continue;
      if (fn.site) expect(pathOf(fn), fn.name).not.toMatch(/^api(\/|$)/);
      else expect(pathOf(fn), fn.name).toMatch(/^api\//);
    }
  });

  it('prefixes API routes with api/ and leaves page routes as they are', () => {
    expect(pathOf({ route: 'health' })).toBe('api/health');
    expect(pathOf({ route: '{slug}', site: true })).toBe('{slug}');
  });

  it('never hands out a slug that names a fixed first path segment', () => {
    for (const slug of ['api', 'assets']) expect(slugSchema.safeParse(slug).success).toBe(false);
  });
});

describe('pickEncoding', () => {
  it.each([
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip;q=0.5', 'gzip'],
    ['*', 'br'],
    ['identity', undefined],
    ['', undefined],
    [null, undefined],
  ])('answers %j with %j', (header, expected) => {
    expect(pickEncoding(header)).toBe(expected);
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that can break out of text or an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#60;/a&#62;',
    );
  });
});

describe('page policy', () => {
  it('allows scripts and styles from the site only, never inline or eval', () => {
    expect(PAGE_CSP).toContain("script-src 'self'");
    expect(PAGE_CSP).toContain("style-src 'self'");
    expect(PAGE_CSP).toContain("default-src 'none'");
    expect(PAGE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });
});

describe('bundle budget', () => {
  // The booking page is the first thing a customer loads, often on a phone: its JavaScript and
  // CSS together stay under 150 KB as sent (brotli). The console is held to the same line.
  it.each(['booking', 'console'])('keeps the %s page under 150 KB compressed', async (app) => {
    const manifest = await loadManifest();
    const bundle = manifest.apps[app]!;
    const files = [bundle.js, bundle.css].filter((file): file is string => !!file);
    const bytes = files.reduce((sum, file) => sum + manifest.files[file]!.brotliBytes, 0);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(150 * 1024);
  });
});
