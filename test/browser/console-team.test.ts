import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';

import { Api, setUpBusiness, TEST_PASSWORD } from '../e2e/api-client.js';
import { DESKTOP, PHONE, saveScreenshot, useBrowserTest } from '../support/browser.js';
import {
  failedLoad,
  focusedId,
  focusedName,
  freezeServerClock,
  openConsolePage,
  plain,
  seriousAxeViolations,
  signInThroughForm,
} from '../support/console.js';

const { host, browser, api } = useBrowserTest();

beforeEach(() => freezeServerClock());

/** A person who joined by invitation through the API; returns their id and email. */
async function join(admin: Api, slug: string, name: string, role: 'admin' | 'staff') {
  const email = `${name.toLowerCase()}@${slug}.example`;
  const invited = await admin.post('/api/admin/invitations', { email, role });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  const accepted = await api.post('/api/auth/invitations/accept', {
    token: invited.body.token,
    password: TEST_PASSWORD,
    name,
  });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
  return { id: accepted.body.userId as string, email };
}

async function openTeam(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Team' }).click();
  await page.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'People' }).waitFor();
}

/** Each person's card as `name | details`, in the order shown. */
function peopleTexts(page: Page): Promise<string[]> {
  return page
    .locator('.person')
    .evaluateAll((cards: any[]) =>
      cards.map((card) =>
        [card.querySelector('h3'), card.querySelector('p.muted')]
          .map((el) => (el.textContent as string).replace(/\s+/g, ' ').trim())
          .join(' | '),
      ),
    );
}

