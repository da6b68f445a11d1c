/** The API's shapes, as the booking pages and the console read them (see docs/api.md). */
export interface Question {
  id: string;
  label: string;
  type: 'text' | 'choice';
  required: boolean;
  options?: string[];
  maxLength: number;
}

export interface PublicService {
  id: string;
  name: string;
  description?: string;
  durationMinutes: number;
  capacity: number;
  maxAdvanceDays: number;
  staffIds: string[];
  questions: Question[];
}

export interface Catalogue {
  business: { name: string; slug: string; timeZone: string };
  services: PublicService[];
  staff: { id: string; name: string }[];
}

/** A bookable start, formatted in the zone the slots were asked in (with its offset). */
export interface Slot {
  start: string;
  end: string;
  staffId: string;
  seatsLeft: number;
}

export interface Booking {
  id: string;
  status: 'confirmed' | 'cancelled';
  start: string;
  end: string;
  staffId: string;
  serviceId: string;
  serviceName: string;
  seats: number;
  timeZone: string;
  // The booking page never asks for a phone; a booking made another way may carry one.
  customer: { name: string; email: string; phone?: string };
  answers: { questionId: string; label: string; value: string }[];
  createdAt: string;
  cancelledAt?: string;
}

export interface CreatedBooking extends Booking {
  manageToken: string;
  manageUrl: string;
}
