import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { ROTATION_GRACE_MS } from '../../shared/auth/sessions.js';
import { setClock } from '../../shared/runtime/clock.js';
import { setUpBusiness, signIn, TEST_PASSWORD } from '../e2e/api-client.js';
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
    // the server would end the session in both. With turns, the second may still read the token
    // before the first's rotation reaches its process; it gets a 409 and reads again.
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

    // The 409 of a tab that read the token before the other's rotation reached it, if it did.
    const RACED = failedLoad(409, 'Conflict');
    const apart = (problems: string[]) => problems.filter((line) => line !== RACED);
    expect(
      [...first.problems, ...second.problems].filter((line) => line === RACED).length,
    ).toBeLessThanOrEqual(1);
    expect(apart(first.problems)).toEqual([]);
    // Chromium may report the failed load a moment after the page has moved on.
    await expect.poll(() => apart(second.problems)).toEqual([failedLoad(401, 'Unauthorized')]);
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
    // Past the grace the server gives a token rotated moments ago (see the next test).
    setClock(() => NOW + ROTATION_GRACE_MS);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in to Test Business' }).waitFor();
    expect(plain(await page.locator('.notice.warning').textContent())).toBe(ENDED);
    expect(await page.evaluate<number>('localStorage.length')).toBe(0);
    expect(problems).toEqual([failedLoad(401, 'Unauthorized')]);
    await context.close();
  });

  it('reads the stored token again when another tab rotated it moments ago, and stays signed in', async () => {
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, shop.slug);
    const key = await page.evaluate<string>('Object.keys(localStorage)[0]');
    const stale = await page.evaluate<string>(`localStorage.getItem(${JSON.stringify(key)})`);
    // "Another tab" rotates the token; its new one has not reached this tab's storage yet.
    const rotated = await api.post('/api/auth/refresh', { refreshToken: stale });
    expect(rotated.status).toBe(200);

    // The new token arrives in this tab's storage just after the server's 409.
    const answers: number[] = [];
    await page.route('**/api/auth/refresh', async (route) => {
      const response = await route.fetch();
      answers.push(response.status());
      if (response.status() === 409) {
        const token = rotated.body.refreshToken as string;
        await page.evaluate(
          `localStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(token)})`,
        );
      }
      await route.fulfill({ response });
    });
    await page.reload();
    await expect.poll(() => bookingTexts(page), { timeout: 10_000 }).toEqual(DANA);
    expect(answers).toEqual([409, 200]);
    expect(problems).toEqual([failedLoad(409, 'Conflict')]);
    await context.close();
  });
});

const KEPT =
  'Your session ended before you saved, so your unsaved changes were kept. Check them, then save.';

