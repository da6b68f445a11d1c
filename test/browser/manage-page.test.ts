import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import type { StaffRecord } from '../../shared/catalog/staff.js';
import { TenantStore, trustTenantId } from '../../shared/cosmos/tenant-store.js';
import { withBookingToken } from '../e2e/api-client.js';
import {
  downloadIcs,
  failedResource,
  focusedId,
  headingText,
  NETWORK_FAILURE,
  NOW,
  openVisitor,
  recordRequests,
  setUpLondonBusiness,
  summaryRows,
  timesShown,
  useBookingPageTest,
} from './booking-support.js';

const { host, browser, api } = useBookingPageTest();

const BAD_LINK =
  'This link does not open a booking. It may be incomplete or mistyped: open the link from your latest confirmation email, or contact the business.';

/** Books `time` on `date` through the booking page and returns the confirmation's manage link. */
async function bookThroughPage(page: Page, slug: string, date: string, time: string) {
  await page.goto(`${host().baseUrl}/${slug}`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect.poll(() => timesShown(page)).not.toEqual([]);
  await page.locator(`td[data-date="${date}"]`).click();
  await page.getByRole('button', { name: time }).click();
  await page.getByLabel('Name').fill('Morgan Manage');
  await page.getByLabel('Email').fill('morgan@example.com');
  await page.getByLabel('Topic').fill('Ankle');
  await page.getByRole('button', { name: 'Confirm booking' }).click();
  await expect.poll(() => headingText(page)).toBe('You’re booked');
  const href = await page.getByRole('link', { name: 'Manage your booking' }).getAttribute('href');
  const [, id, token] = /\/manage\/([\w-]+)#token=([\w-]+)$/.exec(href ?? '') ?? [];
  return { href: href!, id: id!, token: token! };
}

describe('manage page', () => {
  it('reschedules and then cancels through the link on the confirmation page', async () => {
    const biz = await setUpLondonBusiness(api);
    const { context, page, problems } = await openVisitor(browser());
    const requests = recordRequests(page);
    const { href, id, token } = await bookThroughPage(page, biz.slug, '2030-01-08', '09:00');
    const read = () => api.get(`/api/public/${biz.slug}/bookings/${id}`, withBookingToken(token));

    await page.goto(href);
    await expect.poll(() => headingText(page)).toBe('Booking details');
    expect(await page.locator('h1').textContent()).toBe('Your booking with Test Business');
    expect(await summaryRows(page)).toEqual([
      'Service: Consultation',
      'With: Alex',
      'When: Tuesday, 8 January 2030, 09:00–10:00 (Europe/London)',
      'Booked for: Morgan Manage (morgan@example.com)',
    ]);
    const ics = await downloadIcs(page, 'keyboard');
    expect(ics.filename).toBe(`booking-${id}.ics`);
    expect(ics.text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics.text).toContain(`UID:${id}@slotwise`);
    expect(ics.text).toContain('DTSTART:20300108T090000Z');
    // Pressed from the keyboard, the button keeps the focus.
    expect(await page.evaluate<string>("document.activeElement?.textContent ?? ''")).toBe(
      'Download .ics file',
    );

    await page.getByRole('button', { name: 'Reschedule' }).click();
    await expect.poll(() => headingText(page)).toBe('Choose a new time');
    expect(await focusedId(page)).toBe('step-heading');
    await expect.poll(() => timesShown(page)).not.toEqual([]);
    // Only Alex's times: the booking stays with its staff member. Its own start is no move, so it
    // is not offered (times overlapping it would be, on a finer grid).
    await page.locator('td[data-date="2030-01-08"]').click();
    expect(await timesShown(page)).toEqual([
      '10:00',
      '11:00',
      '12:00',
      '13:00',
      '14:00',
      '15:00',
      '16:00',
    ]);
    await page.locator('td[data-date="2030-01-10"]').click();
    await page.getByRole('button', { name: '14:00' }).click();

    await expect.poll(() => headingText(page)).toBe('Confirm the new time');
    expect(await summaryRows(page)).toEqual([
      'From: Tuesday, 8 January 2030, 09:00–10:00 (Europe/London)',
      'To: Thursday, 10 January 2030, 14:00–15:00 (Europe/London)',
    ]);
    await page.getByRole('button', { name: 'Move booking' }).click();
    await expect.poll(() => headingText(page)).toBe('Booking details');
    expect(await page.locator('.notice.success').textContent()).toBe(
      'Your booking is moved to Thursday, 10 January 2030, 14:00–15:00.',
    );
    expect(await summaryRows(page)).toContain(
      'When: Thursday, 10 January 2030, 14:00–15:00 (Europe/London)',
    );
    const moved = await read();
    expect(moved.body).toMatchObject({ status: 'confirmed', start: '2030-01-10T14:00:00+00:00' });
    const freed = await api.get(
      `/api/public/${biz.slug}/slots?serviceId=${biz.serviceId}&start=2030-01-08&end=2030-01-09`,
    );
    expect(freed.body.slots.map((slot: { start: string }) => slot.start.slice(11, 16))).toEqual([
      '09:00',
      '10:00',
      '11:00',
      '12:00',
      '13:00',
      '14:00',
      '15:00',
      '16:00',
    ]);

    await page.getByRole('button', { name: 'Cancel booking' }).click();
    await expect.poll(() => headingText(page)).toBe('Cancel this booking?');
    expect(await focusedId(page)).toBe('step-heading');
    await page.getByRole('button', { name: 'Keep booking' }).click();
    await expect.poll(() => headingText(page)).toBe('Booking details');
    expect((await read()).body.status).toBe('confirmed');

    await page.getByRole('button', { name: 'Cancel booking' }).click();
    await page.getByRole('button', { name: 'Yes, cancel booking' }).click();
    await expect.poll(() => headingText(page)).toBe('This booking is cancelled');
    expect(await page.locator('.notice.success').textContent()).toBe(
      'Your booking is cancelled. The time is free for others.',
    );
    expect(await page.getByRole('button', { name: 'Reschedule' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Download .ics file' }).count()).toBe(0);
    expect((await read()).body.status).toBe('cancelled');

    await page.reload();
    await expect.poll(() => headingText(page)).toBe('This booking is cancelled');
    expect(await page.locator('.notice.info').textContent()).toBe(
      'This booking was cancelled; its time is free again.',
    );
    expect(await page.getByRole('button', { name: 'Cancel booking' }).count()).toBe(0);

    // The token travelled in the fragment and in the Booking-Token header of the API calls: no
    // URL Chromium asked for carries it, and the host logged it nowhere.
    expect(requests.filter((request) => request.url.includes(token))).toEqual([]);
    const manageCalls = requests.filter((request) =>
      request.url.includes(`/api/public/${biz.slug}/bookings/${id}`),
    );
    expect(manageCalls.map((request) => new URL(request.url).pathname)).toEqual(
      expect.arrayContaining([
        `/api/public/${biz.slug}/bookings/${id}`,
        `/api/public/${biz.slug}/bookings/${id}/ics`,
        `/api/public/${biz.slug}/bookings/${id}/reschedule`,
        `/api/public/${biz.slug}/bookings/${id}/cancel`,
      ]),
    );
    expect(manageCalls.filter((request) => request.headers['booking-token'] !== token)).toEqual([]);
    const rescheduling = requests.filter((request) => request.url.includes(`rescheduling=${id}`));
    expect(rescheduling).not.toEqual([]);
    expect(rescheduling.filter((request) => request.headers['booking-token'] !== token)).toEqual(
      [],
    );
    expect(host().logs.join('\n')).not.toContain(token);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says so when the link’s token is wrong or missing', async () => {
    const biz = await setUpLondonBusiness(api);
    const booked = await api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      start: '2030-01-08T09:00:00Z',
      customer: { name: 'Pat', email: 'pat@example.com' },
      answers: { topic: 'Hip' },
    });
    expect(booked.status).toBe(201);
    const { context, page, problems } = await openVisitor(browser());

    await page.goto(
      `${host().baseUrl}/${biz.slug}/manage/${booked.body.id}#token=${'A'.repeat(43)}`,
    );
    const alert = page.locator('.notice.error[role="alert"]');
    await expect.poll(() => alert.textContent()).toBe(BAD_LINK);
    expect(await page.locator('h1').textContent()).toBe('Your booking');
    expect(problems.splice(0)).toEqual([failedResource(404, 'Not Found')]);

    await page.goto(`${host().baseUrl}/${biz.slug}/manage/${booked.body.id}`);
    await expect.poll(() => alert.textContent()).toBe(BAD_LINK);
    expect(await page.getByRole('button').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says the link is bad, without a Retry, when the token or id is cut off or mangled', async () => {
    const biz = await setUpLondonBusiness(api);
    const booked = await api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      start: '2030-01-08T09:00:00Z',
      customer: { name: 'Pat', email: 'pat@example.com' },
      answers: { topic: 'Hip' },
    });
    expect(booked.status).toBe(201);
    const { context, page, problems } = await openVisitor(browser());
    const alert = page.locator('.notice.error[role="alert"]');
    const manage = `${host().baseUrl}/${biz.slug}/manage`;

    for (const [link, status, text] of [
      [`${manage}/${booked.body.id}#token=abc`, 422, 'Unprocessable Entity'],
      [`${manage}/%25#token=${'A'.repeat(43)}`, 422, 'Unprocessable Entity'],
      [
        `${manage}/${booked.body.id}#token=${'A'.repeat(20_000)}`,
        431,
        'Request Header Fields Too Large',
      ],
    ] as const) {
      await page.goto(link);
      await expect.poll(() => alert.textContent()).toBe(BAD_LINK);
      expect(await page.getByRole('button').count()).toBe(0);
      expect(problems.splice(0)).toEqual([failedResource(status, text)]);
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says so when the calendar file cannot be fetched, and saves it once it can', async () => {
    const biz = await setUpLondonBusiness(api);
    const booked = await api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      start: '2030-01-08T09:00:00Z',
      customer: { name: 'Pat', email: 'pat@example.com' },
      answers: { topic: 'Hip' },
    });
    expect(booked.status).toBe(201);
    const { context, page, problems } = await openVisitor(browser());
    await page.goto(booked.body.manageUrl);
    await expect.poll(() => headingText(page)).toBe('Booking details');

    await page.route('**/ics', (route) => route.abort());
    await page.getByRole('button', { name: 'Download .ics file' }).click();
    const alert = page.locator('.add-to-calendar .notice.error[role="alert"]');
    await expect
      .poll(() => alert.textContent())
      .toBe('The server could not be reached. Check your connection and try again.');
    expect(problems.splice(0)).toEqual([NETWORK_FAILURE]);

    await page.unroute('**/ics');
    const ics = await downloadIcs(page, 'click');
    expect(ics.text).toContain(`UID:${booked.body.id}@slotwise`);
    expect(await alert.count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says plainly, with no Retry, that a booking whose staff member is gone cannot be moved', async () => {
    const biz = await setUpLondonBusiness(api);
    const booked = await api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      start: '2030-01-08T09:00:00Z',
      customer: { name: 'Pat', email: 'pat@example.com' },
      answers: { topic: 'Hip' },
    });
    expect(booked.status).toBe(201);
    // Alex leaves while the page is open, the way removals went before they checked for
    // upcoming bookings (or in the instant of a check): the page still offers their times.
    const removeAlex = () =>
      TenantStore.for(trustTenantId(biz.tenantId)).update<StaffRecord>(
        'staff',
        biz.staffId,
        (current) => ({ ...current, deletedAt: new Date(NOW).toISOString() }),
      );
    const CANNOT_MOVE = 'This booking can’t be moved online. To change it, contact Test Business.';
    const { context, page, problems } = await openVisitor(browser());
    const alert = page.locator('.notice.error[role="alert"]');

    // The times are refused (422 on the staffId the page sent, not the customer).
    await page.goto(booked.body.manageUrl);
    await expect.poll(() => headingText(page)).toBe('Booking details');
    await removeAlex();
    await page.getByRole('button', { name: 'Reschedule' }).click();
    await expect.poll(() => alert.textContent()).toBe(CANNOT_MOVE);
    expect(await alert.getByRole('button').count()).toBe(0);
    expect(problems.splice(0)).toEqual([failedResource(422, 'Unprocessable Entity')]);

    // The move itself is refused (422 on the staffId the page sent with the time).
    await TenantStore.for(trustTenantId(biz.tenantId)).update<StaffRecord>(
      'staff',
      biz.staffId,
      ({ deletedAt: _back, ...current }) => current as StaffRecord,
    );
    await page.reload();
    await page.getByRole('button', { name: 'Reschedule' }).click();
    await expect.poll(() => timesShown(page)).not.toEqual([]);
    await page.locator('td[data-date="2030-01-10"]').click();
    await page.getByRole('button', { name: '14:00' }).click();
    await expect.poll(() => headingText(page)).toBe('Confirm the new time');
    await removeAlex();
    await page.getByRole('button', { name: 'Move booking' }).click();
    await expect.poll(() => alert.textContent()).toBe(CANNOT_MOVE);
    expect(await alert.getByRole('button').count()).toBe(0);
    expect(problems.splice(0)).toEqual([failedResource(422, 'Unprocessable Entity')]);
    const unmoved = await api.get(
      `/api/public/${biz.slug}/bookings/${booked.body.id}`,
      withBookingToken(booked.body.manageToken),
    );
    expect(unmoved.body.start).toBe('2030-01-08T09:00:00+00:00');

    // Opened afresh, the page offers no Reschedule at all, and says why.
    await page.reload();
    await expect.poll(() => headingText(page)).toBe('Booking details');
    expect(await page.getByRole('button', { name: 'Reschedule' }).count()).toBe(0);
    expect(await page.locator('.step p.muted').last().textContent()).toBe(CANNOT_MOVE);
    expect(await page.getByRole('button', { name: 'Cancel booking' }).count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('opens the booking of a new link pasted into the same tab', async () => {
    const biz = await setUpLondonBusiness(api);
    const { context, page, problems } = await openVisitor(browser());
    const { id, token } = await bookThroughPage(page, biz.slug, '2030-01-08', '09:00');
    const alert = page.locator('.notice.error[role="alert"]');

    await page.goto(`${host().baseUrl}/${biz.slug}/manage/${id}#token=abc`);
    await expect.poll(() => alert.textContent()).toBe(BAD_LINK);
    expect(problems.splice(0)).toEqual([failedResource(422, 'Unprocessable Entity')]);
    await page.evaluate(`location.hash = '#token=${token}'`);
    await expect.poll(() => headingText(page)).toBe('Booking details');
    expect(await summaryRows(page)).toContain(
      'When: Tuesday, 8 January 2030, 09:00–10:00 (Europe/London)',
    );
    expect(problems).toEqual([]);
    await context.close();
  });
});
