import type { HttpResponseInit } from '@azure/functions';

import { TenantStore } from '../cosmos/tenant-store.js';
import { resolveSlug } from '../tenants/directory.js';
import { loadTenant } from '../tenants/tenant.js';
import { loadManifest, type WebApp } from './assets.js';

/**
 * The HTML shell of each browser page. Pages carry no inline script or style: the policy below
 * allows only the app's own bundles, and the page's own origin for API calls. What the app needs
 * to start (the business slug, a booking id) travels in `data-` attributes.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
].join('; ');

const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': PAGE_CSP,
  // The shell is tiny and names the current bundles: always revalidate it.
  'cache-control': 'no-cache',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'cross-origin-opener-policy': 'same-origin',
};

export interface PageOptions {
  app: WebApp;
  title: string;
  /** Becomes `data-*` attributes on the app's root element. */
  data: Record<string, string>;
  status?: number;
  /**
   * API paths (below `/api/`) the app fetches first: the browser starts them alongside the
   * bundle instead of after it has run, which saves a round trip before anything shows.
   */
  preload?: string[];
  /** Text shown before the script runs, and to a browser without JavaScript. */
  fallback?: string;
}

/** Escapes text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function renderPage(options: PageOptions): Promise<HttpResponseInit> {
  const { apps } = await loadManifest();
  const bundle = apps[options.app];
  if (!bundle) throw new Error(`The "${options.app}" bundle is missing from the manifest.`);
  const attributes = Object.entries(options.data)
    .map(([name, value]) => ` data-${name}="${escapeHtml(value)}"`)
    .join('');
  const fallback = options.fallback ?? 'Loading…';
  // `crossorigin` gives the preload the mode and credentials of the app's own fetch(), so the
  // browser hands that fetch the preloaded answer instead of asking again.
  const preloads = (options.preload ?? [])
    .map((path) => `<link rel="preload" href="/api/${escapeHtml(path)}" as="fetch" crossorigin>\n`)
    .join('');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(options.title)}</title>
${bundle.css ? `<link rel="stylesheet" href="/assets/${bundle.css}">\n` : ''}${preloads}<script type="module" src="/assets/${bundle.js}"></script>
</head>
<body>
<div id="app" data-app="${options.app}"${attributes}><p class="boot">${escapeHtml(fallback)}</p></div>
<noscript><p class="boot">This page needs JavaScript to show times and book.</p></noscript>
</body>
</html>
`;
  return { status: options.status ?? 200, body: html, headers: PAGE_HEADERS };
}

/** A plain page for a business that does not exist, with the same headers and no script. */
export function notFoundPage(message: string): HttpResponseInit {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Not found</title></head>
<body><main><h1>Not found</h1><p>${escapeHtml(message)}</p></main></body>
</html>
`;
  return { status: 404, body: html, headers: PAGE_HEADERS };
}

export interface PageBusiness {
  slug: string;
  name: string;
  timeZone: string;
}

/**
 * The business a page URL names, or undefined when there is none. A page answers an unknown or
 * malformed slug with a 404 page rather than a JSON error.
 */
export async function businessForPage(
  pathSlug: string | undefined,
): Promise<PageBusiness | undefined> {
  // Routes match without regard to case (in Azure too), so `/DEMO/admin` reaches this page;
  // slugs are lowercase, so `/DEMO` is the same business as `/demo`.
  const slug = pathSlug?.toLowerCase();
  if (!slug || !SLUG_SHAPE.test(slug)) return undefined;
  const tenantId = (await resolveSlug(slug))?.tenantId;
  if (!tenantId) return undefined;
  const tenant = await loadTenant(TenantStore.for(tenantId));
  return { slug: tenant.slug, name: tenant.businessName, timeZone: tenant.timeZone };
}

/** The page `build` describes for the business `slug` names, or the 404 page when none does. */
export async function renderBusinessPage(
  slug: string | undefined,
  build: (business: PageBusiness) => PageOptions,
): Promise<HttpResponseInit> {
  const business = await businessForPage(slug);
  if (!business) return notFoundPage('No business has this address. Check the link you followed.');
  return renderPage(build(business));
}

const SLUG_SHAPE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
