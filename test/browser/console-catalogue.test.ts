import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { setUpBusiness, TEST_PASSWORD, WEEKDAYS_9_TO_5 } from '../e2e/api-client.js';
import { DESKTOP, PHONE, saveScreenshot, useBrowserTest } from '../support/browser.js';
import {
  bookingTexts,
  failedLoad,
  focusedId,
  focusedName,
  focusedOutline,
  freezeServerClock,
  MONDAY,
  NOW,
  openConsolePage,
  plain,
  seriousAxeViolations,
  signInThroughForm,
  slotTimes,
  TUESDAY,
  WEDNESDAY,
} from '../support/console.js';

const { host, browser, api } = useBrowserTest();

const THURSDAY = '2031-03-13';
const ALL_DAY = ['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00'];

/** A business whose catalogue only the screenshot and accessibility tests read. */
let shop: Awaited<ReturnType<typeof setUpBusiness>>;

beforeAll(async () => {
  freezeServerClock();
  shop = await setUpBusiness(api);
});

beforeEach(() => freezeServerClock());

async function openStaffMember(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name: 'Staff and hours' }).click();
  await page.getByRole('link', { name: `Edit ${name} details and hours` }).click();
  await page.getByRole('heading', { level: 1, name: `${name}: details and hours` }).waitFor();
}

async function savedMessage(page: Page): Promise<string> {
  return plain(await page.locator('.notice.success').textContent());
}

