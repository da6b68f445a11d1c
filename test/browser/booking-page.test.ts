import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { setUpBusiness, withBookingToken } from '../e2e/api-client.js';
import { PHONE } from '../support/browser.js';

import {
  downloadIcs,
  failedResource,
  focusedId,
  headingText,
  NETWORK_FAILURE,
  openVisitor,
  recordRequests,
  setUpLondonBusiness,
  summaryRows,
  timesShown,
  TOPIC,
  useBookingPageTest,
} from './booking-support.js';

const { host, browser, api } = useBookingPageTest();

/** Weekdays of January 2030 from Monday the 7th (the frozen today): the business's open days. */
const JANUARY_WEEKDAYS = [
  7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 21, 22, 23, 24, 25, 28, 29, 30, 31,
].map((day) => `2030-01-${String(day).padStart(2, '0')}`);
const LONDON_HOURS = ['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00'];
const NEW_YORK_HOURS = ['04:00', '05:00', '06:00', '07:00', '08:00', '09:00', '10:00', '11:00'];

function openDays(page: Page): Promise<string[]> {
  return page
    .locator('td.open')
    .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-date') ?? ''));
}

/** From the service step to the chosen day's times (the service's default choices). */
async function toTimes(page: Page, date: string) {
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect.poll(() => headingText(page)).toBe('Choose a time');
  await expect.poll(() => timesShown(page)).not.toEqual([]);
  await page.locator(`td[data-date="${date}"]`).click();
}

async function fillDetails(page: Page, name: string, email: string, topic: string) {
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Topic').fill(topic);
}

