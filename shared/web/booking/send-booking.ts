import { api, ApiError } from '../common/api.js';
import type { CreatedBooking } from '../common/types.js';
import { asApiError } from './use-catalogue.js';

export interface BookingRequest {
  serviceId: string;
  staffId?: string;
  start: string;
  timeZone: string;
  customer: { name: string; email: string };
  answers?: Record<string, string>;
}

/**
 * Booking requests whose answer never came (the connection dropped, a gateway timed out): the
 * Idempotency-Key they went with and every body sent with it. Any of them may have booked.
 */
export interface Unanswered {
  key: string;
  bodies: BookingRequest[];
}

export type Outcome =
  /** `earlier`: the booking an earlier, unanswered request made, with the details sent then. */
  | { kind: 'booked'; booking: CreatedBooking; earlier: boolean }
  /** Nobody knows yet whether anything was booked; the next try must go with `unanswered`. */
  | { kind: 'unknown'; unanswered: Unanswered; error: ApiError }
  /** The server refused this request; nothing was booked by it or by an earlier one. */
  | { kind: 'refused'; error: ApiError };

/**
 * 128 random bits. `crypto.randomUUID` exists only in secure contexts (HTTPS, localhost);
 * `getRandomValues` works everywhere, so a page opened over plain HTTP on a LAN can still book.
 */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** No answer, a request with the key still running, or a gateway's 5xx: it may have booked. */
function isUnknown(error: ApiError): boolean {
  if (error.code === 'network' || error.status >= 500) return true;
  return error.status === 409 && error.code === 'idempotency_conflict';
}

/** The server has this key on record for another body: that body's answer is the one to get. */
const isOtherBody = (error: ApiError) =>
  error.status === 422 && error.code === 'idempotency_conflict';

/**
 * Sends a booking so that a customer who saw no answer, corrected a detail or picked another
 * time, and pressed Confirm again, is never booked twice. Every try after an unanswered one goes
 * with the same Idempotency-Key. The server replays the stored answer for the same body, and
 * refuses another body once an earlier one reached it; then the earlier bodies are sent again
 * to learn which one it was. If that one booked, its booking is the answer (the customer is told
 * the details differ); if it was refused, nothing was booked and the new details go on a new key.
 */
export async function sendBooking(
  slug: string,
  body: BookingRequest,
  unanswered?: Unanswered,
): Promise<Outcome> {
  const post = (sent: BookingRequest, key: string) =>
    api<CreatedBooking>('POST', `public/${slug}/bookings`, {
      headers: { 'idempotency-key': key },
      body: sent,
    });
  const key = unanswered?.key ?? newIdempotencyKey();
  const same = (a: BookingRequest) => JSON.stringify(a) === JSON.stringify(body);
  const earlier = (unanswered?.bodies ?? []).filter((sent) => !same(sent));
  const stillUnknown = (error: ApiError): Outcome => ({
    kind: 'unknown',
    unanswered: { key, bodies: [...earlier, body] },
    error,
  });

  try {
    return { kind: 'booked', booking: await post(body, key), earlier: false };
  } catch (caught) {
    const error = asApiError(caught);
    if (isUnknown(error)) return stillUnknown(error);
    if (!isOtherBody(error) || earlier.length === 0) return { kind: 'refused', error };
  }

  for (const sent of [...earlier].reverse()) {
    try {
      return { kind: 'booked', booking: await post(sent, key), earlier: true };
    } catch (caught) {
      const error = asApiError(caught);
      if (isUnknown(error)) return stillUnknown(error);
      if (isOtherBody(error)) continue;
      // That request was refused, so it booked nothing: the new details are a new request.
      return sendBooking(slug, body);
    }
  }
  // None of them is on record any more (a day passed): the new details are a new request.
  return sendBooking(slug, body);
}
