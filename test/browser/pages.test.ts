import { describe, expect, it } from 'vitest';

import { setUpBusiness } from '../e2e/api-client.js';
import { openPage, useBrowserTest } from '../support/browser.js';

const { host, browser, api } = useBrowserTest();

describe('page shells', () => {
  it('serves the booking page with a strict policy and its bundle, brotli-compressed', async () => {
    const { slug } = await setUpBusiness(api);
    const page = await api.get(`/${slug}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = String(page.body);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).toContain(
      `<link rel="preload" href="/api/public/${slug}/services" as="fetch" crossorigin>`,
    );
    const script = /src="\/assets\/(booking-[\w]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${host().baseUrl}/assets/${script}`, {
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-encoding')).toBe('br');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('opens a business whatever the case of its address', async () => {
    const { slug } = await setUpBusiness(api);
    for (const path of [`/${slug.toUpperCase()}`, `/${slug.toUpperCase()}/ADMIN`]) {
      const page = await api.get(path);
      expect(page.status, path).toBe(200);
      expect(String(page.body), path).toContain(`data-slug="${slug}"`);
    }
  });

  it('answers an unknown business and an unknown asset with 404', async () => {
    const page = await api.get('/no-such-business-here');
    expect(page.status).toBe(404);
    expect(String(page.body)).toContain('No business has this address');
    const asset = await api.get('/assets/..%2Fmanifest.json');
    expect(asset.status).toBe(404);
    const listed = await api.get('/assets/manifest.json');
    expect(listed.status).toBe(404);
  });

  it('runs the booking app in Chromium without console errors or policy violations', async () => {
    const { slug } = await setUpBusiness(api);
    const { context, page, problems } = await openPage(browser());
    const catalogueRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/services')) catalogueRequests.push(request.url());
    });
    await page.goto(`${host().baseUrl}/${slug}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Book with Test Business');
    await page.getByRole('button', { name: 'Continue' }).waitFor();
    // The shell preloads the catalogue, and the app's own fetch takes that answer: one request.
    expect(catalogueRequests).toEqual([`${host().baseUrl}/api/public/${slug}/services`]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
