import { z } from 'zod';

import { currentZoneName, isValidLocalDate, isValidTimeZone } from '../time/zones.js';

/** Schemas shared by several routes. Every body schema is strict: unknown fields are refused. */

/**
 * Messages for the checks every schema makes, in the words the API uses for its own ("is
 * required", "must be at most 120 characters") rather than zod's ("Invalid input: expected
 * string, received undefined"). The field's path comes with each message. A schema's own
 * message wins over these; anything not listed keeps zod's wording.
 */
z.config({
  customError: (issue) => {
    if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
    if (
      issue.code === 'invalid_type' &&
      issue.expected === 'int' &&
      typeof issue.input === 'number'
    ) {
      return 'must be a whole number';
    }
    if (issue.code !== 'too_small' && issue.code !== 'too_big') return undefined;
    const limit = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
    const bound = issue.code === 'too_small' ? 'at least' : 'at most';
    const exclusive = issue.inclusive === false;
    switch (issue.origin) {
      case 'string':
        if (issue.code === 'too_small' && limit === 1) return 'must not be empty';
        return `must be ${bound} ${limit} character${limit === 1 ? '' : 's'}`;
      case 'array':
        return `must have ${bound} ${limit} item${limit === 1 ? '' : 's'}`;
      case 'number':
      case 'int':
        if (exclusive)
          return `must be ${issue.code === 'too_small' ? 'more' : 'less'} than ${limit}`;
        return `must be ${bound} ${limit}`;
      default:
        return undefined;
    }
  },
});

/**
 * An IANA zone, stored and echoed in its canonical spelling and current name
 * (`europe/london` -> `Europe/London`, `Asia/Calcutta` -> `Asia/Kolkata`).
 */
export const timeZoneSchema = z
  .string()
  .max(64)
  .refine(isValidTimeZone, { message: 'must be an IANA time zone such as Europe/London' })
  .transform(currentZoneName);

/** A calendar date between 1900 and 2999; ranges near the end of year 9999 cannot overflow. */
export const localDateSchema = z
  .string()
  .regex(/^(?:19|2\d)\d{2}-\d{2}-\d{2}$/, {
    message: 'must be a date as YYYY-MM-DD between 1900 and 2999',
    abort: true,
  })
  .refine(isValidLocalDate, { message: 'is not a real calendar date' });

export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, { message: 'is not a valid id' });

export const emailSchema = z
  .email({ message: 'must be an email address' })
  .max(254)
  .transform((value) => value.toLowerCase());

/**
 * Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder the text around
 * them: "RTL\u202Egnp.exe" shows as "RTLexe.png". Real right-to-left text needs none of them.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

/**
 * Half of a UTF-16 pair without its other half. It is not text: JSON encoders and mail headers
 * turn it into U+FFFD or refuse it, so it would be shown as "�" or break a notice.
 */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * What renders as nothing on its own: spaces of every kind, format characters (zero-width
 * space, joiners, word joiner, BOM), combining marks with no letter to sit on, and the blank
 * letters (Hangul fillers, the blank Braille pattern) used to make names that look empty.
 */
const INVISIBLE = /[\p{White_Space}\p{Cf}\p{M}\u115f\u1160\u3164\uffa0\u2800]/gu;

/** Names reach email headers and subjects: no control characters (CR/LF could inject headers). */
export const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .refine((name) => !/[\u0000-\u001f\u007f-\u009f]/.test(name), {
    message: 'must not contain control characters',
  })
  .refine((name) => !BIDI_CONTROLS.test(name), {
    message: 'must not contain text-direction override characters',
  })
  .refine((name) => !LONE_SURROGATE.test(name), {
    message: 'must be valid Unicode text (it holds half of a surrogate pair)',
  })
  // An empty name is already refused by min(1): one message is enough.
  .refine((name) => name === '' || name.replace(INVISIBLE, '') !== '', {
    message: 'must contain a visible character',
  });

/**
 * Free text a customer types (intake answers): line breaks and tabs are fine, other control
 * characters and direction overrides are not; they only ever hide or disguise what is shown.
 */
export function freeTextSchema(maxLength: number) {
  return z
    .string()
    .max(maxLength, { message: `must be at most ${maxLength} characters` })
    .refine((text) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(text), {
      message: 'must not contain control characters other than line breaks and tabs',
    })
    .refine((text) => !BIDI_CONTROLS.test(text), {
      message: 'must not contain text-direction override characters',
    })
    .refine((text) => !LONE_SURROGATE.test(text), {
      message: 'must be valid Unicode text (it holds half of a surrogate pair)',
    });
}

export const RESERVED_SLUGS = new Set([
  'api',
  'admin',
  'console',
  'static',
  'assets',
  'app',
  'www',
  'login',
  'signup',
  'auth',
  'health',
  'docs',
  'public',
  'manage',
  'booking',
  'bookings',
  'help',
  'support',
  'status',
]);

export const slugSchema = z
  .string()
  .min(3)
  .max(63)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, {
    message: 'must use lowercase letters, digits and inner hyphens',
  })
  .refine((slug) => !RESERVED_SLUGS.has(slug), { message: 'is reserved; choose another' });

export const idParamsSchema = z.strictObject({ id: idSchema });
