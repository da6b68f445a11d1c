import { beforeEach, describe, expect, it } from 'vitest';

import { setUpBusiness } from '../e2e/api-client.js';
import { DESKTOP, PHONE, useBrowserTest } from '../support/browser.js';
import {
  book,
  bookingTexts,
  freezeServerClock,
  MONDAY,
  openConsolePage,
  plain,
  signInThroughForm,
} from '../support/console.js';

const { host, browser, api } = useBrowserTest();

beforeEach(() => freezeServerClock());

const LONG_QUESTION = 'What would you like to discuss in this consultation?';
// A name with no break opportunity at all: only wrapping anywhere keeps it inside a card.
const UNBROKEN_NAME = `Hubert${'x'.repeat(54)}`;

describe('console booking dialog at phone width', () => {
  it('keeps the values readable beside a long intake question', async () => {
    const biz = await setUpBusiness(api, {
      service: { questions: [{ id: 'topic', label: LONG_QUESTION, type: 'text' }] },
    });
    const created = await api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      start: `${MONDAY}T10:00`,
      customer: { name: 'Jo Bloggs', email: 'jo@customer.example' },
      answers: { topic: 'My garden' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { page, problems, context } = await openConsolePage(browser(), { viewport: PHONE });
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await page.getByRole('button', { name: /Jo Bloggs/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Consultation for Jo Bloggs' });

    const when = dialog.locator('dt:text-is("When") + dd');
    expect(plain(await when.textContent())).toBe('Monday, 10 March 2031, 10:00–11:00');
    const box = await when.boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(150);
    const answer = dialog.locator(`dt:text-is("${LONG_QUESTION}") + dd`);
    expect(await answer.textContent()).toBe('My garden');
    expect((await answer.boundingBox())!.width).toBeGreaterThanOrEqual(150);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('console bookings with a long unbroken customer name', () => {
  it('keeps the day view within a phone screen', async () => {
    const biz = await setUpBusiness(api);
    await book(api, biz.slug, biz.serviceId, `${MONDAY}T10:00`, UNBROKEN_NAME);
    const { page, problems, context } = await openConsolePage(browser(), { viewport: PHONE });
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await expect
      .poll(() => bookingTexts(page))
      .toEqual([`10:00–11:00 | Consultation | with Alex | ${UNBROKEN_NAME}`]);

    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBe(390);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps each card of the week inside its day column', async () => {
    const biz = await setUpBusiness(api);
    await book(api, biz.slug, biz.serviceId, `${MONDAY}T10:00`, UNBROKEN_NAME);
    const { page, problems, context } = await openConsolePage(browser(), { viewport: DESKTOP });
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await page.getByRole('link', { name: 'Week' }).click();
    await expect.poll(() => bookingTexts(page, '.week')).toHaveLength(1);

    const overflowing = await page
      .locator('.week > li, .week .booking')
      .evaluateAll((elements: any[]) =>
        elements.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.className),
      );
    expect(overflowing).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('console booking that crosses midnight', () => {
  it('shows the end date on the card and in the dialog', async () => {
    const biz = await setUpBusiness(api);
    // New York is four hours behind London on this date: her evening is past midnight here.
    const staff = await biz.admin.post('/api/admin/staff', {
      name: 'Nora',
      timeZone: 'America/New_York',
      weeklyHours: { mon: [{ start: '19:00', end: '21:00' }] },
    });
    expect(staff.status, JSON.stringify(staff.body)).toBe(201);
    const service = await biz.admin.post('/api/admin/services', {
      name: 'Late session',
      durationMinutes: 30,
      slotIntervalMinutes: 15,
      staffIds: [staff.body.id],
    });
    expect(service.status, JSON.stringify(service.body)).toBe(201);
    await book(api, biz.slug, service.body.id, `${MONDAY}T23:45`, 'Owl Person');
    const { page, problems, context } = await openConsolePage(browser(), { viewport: PHONE });
    await signInThroughForm(page, host().baseUrl, biz.slug);

    await expect
      .poll(() => bookingTexts(page))
      .toEqual(['Mon 10 Mar, 23:45 – Tue 11 Mar, 00:15 | Late session | with Nora | Owl Person']);
    await page.getByRole('button', { name: /Owl Person/ }).click();
    const when = page.getByRole('dialog').locator('dt:text-is("When") + dd');
    expect(plain(await when.textContent())).toBe(
      'Monday, 10 March 2031, 23:45 – Tuesday, 11 March 2031, 00:15',
    );
    expect(problems).toEqual([]);
    await context.close();
  });
});
