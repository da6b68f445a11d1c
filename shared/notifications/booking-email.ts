import { getConfig } from '../config/config.js';
import { TenantStore, trustTenantId } from '../cosmos/tenant-store.js';
import { manageUrl, type BookingRecord } from '../booking/bookings.js';
import { deriveManageToken } from '../booking/manage-token.js';
import type { BookingNotice } from '../booking/notices.js';
import { formatInZone } from '../time/zones.js';
import { loadTenant } from '../tenants/tenant.js';
import { getEmailSender, type EmailMessage } from './email.js';
import { buildEventFile, buildInvite } from './ics.js';

const SUBJECTS: Record<BookingNotice['kind'], string> = {
  confirmed: 'Booking confirmed',
  rescheduled: 'Booking moved',
  cancelled: 'Booking cancelled',
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Builds the customer's email for one booking event, with the .ics invitation attached. */
export function composeBookingEmail(
  notice: BookingNotice,
  booking: BookingRecord,
  business: { name: string; slug: string },
  token: string,
): EmailMessage {
  const link = manageUrl(business.slug, booking.id, token);
  const when = formatWhen(booking);
  const cancelled = notice.kind === 'cancelled';
  const subject = `${SUBJECTS[notice.kind]}: ${booking.serviceName} with ${business.name}`;
  const lines = [
    `Hello ${booking.customer.name},`,
    '',
    cancelled
      ? `Your ${booking.serviceName} on ${when} is cancelled.`
      : `Your ${booking.serviceName} with ${business.name} is on ${when}.`,
    '',
    ...(cancelled ? [] : [`To reschedule or cancel: ${link}`, '']),
    `Times are shown in ${booking.timeZone}.`,
  ];
  const invite = buildInvite({
    uid: `${booking.id}@slotwise`,
    sequence: booking.sequence,
    start: new Date(booking.start),
    end: new Date(booking.end),
    summary: `${booking.serviceName} with ${business.name}`,
    description: cancelled ? 'Cancelled.' : `Reschedule or cancel: ${link}`,
    organizerName: business.name,
    organizerEmail: getConfig().EMAIL_SENDER ?? 'no-reply@slotwise.local',
    attendee: { name: booking.customer.name, email: booking.customer.email },
    ...(cancelled ? {} : { url: link }),
    cancelled,
  });
  return {
    key: `${booking.id}-${notice.kind}-${notice.sequence}`,
    to: { address: booking.customer.email, name: booking.customer.name },
    subject,
    text: lines.join('\n'),
    html: lines.map((line) => (line ? `<p>${escapeHtml(line)}</p>` : '')).join('\n'),
    attachments: [
      {
        name: 'invite.ics',
        contentType: `text/calendar; method=${cancelled ? 'CANCEL' : 'REQUEST'}`,
        content: invite,
      },
    ],
  };
}

/**
 * The booking as a calendar file to download (from the confirmation and manage pages): the same
 * event as the emailed invitation, so importing both leaves one event.
 */
export function composeBookingEventFile(
  booking: BookingRecord,
  business: { name: string; slug: string },
  token: string,
): string {
  const link = manageUrl(business.slug, booking.id, token);
  const cancelled = booking.status === 'cancelled';
  return buildEventFile({
    uid: `${booking.id}@slotwise`,
    sequence: booking.sequence,
    start: new Date(booking.start),
    end: new Date(booking.end),
    summary: `${booking.serviceName} with ${business.name}`,
    description: cancelled ? 'Cancelled.' : `Reschedule or cancel: ${link}`,
    ...(cancelled ? {} : { url: link }),
    cancelled,
  });
}

function formatWhen(booking: BookingRecord): string {
  const start = formatInZone(Date.parse(booking.start), booking.timeZone);
  return `${start.slice(0, 10)} at ${start.slice(11, 16)} (${booking.timeZone})`;
}

/**
 * Sends the email for one queued notice. A notice about a booking that has changed since is
 * sent with the booking as it is now (its invitation carries the current SEQUENCE, so calendars
 * keep the latest); a confirmation or move of a booking cancelled since is not sent at all.
 */
export async function sendBookingNotice(notice: BookingNotice): Promise<{ reference?: string }> {
  const store = TenantStore.for(trustTenantId(notice.tenantId));
  const booking = await store.read<BookingRecord>('booking', notice.bookingId);
  if (!booking) return {};
  if (booking.status === 'cancelled' && notice.kind !== 'cancelled') return {};
  const tenant = await loadTenant(store);
  const token = deriveManageToken(store.tenantId, booking.id, booking.manageTokenNonce);
  const message = composeBookingEmail(
    notice,
    booking,
    { name: tenant.businessName, slug: tenant.slug },
    token,
  );
  return getEmailSender().send(message);
}
