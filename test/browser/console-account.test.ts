import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';

import { setClock } from '../../shared/runtime/clock.js';
import { setUpBusiness, TEST_PASSWORD } from '../e2e/api-client.js';
import { DESKTOP, PHONE, saveScreenshot, useBrowserTest } from '../support/browser.js';
import {
  failedLoad,
  focusedId,
  focusedName,
  freezeServerClock,
  NOW,
  openConsolePage,
  plain,
  seriousAxeViolations,
  signInThroughForm,
} from '../support/console.js';

const { host, browser, api } = useBrowserTest();

beforeEach(() => freezeServerClock());

const NEW_PASSWORD = 'a different and equally long passphrase';

async function openAccount(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
}

/** The code an authenticator app holding `secret` shows at `at`. */
function codeAt(secret: string, at: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: at,
  });
}

/** Fills the sign-in form; leaves the page wherever the API's answer takes it. */
async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('console account: password', () => {
  it('names the wrong fields, then changes the password and asks to sign in with it', async () => {
    const biz = await setUpBusiness(api);
    const email = `owner@${biz.slug}.example`;
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await openAccount(page);

    await page.getByLabel('Current password').fill('not my password at all');
    await page.getByLabel('New password').fill('too short');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect
      .poll(() => page.locator('#f-currentPassword-error').textContent())
      .toBe('is not your current password');
    expect(await focusedId(page)).toBe('f-currentPassword');

    await page.getByLabel('Current password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect
      .poll(() => page.locator('#f-newPassword-error').textContent())
      .toBe('must be at least 15 characters (8 once two-factor sign-in is on)');
    expect(await page.locator('#f-currentPassword-error').count()).toBe(0);
    expect(await page.getByLabel('New password').getAttribute('aria-describedby')).toBe(
      'f-newPassword-hint f-newPassword-error',
    );

    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to Test Business' }).waitFor();
    expect(plain(await page.locator('.notice.warning').textContent())).toBe(
      'Your password has been changed. Sign in again with the new one.',
    );
    expect(await page.evaluate<number>('localStorage.length')).toBe(0);

    await submitSignIn(page, email, TEST_PASSWORD);
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('The business, email or password is not correct.');
    await submitSignIn(page, email, NEW_PASSWORD);
    // Signing in again returns to the page the person was on.
    await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
    expect(problems).toEqual([
      failedLoad(422, 'Unprocessable Entity'),
      failedLoad(422, 'Unprocessable Entity'),
      failedLoad(401, 'Unauthorized'),
    ]);
    await context.close();
  });
});

describe('console account: two-factor sign-in', () => {
  it('sets it up with the shown key, then sign-in asks for a code, and it turns off', async () => {
    const biz = await setUpBusiness(api);
    const email = `owner@${biz.slug}.example`;
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await openAccount(page);
    await page.getByText('Two-factor sign-in is off.', { exact: false }).waitFor();

    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    await page.getByRole('heading', { name: 'Set up your authenticator app' }).waitFor();
    expect(await focusedName(page)).toBe('Set up your authenticator app');
    const secret = (await page.locator('#totp-secret').textContent())!.replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await page.getByLabel('Setup link (otpauth URI)').inputValue()).toBe(
      `otpauth://totp/Slotwise:${encodeURIComponent(email)}?secret=${secret}` +
        '&issuer=Slotwise&algorithm=SHA1&digits=6&period=30',
    );
    const qr = page.getByRole('img', { name: 'QR code of the setup link for your app' });
    expect(await qr.locator('path').getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);

    const code = page.getByLabel('Code from your app', { exact: true });
    await code.fill(codeAt(secret, NOW) === '123456' ? '654321' : '123456');
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await expect
      .poll(() => page.locator('#f-code-error').textContent())
      .toBe('is not the current code from your app');
    await code.fill(codeAt(secret, NOW));
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await expect
      .poll(async () => plain(await page.locator('.notice.success').textContent()))
      .toBe('Two-factor sign-in is on.');
    expect(await page.getByRole('list', { name: 'Recovery codes' }).locator('li').count()).toBe(10);
    expect(await focusedId(page)).toBe('two-factor-title');

    await page.getByRole('button', { name: 'Sign out' }).click();
    // The confirming code is spent: sign in one step later, with the next one.
    setClock(() => NOW + 30_000);
    await submitSignIn(page, email, TEST_PASSWORD);
    await page.getByLabel('Authentication code').fill(codeAt(secret, NOW + 30_000));
    await page.getByRole('button', { name: 'Verify code' }).click();
    await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
    await page.getByText('Two-factor sign-in is on:', { exact: false }).waitFor();
    setClock(() => NOW + 60_000);
    await page.getByLabel('Code from your app, to turn it off').fill(codeAt(secret, NOW + 60_000));
    await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).click();
    await expect
      .poll(async () => plain(await page.locator('.notice.success').textContent()))
      .toBe('Two-factor sign-in is off.');
    const status = await api.post('/api/auth/login', {
      slug: biz.slug,
      email,
      password: TEST_PASSWORD,
    });
    expect(status.body.accessToken).toEqual(expect.any(String));
    expect(problems).toEqual([failedLoad(422, 'Unprocessable Entity')]);
    await context.close();
  });
});

describe('console account view at phone and desktop widths', () => {
  for (const [label, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`has no serious accessibility findings and fits the screen at ${label} width`, async () => {
      const biz = await setUpBusiness(api);
      const { page, problems, context } = await openConsolePage(browser(), { viewport });
      await signInThroughForm(page, host().baseUrl, biz.slug);
      await openAccount(page);
      await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
      await page.getByRole('img', { name: 'QR code of the setup link for your app' }).waitFor();

      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBe(
        viewport.width,
      );
      await saveScreenshot(page, 'console-account', [
        page.locator('#totp-secret'),
        page.getByLabel('Setup link (otpauth URI)'),
        page.getByRole('img', { name: 'QR code of the setup link for your app' }),
      ]);
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
