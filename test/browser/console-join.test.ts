import { beforeEach, describe, expect, it } from 'vitest';

import { setUpBusiness, TEST_PASSWORD } from '../e2e/api-client.js';
import { PHONE, useBrowserTest } from '../support/browser.js';
import {
  book,
  bookingTexts,
  failedLoad,
  freezeServerClock,
  MONDAY,
  openConsolePage,
  plain,
} from '../support/console.js';

const { host, browser, api } = useBrowserTest();

beforeEach(() => freezeServerClock());

describe('console join view', () => {
  it('lets an invited person choose a password, join and see the console', async () => {
    const biz = await setUpBusiness(api);
    await book(api, biz.slug, biz.serviceId, `${MONDAY}T10:00`, 'Dana Example');
    const invited = await biz.admin.post('/api/admin/invitations', {
      email: `kim@${biz.slug}.example`,
      role: 'staff',
      staffId: biz.staffId,
    });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    const link = new URL(invited.body.acceptUrl as string);
    expect(`${link.pathname}${link.hash}`).toBe(`/${biz.slug}/admin#/join/${invited.body.token}`);

    const { page, problems, context } = await openConsolePage(browser(), { viewport: PHONE });
    await page.goto(`${host().baseUrl}${link.pathname}${link.hash}`);
    await page.getByRole('heading', { level: 1, name: 'Join Test Business' }).waitFor();
    await page.getByLabel('Your name').fill('Kim');
    await page.getByLabel('Password').fill('too short');
    await page.getByRole('button', { name: 'Join' }).click();
    await expect.poll(() => page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    expect(plain(await page.locator('#f-password-error').textContent())).toBe(
      'must be at least 15 characters (8 once two-factor sign-in is on)',
    );

    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bookings' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/bookings');
    expect(plain(await page.locator('.role').textContent())).toBe('Staff');
    await expect
      .poll(() => bookingTexts(page))
      .toEqual(['10:00–11:00 | Consultation | Dana Example']);
    expect(problems).toEqual([failedLoad(422, 'Unprocessable Entity')]);
    await context.close();
  });
});
