import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { DESKTOP, PHONE, saveScreenshot } from '../support/browser.js';
import {
  expectAccessible,
  failedResource,
  headingText,
  openVisitor,
  setUpLondonBusiness,
  timesShown,
  useBookingPageTest,
} from './booking-support.js';

const { host, browser, api } = useBookingPageTest();

/** Waits until the page's step heading reads `text`, then runs axe-core on the page. */
async function atStep(page: Page, text: string) {
  await expect.poll(() => headingText(page)).toBe(text);
  await expectAccessible(page);
}

/**
 * Every state of both pages at phone and desktop width: axe-core finds nothing serious or
 * critical, and the screenshots in docs/screenshots/ are refreshed. Clocks, names and the
 * visitor's zone are fixed, so the pictures only change when the pages do.
 */
describe.each([
  ['phone', PHONE],
  ['desktop', DESKTOP],
] as const)('page states at %s width', (_name, viewport) => {
  it('are accessible and look as in docs/screenshots', { timeout: 180_000 }, async () => {
    const biz = await setUpLondonBusiness(api);
    const second = await biz.admin.post('/api/admin/services', {
      name: 'Follow-up call',
      description: 'A short call after a first consultation.',
      durationMinutes: 30,
      staffIds: [biz.staffId],
    });
    expect(second.status).toBe(201);
    const { context, page, problems } = await openVisitor(browser(), {
      viewport,
      timezoneId: 'America/New_York',
    });

    await page.goto(`${host().baseUrl}/${biz.slug}`);
    await atStep(page, 'Choose a service');
    await saveScreenshot(page, 'booking-service');

    await page.getByRole('button', { name: 'Continue' }).click();
    await atStep(page, 'Choose a time');
    await expect.poll(() => timesShown(page)).not.toEqual([]);
    await page.locator('td[data-date="2030-01-08"]').click();
    await expect
      .poll(() => page.locator('#times-heading').textContent())
      .toBe('Times on Tuesday, 8 January 2030');
    await expectAccessible(page);
    await saveScreenshot(page, 'booking-time');

    await page.getByRole('button', { name: '05:00' }).click();
    await atStep(page, 'Your details');
    await page.getByLabel('Name').fill('Chris Customer');
    await page.getByLabel('Email').fill('chris@example');
    await page.getByLabel('Topic').fill('A sore knee after running');
    await saveScreenshot(page, 'booking-details');
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await expect
      .poll(() => page.locator('.field .error').allTextContents())
      .toEqual(['Email must be an email address']);
    await expectAccessible(page);
    await saveScreenshot(page, 'booking-details-error');

    await page.getByLabel('Email').fill('chris@example.com');
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await atStep(page, 'You’re booked');
    await saveScreenshot(page, 'booking-confirmation');

    const manage = await page
      .getByRole('link', { name: 'Manage your booking' })
      .getAttribute('href');
    await page.goto(manage!);
    await atStep(page, 'Booking details');
    await saveScreenshot(page, 'manage');

    await page.getByRole('button', { name: 'Reschedule' }).click();
    await atStep(page, 'Choose a new time');
    await expect.poll(() => timesShown(page)).not.toEqual([]);
    await page.locator('td[data-date="2030-01-09"]').click();
    await expect
      .poll(() => page.locator('#times-heading').textContent())
      .toBe('Times on Wednesday, 9 January 2030');
    await page.getByRole('button', { name: '06:00' }).click();
    await atStep(page, 'Confirm the new time');
    await saveScreenshot(page, 'manage-reschedule');
    await page.getByRole('button', { name: 'Keep the current time' }).click();

    await page.getByRole('button', { name: 'Cancel booking' }).click();
    await atStep(page, 'Cancel this booking?');
    await page.getByRole('button', { name: 'Yes, cancel booking' }).click();
    await atStep(page, 'This booking is cancelled');
    await saveScreenshot(page, 'manage-cancelled');

    expect(problems.splice(0)).toEqual([failedResource(422, 'Unprocessable Entity')]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
