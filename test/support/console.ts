import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

import { setClock } from '../../shared/runtime/clock.js';
import { Api, randomClientAddress, TEST_PASSWORD } from '../e2e/api-client.js';
import { openPage, type BrowserContextOptions } from './browser.js';

/**
 * Helpers for the console's browser tests. Every test runs at one frozen instant, on the server
 * and in the page, so "today", the slot lists and the screenshots are the same on every run:
 * Monday 10 March 2031, 08:00 in London (GMT until the end of March).
 */
export const NOW = Date.parse('2031-03-10T08:00:00Z');
export const MONDAY = '2031-03-10';
export const TUESDAY = '2031-03-11';
export const WEDNESDAY = '2031-03-12';

export function freezeServerClock(): void {
  setClock(() => NOW);
}

/**
 * A fresh page at the frozen instant, from its own client address: sign-ins are throttled per
 * address across the run's shared database, so pages must not share one.
 */
export async function openConsolePage(browser: Browser, options: BrowserContextOptions = {}) {
  const opened = await openPage(browser, options);
  await opened.context.setExtraHTTPHeaders({ 'x-forwarded-for': randomClientAddress() });
  await opened.page.clock.setFixedTime(NOW);
  return opened;
}

export async function signInThroughForm(
  page: Page,
  baseUrl: string,
  slug: string,
  email = `owner@${slug}.example`,
  password = TEST_PASSWORD,
): Promise<void> {
  await page.goto(`${baseUrl}/${slug}/admin`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Bookings' }).waitFor();
}

/** Books `start` (local wall time in the business zone) through the public API. */
export async function book(
  api: Api,
  slug: string,
  serviceId: string,
  start: string,
  name: string,
): Promise<string> {
  const created = await api.post(`/api/public/${slug}/bookings`, {
    serviceId,
    start,
    customer: { name, email: `${name.split(' ')[0]!.toLowerCase()}@customer.example` },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

/** The serious and critical axe-core findings on the page as it is now, as `rule: targets`. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The start times (HH:mm in the business zone) of a day's free slots, read through the API. */
export async function slotTimes(
  api: Api,
  slug: string,
  serviceId: string,
  date: string,
  nextDate: string,
): Promise<string[]> {
  const answer = await api.get(
    `/api/public/${slug}/slots?serviceId=${serviceId}&start=${date}&end=${nextDate}`,
  );
  expect(answer.status).toBe(200);
  return (answer.body.slots as { start: string }[]).map((slot) => slot.start.slice(11, 16));
}

/** Text with every run of white space (Intl writes thin and no-break spaces) as one space. */
export function plain(text: string | null): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** What Chromium logs for each API answer of that status (it logs every failed response). */
export const failedLoad = (status: number, reason: string) =>
  `console: Failed to load resource: the server responded with a status of ${status} (${reason})`;

// The test project has no DOM types: scripts that run in the page are strings or take `any`.

/** The id of the element that has focus. */
export function focusedId(page: Page): Promise<string | null> {
  return page.locator(':focus').getAttribute('id');
}

/** The name the focused control is known by: its label's text, else its own text. */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const el = document.activeElement;
    if (!el) return '';
    const label = el.id ? document.querySelector('label[for="' + el.id + '"]') : null;
    return ((label ? label.textContent : el.textContent) || '').replace(/\\s+/g, ' ').trim();
  })()`);
}

/** What a screen reader adds after the focused element's name: its `aria-describedby` text. */
export function focusedDescription(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const ids = (document.activeElement?.getAttribute('aria-describedby') || '').split(' ');
    const texts = ids.map((id) => document.getElementById(id)?.textContent || '');
    return texts.join(' ').replace(/\\s+/g, ' ').trim();
  })()`);
}

/** Each booking button under `scope` as its parts joined by ` | ` (time, service, staff…). */
export function bookingTexts(page: Page, scope = 'main'): Promise<string[]> {
  return page
    .locator(`${scope} .booking`)
    .evaluateAll((buttons: any[]) =>
      buttons.map((b) => Array.from(b.children as any[], (c) => c.textContent).join(' | ')),
    );
}

/** The computed outline style of the focused element (focus must stay visible). */
export function focusedOutline(page: Page): Promise<string> {
  return page
    .locator(':focus')
    .evaluate((el: any) => (globalThis as any).getComputedStyle(el).outlineStyle as string);
}
