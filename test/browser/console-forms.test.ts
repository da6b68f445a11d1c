import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';

import { setUpBusiness } from '../e2e/api-client.js';
import { PHONE, useBrowserTest } from '../support/browser.js';
import {
  book,
  failedLoad,
  focusedId,
  freezeServerClock,
  MONDAY,
  openConsolePage,
  plain,
  signInThroughForm,
} from '../support/console.js';

const { host, browser, api } = useBrowserTest();

beforeEach(() => freezeServerClock());

/** The lines of the error summary, each as its label and message. */
async function summaryLines(page: Page): Promise<string[]> {
  return (await page.locator('[role="alert"] li').allTextContents()).map(plain);
}

describe('console service form', () => {
  it('names every field with a problem after one save', async () => {
    const biz = await setUpBusiness(api);
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await page.getByRole('link', { name: 'Services' }).click();
    await page.getByRole('link', { name: 'Add service' }).click();
    await page.getByLabel('Name').fill('');
    await page.getByLabel('Duration (minutes)').fill('-5');
    await page.getByRole('button', { name: 'Add service' }).click();

    await expect.poll(() => page.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Duration (minutes)').getAttribute('aria-invalid')).toBe('true');
    expect(await summaryLines(page)).toEqual([
      'Name: must not be empty',
      'Duration (minutes): must be at least 5',
    ]);
    expect(problems).toEqual([failedLoad(422, 'Unprocessable Entity')]);
    await context.close();
  });

  it('takes only plain whole numbers, not exponents or hexadecimal', async () => {
    const biz = await setUpBusiness(api);
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await page.getByRole('link', { name: 'Services' }).click();
    await page.getByRole('link', { name: 'Edit Consultation' }).click();
    const duration = page.getByLabel('Duration (minutes)');
    await expect.poll(() => duration.inputValue()).toBe('60');
    await duration.fill('1e2');
    await page.getByLabel('Capacity (people per time)').fill(' 0x10 ');
    await page.getByLabel('Buffer after (minutes)').fill('1.5');
    await page.getByRole('button', { name: 'Save service' }).click();

    await expect.poll(() => duration.getAttribute('aria-invalid')).toBe('true');
    expect(await summaryLines(page)).toEqual([
      'Duration (minutes): must be a whole number',
      'Buffer after (minutes): must be a whole number',
      'Capacity (people per time): must be a whole number',
    ]);
    expect(plain(await page.locator('#f-capacity-error').textContent())).toBe(
      'must be a whole number',
    );
    const unchanged = await biz.admin.get(`/api/admin/services/${biz.serviceId}`);
    expect(unchanged.body).toMatchObject({
      durationMinutes: 60,
      capacity: 1,
      bufferAfterMinutes: 0,
    });

    await duration.fill(' 100 ');
    await page.getByLabel('Capacity (people per time)').fill('16');
    await page.getByLabel('Buffer after (minutes)').fill('5');
    await page.getByRole('button', { name: 'Save service' }).click();
    await expect
      .poll(async () => plain(await page.locator('.notice.success').textContent()))
      .toBe('Saved “Consultation”.');
    const saved = await biz.admin.get(`/api/admin/services/${biz.serviceId}`);
    expect(saved.body).toMatchObject({ durationMinutes: 100, capacity: 16, bufferAfterMinutes: 5 });
    expect(problems).toEqual([failedLoad(422, 'Unprocessable Entity')]);
    await context.close();
  });
});

describe('console cancel step', () => {
  it('takes no more reason than the API keeps', async () => {
    const biz = await setUpBusiness(api);
    await book(api, biz.slug, biz.serviceId, `${MONDAY}T10:00`, 'Ana Cancel');
    const { page, problems, context } = await openConsolePage(browser(), { viewport: PHONE });
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await page.getByRole('button', { name: /Ana Cancel/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Consultation for Ana Cancel' });
    await dialog.getByRole('button', { name: 'Cancel booking' }).click();
    // Keeping the booking returns focus to the button that asked, not to the page's body.
    await dialog.getByRole('button', { name: 'Keep booking' }).click();
    await expect.poll(() => focusedId(page)).toBe('booking-cancel');
    await page.keyboard.press('Enter');
    const reason = dialog.getByLabel('Reason (optional, sent to the customer)');
    await reason.fill('x'.repeat(600));
    expect((await reason.inputValue()).length).toBe(500);
    await dialog.getByRole('button', { name: 'Yes, cancel booking' }).click();
    await expect
      .poll(async () => plain(await page.locator('.notice.success').textContent()))
      .toBe('Cancelled Consultation for Ana Cancel (Monday, 10 March 2031, 10:00–11:00).');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('console sign-in form', () => {
  it('labels the fields in its error summary by their names on the form', async () => {
    const biz = await setUpBusiness(api);
    const { page, problems, context } = await openConsolePage(browser());
    await page.goto(`${host().baseUrl}/${biz.slug}/admin`);
    await page.getByLabel('Password').fill('x');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => summaryLines(page)).toEqual(['Email: must not be empty']);
    expect(problems).toEqual([failedLoad(422, 'Unprocessable Entity')]);
    await context.close();
  });
});
