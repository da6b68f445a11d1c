import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';

import { launchChromium } from '../../local/chromium.js';
import { Api, UNIQUE_SLUG_SOURCE } from '../e2e/api-client.js';
import { useTestHost } from './env.js';

export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;

export const SCREENSHOT_DIR = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

/**
 * Debian's Chromium, headless (see local/chromium.ts), drawing the same pixels on every run.
 * NOTE: with partial raster (Chromium's default) a tile redrawn only in part after a change can
 * antialias an edge a shade differently from one drawn whole, so a rounded corner in a committed
 * screenshot flipped between two versions from run to run. `--disable-partial-raster` (a Blink
 * switch, in third_party/blink/common/switches.cc of Chromium's source) turns it off.
 */
export const launchBrowser = () => launchChromium(['--disable-partial-raster']);

/** What a test business's random slug reads as in a committed screenshot. */
const SCREENSHOT_SLUG = 'test-business';

export interface BrowserContextOptions {
  /** The visitor's time zone (what the page detects). */
  timezoneId?: string;
  viewport?: { width: number; height: number };
  locale?: string;
}

/**
 * A fresh context (no cookies, no storage) whose page fails the test on any console error,
 * uncaught exception or content-security-policy violation.
 */
export async function openPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    timezoneId: options.timezoneId ?? 'Europe/London',
    locale: options.locale ?? 'en-GB',
    ...(options.viewport && options.viewport.width < 600 ? { isMobile: true, hasTouch: true } : {}),
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems };
}

/**
 * Saves `docs/screenshots/<name>-<phone|desktop>.png` of the page as it is now. `secrets` are
 * painted over: the screenshots are committed, and a seed or an invitation link is a credential
 * even when a test made it. A test business's random slug (in an email address, say) shows as
 * `test-business` for the shot and is put back after, so a screenshot changes only when the page
 * does; anything else random on a page must be a secret or made fixed by its test.
 */
export async function saveScreenshot(
  page: Page,
  name: string,
  secrets: Locator[] = [],
): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const width = page.viewportSize()?.width ?? DESKTOP.width;
  const size = width < 600 ? 'phone' : 'desktop';
  // Painted in the page rather than with Playwright's `mask`, whose boxes drift on a full-page
  // shot of a scrolled phone layout and leave the secret readable.
  for (const secret of secrets) {
    // The test project has no DOM types: the page's element is `any` here.
    await secret.evaluate((element: any) => {
      // Every character becomes a digit (all as wide as each other), so a secret wraps the same
      // way on every run whatever its letters; then one flat grey block, text and background.
      const texts = element.ownerDocument.createTreeWalker(element, 4 /* SHOW_TEXT */);
      for (let node = texts.nextNode(); node; node = texts.nextNode()) {
        node.data = node.data.replace(/\S/g, '0');
      }
      if ('value' in element) element.value = String(element.value).replace(/\S/g, '0');
      element.style.background = '#000';
      element.style.filter = 'brightness(0) invert(0.6)';
    });
  }
  const restore = await page.evaluateHandle(standInSlugs, {
    pattern: UNIQUE_SLUG_SOURCE,
    standIn: SCREENSHOT_SLUG,
  });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${size}.png`), fullPage: true });
  await restore.evaluate((undo) => undo());
  await restore.dispose();
}

/**
 * Runs in the page: writes `standIn` over every match of `pattern` in the text and the form
 * fields of the body, and returns what puts the page back as it was.
 */
function standInSlugs({ pattern, standIn }: { pattern: string; standIn: string }): () => void {
  // The test project has no DOM types: the page's objects are `any` here.
  const document = (globalThis as any).document;
  const slug = new RegExp(pattern, 'g');
  const undo: (() => void)[] = [];
  const texts = document.createTreeWalker(document.body, 4 /* NodeFilter.SHOW_TEXT */);
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    const text = node;
    const before: string = text.data;
    const after = before.replace(slug, standIn);
    if (after === before) continue;
    text.data = after;
    undo.push(() => (text.data = before));
  }
  for (const field of document.querySelectorAll('input, textarea')) {
    const before: string = field.value;
    const after = before.replace(slug, standIn);
    if (after === before) continue;
    field.value = after;
    undo.push(() => (field.value = before));
  }
  return () => undo.forEach((step) => step());
}

/** One browser per test file: launched before its tests, closed after. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    expect(browser, 'the browser was launched in beforeAll').toBeDefined();
    return browser!;
  };
}

/** What every browser test file starts with: the test host, a browser and an API client. */
export function useBrowserTest() {
  const host = useTestHost();
  const browser = useBrowser();
  return { host, browser, api: new Api(() => host().baseUrl) };
}