/** Signs in again on the sign-in form the console was replaced by, leaving the address as it is. */
async function signInAgain(page: Page, slug: string, password = TEST_PASSWORD): Promise<void> {
  await page.getByLabel('Email').fill(`owner@${slug}.example`);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * A console tab editing Alex's hours (Monday from 07:30, unsaved) while the owner's password is
 * changed elsewhere, which ends every session of the owner, this tab's too.
 */
async function alexHoursEditedThenPasswordChanged() {
  const biz = await setUpBusiness(api);
  const opened = await openConsolePage(browser());
  const { page } = opened;
  await signInThroughForm(page, host().baseUrl, biz.slug);
  await page.getByRole('link', { name: 'Staff and hours' }).click();
  await page.getByRole('link', { name: 'Edit Alex details and hours' }).click();
  const from = page.getByLabel('Monday, hours 1, From');
  await expect.poll(() => from.inputValue()).toBe('09:00');
  await from.fill('07:30');

  const elsewhere = await signIn(api, biz.slug);
  const changed = await elsewhere.post('/api/auth/password', {
    currentPassword: TEST_PASSWORD,
    newPassword: `${TEST_PASSWORD} renewed`,
  });
  expect(changed.status).toBe(204);
  return { biz, from, ...opened };
}

describe('console drafts over an ended session', () => {
  it('keeps a service being edited when the session ends in another tab', async () => {
    const biz = await setUpBusiness(api);
    const first = await openConsolePage(browser());
    await signInThroughForm(first.page, host().baseUrl, biz.slug);
    const { page } = first;
    await page.getByRole('link', { name: 'Services' }).click();
    await page.getByRole('link', { name: 'Edit Consultation' }).click();
    const name = page.getByLabel('Name', { exact: true });
    await expect.poll(() => name.inputValue()).toBe('Consultation');
    await name.fill('First consultation');
    await page.getByLabel('Duration (minutes)').fill('90');
    await page.getByRole('button', { name: 'Add question' }).click();
    await page.getByLabel('Question 1, Label').fill('Topic');

    const second = await openTab(first.context);
    await second.page.goto(`${host().baseUrl}/${biz.slug}/admin`);
    await second.page.getByRole('button', { name: 'Sign out' }).click();
    await second.page
      .getByRole('heading', { level: 1, name: 'Sign in to Test Business' })
      .waitFor();

    await page.getByRole('button', { name: 'Save service' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to Test Business' }).waitFor();
    expect(plain(await page.locator('.notice.warning').textContent())).toBe(ENDED);
    expect(new URL(page.url()).hash).toBe(`#/services/${biz.serviceId}`);
    const unsaved = await biz.admin.get(`/api/admin/services/${biz.serviceId}`);
    expect(unsaved.body).toMatchObject({
      name: 'Consultation',
      durationMinutes: 60,
      questions: [],
    });

    await signInAgain(page, biz.slug);
    const kept = page.locator('.notice.warning');
    await expect.poll(async () => plain(await kept.textContent())).toBe(KEPT);
    expect(await page.locator(':focus').textContent()).toBe(await kept.textContent());
    expect(await name.inputValue()).toBe('First consultation');
    expect(await page.getByLabel('Duration (minutes)').inputValue()).toBe('90');
    expect(await page.getByLabel('Question 1, Label').inputValue()).toBe('Topic');
    // Taken back out of this tab's storage; no token was ever there.
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);

    await page.getByRole('button', { name: 'Save service' }).click();
    await expect
      .poll(async () => plain(await page.locator('.notice.success').textContent()))
      .toBe('Saved “First consultation”.');
    expect(await kept.count()).toBe(0);
    const saved = await biz.admin.get(`/api/admin/services/${biz.serviceId}`);
    expect(saved.body).toMatchObject({
      name: 'First consultation',
      durationMinutes: 90,
      questions: [{ id: 'topic', label: 'Topic', type: 'text' }],
    });

    // Leaving the page on purpose keeps nothing for later.
    await name.fill('Abandoned');
    await page.getByRole('link', { name: 'Back to services' }).click();
    await page.getByRole('link', { name: 'Edit First consultation' }).click();
    await expect.poll(() => name.inputValue()).toBe('First consultation');
    expect(await kept.count()).toBe(0);
    await expect.poll(() => first.problems).toEqual([failedLoad(401, 'Unauthorized')]);
    expect(second.problems).toEqual([]);
    await first.context.close();
  });

  it('keeps a staff member’s hours being edited when a password change elsewhere ends the session', async () => {
    const { biz, page, problems, context, from } = await alexHoursEditedThenPasswordChanged();

    await page.getByRole('button', { name: 'Save staff member' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to Test Business' }).waitFor();
    await signInAgain(page, biz.slug, `${TEST_PASSWORD} renewed`);
    await expect
      .poll(async () => plain(await page.locator('.notice.warning').textContent()))
      .toBe(KEPT);
    expect(await from.inputValue()).toBe('07:30');
    await page.getByRole('button', { name: 'Save staff member' }).click();
    await expect
      .poll(async () => plain(await page.locator('.notice.success').textContent()))
      .toBe('Saved Alex’s details and hours.');
    // The password change ended every session of the owner, the set-up's too.
    const owner = await signIn(api, biz.slug, undefined, `${TEST_PASSWORD} renewed`);
    const staff = await owner.get(`/api/admin/staff/${biz.staffId}`);
    expect(staff.body.weeklyHours.mon).toEqual([{ start: '07:30', end: '17:00' }]);
    // The save's 401, then the refresh's: the stored refresh token was ended with the rest.
    expect(problems).toEqual([failedLoad(401, 'Unauthorized'), failedLoad(401, 'Unauthorized')]);
    await context.close();
  });

  it('saves a kept draft against the version it was made from, so a change made meanwhile stays', async () => {
    // Elsewhere: the password changes (ending this tab's session), then Alex is renamed.
    const { biz, page, problems, context } = await alexHoursEditedThenPasswordChanged();
    const owner = await signIn(api, biz.slug, undefined, `${TEST_PASSWORD} renewed`);
    const alex = (await owner.get(`/api/admin/staff/${biz.staffId}`)).body;
    const renamed = await owner.put(
      `/api/admin/staff/${biz.staffId}`,
      {
        name: 'Alexandra',
        timeZone: alex.timeZone,
        weeklyHours: alex.weeklyHours,
        overrides: alex.overrides,
      },
      { headers: { 'if-match': alex.version } },
    );
    expect(renamed.status).toBe(200);

    await page.getByRole('button', { name: 'Save staff member' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to Test Business' }).waitFor();
    await signInAgain(page, biz.slug, `${TEST_PASSWORD} renewed`);
    await expect
      .poll(async () => plain(await page.locator('.notice.warning').textContent()))
      .toBe(KEPT);
    await page.getByRole('button', { name: 'Save staff member' }).click();
    await expect
      .poll(async () => plain(await page.getByRole('alert').first().textContent()))
      .toMatch(/^Someone else changed this staff member since you opened it/);
    const after = await owner.get(`/api/admin/staff/${biz.staffId}`);
    expect(after.body.name).toBe('Alexandra');
    expect(after.body.weeklyHours.mon).toEqual([{ start: '09:00', end: '17:00' }]);
    expect(problems).toEqual([
      failedLoad(401, 'Unauthorized'),
      failedLoad(401, 'Unauthorized'),
      failedLoad(412, 'Precondition Failed'),
    ]);
    await context.close();
  });
});