describe('booking page', () => {
  // The first test's booking; the second checks another visitor no longer sees its time.
  let first: { slug: string; serviceId: string } | undefined;

  it('books a slot for a New York visitor of a London business, showing both zones', async () => {
    const biz = await setUpLondonBusiness(api);
    const { context, page, problems } = await openVisitor(browser(), {
      timezoneId: 'America/New_York',
    });
    await page.goto(`${host().baseUrl}/${biz.slug}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Book with Test Business');
    expect(await headingText(page)).toBe('Choose a service');
    expect(await page.locator('input[name="service"]:checked').getAttribute('value')).toBe(
      biz.serviceId,
    );
    expect(await page.locator('#staff option').allTextContents()).toEqual([
      'Anyone available',
      'Alex',
    ]);
    await page.getByRole('button', { name: 'Continue' }).click();

    await expect.poll(() => headingText(page)).toBe('Choose a time');
    expect(await focusedId(page)).toBe('step-heading');
    expect(await page.locator('#zone').inputValue()).toBe('America/New_York');
    expect(await page.locator('#zone-note').textContent()).toBe(
      'Times in America/New_York · business is in Europe/London',
    );
    await expect.poll(() => timesShown(page)).toEqual(NEW_YORK_HOURS);
    expect(await page.locator('.calendar-caption').textContent()).toBe('January 2030');
    expect(await page.locator('td[aria-selected="true"]').getAttribute('data-date')).toBe(
      '2030-01-07',
    );
    expect(await openDays(page)).toEqual(JANUARY_WEEKDAYS);
    const saturday = page.locator('td[data-date="2030-01-12"]');
    expect(await saturday.getAttribute('aria-disabled')).toBe('true');
    expect(await saturday.getAttribute('aria-label')).toBe('Saturday, 12 January 2030, no times');
    await page.locator('td[data-date="2030-01-08"]').click();
    expect(await page.locator('#times-heading').textContent()).toBe(
      'Times on Tuesday, 8 January 2030',
    );
    expect(await timesShown(page)).toEqual(NEW_YORK_HOURS);
    await page.getByRole('button', { name: '04:00' }).click();

    await expect.poll(() => headingText(page)).toBe('Your details');
    expect(await focusedId(page)).toBe('step-heading');
    expect(await summaryRows(page)).toEqual([
      'Service: Consultation',
      'With: Anyone available',
      'When: Tuesday, 8 January 2030, 04:00–05:00 (America/New_York)',
      'Business time: Tuesday, 8 January 2030, 09:00–10:00 (Europe/London)',
    ]);
    await fillDetails(page, 'Chris Customer', 'chris@example.com', 'Knee');
    await page.getByRole('button', { name: 'Confirm booking' }).click();

    await expect.poll(() => headingText(page)).toBe('You’re booked');
    expect(await page.locator('.notice.success').textContent()).toBe(
      'A confirmation is on its way to chris@example.com.',
    );
    expect(await summaryRows(page)).toEqual([
      'Service: Consultation',
      'With: Alex',
      'When: Tuesday, 8 January 2030, 04:00–05:00 (America/New_York)',
      'Business time: Tuesday, 8 January 2030, 09:00–10:00 (Europe/London)',
      'Booked for: Chris Customer (chris@example.com)',
    ]);
    const manage = await page
      .getByRole('link', { name: 'Manage your booking' })
      .getAttribute('href');
    const link = new RegExp(
      `^${host().baseUrl}/${biz.slug}/manage/(bkg_[\\w-]+)#token=([\\w-]{43})$`,
    );
    expect(manage).toMatch(link);
    const [, id, token] = link.exec(manage!)! as unknown as [string, string, string];

    // The stored booking holds the instant the visitor saw: 04:00 New York is 09:00 UTC.
    const stored = await api.get(`/api/public/${biz.slug}/bookings/${id}`, withBookingToken(token));
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({
      status: 'confirmed',
      start: '2030-01-08T04:00:00-05:00',
      end: '2030-01-08T05:00:00-05:00',
      timeZone: 'America/New_York',
      staffId: biz.staffId,
      customer: { name: 'Chris Customer', email: 'chris@example.com' },
      answers: [{ questionId: 'topic', label: 'Topic', value: 'Knee' }],
    });
    expect(new Date(stored.body.start).toISOString()).toBe('2030-01-08T09:00:00.000Z');

    // The calendar file is fetched with the token in its header and saved from a Blob.
    const requests = recordRequests(page);
    const ics = await downloadIcs(page, 'click');
    expect(ics.filename).toBe(`booking-${id}.ics`);
    expect(ics.text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics.text).toContain(`UID:${id}@slotwise`);
    expect(ics.text).toContain('DTSTART:20300108T090000Z');
    expect(ics.text).toContain('DTEND:20300108T100000Z');
    expect(requests.map((request) => request.url)).toEqual([
      `${host().baseUrl}/api/public/${biz.slug}/bookings/${id}/ics`,
    ]);
    expect(requests[0]!.headers['booking-token']).toBe(token);
    const google = new URL(
      String(await page.getByRole('link', { name: /Google Calendar/ }).getAttribute('href')),
    );
    expect(google.origin + google.pathname).toBe('https://calendar.google.com/calendar/render');
    expect(google.searchParams.get('dates')).toBe('20300108T090000Z/20300108T100000Z');
    expect(google.searchParams.get('text')).toBe('Consultation with Test Business');
    const outlook = new URL(
      String(await page.getByRole('link', { name: /Outlook/ }).getAttribute('href')),
    );
    expect(outlook.searchParams.get('startdt')).toBe('2030-01-08T09:00:00.000Z');
    expect(outlook.searchParams.get('enddt')).toBe('2030-01-08T10:00:00.000Z');
    // The manage token stays with us: neither third-party link carries it.
    expect(google.href + outlook.href).not.toContain(token);

    first = biz;
    expect(problems).toEqual([]);
    await context.close();
  });

  it('no longer offers the booked time to a second visitor', async () => {
    expect(first, 'the first test booked 09:00 London on 8 January').toBeDefined();
    const { context, page, problems } = await openVisitor(browser(), {
      timezoneId: 'Europe/London',
    });
    await page.goto(`${host().baseUrl}/${first!.slug}`);
    await toTimes(page, '2030-01-08');
    expect(await page.locator('#zone-note').textContent()).toBe(
      'Times in Europe/London (the business’s zone too)',
    );
    expect(await timesShown(page)).toEqual(LONDON_HOURS.slice(1));
    expect(await page.locator('td[data-date="2030-01-08"]').getAttribute('aria-label')).toBe(
      'Tuesday, 8 January 2030, 7 times',
    );
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says a time was just taken, shows fresh times and keeps what the visitor typed', async () => {
    const biz = await setUpLondonBusiness(api);
    const { context, page, problems } = await openVisitor(browser());
    await page.goto(`${host().baseUrl}/${biz.slug}`);
    await toTimes(page, '2030-01-09');
    await page.getByRole('button', { name: '10:00' }).click();
    await expect.poll(() => headingText(page)).toBe('Your details');
    await fillDetails(page, 'Robin Late', 'robin@example.com', 'Shoulder');

    const rival = await api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      start: '2030-01-09T10:00:00Z',
      customer: { name: 'Quick Rival', email: 'rival@example.com' },
      answers: { topic: 'Elbow' },
    });
    expect(rival.status).toBe(201);
    await page.getByRole('button', { name: 'Confirm booking' }).click();

    await expect.poll(() => headingText(page)).toBe('Choose a time');
    expect(await focusedId(page)).toBe('step-heading');
    expect(await page.locator('.step > .notice.warning[role="alert"]').textContent()).toBe(
      'That time was just taken. Choose another time; your details are kept.',
    );
    await expect.poll(() => timesShown(page)).toEqual(LONDON_HOURS.filter((t) => t !== '10:00'));
    expect(await page.locator('td[aria-selected="true"]').getAttribute('data-date')).toBe(
      '2030-01-09',
    );
    await page.getByRole('button', { name: '11:00' }).click();
    await expect.poll(() => headingText(page)).toBe('Your details');
    expect(await page.getByLabel('Name').inputValue()).toBe('Robin Late');
    expect(await page.getByLabel('Email').inputValue()).toBe('robin@example.com');
    expect(await page.getByLabel('Topic').inputValue()).toBe('Shoulder');
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await expect.poll(() => headingText(page)).toBe('You’re booked');
    expect(await summaryRows(page)).toContain(
      'When: Wednesday, 9 January 2030, 11:00–12:00 (Europe/London)',
    );

    // Chromium logs the refused request itself; that one 409 is expected, nothing else.
    expect(problems.splice(0)).toEqual([failedResource(409, 'Conflict')]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('offers a retry when the times cannot be loaded, and the retry works', async () => {
    const biz = await setUpLondonBusiness(api);
    const { context, page, problems } = await openVisitor(browser());
    await page.route('**/api/public/**/slots*', (route) => route.abort());
    await page.goto(`${host().baseUrl}/${biz.slug}`);
    await page.getByRole('button', { name: 'Continue' }).click();
    const alert = page.locator('.picker .notice.error[role="alert"]');
    await expect
      .poll(() => alert.locator('p').textContent())
      .toBe('The server could not be reached. Check your connection and try again.');
    expect(await timesShown(page)).toEqual([]);

    await page.unroute('**/api/public/**/slots*');
    await alert.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => timesShown(page)).toEqual(LONDON_HOURS);
    expect(await alert.count()).toBe(0);
    expect(await page.locator('.picker-status').textContent()).toBe(
      '8 times on Monday, 7 January 2030.',
    );

    expect(problems.splice(0)).toEqual([NETWORK_FAILURE]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows each wrong field’s message next to it and focuses the first', async () => {
    const biz = await setUpLondonBusiness(api);
    const { context, page, problems } = await openVisitor(browser());
    await page.goto(`${host().baseUrl}/${biz.slug}`);
    await toTimes(page, '2030-01-10');
    await page.getByRole('button', { name: '09:00' }).click();
    await expect.poll(() => headingText(page)).toBe('Your details');

    // Empty required fields are caught before any request.
    await page.getByLabel('Name').fill('Sam');
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await expect.poll(() => focusedId(page)).toBe('email');
    expect(await page.locator('.field .error').allTextContents()).toEqual([
      'Email is required',
      'Topic is required',
    ]);
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Email').getAttribute('aria-describedby')).toBe('email-error');
    expect(await page.getByLabel('Name').getAttribute('aria-invalid')).toBeNull();

    // The server's own check of the email shows the same way.
    await page.getByLabel('Email').fill('sam@');
    await page.getByLabel('Topic').fill('Back');
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await expect
      .poll(() => page.locator('.field .error').allTextContents())
      .toEqual(['Email must be an email address']);
    expect(await page.locator('.details .notice.error').textContent()).toBe(
      'Check the highlighted field.',
    );
    expect(await focusedId(page)).toBe('email');
    expect(await page.getByLabel('Topic').getAttribute('aria-invalid')).toBeNull();

    await page.getByLabel('Email').fill('sam@example.com');
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await expect.poll(() => headingText(page)).toBe('You’re booked');

    expect(problems.splice(0)).toEqual([failedResource(422, 'Unprocessable Entity')]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('books with the keyboard alone', async () => {
    const biz = await setUpLondonBusiness(api);
    const { context, page, problems } = await openVisitor(browser());
    await page.goto(`${host().baseUrl}/${biz.slug}`);
    await expect.poll(() => headingText(page)).toBe('Choose a service');
    const tabTo = async (expected: string) => {
      await page.keyboard.press('Tab');
      await expect.poll(() => describeFocus(page)).toBe(expected);
    };

    await tabTo(`radio service ${biz.serviceId}`);
    await tabTo('select staff');
    await tabTo('button Continue');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedId(page)).toBe('step-heading');
    expect(await headingText(page)).toBe('Choose a time');
    await expect.poll(() => timesShown(page)).toEqual(LONDON_HOURS);

    await tabTo('select zone');
    await tabTo('button Next month');
    await tabTo('gridcell 2030-01-07');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => describeFocus(page)).toBe('gridcell 2030-01-14');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => describeFocus(page)).toBe('gridcell 2030-01-11');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('#times-heading').textContent())
      .toBe('Times on Friday, 11 January 2030');
    await tabTo('button 09:00');
    await tabTo('button 10:00');
    await tabTo('button 11:00');
    await page.keyboard.press('Enter');

    await expect.poll(() => focusedId(page)).toBe('step-heading');
    expect(await headingText(page)).toBe('Your details');
    await tabTo('button Change the time');
    await tabTo('input name');
    await page.keyboard.type('Kim Keys');
    await tabTo('input email');
    await page.keyboard.type('kim@example.com');
    await tabTo('textarea q-topic');
    await page.keyboard.type('Wrist');
    await tabTo('button Confirm booking');
    await page.keyboard.press('Enter');

    await expect.poll(() => headingText(page)).toBe('You’re booked');
    expect(await focusedId(page)).toBe('step-heading');
    expect(await summaryRows(page)).toEqual([
      'Service: Consultation',
      'With: Alex',
      'When: Friday, 11 January 2030, 11:00–12:00 (Europe/London)',
      'Booked for: Kim Keys (kim@example.com)',
    ]);
    const listed = await biz.admin.get('/api/admin/bookings?from=2030-01-11&to=2030-01-12');
    expect(listed.body.items.map((b: { start: string }) => b.start)).toEqual([
      '2030-01-11T11:00:00+00:00',
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('names the visitor’s zone as the tz database does now, not by ICU’s old name', async () => {
    const biz = await setUpLondonBusiness(api);
    const { context, page, problems } = await openVisitor(browser(), {
      timezoneId: 'Asia/Kolkata',
    });
    await page.goto(`${host().baseUrl}/${biz.slug}`);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect
      .poll(() => timesShown(page))
      .toEqual(['14:30', '15:30', '16:30', '17:30', '18:30', '19:30', '20:30', '21:30']);
    expect(await page.locator('#zone').inputValue()).toBe('Asia/Kolkata');
    expect(await page.locator('#zone-note').textContent()).toBe(
      'Times in Asia/Kolkata · business is in Europe/London',
    );
    const zones = await page
      .locator('#zone option')
      .evaluateAll((options) => options.map((option) => option.getAttribute('value') ?? ''));
    expect(zones.filter((zone) => /Calcutta|Kolkata|Kiev|Kyiv/.test(zone))).toEqual([
      'Asia/Kolkata',
      'Europe/Kyiv',
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('names both days of a time that runs past the visitor’s midnight', async () => {
    const biz = await setUpLondonBusiness(api);
    // Chatham is 13:45 ahead of London in January: 10:00-11:00 there is 23:45-00:45 here.
    const { context, page, problems } = await openVisitor(browser(), {
      timezoneId: 'Pacific/Chatham',
    });
    await page.goto(`${host().baseUrl}/${biz.slug}`);
    await toTimes(page, '2030-01-08');
    // The small hours are the London afternoon before; the evening is the London morning.
    await expect
      .poll(() => timesShown(page))
      .toEqual(['00:45', '01:45', '02:45', '03:45', '04:45', '05:45', '22:45', '23:45']);
    await page.getByRole('button', { name: '23:45' }).click();
    await expect.poll(() => headingText(page)).toBe('Your details');
    expect(await summaryRows(page)).toEqual([
      'Service: Consultation',
      'With: Anyone available',
      'When: Tuesday, 8 January 2030, 23:45 – Wednesday, 9 January 2030, 00:45 (Pacific/Chatham)',
      'Business time: Tuesday, 8 January 2030, 10:00–11:00 (Europe/London)',
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('wraps 60-letter names instead of widening the page on a phone', async () => {
    const long = 'Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewis';
    expect(long.length).toBe(60);
    const biz = await setUpBusiness(api, { service: { name: long, questions: [TOPIC] } });
    const { context, page, problems } = await openVisitor(browser(), { viewport: PHONE });
    const pageWidth = () => page.evaluate<number>('document.documentElement.scrollWidth');
    await page.goto(`${host().baseUrl}/${biz.slug}`);
    await toTimes(page, '2030-01-08');
    await page.getByRole('button', { name: '09:00' }).click();
    await expect.poll(() => headingText(page)).toBe('Your details');
    expect(await pageWidth()).toBeLessThanOrEqual(PHONE.width);
    await fillDetails(page, long, `${long.toLowerCase()}@example.com`, 'Names');
    await page.getByRole('button', { name: 'Confirm booking' }).click();

    await expect.poll(() => headingText(page)).toBe('You’re booked');
    expect(await summaryRows(page)).toContain(
      `Booked for: ${long} (${long.toLowerCase()}@example.com)`,
    );
    expect(await pageWidth()).toBeLessThanOrEqual(PHONE.width);
    await page.getByRole('link', { name: 'Manage your booking' }).click();
    await expect.poll(() => headingText(page)).toBe('Booking details');
    expect(await pageWidth()).toBeLessThanOrEqual(PHONE.width);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('fits the four steps on one line of a phone, marking the current one', async () => {
    const biz = await setUpLondonBusiness(api);
    const { context, page, problems } = await openVisitor(browser(), { viewport: PHONE });
    await page.goto(`${host().baseUrl}/${biz.slug}`);
    await expect.poll(() => headingText(page)).toBe('Choose a service');
    const steps = page.locator('.steps li');
    expect(await steps.allTextContents()).toEqual(['Service', 'Time', 'Details', 'Done']);
    expect(await page.locator('.steps li[aria-current="step"]').textContent()).toBe('Service');
    const boxes = await steps.evaluateAll((items) =>
      items.map((item) => {
        const box = item.getBoundingClientRect();
        return { top: box.top, right: box.right };
      }),
    );
    expect(boxes.map((box) => box.top)).toEqual(Array(4).fill(boxes[0]!.top));
    expect(boxes[3]!.right).toBeLessThanOrEqual(PHONE.width);
    expect(problems).toEqual([]);
    await context.close();
  });
});

/** The focused element as `<kind> <id, date or text>`, to assert the tab order. */
function describeFocus(page: Page): Promise<string> {
  // A string, because the tests compile without the DOM's types.
  return page.evaluate<string>(`(() => {
    const el = document.activeElement;
    if (!el) return 'nothing';
    if (el.type === 'radio') return 'radio ' + el.name + ' ' + el.value;
    if (['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) {
      return el.tagName.toLowerCase() + ' ' + el.id;
    }
    if (el.dataset.date) return 'gridcell ' + el.dataset.date;
    return el.tagName.toLowerCase() + ' ' + (el.getAttribute('aria-label') ?? el.textContent.trim());
  })()`);
}
