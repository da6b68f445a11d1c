import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';

import { setUpBusiness } from '../e2e/api-client.js';
import { useBrowserTest } from '../support/browser.js';
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

async function openService(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name: 'Services' }).click();
  await page.getByRole('link', { name: `Edit ${name}` }).click();
  await expect.poll(() => page.getByLabel('Name', { exact: true }).inputValue()).toBe(name);
}

function savedMessage(page: Page): Promise<string> {
  return page
    .locator('.notice.success')
    .textContent()
    .then((text) => plain(text));
}

/** Each question's legend, in the order the form shows them. */
function legends(page: Page): Promise<string[]> {
  return page.locator('fieldset.question > legend').allTextContents();
}

/** The lines of the error summary, each as its label and message. */
async function summaryLines(page: Page): Promise<string[]> {
  return (await page.locator('[role="alert"] li').allTextContents()).map(plain);
}

describe('console intake questions', () => {
  it('adds a text and a choice question that the booking page then asks', async () => {
    const biz = await setUpBusiness(api);
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await openService(page, 'Consultation');
    expect(await legends(page)).toEqual([]);

    await page.getByRole('button', { name: 'Add question' }).click();
    await expect.poll(() => focusedId(page)).toBe('f-questions-0-label');
    await page.keyboard.type('What would you like to discuss?');
    await page.getByLabel('Question 1, Maximum length (characters)').fill('80');
    await page.getByLabel('Question 1, Required').check();
    await page.getByRole('button', { name: 'Add question' }).click();
    await expect.poll(() => focusedId(page)).toBe('f-questions-1-label');
    await page.keyboard.type('Session format');
    await page.getByLabel('Question 2, Type').selectOption('choice');
    // A text question's length means nothing for a choice; its choices take its place.
    expect(await page.getByLabel('Question 2, Maximum length (characters)').count()).toBe(0);
    await page.getByLabel('Question 2, Choices (one per line)').fill('In person\n\n Video call \n');
    expect(await legends(page)).toEqual([
      'Question 1: What would you like to discuss?',
      'Question 2: Session format',
    ]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save service' }).click();
    await expect.poll(() => savedMessage(page)).toBe('Saved “Consultation”.');

    const saved = await biz.admin.get(`/api/admin/services/${biz.serviceId}`);
    expect(saved.body.questions).toEqual([
      {
        id: 'what-would-you-like-to-discuss',
        label: 'What would you like to discuss?',
        type: 'text',
        required: true,
        maxLength: 80,
      },
      {
        id: 'session-format',
        label: 'Session format',
        type: 'choice',
        required: false,
        options: ['In person', 'Video call'],
        maxLength: 500,
      },
    ]);

    await page.goto(`${host().baseUrl}/${biz.slug}`);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('.time-list .time').first().click();
    const topic = page.getByLabel('What would you like to discuss?');
    await topic.waitFor();
    expect(await topic.getAttribute('maxlength')).toBe('80');
    expect(await topic.getAttribute('required')).toBe('');
    const format = page.getByLabel('Session format (optional)');
    expect(await format.locator('option').allTextContents()).toEqual([
      'Choose…',
      'In person',
      'Video call',
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('edits, reorders and removes questions, keeping the ids answers are stored under', async () => {
    const biz = await setUpBusiness(api, {
      service: {
        questions: [
          { id: 'topic', label: 'Topic', type: 'text' },
          { id: 'format', label: 'Format', type: 'choice', options: ['Room', 'Video'] },
          { id: 'notes', label: 'Notes', type: 'text', required: true, maxLength: 1000 },
        ],
      },
    });
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await openService(page, 'Consultation');
    expect(await legends(page)).toEqual([
      'Question 1: Topic',
      'Question 2: Format',
      'Question 3: Notes',
    ]);
    expect(await page.getByLabel('Question 2, Choices (one per line)').inputValue()).toBe(
      'Room\nVideo',
    );
    expect(await page.getByLabel('Question 3, Required').isChecked()).toBe(true);

    await page.getByLabel('Question 1, Label').fill('Main topic');
    expect(await page.getByRole('button', { name: 'Remove question 1: Main topic' }).count()).toBe(
      1,
    );
    await page.getByRole('button', { name: 'Move up question 3: Notes' }).click();
    expect(await legends(page)).toEqual([
      'Question 1: Main topic',
      'Question 2: Notes',
      'Question 3: Format',
    ]);
    await expect.poll(() => focusedName(page)).toBe('Move up question 2: Notes');
    // From the keyboard: at the top there is no "Move up", so focus takes "Move down".
    await page.keyboard.press('Enter');
    expect(await legends(page)).toEqual([
      'Question 1: Notes',
      'Question 2: Main topic',
      'Question 3: Format',
    ]);
    await expect.poll(() => focusedName(page)).toBe('Move down question 1: Notes');
    expect(plain(await page.locator('.questions [role="status"]').textContent())).toBe(
      'Moved “Notes” to place 1 of 3.',
    );

    await page.getByRole('button', { name: 'Remove question 3: Format' }).click();
    expect(await legends(page)).toEqual(['Question 1: Notes', 'Question 2: Main topic']);
    await expect.poll(() => focusedId(page)).toBe('add-question');
    expect(plain(await page.locator('.questions [role="status"]').textContent())).toBe(
      'Removed question 3: Format.',
    );
    // A new question whose label would make a taken id gets one of its own.
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedId(page)).toBe('f-questions-2-label');
    await page.keyboard.type('Notes!');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save service' }).click();
    await expect.poll(() => savedMessage(page)).toBe('Saved “Consultation”.');

    const saved = await biz.admin.get(`/api/admin/services/${biz.serviceId}`);
    expect(saved.body.questions).toEqual([
      { id: 'notes', label: 'Notes', type: 'text', required: true, maxLength: 1000 },
      { id: 'topic', label: 'Main topic', type: 'text', required: false, maxLength: 500 },
      { id: 'notes-2', label: 'Notes!', type: 'text', required: false, maxLength: 500 },
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows each refused question field beside it, even after the question moves', async () => {
    const biz = await setUpBusiness(api);
    const { page, problems, context } = await openConsolePage(browser());
    await signInThroughForm(page, host().baseUrl, biz.slug);
    await openService(page, 'Consultation');
    await page.getByRole('button', { name: 'Add question' }).click();
    await page.getByLabel('Question 1, Label').fill('Topic');
    await page.getByLabel('Question 1, Maximum length (characters)').fill('1e2');
    await page.getByRole('button', { name: 'Add question' }).click();
    await page.getByLabel('Question 2, Label').fill('Room');
    await page.getByLabel('Question 2, Type').selectOption('choice');
    await page.getByLabel('Question 2, Choices (one per line)').fill('Blue\nGreen\nBlue');
    await page.getByRole('button', { name: 'Save service' }).click();

    const choices = page.getByLabel('Question 2, Choices (one per line)');
    await expect.poll(() => choices.getAttribute('aria-invalid')).toBe('true');
    expect(await summaryLines(page)).toEqual([
      'Question 1, Maximum length (characters): must be a whole number',
      'Question 2, Choices (one per line): must not repeat a choice',
    ]);
    expect(await focusedId(page)).toBe('f-questions-0-maxLength');
    expect(plain(await page.locator('#f-questions-0-maxLength-error').textContent())).toBe(
      'must be a whole number',
    );
    expect(plain(await page.locator('#f-questions-1-options-error').textContent())).toBe(
      'must not repeat a choice',
    );
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The messages travel with their questions.
    await page.getByRole('button', { name: 'Move up question 2: Room' }).click();
    expect(await legends(page)).toEqual(['Question 1: Room', 'Question 2: Topic']);
    expect(plain(await page.locator('#f-questions-0-options-error').textContent())).toBe(
      'must not repeat a choice',
    );
    expect(plain(await page.locator('#f-questions-1-maxLength-error').textContent())).toBe(
      'must be a whole number',
    );

    await page.getByLabel('Question 1, Choices (one per line)').fill('Blue\nGreen');
    await page.getByLabel('Question 2, Maximum length (characters)').fill(' 100 ');
    await page.getByRole('button', { name: 'Save service' }).click();
    await expect.poll(() => savedMessage(page)).toBe('Saved “Consultation”.');
    const saved = await biz.admin.get(`/api/admin/services/${biz.serviceId}`);
    expect(saved.body.questions).toEqual([
      {
        id: 'room',
        label: 'Room',
        type: 'choice',
        required: false,
        options: ['Blue', 'Green'],
        maxLength: 500,
      },
      { id: 'topic', label: 'Topic', type: 'text', required: false, maxLength: 100 },
    ]);
    expect(problems).toEqual([failedLoad(422, 'Unprocessable Entity')]);
    await context.close();
  });
});
