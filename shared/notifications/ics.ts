import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

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
    organizer: { name: input.organizerName, email: input.organizerEmail },
    status: input.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    ...(input.url ? { url: input.url } : {}),
  });
  return calendar.toString();
}
