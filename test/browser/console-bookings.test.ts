import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { setClock } from '../../shared/runtime/clock.js';
import { setUpBusiness, TEST_PASSWORD, uniqueSlug } from '../e2e/api-client.js';
import { DESKTOP, PHONE, saveScreenshot, useBrowserTest } from '../support/browser.js';
import {
  book,
  bookingTexts,
  failedLoad,
  focusedDescription,
  focusedId,
  focusedName,
  freezeServerClock,
  MONDAY,
  NOW,
  openConsolePage,
  plain,
  seriousAxeViolations,
  signInThroughForm,
  TUESDAY,
  WEDNESDAY,
} from '../support/console.js';

const { host, browser, api } = useBrowserTest();

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
    // The heading shows before the day's bookings arrive.
    await expect
      .poll(() => bookingTexts(page))
      .toEqual(['10:00–11:00 | Consultation | with Alex | Dana Example']);
    expect(problems).toEqual([failedLoad(401, 'Unauthorized')]);
    await context.close();
  });

  it('signs out to the sign-in form, whose heading takes focus and says why it shows', async () => {
    const { page, problems, context } = await openConsolePage(browser());
    await page.goto(`${host().baseUrl}/${shop.slug}/admin`);
    await page.getByLabel('Email').waitFor();
    // A page load leaves focus where the browser puts it; only leaving the console moves it.
    expect(await page.evaluate<boolean>('document.activeElement === document.body')).toBe(true);

    await signInThroughForm(page, host().baseUrl, shop.slug);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to Test Business' }).waitFor();
    await expect.poll(() => focusedName(page)).toBe('Sign in to Test Business');
    expect(await focusedDescription(page)).toBe('You have signed out.');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('f-email');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('console bookings calendar', () => {
  it('shows the bookings of the day and of the week, and pages between weeks', async () => {
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, shop.slug);
    await expect
      .poll(() => bookingTexts(page))
      .toEqual(['10:00–11:00 | Consultation | with Alex | Dana Example']);

    await page.getByRole('link', { name: 'Week' }).click();
    await expect.poll(() => rangeTitle(page)).toBe('Week of 10 – 16 March 2031');
    const days = page.locator('.week > li');
    await expect.poll(() => days.count()).toBe(7);
    // The week's list arrives after its days are drawn (today's bookings are already known).
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toBe('2 bookings shown.');
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
    await expect.poll(() => rangeTitle(page)).toBe('Week of 17 – 23 March 2031');
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toBe('0 bookings shown.');
    await page.getByRole('link', { name: 'Today' }).click();
    await expect.poll(() => bookingTexts(page)).toHaveLength(2);

    // A day link in the week opens that day.
    await page.getByRole('link', { name: 'Wed 12 Mar' }).click();
    await expect.poll(() => rangeTitle(page)).toBe('Wednesday, 12 March 2031');
    await expect
      .poll(() => bookingTexts(page))
      .toEqual(['14:00–15:00 | Consultation | with Alex | Sam Sample']);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('console booking actions', () => {
  it('cancels one booking and moves another to a free time, as the API then reports', async () => {
    const biz = await setUpBusiness(api);
    const cancelId = await book(api, biz.slug, biz.serviceId, `${MONDAY}T10:00`, 'Ana Cancel');
    const moveId = await book(api, biz.slug, biz.serviceId, `${MONDAY}T12:00`, 'Ben Move');
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await expect.poll(() => bookingTexts(page)).toHaveLength(2);

    await page.getByRole('button', { name: /Ana Cancel/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Consultation for Ana Cancel' });
    await dialog.getByRole('button', { name: 'Cancel booking' }).click();
    await dialog.getByRole('heading', { name: 'Cancel this booking?' }).waitFor();
    await dialog.getByLabel('Reason (optional, sent to the customer)').fill('Staff training');
    await dialog.getByRole('button', { name: 'Yes, cancel booking' }).click();
    await expect
      .poll(async () => plain(await page.locator('.notice.success').textContent()))
      .toBe('Cancelled Consultation for Ana Cancel (Monday, 10 March 2031, 10:00–11:00).');
    await expect
      .poll(() => bookingTexts(page))
      .toEqual([
        '10:00–11:00 | Consultation | with Alex | Ana Cancel | Cancelled',
        '12:00–13:00 | Consultation | with Alex | Ben Move',
      ]);

    await page.getByRole('button', { name: /Ben Move/ }).click();
    const moving = page.getByRole('dialog', { name: 'Consultation for Ben Move' });
    await moving.getByRole('button', { name: 'Reschedule' }).click();
    await moving.getByLabel('Date').fill(TUESDAY);
    await moving.getByRole('group', { name: 'Free times on Tuesday, 11 March 2031' }).waitFor();
    await expect
      .poll(() => moving.locator('.slot').allTextContents())
      .toEqual(
        ['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00'].map(
          (time) => `${time} with Alex`,
        ),
      );
    await moving.getByLabel('14:00 with Alex').check();
    await moving.getByRole('button', { name: 'Move booking' }).click();
    await expect
      .poll(async () => plain(await page.locator('.notice.success').textContent()))
      .toBe('Moved Consultation for Ben Move to Tuesday, 11 March 2031, 14:00.');

    const listed = await biz.admin.get(`/api/admin/bookings?from=${MONDAY}&to=${WEDNESDAY}`);
    expect(listed.status).toBe(200);
    expect(
      listed.body.items.map((b: { id: string; start: string; status: string }) => [
        b.id,
        b.start,
        b.status,
      ]),
    ).toEqual([
      [cancelId, '2031-03-10T10:00:00+00:00', 'cancelled'],
      [moveId, '2031-03-11T14:00:00+00:00', 'confirmed'],
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('moves a booking by half its length, which the public slot list would not offer', async () => {
    const biz = await setUpBusiness(api, { service: { slotIntervalMinutes: 30 } });
    const moveId = await book(api, biz.slug, biz.serviceId, `${MONDAY}T12:00`, 'Cleo Half');
    await book(api, biz.slug, biz.serviceId, `${MONDAY}T14:00`, 'Dan Next');
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await expect.poll(() => bookingTexts(page)).toHaveLength(2);

    await page.getByRole('button', { name: /Cleo Half/ }).click();
    const moving = page.getByRole('dialog', { name: 'Consultation for Cleo Half' });
    await moving.getByRole('button', { name: 'Reschedule' }).click();
    await moving.getByRole('group', { name: 'Free times on Monday, 10 March 2031' }).waitFor();
    // 11:30 and 12:30 overlap the booking's own hour, which is free for it; its own 12:00 is no
    // move; Dan's 14:00 still blocks 13:30 to 14:30.
    await expect
      .poll(() => moving.locator('.slot').allTextContents())
      .toEqual(
        ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30', '12:30', '13:00']
          .concat(['15:00', '15:30', '16:00'])
          .map((time) => `${time} with Alex`),
      );
    await moving.getByLabel('12:30 with Alex').check();
    await moving.getByRole('button', { name: 'Move booking' }).click();
    await expect
      .poll(async () => plain(await page.locator('.notice.success').textContent()))
      .toBe('Moved Consultation for Cleo Half to Monday, 10 March 2031, 12:30.');
    await expect
      .poll(() => bookingTexts(page))
      .toEqual([
        '12:30–13:30 | Consultation | with Alex | Cleo Half',
        '14:00–15:00 | Consultation | with Alex | Dan Next',
      ]);

    const listed = await biz.admin.get(`/api/admin/bookings?from=${MONDAY}&to=${TUESDAY}`);
    expect(
      listed.body.items.map((b: { id: string; start: string }) => [b.id, b.start]),
    ).toContainEqual([moveId, '2031-03-10T12:30:00+00:00']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('clears a failed move from the dialog when another time or date is picked', async () => {
    const biz = await setUpBusiness(api);
    const moveId = await book(api, biz.slug, biz.serviceId, `${MONDAY}T12:00`, 'Eve Again');
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await page.getByRole('button', { name: /Eve Again/ }).click();
    const moving = page.getByRole('dialog', { name: 'Consultation for Eve Again' });
    await moving.getByRole('button', { name: 'Reschedule' }).click();
    await moving.getByLabel('Date').fill(TUESDAY);
    await moving.getByRole('group', { name: 'Free times on Tuesday, 11 March 2031' }).waitFor();
    await moving.getByLabel('14:00 with Alex').check();

    // Someone else takes the time between the list and the move.
    await book(api, biz.slug, biz.serviceId, `${TUESDAY}T14:00`, 'Fay First');
    await moving.getByRole('button', { name: 'Move booking' }).click();
    const alert = moving.getByRole('alert');
    await expect
      .poll(async () => plain(await alert.textContent()))
      .toBe('That time was just taken; choose another slot. The free times below are up to date.');
    await expect
      .poll(() => moving.locator('.slot').allTextContents())
      .not.toContain('14:00 with Alex');
    expect(await alert.count()).toBe(1);
    await moving.getByLabel('15:00 with Alex').check();
    await expect.poll(() => alert.count()).toBe(0);

    // The network fails on the next try; a new date clears that too.
    await page.route('**/reschedule', (route) => route.abort());
    await moving.getByRole('button', { name: 'Move booking' }).click();
    await expect
      .poll(async () => plain(await alert.textContent()))
      .toBe('The server could not be reached. Check your connection and try again.');
    await moving.getByLabel('Date').fill(WEDNESDAY);
    await expect.poll(() => alert.count()).toBe(0);
    await moving.getByRole('group', { name: 'Free times on Wednesday, 12 March 2031' }).waitFor();
    expect(await alert.count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);

    const listed = await biz.admin.get(`/api/admin/bookings?from=${MONDAY}&to=${WEDNESDAY}`);
    expect(
      listed.body.items.map((b: { id: string; start: string }) => [b.id, b.start]),
    ).toContainEqual([moveId, '2031-03-10T12:00:00+00:00']);
    expect(problems).toEqual([
      failedLoad(409, 'Conflict'),
      'console: Failed to load resource: net::ERR_FAILED',
    ]);
    await context.close();
  });

  it('sends an ended session back to the sign-in form with a message', async () => {
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, shop.slug);
    // Another client uses this tab's refresh token first: the server sees the tab's copy as
    // reused and ends the session; an access token past its 15 minutes then cannot be renewed.
    const stored = await page.evaluate<string>(
      'localStorage.getItem(Object.keys(localStorage)[0])',
    );
    const stolen = await api.post('/api/auth/refresh', { refreshToken: stored });
    expect(stolen.status).toBe(200);
    setClock(() => NOW + 16 * 60_000);

    await page.getByRole('link', { name: 'Week' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to Test Business' }).waitFor();
    expect(plain(await page.locator('.notice.warning').textContent())).toBe(
      'Your session has ended. Sign in again to continue.',
    );
    // Focus was on the link, now gone: the form's heading takes it, described by the notice.
    await expect.poll(() => focusedName(page)).toBe('Sign in to Test Business');
    expect(await focusedDescription(page)).toBe(
      'Your session has ended. Sign in again to continue.',
    );
    expect(await page.evaluate<number>('localStorage.length')).toBe(0);
    expect(problems).toEqual([failedLoad(401, 'Unauthorized'), failedLoad(401, 'Unauthorized')]);
    await context.close();
  });
});

describe('console views at phone and desktop widths', () => {
  for (const [label, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`has no serious accessibility findings on sign-in and bookings at ${label} width`, async () => {
      const { page, problems, context } = await openConsolePage(browser(), { viewport });
      await page.goto(`${host().baseUrl}/${shop.slug}/admin`);
      await page.getByLabel('Email').waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await saveScreenshot(page, 'console-sign-in');

      await signInThroughForm(page, host().baseUrl, shop.slug);
      await expect.poll(() => bookingTexts(page)).toHaveLength(1);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await saveScreenshot(page, 'console-bookings-day');

      await page.getByRole('link', { name: 'Week' }).click();
      await expect.poll(() => bookingTexts(page)).toHaveLength(2);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await saveScreenshot(page, 'console-bookings-week');

      await page.getByRole('button', { name: /Sam Sample/ }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Reschedule' }).click();
      await page.getByRole('group', { name: /Free times on/ }).waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await saveScreenshot(page, 'console-booking-detail');
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});

describe('console sign-in with two-factor', () => {
  /** A business whose owner has two-factor sign-in on; the confirming code is spent. */
  async function twoFactorOwner() {
    const slug = uniqueSlug('mfa');
    const signup = await api.post('/api/auth/signup', {
      businessName: 'Two-factor Shop',
      slug,
      email: `owner@${slug}.example`,
      password: TEST_PASSWORD,
      timeZone: 'Europe/London',
    });
    expect(signup.status).toBe(201);
    const owner = api.withToken(signup.body.accessToken);
    const setup = await owner.post('/api/auth/mfa/totp/setup');
    expect(setup.status).toBe(200);
    const totp = new TOTP({ secret: Secret.fromBase32(setup.body.secret), digits: 6, period: 30 });
    const confirmed = await owner.post('/api/auth/mfa/totp/confirm', {
      code: totp.generate({ timestamp: NOW }),
    });
    expect(confirmed.status).toBe(200);
    return { slug, totp, recoveryCodes: confirmed.body.recoveryCodes as string[] };
  }

  async function toCodeStep(page: Page, slug: string) {
    await page.goto(`${host().baseUrl}/${slug}/admin`);
    await page.getByLabel('Email').fill(`owner@${slug}.example`);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Authentication code').waitFor();
  }

  it('takes a recovery code instead of the app’s code, once', async () => {
    const { slug, recoveryCodes } = await twoFactorOwner();
    expect(recoveryCodes).toHaveLength(10);
    const { page, problems, context } = await openConsolePage(browser());
    await toCodeStep(page, slug);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    const field = page.getByLabel('Recovery code');
    await expect.poll(() => focusedId(page)).toBe('f-recoveryCode');
    await field.fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Verify code' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bookings' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The same code a second time is refused; the way back to the app's code is one press.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await toCodeStep(page, slug);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await field.fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Verify code' }).click();
    await expect
      .poll(async () => plain(await page.getByRole('alert').textContent()))
      .toMatch(/^The code is not valid or was already used/);
    await page.getByRole('button', { name: 'Use the authenticator app instead' }).click();
    await expect.poll(() => focusedId(page)).toBe('f-code');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(problems).toEqual([failedLoad(401, 'Unauthorized')]);
    await context.close();
  });

  it('asks for the authenticator code after the password and signs in with it', async () => {
    const { slug, totp } = await twoFactorOwner();
    // The confirming code is spent: sign in one step later, with the next one.
    setClock(() => NOW + 30_000);

    const { page, problems, context } = await openConsolePage(browser());
    await page.goto(`${host().baseUrl}/${slug}/admin`);
    await page.getByLabel('Email').fill(`owner@${slug}.example`);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const code = page.getByLabel('Authentication code');
    await code.waitFor();
    await expect.poll(() => focusedId(page)).toBe('f-code');
    await code.fill('000000' === totp.generate({ timestamp: NOW + 30_000 }) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify code' }).click();
    await expect
      .poll(async () => plain(await page.getByRole('alert').textContent()))
      .toBe('The code is not valid or was already used; try the next one.');
    await code.fill(totp.generate({ timestamp: NOW + 30_000 }));
    await page.getByRole('button', { name: 'Verify code' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bookings' }).waitFor();
    expect(problems).toEqual([failedLoad(401, 'Unauthorized')]);
    await context.close();
  });
});
