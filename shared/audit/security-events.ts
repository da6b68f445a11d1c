import { randomBytes } from 'node:crypto';

import { z } from 'zod';

import { toView, type TenantDoc, type TenantStore } from '../cosmos/tenant-store.js';
import { sql } from '../cosmos/sql.js';
import { now } from '../runtime/clock.js';

/**
 * Security events of a business: sign-in lockouts, refresh-token reuse, two-factor changes,
 * sessions ended. They hold ids and pseudonyms (HMACs) only: never an email, a raw client
 * address, a token or a password, so the log itself is no privacy risk.
 */
export const SECURITY_EVENT_KINDS = [
  'login_lockout',
  'address_lockout',
  'mfa_lockout',
  'refresh_token_reuse',
  'sessions_ended',
  'password_changed',
  'totp_enabled',
  'totp_disabled',
  'recovery_code_used',
  'security_settings_changed',
] as const;
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

/** Ids, counts, reasons and HMAC pseudonyms; nothing a person could be identified by. */
export type SecurityEventDetail = Record<string, string | number | boolean>;

export interface SecurityEventRecord extends TenantDoc {
  type: 'securityEvent';
  kind: SecurityEventKind;
  userId?: string;
  detail: SecurityEventDetail;
  at: string;
}

/** Ids sort by time: a fixed-width millisecond count first, then randomness against ties. */
function eventId(at: number): string {
  return `sev_${String(at).padStart(15, '0')}_${randomBytes(6).toString('hex')}`;
}

/** Writes one security event into the business's partition. */
export async function recordSecurityEvent(
  store: TenantStore,
  event: { kind: SecurityEventKind; userId?: string | undefined; detail?: SecurityEventDetail },
): Promise<void> {
  const at = now();
  await store.create<SecurityEventRecord>({
    id: eventId(at),
    type: 'securityEvent',
    kind: event.kind,
    ...(event.userId ? { userId: event.userId } : {}),
    detail: event.detail ?? {},
    at: new Date(at).toISOString(),
  });
}

export const securityEventsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  /** The `nextCursor` of the previous page. */
  cursor: z
    .string()
    .regex(/^sev_\d{15}_[0-9a-f]{12}$/, { message: 'must be a cursor from a previous page' })
    .optional(),
});
export type SecurityEventsQuery = z.infer<typeof securityEventsQuerySchema>;

export const securityEventViewSchema = z.object({
  id: z.string(),
  kind: z.enum(SECURITY_EVENT_KINDS),
  userId: z.string().optional(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  at: z.string(),
});

export const securityEventsResponseSchema = z.object({
  items: z.array(securityEventViewSchema),
  nextCursor: z.string().nullable(),
});

/** A page of events, newest first; `nextCursor` continues below the last one shown. */
export async function listSecurityEvents(store: TenantStore, query: SecurityEventsQuery) {
  // The id orders by time, so "older than the cursor" is a plain id comparison.
  const rows = query.cursor
    ? await store.query<SecurityEventRecord>(
        sql`SELECT TOP 101 * FROM c WHERE c.type = 'securityEvent' AND c.id < @cursor ORDER BY c.id DESC`,
        { '@cursor': query.cursor },
      )
    : await store.query<SecurityEventRecord>(
        sql`SELECT TOP 101 * FROM c WHERE c.type = 'securityEvent' ORDER BY c.id DESC`,
      );
  const page = rows.slice(0, query.limit);
  const nextCursor = rows.length > query.limit ? (page.at(-1)?.id ?? null) : null;
  return { items: page.map((event) => toView(event)), nextCursor };
}
