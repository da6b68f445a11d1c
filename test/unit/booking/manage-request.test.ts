import functions from '@azure/functions';
import { describe, expect, it } from 'vitest';

import {
  pairRescheduling,
  readManageToken,
  readOptionalManageToken,
} from '../../../shared/booking/manage-request.js';
import { ValidationError } from '../../../shared/errors.js';

const TOKEN = 'k'.repeat(43);

const requestTo = (query: string, headers: Record<string, string> = {}) =>
  new functions.HttpRequest({
    method: 'GET',
    url: `http://127.0.0.1/api/public/demo/bookings/bkg_1${query}`,
    headers,
  });

/** The field issues of the ValidationError `read` throws. */
function issuesOf(read: () => unknown) {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).details;
  }
  throw new Error('expected a ValidationError');
}

describe('readManageToken', () => {
  it('reads the Booking-Token header, whatever the case of its name', () => {
    expect(readManageToken(requestTo('', { 'Booking-Token': TOKEN }))).toBe(TOKEN);
    expect(readManageToken(requestTo('', { 'booking-token': TOKEN }))).toBe(TOKEN);
  });

  it('names the header when it is missing, too short or too long', () => {
    const shape = "must be the manage token from the booking's link, 16 to 128 characters";
    expect(issuesOf(() => readManageToken(requestTo('')))).toEqual([
      {
        path: 'header.Booking-Token',
        message: "is missing; send the manage token from the booking's link in it",
      },
    ]);
    for (const token of ['k'.repeat(15), 'k'.repeat(129)]) {
      expect(issuesOf(() => readManageToken(requestTo('', { 'Booking-Token': token })))).toEqual([
        { path: 'header.Booking-Token', message: shape },
      ]);
    }
    expect(readManageToken(requestTo('', { 'Booking-Token': 'k'.repeat(16) }))).toHaveLength(16);
    expect(readManageToken(requestTo('', { 'Booking-Token': 'k'.repeat(128) }))).toHaveLength(128);
  });

  it('names the header when it holds anything but a token, such as two tokens joined', () => {
    const alphabet = [
      {
        path: 'header.Booking-Token',
        message:
          "must be one manage token from the booking's link (letters, digits, - and _), sent once",
      },
    ];
    // Fetch joins a repeated header with ', ': without this, two tokens read as a wrong one (404).
    const twice = new Headers();
    twice.append('Booking-Token', TOKEN);
    twice.append('Booking-Token', TOKEN);
    const joined = new functions.HttpRequest({
      method: 'GET',
      url: 'http://127.0.0.1/api/public/demo/bookings/bkg_1',
      headers: Object.fromEntries(twice),
    });
    expect(issuesOf(() => readManageToken(joined))).toEqual(alphabet);
    for (const token of [`${TOKEN}=`, `${'é'.repeat(20)}`, `${TOKEN} x`]) {
      expect(issuesOf(() => readManageToken(requestTo('', { 'Booking-Token': token })))).toEqual(
        alphabet,
      );
    }
    expect(readManageToken(requestTo('', { 'Booking-Token': 'aZ09-_'.repeat(8) }))).toHaveLength(
      48,
    );
  });

  it('refuses a token in the query string, even an empty one beside the header', () => {
    const inQuery = [
      {
        path: 'query.token',
        message:
          'is not accepted in the query string; send the manage token in the Booking-Token header',
      },
    ];
    expect(issuesOf(() => readManageToken(requestTo(`?token=${TOKEN}`)))).toEqual(inQuery);
    const both = requestTo('?token=', { 'Booking-Token': TOKEN });
    expect(issuesOf(() => readManageToken(both))).toEqual(inQuery);
    expect(issuesOf(() => readOptionalManageToken(requestTo(`?token=${TOKEN}`)))).toEqual(inQuery);
  });
});

describe('readOptionalManageToken', () => {
  it('answers undefined without the header and checks it when sent', () => {
    expect(readOptionalManageToken(requestTo('?rescheduling=bkg_1'))).toBeUndefined();
    expect(readOptionalManageToken(requestTo('', { 'Booking-Token': TOKEN }))).toBe(TOKEN);
    expect(issuesOf(() => readOptionalManageToken(requestTo('', { 'Booking-Token': '' })))).toEqual(
      [
        {
          path: 'header.Booking-Token',
          message: "must be the manage token from the booking's link, 16 to 128 characters",
        },
      ],
    );
  });
});

describe('pairRescheduling', () => {
  it('pairs the booking id with its token, and names the one missing', () => {
    expect(pairRescheduling('bkg_1', TOKEN)).toEqual({ id: 'bkg_1', token: TOKEN });
    expect(pairRescheduling(undefined, undefined)).toBeUndefined();
    expect(issuesOf(() => pairRescheduling('bkg_1', undefined))).toEqual([
      {
        path: 'header.Booking-Token',
        message: 'is required with rescheduling: send the manage token of the booking being moved',
      },
    ]);
    expect(issuesOf(() => pairRescheduling(undefined, TOKEN))).toEqual([
      {
        path: 'query.rescheduling',
        message: 'must name the booking whose manage token is in the Booking-Token header',
      },
    ]);
  });
});
