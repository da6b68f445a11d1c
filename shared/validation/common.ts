import { z } from 'zod';

import { isValidLocalDate, isValidTimeZone } from '../time/zones.js';

/** Schemas shared by several routes. Every body schema is strict: unknown fields are refused. */

/** An IANA zone, stored and echoed in its canonical spelling (`europe/london` -> `Europe/London`). */
export const timeZoneSchema = z
  .string()
  .max(64)
  .refine(isValidTimeZone, { message: 'must be an IANA time zone such as Europe/London' })
  .transform(
    (zone) => new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone,
  );

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

/** Names reach email headers and subjects: no control characters (CR/LF could inject headers). */
export const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .refine((name) => !/[\u0000-\u001f\u007f-\u009f]/.test(name), {
    message: 'must not contain control characters',
  });

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
