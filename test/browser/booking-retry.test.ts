import type { Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { WEEKDAYS_9_TO_5 } from '../e2e/api-client.js';
import {
  expectAccessible,
  failedResource,
  headingText,
  openVisitor,
  setUpLondonBusiness,
  summaryRows,
  timesShown,
  TOPIC,
  useBookingPageTest,
} from './booking-support.js';

const { host, browser, api } = useBookingPageTest();

const DAY = '2030-01-09';
/** What Chromium logs for the dropped answer (see confirmAndLoseAnswer). */
const CONNECTION_RESET = 'console: Failed to load resource: net::ERR_CONNECTION_RESET';
const UNANSWERED =
  'The server did not answer, so your booking may or may not have been made. Press Retry: it will not book you twice.';
const EARLIER =
  'Your earlier try had already reached us, so this is that booking, with the details and time you sent then. If they are not right, cancel it with the link below and book again.';

/**
 * A London business with two staff members on one service, so "anyone available" could place a
 * second booking at a time the first one already holds.
 */
async function twoStaffBusiness() {
  const biz = await setUpLondonBusiness(api);
  const blake = await biz.admin.post('/api/admin/staff', {
    name: 'Blake',
    timeZone: 'Europe/London',
    weeklyHours: WEEKDAYS_9_TO_5,
  });
  const updated = await biz.admin.put(`/api/admin/services/${biz.serviceId}`, {
    name: 'Consultation',
    durationMinutes: 60,
    questions: [TOPIC],
    staffIds: [biz.staffId, blake.body.id],
  });
  expect(updated.status).toBe(200);
  return biz;
}

/**
 * Presses Confirm; the booking request reaches the server, which answers, but the page never
 * hears the answer (the connection drops on the way back). Returns the status the server gave,
 * once the page says it does not know whether the visitor is booked.
 */
async function confirmAndLoseAnswer(page: Page): Promise<number> {
  let answered!: (status: number) => void;
  const status = new Promise<number>((resolve) => (answered = resolve));
  await page.route(
    '**/api/public/*/bookings',
    async (route: Route) => {
      const response = await route.fetch();
      answered(response.status());
      await route.abort('connectionreset');
    },
    { times: 1 },
  );
  await page.getByRole('button', { name: 'Confirm booking' }).click();
  const lost = await status;
  const alert = page.locator('form.details .notice.error[role="alert"]');
  await expect.poll(() => alert.locator('p').textContent()).toBe(UNANSWERED);
  expect(await alert.getByRole('button', { name: 'Retry' }).count()).toBe(1);
  return lost;
}

/** A visitor of a new two-staff business on the details step for 10:00, with the form filled. */
async function visitorAtDetails(email: string) {
  const biz = await twoStaffBusiness();
  const visitor = await openVisitor(browser());
  await toDetails(visitor.page, biz.slug, '10:00');
  await fill(visitor.page, email);
  return { biz, ...visitor };
}

async function toDetails(page: Page, slug: string, time: string) {
  await page.goto(`${host().baseUrl}/${slug}`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect.poll(() => timesShown(page)).not.toEqual([]);
  await page.locator(`td[data-date="${DAY}"]`).click();
  await page.getByRole('button', { name: time }).click();
  await expect.poll(() => headingText(page)).toBe('Your details');
}

async function fill(page: Page, email: string) {
  await page.getByLabel('Name').fill('Robin Retry');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Topic').fill('Knee');
}

/** The confirmed bookings of the business on the test day, as `HH:MM email`. */
async function bookingsOnDay(biz: Awaited<ReturnType<typeof twoStaffBusiness>>) {
  const list = await biz.admin.get(`/api/admin/bookings?from=${DAY}&to=2030-01-10`);
  expect(list.status).toBe(200);
  return (list.body.items as { start: string; status: string; customer: { email: string } }[])
    .filter((booking) => booking.status === 'confirmed')
    .map((booking) => `${booking.start.slice(11, 16)} ${booking.customer.email}`);
}

describe('booking page: a booking whose answer was lost', () => {
  it('books once when the visitor corrects their email before trying again', async () => {
    const { biz, context, page, problems } = await visitorAtDetails('robin@example.com');

    expect(await confirmAndLoseAnswer(page)).toBe(201);

    // The natural move on seeing the typo: fix it and confirm again.
    await page.getByLabel('Email').fill('robin.retry@example.com');
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await expect.poll(() => headingText(page)).toBe('You’re booked');
    expect(await page.locator('.step > .notice.warning').textContent()).toBe(EARLIER);
    expect(await summaryRows(page)).toContain('Booked for: Robin Retry (robin@example.com)');
    expect(await bookingsOnDay(biz)).toEqual(['10:00 robin@example.com']);
    await expectAccessible(page);

    // The lost answer, then the server's refusal of the changed body under the same key.
    expect(problems.splice(0)).toEqual([
      CONNECTION_RESET,
      failedResource(422, 'Unprocessable Entity'),
    ]);
    await context.close();
  });

  it('books once when the visitor picks another time before trying again', async () => {
    const { biz, context, page, problems } = await visitorAtDetails('robin@example.com');

    expect(await confirmAndLoseAnswer(page)).toBe(201);

    await page.getByRole('button', { name: 'Change the time' }).click();
    await expect.poll(() => headingText(page)).toBe('Choose a time');
    await page.getByRole('button', { name: '11:00' }).click();
    await expect.poll(() => headingText(page)).toBe('Your details');
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await expect.poll(() => headingText(page)).toBe('You’re booked');
    expect(await page.locator('.step > .notice.warning').textContent()).toBe(EARLIER);
    expect(await summaryRows(page)).toContain(
      'When: Wednesday, 9 January 2030, 10:00–11:00 (Europe/London)',
    );
    expect(await bookingsOnDay(biz)).toEqual(['10:00 robin@example.com']);

    expect(problems.splice(0)).toEqual([
      CONNECTION_RESET,
      failedResource(422, 'Unprocessable Entity'),
    ]);
    await context.close();
  });

  it('books the corrected details when the lost answer was a refusal', async () => {
    const { biz, context, page, problems } = await visitorAtDetails('robin@example');

    // The server refused the address, but the page never heard it.
    expect(await confirmAndLoseAnswer(page)).toBe(422);

    await page.getByLabel('Email').fill('robin@example.com');
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await expect.poll(() => headingText(page)).toBe('You’re booked');
    expect(await page.locator('.step > .notice.warning').count()).toBe(0);
    expect(await summaryRows(page)).toContain('Booked for: Robin Retry (robin@example.com)');
    expect(await bookingsOnDay(biz)).toEqual(['10:00 robin@example.com']);

    // A body the server refuses on sight leaves no record of its key, so the corrected details
    // went under the same key and were booked at once.
    expect(problems.splice(0)).toEqual([CONNECTION_RESET]);
    await context.close();
  });

  it('does not take a lost "time taken" for a booking, and says the time is gone', async () => {
    const { biz, context, page, problems } = await visitorAtDetails('robin@example.com');
    // Both staff members are booked at 10:00 while the visitor types.
    for (const name of ['Rival One', 'Rival Two']) {
      const rival = await api.post(`/api/public/${biz.slug}/bookings`, {
        serviceId: biz.serviceId,
        start: `${DAY}T10:00:00Z`,
        customer: { name, email: 'rival@example.com' },
        answers: { topic: 'Elbow' },
      });
      expect(rival.status).toBe(201);
    }

    expect(await confirmAndLoseAnswer(page)).toBe(409);

    await page.getByLabel('Email').fill('robin.retry@example.com');
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await expect.poll(() => headingText(page)).toBe('Choose a time');
    expect(await page.locator('.step > .notice.warning[role="alert"]').textContent()).toBe(
      'That time was just taken. Choose another time; your details are kept.',
    );
    expect(await bookingsOnDay(biz)).toEqual([
      '10:00 rival@example.com',
      '10:00 rival@example.com',
    ]);

    // The lost answer; the changed body refused under the first key; the first body's stored
    // refusal replayed, so nothing was booked; the new details on a new key, refused too.
    expect(problems.splice(0)).toEqual([
      CONNECTION_RESET,
      failedResource(422, 'Unprocessable Entity'),
      failedResource(409, 'Conflict'),
      failedResource(409, 'Conflict'),
    ]);
    await context.close();
  });

  it('retries an unchanged booking under the same key and books it once', async () => {
    const { biz, context, page, problems } = await visitorAtDetails('robin@example.com');

    expect(await confirmAndLoseAnswer(page)).toBe(201);
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => headingText(page)).toBe('You’re booked');
    expect(await page.locator('.step > .notice.warning').count()).toBe(0);
    expect(await bookingsOnDay(biz)).toEqual(['10:00 robin@example.com']);

    expect(problems.splice(0)).toEqual([CONNECTION_RESET]);
    await context.close();
  });
});
