import type { Booking } from '../common/types.js';

/** 20300108T090000Z: the compact UTC form both calendar services take. */
function compactUtc(instant: number): string {
  return new Date(instant)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * Add-to-calendar links for a booking. The third-party links carry only what, when and with
 * whom: never the manage link, whose token would then sit in another company's logs. The .ics
 * file comes from our own API and does carry it, like the emailed invitation.
 */
export function calendarLinks(booking: Booking, businessName: string, slug: string, token: string) {
  const start = Date.parse(booking.start);
  const end = Date.parse(booking.end);
  const title = `${booking.serviceName} with ${businessName}`;
  const details = `Booked with ${businessName}. To change or cancel, use the link in your confirmation email.`;
  const google = new URL('https://calendar.google.com/calendar/render');
  google.search = new URLSearchParams({
    action: 'TEMPLATE',
    text: title,
    dates: `${compactUtc(start)}/${compactUtc(end)}`,
    details,
  }).toString();
  const outlook = new URL('https://outlook.live.com/calendar/0/deeplink/compose');
  outlook.search = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: title,
    startdt: new Date(start).toISOString(),
    enddt: new Date(end).toISOString(),
    body: details,
  }).toString();
  const ics = `/api/public/${slug}/bookings/${encodeURIComponent(booking.id)}/ics?${new URLSearchParams({ token })}`;
  return { google: google.href, outlook: outlook.href, ics };
}

export function CalendarLinks(props: {
  booking: Booking;
  businessName: string;
  slug: string;
  token: string;
}) {
  const links = calendarLinks(props.booking, props.businessName, props.slug, props.token);
  return (
    <section class="add-to-calendar" aria-labelledby="add-to-calendar">
      <h3 id="add-to-calendar">Add to your calendar</h3>
      <ul class="actions">
        <li>
          <a class="button secondary" href={links.ics} download={`booking-${props.booking.id}.ics`}>
            Download .ics file
          </a>
        </li>
        <li>
          <a class="button secondary" href={links.google} target="_blank" rel="noopener noreferrer">
            Google Calendar<span class="visually-hidden"> (opens in a new tab)</span>
          </a>
        </li>
        <li>
          <a
            class="button secondary"
            href={links.outlook}
            target="_blank"
            rel="noopener noreferrer"
          >
            Outlook<span class="visually-hidden"> (opens in a new tab)</span>
          </a>
        </li>
      </ul>
    </section>
  );
}
