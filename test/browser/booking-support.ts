import { readFile } from 'node:fs/promises';

import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page, Request } from 'playwright-core';
import { beforeAll, beforeEach, expect } from 'vitest';

import { setClock } from '../../shared/runtime/clock.js';
import { Api, setUpBusiness } from '../e2e/api-client.js';
import { openPage, useBrowserTest, type BrowserContextOptions } from '../support/browser.js';
import { reconfigure } from '../support/env.js';

/**
 * Shared set-up of the booking and manage page tests. Server and browser clocks are frozen to
 * the same instant, so the calendar, the offered times and the screenshots are the same on
 * every run: Monday 7 January 2030, 08:00 in London (03:00 in New York), before any slot.
 */
export const NOW = Date.parse('2030-01-07T08:00:00Z');

export function freezeServerClock(): void {
  setClock(() => NOW);
}

/**
 * The set-up of a booking or manage page test file: host, browser and API client, manage links
 * on the test host's address, and the server clock frozen before each test.
 */
export function useBookingPageTest() {
  const test = useBrowserTest();
  beforeAll(() => {
    // Manage links are built from PUBLIC_BASE_URL; here that is the test host's own address.
    reconfigure({ PUBLIC_BASE_URL: test.host().baseUrl });
  });
  beforeEach(freezeServerClock);
  return test;
}

export const TOPIC = { id: 'topic', label: 'Topic', type: 'text', required: true } as const;

/** A London business open 09:00-17:00 on weekdays, whose hour-long service asks for a topic. */
export function setUpLondonBusiness(api: Api) {
  return setUpBusiness(api, {
    timeZone: 'Europe/London',
    service: { description: 'A first conversation about what you need.', questions: [TOPIC] },
  });
}

/** A fresh visitor with a frozen clock; the page fails the test on console errors (see openPage). */
export async function openVisitor(browser: Browser, options: BrowserContextOptions = {}) {
  const opened = await openPage(browser, options);
  await opened.page.clock.setFixedTime(NOW);
  return opened;
}

/**
 * What Chromium logs for a response the page expects and handles (a 409, a 404, an aborted
 * request): the test names each one it provokes, and every other console error still fails it.
 */
export function failedResource(status: number, text: string): string {
  return `console: Failed to load resource: the server responded with a status of ${status} (${text})`;
}
export const NETWORK_FAILURE = 'console: Failed to load resource: net::ERR_FAILED';

/** Serious and critical axe-core findings on the page as it is now, by rule and target. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Legacy mode runs axe in the page itself instead of opening a blank page per run to merge
  // frame results: these pages have no frames, and it halves the time on a busy machine.
  const results = await new AxeBuilder({ page }).setLegacyMode().analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((node) => `${v.id}: ${node.target.join(' ')}`));
}

export async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
}

export function headingText(page: Page): Promise<string | null> {
  return page.locator('#step-heading').textContent();
}

/** The times offered for the shown day, as the buttons read. */
export function timesShown(page: Page): Promise<string[]> {
  return page.locator('.time-list .time').allTextContents();
}

/** The summary's rows, as `label: value` strings. */
export async function summaryRows(page: Page): Promise<string[]> {
  const rows = page.locator('.step .summary > div');
  const count = await rows.count();
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const row = rows.nth(i);
    out.push(`${await row.locator('dt').textContent()}: ${await row.locator('dd').textContent()}`);
  }
  return out;
}

/**
 * Saves the booking's calendar file through the page's "Download .ics file" button, pressed
 * with the mouse or from the keyboard, and returns what Chromium saved.
 */
export async function downloadIcs(
  page: Page,
  how: 'click' | 'keyboard',
): Promise<{ filename: string; text: string }> {
  const button = page.getByRole('button', { name: 'Download .ics file' });
  const saved = page.waitForEvent('download');
  if (how === 'click') {
    await button.click();
  } else {
    await button.focus();
    await page.keyboard.press('Enter');
  }
  const download = await saved;
  expect(await download.failure()).toBeNull();
  const text = await readFile(await download.path(), 'utf8');
  return { filename: download.suggestedFilename(), text };
}

/**
 * Every request the page makes, as Chromium sends it: its URL (a fragment never leaves the
 * browser, so Chromium leaves it out) and its headers.
 */
export function recordRequests(page: Page): { url: string; headers: Record<string, string> }[] {
  const seen: { url: string; headers: Record<string, string> }[] = [];
  page.on('request', (request: Request) => {
    seen.push({ url: request.url(), headers: request.headers() });
  });
  return seen;
}

export async function focusedId(page: Page): Promise<string> {
  // A string, because the tests compile without the DOM's types.
  return page.evaluate<string>("document.activeElement?.id ?? ''");
}
