import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { setUpBusiness } from '../e2e/api-client.js';
import { useBrowserTest } from '../support/browser.js';
import {
  book,
  bookingTexts,
  failedLoad,
  freezeServerClock,
  MONDAY,
  NOW,
  openConsolePage,
  plain,
  signInThroughForm,
} from '../support/console.js';

const { host, browser, api } = useBrowserTest();

let shop: Awaited<ReturnType<typeof setUpBusiness>>;

beforeAll(async () => {
  freezeServerClock();
  shop = await setUpBusiness(api);
  await book(api, shop.slug, shop.serviceId, `${MONDAY}T10:00`, 'Dana Example');
});

beforeEach(() => freezeServerClock());

const DANA = ['10:00–11:00 | Consultation | with Alex | Dana Example'];
const ENDED = 'Your session has ended. Sign in again to continue.';

/** Another tab of the same browser profile: it shares the first tab's localStorage. */
async function openTab(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.clock.setFixedTime(NOW);
  return { page, problems };
}

describe('console in two tabs', () => {
  it('keeps both signed in through reloads, and signing out in one ends the other', async () => {
    const first = await openConsolePage(browser());
    await signInThroughForm(first.page, host().baseUrl, shop.slug);
    const second = await openTab(first.context);
    await second.page.goto(`${host().baseUrl}/${shop.slug}/admin`);
    await expect.poll(() => bookingTexts(second.page)).toEqual(DANA);

    // Both refresh at once: without turns, the second to arrive would reuse a spent token and
    // the server would end the session in both.
    await Promise.all([first.page.reload(), second.page.reload()]);
    for (const { page } of [first, second]) {
      // The tabs refresh one after the other, and this machine may be busy: allow both turns.
      await page.getByRole('heading', { level: 1, name: 'Bookings' }).waitFor();
      await expect.poll(() => bookingTexts(page), { timeout: 10_000 }).toEqual(DANA);
      expect(await page.getByLabel('Password').count()).toBe(0);
    }
    await first.page.getByRole('link', { name: 'Week' }).click();
    await expect.poll(() => bookingTexts(first.page)).toEqual(DANA);

    await first.page.getByRole('button', { name: 'Sign out' }).click();
    await first.page.getByRole('heading', { level: 1, name: 'Sign in to Test Business' }).waitFor();
    expect(await first.page.evaluate<number>('localStorage.length')).toBe(0);
    await second.page.getByRole('link', { name: 'Week' }).click();
    await second.page
      .getByRole('heading', { level: 1, name: 'Sign in to Test Business' })
      .waitFor();
    expect(plain(await second.page.locator('.notice.warning').textContent())).toBe(ENDED);

    expect(first.problems).toEqual([]);
    // Chromium may report the failed load a moment after the page has moved on.
    await expect.poll(() => second.problems).toEqual([failedLoad(401, 'Unauthorized')]);
    await first.context.close();
  });

  it('says the session has ended when a stored one cannot be resumed', async () => {
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, shop.slug);
    // Another client spends the stored refresh token: the server ends the session.
    const stored = await page.evaluate<string>(
      'localStorage.getItem(Object.keys(localStorage)[0])',
    );
    expect((await api.post('/api/auth/refresh', { refreshToken: stored })).status).toBe(200);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in to Test Business' }).waitFor();
    expect(plain(await page.locator('.notice.warning').textContent())).toBe(ENDED);
    expect(await page.evaluate<number>('localStorage.length')).toBe(0);
    expect(problems).toEqual([failedLoad(401, 'Unauthorized')]);
    await context.close();
  });
});
