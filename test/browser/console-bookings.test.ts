import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { Api, setUpBusiness, signIn } from '../e2e/api-client.js';
import { DESKTOP, PHONE, saveScreenshot, useBrowser } from '../support/browser.js';
import {
  book,
  failedLoad,
  freezeServerClock,
  MONDAY,
  openConsolePage,
  plain,
  seriousAxeViolations,
  signInThroughForm,
  TUESDAY,
  WEDNESDAY,
} from '../support/console.js';
import { useTestHost } from '../support/env.js';

const host = useTestHost();
const browser = useBrowser();
const api = new Api(() => host().baseUrl);

/** A business with two bookings this week, read (never changed) by the view tests. */
let shop: Awaited<ReturnType<typeof setUpBusiness>>;

beforeAll(async () => {
  freezeServerClock();
  shop = await setUpBusiness(api);
  await book(api, shop.slug, shop.serviceId, `${MONDAY}T10:00`, 'Dana Example');
  await book(api, shop.slug, shop.serviceId, `${WEDNESDAY}T14:00`, 'Sam Sample');
});

beforeEach(() => freezeServerClock());

async function rangeTitle(page: Page): Promise<string> {
  return plain(await page.locator('main h2').first().textContent());
}

/** The visible text of each booking button in the list, in order. */
async function bookingTexts(page: Page, scope = 'main'): Promise<string[]> {
  return page.locator(`${scope} .booking`).evaluateAll((buttons) =>
    buttons.map((b) => Array.from(b.children, (c) => c.textContent).join(' | ')),
  );
}

describe('console sign-in', () => {
  it('refuses a wrong password with the API message, then signs in to today', async () => {
    const { page, problems, context } = await openConsolePage(browser());
    await page.goto(`${host().baseUrl}/${shop.slug}/admin`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Sign in to Test Business',
    );
    await page.getByLabel('Email').fill(`owner@${shop.slug}.example`);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('The business, email or password is not correct.');

    await page.getByLabel('Password').fill('a long and unguessable passphrase');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bookings' }).waitFor();
    expect(await rangeTitle(page)).toBe('Monday, 10 March 2031');
    expect(await bookingTexts(page)).toEqual([
      '10:00–11:00 | Consultation | with Alex | Dana Example',
    ]);
    expect(problems).toEqual([failedLoad(401, 'Unauthorized')]);
    await context.close();
  });
});

describe('console bookings calendar', () => {
  it('shows the bookings of the day and of the week, and pages between weeks', async () => {
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, shop.slug);
    await expect.poll(() => bookingTexts(page)).toEqual([
      '10:00–11:00 | Consultation | with Alex | Dana Example',
    ]);

    await page.getByRole('link', { name: 'Week' }).click();
    await expect.poll(() => rangeTitle(page)).toBe(
      'Week of 10 – 16 March 2031',
    );
    const days = page.locator('.week > li');
    await expect.poll(() => days.count()).toBe(7);
    expect(await days.locator('h3').allTextContents()).toEqual([
      'Mon 10 Mar (today)',
      'Tue 11 Mar',
      'Wed 12 Mar',
      'Thu 13 Mar',
      'Fri 14 Mar',
      'Sat 15 Mar',
      'Sun 16 Mar',
    ]);
    expect(await bookingTexts(page, '.week > li:nth-child(1)')).toEqual([
      '10:00–11:00 | Consultation | with Alex | Dana Example',
    ]);
    expect(await bookingTexts(page, '.week > li:nth-child(2)')).toEqual([]);
    expect(await bookingTexts(page, '.week > li:nth-child(3)')).toEqual([
      '14:00–15:00 | Consultation | with Alex | Sam Sample',
    ]);

    await page.getByRole('link', { name: 'Next week' }).click();
    await expect.poll(() => rangeTitle(page)).toBe(
      'Week of 17 – 23 March 2031',
    );
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('0 bookings shown.');
    await page.getByRole('link', { name: 'Today' }).click();
    await expect.poll(() => bookingTexts(page)).toHaveLength(2);

    // A day link in the week opens that day.
    await page.getByRole('link', { name: 'Wed 12 Mar' }).click();
    await expect.poll(() => rangeTitle(page)).toBe(
      'Wednesday, 12 March 2031',
    );
    await expect.poll(() => bookingTexts(page)).toEqual([
      '14:00–15:00 | Consultation | with Alex | Sam Sample',
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