describe('console services', () => {
  it('adds a service, refuses a bad duration next to the field, edits and deletes it', async () => {
    const biz = await setUpBusiness(api);
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await page.getByRole('link', { name: 'Services' }).click();
    await page.getByRole('link', { name: 'Add service' }).click();
    await page.getByLabel('Name').fill('Deep tissue massage');
    await page.getByLabel('Description').fill('Firm pressure for sore muscles.');
    await page.getByLabel('Duration (minutes)').fill('90');
    await page.getByLabel('Buffer after (minutes)').fill('15');
    expect(await page.getByRole('checkbox', { name: 'Alex' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Add service' }).click();
    await expect.poll(() => savedMessage(page)).toBe('Added the service “Deep tissue massage”.');
    // The message shows as the list page opens; the list itself arrives with the next call.
    await expect
      .poll(() => page.locator('.cards h2').allTextContents())
      .toEqual(['Consultation', 'Deep tissue massage']);

    const listed = await biz.admin.get('/api/admin/services');
    const created = listed.body.items[1];
    expect(created).toMatchObject({
      name: 'Deep tissue massage',
      description: 'Firm pressure for sore muscles.',
      durationMinutes: 90,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 15,
      capacity: 1,
      slotIntervalMinutes: 90,
      staffIds: [biz.staffId],
    });

    await page.getByRole('link', { name: 'Edit Deep tissue massage' }).click();
    const duration = page.getByLabel('Duration (minutes)');
    await expect.poll(() => duration.inputValue()).toBe('90');
    await duration.fill('2');
    await page.getByLabel('Capacity (people per time)').fill('4');
    await page.getByRole('button', { name: 'Save service' }).click();
    await expect.poll(() => duration.getAttribute('aria-invalid')).toBe('true');
    expect(await focusedId(page)).toBe('f-durationMinutes');
    expect(plain(await page.locator('#f-durationMinutes-error').textContent())).toBe(
      'must be at least 5',
    );

    await duration.fill('45');
    await page.getByRole('button', { name: 'Save service' }).click();
    await expect.poll(() => savedMessage(page)).toBe('Saved “Deep tissue massage”.');
    expect(await duration.getAttribute('aria-invalid')).toBe(null);
    const edited = await biz.admin.get(`/api/admin/services/${created.id}`);
    expect(edited.body).toMatchObject({
      durationMinutes: 45,
      capacity: 4,
      slotIntervalMinutes: 45,
    });

    await page.getByRole('link', { name: 'Back to services' }).click();
    await page.getByRole('button', { name: 'Delete Deep tissue massage' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await expect.poll(() => savedMessage(page)).toBe('Deleted the service “Deep tissue massage”.');
    const after = await biz.admin.get('/api/admin/services');
    expect(after.body.items.map((s: { name: string }) => s.name)).toEqual(['Consultation']);
    expect(problems).toEqual([failedLoad(422, 'Unprocessable Entity')]);
    await context.close();
  });
});

/** Another tab of the same browser profile: it shares the first tab's sign-in. */
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

async function openService(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name: 'Services' }).click();
  await page.getByRole('link', { name: `Edit ${name}` }).click();
  await expect.poll(() => page.getByLabel('Name').inputValue()).toBe(name);
}

describe('console services edited in two tabs', () => {
  it('refuses the older tab’s save, keeps its draft, and saves after loading the latest', async () => {
    const biz = await setUpBusiness(api);
    const first = await openConsolePage(browser());
    await signInThroughForm(first.page, host().baseUrl, biz.slug);
    const second = await openTab(first.context);
    await second.page.goto(`${host().baseUrl}/${biz.slug}/admin`);
    await second.page.getByRole('heading', { level: 1, name: 'Bookings' }).waitFor();
    await openService(first.page, 'Consultation');
    await openService(second.page, 'Consultation');

    // The first tab renames it, then saves again with the version its first save answered.
    await first.page.getByLabel('Name').fill('Intro call');
    await first.page.getByRole('button', { name: 'Save service' }).click();
    await expect.poll(() => savedMessage(first.page)).toBe('Saved “Intro call”.');
    await first.page.getByLabel('Capacity (people per time)').fill('2');
    await first.page.getByRole('button', { name: 'Save service' }).click();
    await expect.poll(() => first.page.getByRole('alert').count()).toBe(0);
    await expect
      .poll(async () => (await biz.admin.get(`/api/admin/services/${biz.serviceId}`)).body)
      .toMatchObject({ name: 'Intro call', capacity: 2 });

    // The second tab still shows the old service: its save would undo the rename.
    const duration = second.page.getByLabel('Duration (minutes)');
    await duration.fill('45');
    await second.page.getByRole('button', { name: 'Save service' }).click();
    const alert = second.page.getByRole('alert');
    await expect
      .poll(async () => plain(await alert.locator('.summary-title').textContent()))
      .toBe(
        'Someone else changed this service since you opened it, so your changes were not saved. Your edits are still in the form; load the latest version to see their changes, then make yours again.',
      );
    expect(
      await second.page.evaluate<boolean>(
        "document.activeElement?.getAttribute('role') === 'alert'",
      ),
    ).toBe(true);
    expect(await second.page.getByLabel('Name').inputValue()).toBe('Consultation');
    expect(await duration.inputValue()).toBe('45');
    expect(await seriousAxeViolations(second.page)).toEqual([]);
    const kept = await biz.admin.get(`/api/admin/services/${biz.serviceId}`);
    expect(kept.body).toMatchObject({ name: 'Intro call', capacity: 2, durationMinutes: 60 });

    await alert.getByRole('button', { name: 'Load the latest version' }).click();
    await expect.poll(() => second.page.getByLabel('Name').inputValue()).toBe('Intro call');
    expect(await duration.inputValue()).toBe('60');
    expect(await second.page.getByLabel('Capacity (people per time)').inputValue()).toBe('2');
    expect(await savedMessage(second.page)).toBe(
      'Loaded the latest version. Make your changes again, then save.',
    );
    expect(await second.page.getByRole('alert').count()).toBe(0);
    await duration.fill('45');
    await second.page.getByRole('button', { name: 'Save service' }).click();
    await expect.poll(() => savedMessage(second.page)).toBe('Saved “Intro call”.');
    const both = await biz.admin.get(`/api/admin/services/${biz.serviceId}`);
    expect(both.body).toMatchObject({ name: 'Intro call', capacity: 2, durationMinutes: 45 });

    expect(first.problems).toEqual([]);
    expect(second.problems).toEqual([failedLoad(412, 'Precondition Failed')]);
    await first.context.close();
  });
});

describe('console removals', () => {
  it('refuses to remove a staff member with upcoming bookings, saying how many and when', async () => {
    const biz = await setUpBusiness(api);
    const blake = await biz.admin.post('/api/admin/staff', {
      name: 'Blake',
      timeZone: 'Europe/London',
      weeklyHours: WEEKDAYS_9_TO_5,
    });
    const blakeId = blake.body.id as string;
    await biz.admin.put(`/api/admin/services/${biz.serviceId}`, {
      name: 'Consultation',
      durationMinutes: 60,
      staffIds: [biz.staffId, blakeId],
    });
    for (const start of [`${WEDNESDAY}T11:00`, `${TUESDAY}T10:00`]) {
      const booked = await api.post(`/api/public/${biz.slug}/bookings`, {
        serviceId: biz.serviceId,
        staffId: blakeId,
        start,
        customer: { name: 'Robin Client', email: 'robin@customer.example' },
      });
      expect(booked.status).toBe(201);
    }

    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await page.getByRole('link', { name: 'Staff and hours' }).click();
    await page.getByRole('button', { name: 'Remove Blake' }).click();
    await page.getByRole('button', { name: 'Yes, remove' }).click();

    const refusal = page.getByRole('alert');
    await expect
      .poll(async () => plain(await refusal.locator('p').first().textContent()))
      .toBe(
        'Blake has 2 upcoming bookings, the first on 2031-03-11 at 10:00 (Europe/London); move them to another staff member or cancel them first, then remove Blake.',
      );
    // Read out at once, beside Blake, with no button that would only be refused again.
    expect(await focusedId(page)).toBe(`refusal-${blakeId}`);
    expect(await page.getByRole('button', { name: 'Yes, remove' }).count()).toBe(0);
    expect(await page.locator('.cards h2').allTextContents()).toEqual(['Alex', 'Blake']);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect((await biz.admin.get(`/api/admin/staff/${blakeId}`)).status).toBe(200);

    await refusal.getByRole('link', { name: 'See the bookings of Tuesday, 11 March 2031' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bookings' }).waitFor();
    await expect
      .poll(async () => plain(await page.locator('main h2').first().textContent()))
      .toBe('Tuesday, 11 March 2031');
    await expect
      .poll(() => bookingTexts(page))
      .toEqual(['10:00–11:00 | Consultation | with Blake | Robin Client']);

    await page.getByRole('link', { name: 'Staff and hours' }).click();
    await page.getByRole('button', { name: 'Remove Blake' }).click();
    expect(await page.getByRole('button', { name: 'Yes, remove' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Keep Blake' }).click();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await focusedId(page)).toBe(`remove-${blakeId}`);

    // Escape closes the refusal as it closes the question, and focus goes back to Remove.
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Yes, remove' }).click();
    await expect.poll(() => focusedId(page)).toBe(`refusal-${blakeId}`);
    await page.keyboard.press('Escape');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await focusedId(page)).toBe(`remove-${blakeId}`);
    expect(problems).toEqual([failedLoad(409, 'Conflict'), failedLoad(409, 'Conflict')]);
    await context.close();
  });

  it('removes a staff member without bookings, and says their service is now hidden', async () => {
    const biz = await setUpBusiness(api);
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await page.getByRole('link', { name: 'Staff and hours' }).click();
    await page.getByRole('button', { name: 'Remove Alex' }).click();
    await page.getByRole('button', { name: 'Yes, remove' }).click();
    await expect
      .poll(() => savedMessage(page))
      .toBe('Removed Alex; no service lists them any more.');

    await page.getByRole('link', { name: 'Services' }).click();
    const card = page.locator('.cards .card');
    await expect.poll(() => card.locator('h2').allTextContents()).toEqual(['Consultation']);
    expect(plain(await card.locator('.muted').textContent())).toBe('60 min · 1 person');
    expect(plain(await card.locator('.notice.warning').textContent())).toBe(
      'No staff perform this service, so it is hidden from the booking page. Edit it to choose who performs it.',
    );
    const published = await api.get(`/api/public/${biz.slug}/services`);
    expect(published.body.services).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('console confirms by keyboard', () => {
  it('moves focus into each inline confirm and back to its button when it closes', async () => {
    const biz = await setUpBusiness(api);
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await page.getByRole('link', { name: 'Services' }).click();
    await page.getByRole('button', { name: 'Delete Consultation' }).click();
    // The question is read out first; Enter by reflex deletes nothing.
    await expect.poll(() => focusedId(page)).toBe(`confirm-${biz.serviceId}`);
    await page.keyboard.press('Escape');
    expect(await page.getByRole('button', { name: 'Yes, delete' }).count()).toBe(0);
    expect(await focusedId(page)).toBe(`remove-${biz.serviceId}`);
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedId(page)).toBe(`confirm-${biz.serviceId}`);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Keep it' }).click();
    expect(await focusedId(page)).toBe(`remove-${biz.serviceId}`);

    await page.getByRole('link', { name: 'Staff and hours' }).click();
    await page.getByRole('button', { name: 'Remove Alex' }).click();
    await expect.poll(() => focusedId(page)).toBe(`confirm-${biz.staffId}`);
    await page.getByRole('button', { name: 'Keep Alex' }).click();
    expect(await focusedId(page)).toBe(`remove-${biz.staffId}`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('button', { name: 'Yes, remove' }).count()).toBe(0);
    expect(await focusedId(page)).toBe(`remove-${biz.staffId}`);
    const staff = await biz.admin.get('/api/admin/staff');
    expect(staff.body.items.map((member: { name: string }) => member.name)).toEqual(['Alex']);

    // Saving keeps focus on the button that saved, through "Saving…" and after.
    await page.getByRole('link', { name: 'Edit Alex details and hours' }).click();
    await page.getByLabel('Monday, hours 1, From').fill('08:00');
    await page.getByRole('button', { name: 'Save staff member' }).click();
    await expect.poll(() => savedMessage(page)).toBe('Saved Alex’s details and hours.');
    expect(await focusedName(page)).toBe('Save staff member');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('console staff hours', () => {
  it('changes weekly hours, shows an overlap next to the interval, and the slots follow', async () => {
    const biz = await setUpBusiness(api);
    expect(await slotTimes(api, biz.slug, biz.serviceId, MONDAY, TUESDAY)).toEqual(ALL_DAY);
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await openStaffMember(page, 'Alex');

    await page.getByLabel('Monday, hours 1, From').fill('10:00');
    await page.getByLabel('Monday, hours 1, To').fill('12:00');
    await page.getByRole('button', { name: 'Add hours on Monday' }).click();
    await expect.poll(() => focusedId(page)).toBe('f-weeklyHours-mon-1-start');
    await page.getByLabel('Monday, hours 2, To').fill('16:00');
    await page.getByLabel('Monday, hours 2, From').fill('11:00');
    await page.getByRole('button', { name: 'Save staff member' }).click();
    await expect
      .poll(() => page.getByLabel('Monday, hours 2, From').getAttribute('aria-invalid'))
      .toBe('true');
    expect(await focusedId(page)).toBe('f-weeklyHours-mon-1-start');
    expect(plain(await page.getByRole('alert').textContent())).toBe(
      'Some fields need attention; see the messages below.Monday, hours 2: overlaps 10:00–12:00 on the same day',
    );

    await page.getByLabel('Monday, hours 2, From').fill('14:00');
    await page.getByRole('button', { name: 'Save staff member' }).click();
    await expect.poll(() => savedMessage(page)).toBe('Saved Alex’s details and hours.');
    expect(await slotTimes(api, biz.slug, biz.serviceId, MONDAY, TUESDAY)).toEqual([
      '10:00',
      '11:00',
      '14:00',
      '15:00',
    ]);
    expect(await slotTimes(api, biz.slug, biz.serviceId, TUESDAY, WEDNESDAY)).toEqual(ALL_DAY);
    expect(problems).toEqual([failedLoad(422, 'Unprocessable Entity')]);
    await context.close();
  });

  it('marks an end at or before its start as the next day and refuses a night overlapping Tuesday', async () => {
    const biz = await setUpBusiness(api);
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await openStaffMember(page, 'Alex');
    const mondayTo = page.getByLabel('Monday, hours 1, To');
    const mondayNote = page.locator('#f-weeklyHours-mon-0-end-note');

    expect(await mondayNote.allTextContents()).toEqual([]);
    await page.getByLabel('Monday, hours 1, From').fill('18:00');
    await mondayTo.fill('18:00');
    await expect.poll(() => mondayNote.allTextContents()).toEqual(['(next day)']);
    expect(await mondayTo.getAttribute('aria-describedby')).toBe('f-weeklyHours-mon-0-end-note');
    await page.getByRole('button', { name: 'Save staff member' }).click();
    await expect
      .poll(() => page.getByLabel('Tuesday, hours 1, From').getAttribute('aria-invalid'))
      .toBe('true');
    expect(plain(await page.getByRole('alert').textContent())).toBe(
      'Some fields need attention; see the messages below.Tuesday, hours 1: overlaps 18:00–18:00 on Monday, which runs past midnight',
    );

    // Text that is not a time gets no note, and only its format is faulted: no made-up overlap.
    await mondayTo.fill('9.30pm');
    await expect.poll(() => mondayNote.allTextContents()).toEqual([]);
    await page.getByLabel('Monday, hours 1, From').fill('9');
    await page.getByRole('button', { name: 'Save staff member' }).click();
    await expect
      .poll(async () => plain(await page.getByRole('alert').textContent()))
      .toBe(
        'Some fields need attention; see the messages below.Monday, hours 1, from: must be a time as HH:mm, 00:00 to 23:59Monday, hours 1, to: must be a time as HH:mm, up to 24:00',
      );

    await page.getByLabel('Monday, hours 1, From').fill('22:00');
    await mondayTo.fill('2:00');
    await expect.poll(() => mondayNote.allTextContents()).toEqual(['(next day)']);
    await page.getByRole('button', { name: 'Save staff member' }).click();
    await expect.poll(() => savedMessage(page)).toBe('Saved Alex’s details and hours.');
    expect(await mondayNote.allTextContents()).toEqual(['(next day)']);
    expect(await slotTimes(api, biz.slug, biz.serviceId, TUESDAY, WEDNESDAY)).toEqual([
      '00:00',
      '01:00',
      ...ALL_DAY,
    ]);
    expect(problems).toEqual([
      failedLoad(422, 'Unprocessable Entity'),
      failedLoad(422, 'Unprocessable Entity'),
    ]);
    await context.close();
  });

  it('closes one date with an override, and that day alone loses its slots', async () => {
    const biz = await setUpBusiness(api);
    expect(await slotTimes(api, biz.slug, biz.serviceId, WEDNESDAY, THURSDAY)).toEqual(ALL_DAY);
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await openStaffMember(page, 'Alex');

    await page.getByRole('button', { name: 'Add date override' }).click();
    await page.getByLabel('Date', { exact: true }).fill(WEDNESDAY);
    await page.getByRole('group', { name: 'Wednesday, 12 March 2031' }).waitFor();
    expect(await page.getByLabel('Closed all day').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Save staff member' }).click();
    await expect.poll(() => savedMessage(page)).toBe('Saved Alex’s details and hours.');

    expect(await slotTimes(api, biz.slug, biz.serviceId, WEDNESDAY, THURSDAY)).toEqual([]);
    expect(await slotTimes(api, biz.slug, biz.serviceId, THURSDAY, '2031-03-14')).toEqual(ALL_DAY);
    const staff = await biz.admin.get(`/api/admin/staff/${biz.staffId}`);
    expect(staff.body.overrides).toEqual([{ date: WEDNESDAY, intervals: [] }]);
    expect(staff.body.weeklyHours).toEqual(WEEKDAYS_9_TO_5);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('console by keyboard alone', () => {
  /** Presses Tab until the focused element has this accessible name (at most 40 presses). */
  async function tabTo(page: Page, name: string): Promise<void> {
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const focused = await focusedName(page);
      if (focused === name) return;
    }
    throw new Error(`Tab never reached "${name}".`);
  }

  it('signs in and changes an hour with the keyboard only, with focus always visible', async () => {
    const biz = await setUpBusiness(api);
    const { page, problems, context } = await openConsolePage(browser());
    await page.goto(`${host().baseUrl}/${biz.slug}/admin`);
    await page.getByLabel('Email').waitFor();
    await tabTo(page, 'Email');
    await page.keyboard.type(`owner@${biz.slug}.example`);
    await tabTo(page, 'Password');
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Bookings' }).waitFor();

    await tabTo(page, 'Staff and hours');
    expect(await focusedOutline(page)).toBe('solid');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Edit Alex details and hours' }).waitFor();
    await tabTo(page, 'Edit Alex details and hours');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Alex: details and hours' }).waitFor();
    await tabTo(page, 'Monday, hours 1, From');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('08:00');
    await tabTo(page, 'Save staff member');
    await page.keyboard.press('Enter');
    await expect.poll(() => savedMessage(page)).toBe('Saved Alex’s details and hours.');
    expect(await slotTimes(api, biz.slug, biz.serviceId, MONDAY, TUESDAY)).toEqual([
      '08:00',
      ...ALL_DAY,
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('console for a staff member', () => {
  it('shows their own bookings only, and no catalogue controls', async () => {
    const biz = await setUpBusiness(api);
    const blake = await biz.admin.post('/api/admin/staff', {
      name: 'Blake',
      timeZone: 'Europe/London',
      weeklyHours: WEEKDAYS_9_TO_5,
    });
    await biz.admin.put(`/api/admin/services/${biz.serviceId}`, {
      name: 'Consultation',
      durationMinutes: 60,
      staffIds: [biz.staffId, blake.body.id],
    });
    const invitation = await biz.admin.post('/api/admin/invitations', {
      email: `blake@${biz.slug}.example`,
      role: 'staff',
      staffId: blake.body.id,
    });
    expect(invitation.status).toBe(201);
    const accepted = await api.post('/api/auth/invitations/accept', {
      token: invitation.body.token,
      password: TEST_PASSWORD,
      name: 'Blake',
    });
    expect(accepted.status).toBe(201);
    const bookFor = (staffId: string, start: string, name: string) =>
      api.post(`/api/public/${biz.slug}/bookings`, {
        serviceId: biz.serviceId,
        staffId,
        start,
        customer: { name, email: 'customer@customer.example' },
      });
    expect((await bookFor(biz.staffId, `${MONDAY}T10:00`, 'Alex Client')).status).toBe(201);
    expect((await bookFor(blake.body.id, `${MONDAY}T11:00`, 'Blake Client')).status).toBe(201);

    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug, `blake@${biz.slug}.example`);
    await expect
      .poll(() => bookingTexts(page))
      .toEqual(['11:00–12:00 | Consultation | Blake Client']);
    expect(
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents(),
    ).toEqual(['Bookings', 'Account']);
    expect(plain(await page.locator('.role').textContent())).toBe('Staff');

    await page.goto(`${host().baseUrl}/${biz.slug}/admin#/services`);
    await page.getByRole('heading', { level: 1, name: 'Services' }).waitFor();
    expect(plain(await page.getByRole('alert').textContent())).toBe(
      'Your role (staff) cannot open services. Ask an owner or admin of the business if you need a change here.',
    );
    expect(await page.getByRole('link', { name: 'Add service' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('console catalogue views at phone and desktop widths', () => {
  for (const [label, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`has no serious accessibility findings on services and staff hours at ${label} width`, async () => {
      const { page, problems, context } = await openConsolePage(browser(), { viewport });
      await signInThroughForm(page, host().baseUrl, shop.slug);
      await page.getByRole('link', { name: 'Services' }).click();
      await page.locator('.cards h2').first().waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await saveScreenshot(page, 'console-services');

      await page.getByRole('link', { name: 'Edit Consultation' }).click();
      await expect.poll(() => page.getByLabel('Name').inputValue()).toBe('Consultation');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await saveScreenshot(page, 'console-service-edit');

      await page.getByRole('link', { name: 'Staff and hours' }).click();
      await page.locator('.cards h2').first().waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await saveScreenshot(page, 'console-staff');

      await page.getByRole('link', { name: 'Edit Alex details and hours' }).click();
      await page.getByLabel('Monday, hours 1, From').waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await saveScreenshot(page, 'console-staff-hours');
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
