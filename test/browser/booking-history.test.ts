import { describe, expect, it } from 'vitest';

import {
  focusedId,
  headingText,
  openVisitor,
  setUpLondonBusiness,
  summaryRows,
  timesShown,
  useBookingPageTest,
} from './booking-support.js';

const { host, browser, api } = useBookingPageTest();

const LONDON_HOURS = ['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00'];

describe('booking page history', () => {
  it('goes back from the times to the services, and forward again, on the page', async () => {
    const biz = await setUpLondonBusiness(api);
    const { context, page, problems } = await openVisitor(browser());
    const start = `${host().baseUrl}/${biz.slug}`;
    await page.goto(start);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => timesShown(page)).toEqual(LONDON_HOURS);
    await expect
      .poll(() => page.url())
      .toBe(`${start}?service=${biz.serviceId}&zone=Europe%2FLondon&date=2030-01-07&step=time`);

    await page.goBack();
    await expect.poll(() => headingText(page)).toBe('Choose a service');
    await expect.poll(() => page.url()).toBe(start);
    expect(await focusedId(page)).toBe('step-heading');
    expect(await page.locator('input[name="service"]:checked').getAttribute('value')).toBe(
      biz.serviceId,
    );

    await page.goForward();
    await expect.poll(() => headingText(page)).toBe('Choose a time');
    expect(await focusedId(page)).toBe('step-heading');
    await expect.poll(() => timesShown(page)).toEqual(LONDON_HOURS);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the same day and zone after a reload on the times', async () => {
    const biz = await setUpLondonBusiness(api);
    const { context, page, problems } = await openVisitor(browser(), {
      timezoneId: 'America/New_York',
    });
    await page.goto(`${host().baseUrl}/${biz.slug}`);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => timesShown(page)).not.toEqual([]);
    await page.locator('#zone').selectOption('Europe/London');
    await page.locator('td[data-date="2030-01-10"]').click();
    await expect.poll(() => page.url()).toContain('zone=Europe%2FLondon&date=2030-01-10&step=time');

    await page.reload();
    await expect.poll(() => headingText(page)).toBe('Choose a time');
    await expect.poll(() => timesShown(page)).toEqual(LONDON_HOURS);
    expect(await page.locator('#zone').inputValue()).toBe('Europe/London');
    expect(await page.locator('td[aria-selected="true"]').getAttribute('data-date')).toBe(
      '2030-01-10',
    );
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps the chosen time after a reload on the details while it is offered, never the details', async () => {
    const biz = await setUpLondonBusiness(api);
    const { context, page, problems } = await openVisitor(browser());
    await page.goto(`${host().baseUrl}/${biz.slug}`);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => timesShown(page)).not.toEqual([]);
    await page.locator('td[data-date="2030-01-09"]').click();
    await page.getByRole('button', { name: '10:00' }).click();
    await expect.poll(() => headingText(page)).toBe('Your details');
    await page.getByLabel('Name').fill('Sam Private');
    await page.getByLabel('Email').fill('sam@example.com');
    const url = page.url();
    expect(url).toBe(
      `${host().baseUrl}/${biz.slug}?service=${biz.serviceId}&zone=Europe%2FLondon&date=2030-01-09&time=2030-01-09T10%3A00%3A00%2B00%3A00&step=details`,
    );

    await page.reload();
    await expect.poll(() => headingText(page)).toBe('Your details');
    await expect.poll(() => page.url()).toBe(url);
    expect(await summaryRows(page)).toEqual([
      'Service: Consultation',
      'With: Anyone available',
      'When: Wednesday, 9 January 2030, 10:00–11:00 (Europe/London)',
    ]);

    // Once someone else has the time, a reload asks for another time on the same day.
    const rival = await api.post(`/api/public/${biz.slug}/bookings`, {
      serviceId: biz.serviceId,
      start: '2030-01-09T10:00:00Z',
      customer: { name: 'Quick Rival', email: 'rival@example.com' },
      answers: { topic: 'Elbow' },
    });
    expect(rival.status).toBe(201);
    await page.reload();
    await expect.poll(() => headingText(page)).toBe('Choose a time');
    await expect.poll(() => timesShown(page)).toEqual(LONDON_HOURS.filter((t) => t !== '10:00'));
    expect(await page.locator('td[aria-selected="true"]').getAttribute('data-date')).toBe(
      '2030-01-09',
    );
    await expect
      .poll(() => page.url())
      .toBe(
        `${host().baseUrl}/${biz.slug}?service=${biz.serviceId}&zone=Europe%2FLondon&date=2030-01-09&step=time`,
      );
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lands on the service step for an address naming nothing it knows', async () => {
    const biz = await setUpLondonBusiness(api);
    const { context, page, problems } = await openVisitor(browser());
    const start = `${host().baseUrl}/${biz.slug}`;

    for (const search of [
      '?service=nope',
      '?service=nope&staff=nobody&zone=Mars%2FOlympus&date=2030-13-45&time=soon&step=details',
    ]) {
      await page.goto(`${start}${search}`);
      await expect.poll(() => headingText(page)).toBe('Choose a service');
      expect(await page.locator('input[name="service"]:checked').getAttribute('value')).toBe(
        biz.serviceId,
      );
      await expect.poll(() => page.url()).toBe(start);
    }

    // A known service with nonsense around it still opens its times, in the visitor's zone.
    await page.goto(
      `${start}?service=${biz.serviceId}&staff=nobody&zone=Mars%2FOlympus&date=1999-01-01&step=time`,
    );
    await expect.poll(() => headingText(page)).toBe('Choose a time');
    await expect.poll(() => timesShown(page)).toEqual(LONDON_HOURS);
    expect(await page.locator('#zone').inputValue()).toBe('Europe/London');
    await expect
      .poll(() => page.url())
      .toBe(`${start}?service=${biz.serviceId}&zone=Europe%2FLondon&date=2030-01-07&step=time`);
    expect(problems).toEqual([]);
    await context.close();
  });
});
