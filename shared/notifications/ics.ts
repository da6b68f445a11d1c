import ical, { ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

/** The calendar invitation attached to booking emails. */
export interface InviteInput {
  uid: string;
  sequence: number;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  organizerName: string;
  organizerEmail: string;
  /** The customer; RFC 5546 requires an attendee on REQUEST and CANCEL. */
  attendee: { name: string; email: string };
  url?: string;
  cancelled: boolean;
}

export function buildInvite(input: InviteInput): string {
  const calendar = ical({
    prodId: { company: 'Slotwise', product: 'Slotwise', language: 'EN' },
    method: input.cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  calendar.createEvent({
    id: input.uid,
    sequence: input.sequence,
    start: input.start,
    end: input.end,
    summary: input.summary,
    description: input.description,
    organizer: { name: parameterText(input.organizerName), email: input.organizerEmail },
    attendees: [
      {
        name: parameterText(input.attendee.name),
        email: input.attendee.email,
        status: input.cancelled ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED,
        rsvp: false,
      },
    ],
    status: input.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    ...(input.url ? { url: input.url } : {}),
  });
  return calendar.toString();
}

/**
 * A name as an iCalendar parameter value (CN=…). RFC 5545 §3.1 allows no double quote inside a
 * quoted parameter value and has no escape for one; ical-generator writes `\"`, which calendars
 * read as the end of the value. Double quotes become single ones.
 */
export function parameterText(name: string): string {
  return name.replaceAll('"', "'");
}

/** A calendar file the customer downloads and imports themselves (no invitation semantics). */
export interface EventFileInput {
  uid: string;
  sequence: number;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  url?: string;
  cancelled: boolean;
}

/**
 * The same event as the emailed invitation (same UID and SEQUENCE, so a calendar that has one
 * updates it from the other), published rather than requested: an imported REQUEST would make
 * some calendars ask the customer to answer their own booking. No organizer or attendee, so the
 * file carries no email address.
 */
export function buildEventFile(input: EventFileInput): string {
  const calendar = ical({
    prodId: { company: 'Slotwise', product: 'Slotwise', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
  });
  calendar.createEvent({
    id: input.uid,
    sequence: input.sequence,
    start: input.start,
    end: input.end,
    summary: input.summary,
    description: input.description,
    status: input.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    ...(input.url ? { url: input.url } : {}),
  });
  return calendar.toString();
}
