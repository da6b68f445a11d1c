import { useState } from 'preact/hooks';

import { apiFile } from '../common/api.js';
import type { Booking } from '../common/types.js';
import { asApiError } from './use-catalogue.js';

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
 * file comes from our own API and does carry it, like the emailed invitation; its path (below
 * `/api/`) carries no token, which travels in the request's `Booking-Token` header.
 */
export function calendarLinks(booking: Booking, businessName: string, slug: string) {
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
  const ics = `public/${slug}/bookings/${encodeURIComponent(booking.id)}/ics`;
  return { google: google.href, outlook: outlook.href, ics };
}

/**
 * Saves a file under `filename` through a temporary `<a download>` on an object URL. The page's
 * policy needs nothing more for it: the fetch before went to our own origin (`connect-src
 * 'self'`), and a download is a navigation, which no fetch directive governs.
 */
function saveFile(file: Blob, filename: string): void {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  // In the document for the click: some browsers have ignored clicks on detached links.
  document.body.append(link);
  link.click();
  link.remove();
  // Not revoked at once: a browser may read the URL only after the click has returned.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function CalendarLinks(props: {
  booking: Booking;
  businessName: string;
  slug: string;
  token: string;
}) {
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const links = calendarLinks(props.booking, props.businessName, props.slug);

  // A button that fetches, not a plain link: the token must go in a header, which a link
  // cannot send, and a URL carrying it would sit in request logs.
  const download = async () => {
    if (saving) return;
    setSaving(true);
    setFailure(undefined);
    try {
      const file = await apiFile(links.ics, { bookingToken: props.token });
      saveFile(file, `booking-${props.booking.id}.ics`);
    } catch (caught) {
      setFailure(asApiError(caught).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="add-to-calendar" aria-labelledby="add-to-calendar">
      <h3 id="add-to-calendar">Add to your calendar</h3>
      {failure && (
        <div class="notice error" role="alert">
          <p>{failure}</p>
        </div>
      )}
      <ul class="actions">
        <li>
          <button
            type="button"
            class="button secondary"
            aria-disabled={saving}
            onClick={() => void download()}
          >
            Download .ics file
          </button>
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