describe('console team view', () => {
  it('invites a person, shows the link and the invitation, and revokes it', async () => {
    const biz = await setUpBusiness(api);
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await openTeam(page);
    expect(await peopleTexts(page)).toEqual([`owner@${biz.slug}.example (you) | Owner`]);
    const summary = page.getByText(/^\d+ (person|people), \d+ pending invitations?\.$/);
    expect(await summary.textContent()).toBe('1 person, 0 pending invitations.');

    // Someone already in the team: the API's refusal shows by the email field.
    await page.getByLabel('Email').fill(`owner@${biz.slug}.example`);
    await page.getByRole('button', { name: 'Invite' }).click();
    await expect
      .poll(() => page.locator('#f-email-error').textContent())
      .toBe('Someone with this email is already a member of the business.');
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Email').fill(`kim@${biz.slug}.example`);
    await page.getByLabel('Role', { exact: true }).selectOption('staff');
    await page.getByLabel('Their bookings').selectOption({ label: 'Alex' });
    await page.getByRole('button', { name: 'Invite' }).click();
    const link = page.getByLabel(`Invitation link for kim@${biz.slug}.example`);
    await link.waitFor();
    const url = new URL(await link.inputValue());
    expect(`${url.pathname}${url.hash.replace(/join\/.*$/, 'join/')}`).toBe(
      `/${biz.slug}/admin#/join/`,
    );
    expect(await page.locator('#f-email-error').count()).toBe(0);
    const pending = page.locator('.cards[aria-labelledby="invitations-title"] > li');
    await expect
      .poll(() => pending.locator('h3').allTextContents())
      .toEqual([`kim@${biz.slug}.example`]);
    expect(plain(await pending.locator('p').textContent())).toBe(
      'Staff · link works until Monday, 17 March 2031, 08:00',
    );
    expect(await summary.textContent()).toBe('1 person, 1 pending invitation.');
    const listed = await biz.admin.get('/api/admin/invitations');
    expect(listed.body.items.map((i: { staffId: string }) => i.staffId)).toEqual([biz.staffId]);

    await page
      .getByRole('button', { name: `Revoke the invitation for kim@${biz.slug}.example` })
      .click();
    await expect
      .poll(async () => plain(await page.locator('.notice.success').first().textContent()))
      .toBe(`Revoked the invitation for kim@${biz.slug}.example; its link no longer works.`);
    await expect.poll(() => pending.count()).toBe(0);
    expect(await page.getByText('No pending invitations.').count()).toBe(1);
    expect(await summary.textContent()).toBe('1 person, 0 pending invitations.');
    expect(await focusedId(page)).toBe('invitations-title');
    const after = await biz.admin.get('/api/admin/invitations');
    expect(after.body.items.map((i: { status: string }) => i.status)).toEqual(['revoked']);
    const opened = await api.post('/api/auth/invitations/accept', {
      token: url.hash.replace('#/join/', ''),
      password: TEST_PASSWORD,
    });
    expect(opened.status).toBe(410);
    expect(problems).toEqual([failedLoad(409, 'Conflict')]);
    await context.close();
  });

  it('shows a resent invitation once, and the one it replaced among the earlier ones', async () => {
    const biz = await setUpBusiness(api);
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await openTeam(page);
    const pending = page.locator('.cards[aria-labelledby="invitations-title"] > li');
    const invited: string[] = [];
    for (const email of [`kim@${biz.slug}.example`, `ola@${biz.slug}.example`]) {
      await page.getByLabel('Email').fill(email);
      await page.getByRole('button', { name: 'Invite' }).click();
      invited.unshift(email);
      await expect.poll(() => pending.locator('h3').allTextContents()).toEqual(invited);
    }

    // The same person again, typed differently: a resend, not a second pending invitation.
    await page.getByLabel('Email').fill(`Kim@${biz.slug}.example`);
    await page.getByRole('button', { name: 'Invite' }).click();
    await expect
      .poll(() => pending.locator('h3').allTextContents())
      .toEqual([`kim@${biz.slug}.example`, `ola@${biz.slug}.example`]);
    const summary = page.getByText(/^\d+ (person|people), \d+ pending invitations?\.$/);
    expect(await summary.textContent()).toBe('1 person, 2 pending invitations.');
    await page.locator('details.earlier summary').click();
    expect(await page.locator('details.earlier li').allTextContents()).toEqual([
      `kim@${biz.slug}.example · Staff · Revoked`,
    ]);
    const listed = await biz.admin.get('/api/admin/invitations');
    // The server clock is frozen, so all three share a creation time: compare them sorted.
    const rows = listed.body.items.map(
      (i: { email: string; status: string }) => i.email + ' ' + i.status,
    );
    expect(rows.sort()).toEqual([
      `kim@${biz.slug}.example pending`,
      `kim@${biz.slug}.example revoked`,
      `ola@${biz.slug}.example pending`,
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lists a person who joined through the invitation link the console showed', async () => {
    const biz = await setUpBusiness(api);
    const owner = await openConsolePage(browser());
    await signInThroughForm(owner.page, host().baseUrl, biz.slug);
    await openTeam(owner.page);
    await owner.page.getByLabel('Email').fill(`noor@${biz.slug}.example`);
    await owner.page.getByLabel('Their bookings').selectOption({ label: 'Alex' });
    await owner.page.getByRole('button', { name: 'Invite' }).click();
    const link = await owner.page
      .getByLabel(`Invitation link for noor@${biz.slug}.example`)
      .inputValue();

    const invitee = await openConsolePage(browser(), { viewport: PHONE });
    // The link names the configured public address; the test host listens elsewhere.
    const { pathname, hash } = new URL(link);
    await invitee.page.goto(`${host().baseUrl}${pathname}${hash}`);
    await invitee.page.getByRole('heading', { level: 1, name: 'Join Test Business' }).waitFor();
    await invitee.page.getByLabel('Your name').fill('Noor');
    await invitee.page.getByLabel('Password').fill(TEST_PASSWORD);
    await invitee.page.getByRole('button', { name: 'Join' }).click();
    await invitee.page.getByRole('heading', { level: 1, name: 'Bookings' }).waitFor();
    expect(plain(await invitee.page.locator('.role').textContent())).toBe('Staff');

    await owner.page.getByRole('link', { name: 'Bookings' }).click();
    await openTeam(owner.page);
    await expect
      .poll(() => peopleTexts(owner.page))
      .toEqual([
        `owner@${biz.slug}.example (you) | Owner`,
        `Noor | noor@${biz.slug}.example · Staff · bookings of Alex`,
      ]);
    expect(await owner.page.getByText('No pending invitations.').count()).toBe(1);
    expect(owner.problems).toEqual([]);
    expect(invitee.problems).toEqual([]);
    await owner.context.close();
    await invitee.context.close();
  });

  it('changes a role, deactivates a person, and keeps the last owner with the API’s reason', async () => {
    const biz = await setUpBusiness(api);
    const kim = await join(biz.admin, biz.slug, 'Kim', 'staff');
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await openTeam(page);

    const kimRole = page.getByLabel('Role of Kim');
    await kimRole.selectOption('admin');
    await page.getByRole('button', { name: 'Change role of Kim' }).click();
    await expect
      .poll(async () => plain(await page.locator('.notice.success').first().textContent()))
      .toBe('Kim is now admin.');
    await expect.poll(() => peopleTexts(page)).toContainEqual(`Kim | ${kim.email} · Admin`);
    const people = await biz.admin.get('/api/admin/users');
    const kimNow = people.body.items.find((p: { id: string }) => p.id === kim.id);
    expect([kimNow.role, kimNow.status]).toEqual(['admin', 'active']);

    await page.getByRole('button', { name: 'Deactivate Kim' }).click();
    await expect.poll(() => focusedName(page)).toBe('Yes, deactivate');
    await page.keyboard.press('Enter');
    await expect
      .poll(async () => plain(await page.locator('.notice.success').first().textContent()))
      .toBe('Deactivated Kim.');
    expect(await page.locator('.person', { hasText: 'Kim' }).locator('.badge').textContent()).toBe(
      'Deactivated',
    );
    await expect.poll(() => focusedName(page)).toBe('Reactivate Kim');
    const refused = await api.post('/api/auth/login', {
      slug: biz.slug,
      email: kim.email,
      password: TEST_PASSWORD,
    });
    expect(refused.status).toBe(401);

    // The only owner cannot step down: the API's 409 shows by the role field.
    const ownRole = page.getByLabel(`Role of owner@${biz.slug}.example`);
    await ownRole.selectOption('admin');
    await page.getByRole('button', { name: `Change role of owner@${biz.slug}.example` }).click();
    await expect.poll(() => ownRole.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await ownRole.getAttribute('aria-describedby')) as string;
    expect(plain(await page.locator(`#${describedBy}`).textContent())).toBe(
      'The business needs an active owner; make someone else owner first.',
    );
    expect(await focusedId(page)).toBe(await ownRole.getAttribute('id'));
    expect(problems).toEqual([failedLoad(409, 'Conflict')]);
    await context.close();
  });

  it('is not offered to staff, and says so when they open its address', async () => {
    const biz = await setUpBusiness(api);
    const sam = await join(biz.admin, biz.slug, 'Sam', 'staff');
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug, sam.email);
    const menu = await page
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link')
      .allTextContents();
    expect(menu).toEqual(['Bookings', 'Account']);

    await page.goto(`${host().baseUrl}/${biz.slug}/admin#/team`);
    await page.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
    expect(plain(await page.getByRole('alert').textContent())).toBe(
      'Your role (staff) cannot open team. Ask an owner or admin of the business if you need a change here.',
    );
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('console team view with long email addresses', () => {
  it('wraps an unbroken email in the people and invitation cards instead of scrolling sideways', async () => {
    const biz = await setUpBusiness(api);
    // Dots are no line-break opportunity: without a name, the card's heading is this address.
    const long = `first.middle.last.another.part@${biz.slug}.subdomain.example`;
    const invited = await biz.admin.post('/api/admin/invitations', { email: long, role: 'staff' });
    const accepted = await api.post('/api/auth/invitations/accept', {
      token: invited.body.token,
      password: TEST_PASSWORD,
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    await biz.admin.post('/api/admin/invitations', { email: `invited.${long}`, role: 'staff' });
    const { page, problems, context } = await openConsolePage(browser(), { viewport: PHONE });
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await openTeam(page);
    await page.getByRole('heading', { level: 3, name: `invited.${long}` }).waitFor();

    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBe(PHONE.width);
    expect(await peopleTexts(page)).toContainEqual(`${long} | Staff`);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('console team view at phone and desktop widths', () => {
  for (const [label, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`has no serious accessibility findings and fits the screen at ${label} width`, async () => {
      const biz = await setUpBusiness(api);
      await join(biz.admin, biz.slug, 'Kim', 'admin');
      await join(biz.admin, biz.slug, 'Sam', 'staff');
      await biz.admin.post('/api/admin/invitations', {
        email: `robin@${biz.slug}.example`,
        role: 'staff',
        staffId: biz.staffId,
      });
      const { page, problems, context } = await openConsolePage(browser(), { viewport });
      await signInThroughForm(page, host().baseUrl, biz.slug);
      await openTeam(page);
      await page.getByLabel('Email').fill(`lee@${biz.slug}.example`);
      await page.getByRole('button', { name: 'Invite' }).click();
      await page.getByLabel(`Invitation link for lee@${biz.slug}.example`).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Recent security events' }).waitFor();

      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBe(
        viewport.width,
      );
      await saveScreenshot(page, 'console-team', [
        page.getByLabel(`Invitation link for lee@${biz.slug}.example`),
      ]);
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
