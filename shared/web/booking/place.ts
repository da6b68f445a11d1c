/**
 * Where a visitor is in the booking, as the address bar keeps it, so Back, Forward and a reload
 * land on the same step: `?service=…&staff=…&zone=…&date=YYYY-MM-DD&time=<slot start>&step=…`.
 * Only choices from the business's own catalogue go in; the visitor's name, email and answers
 * never do, as addresses end up in histories, logs and shared links.
 */
import { addDays, dateIn, dateOfUtc, utcOf } from '../common/time.js';
import { modernZone } from '../common/zones.js';

export type PlaceStep = 'service' | 'time' | 'details';

export interface Place {
  step: PlaceStep;
  serviceId?: string | undefined;
  staffId?: string | undefined;
  zone?: string | undefined;
  date?: string | undefined;
  /** The chosen slot's start, as the API wrote it. */
  time?: string | undefined;
}

/** The place a query string names; an unknown step is the first. Values are checked later. */
export function readPlace(search: string): Place {
  const query = new URLSearchParams(search);
  const value = (name: string) => query.get(name) || undefined;
  const step = query.get('step');
  return {
    step: step === 'time' || step === 'details' ? step : 'service',
    serviceId: value('service'),
    staffId: value('staff'),
    zone: value('zone'),
    date: value('date'),
    time: value('time'),
  };
}

/** The query string of a place (with its `?`), or '' for the bare first step. */
export function placeSearch(place: Place): string {
  const query = new URLSearchParams();
  const add = (name: string, value: string | undefined) => value && query.set(name, value);
  add('service', place.serviceId);
  add('staff', place.staffId);
  if (place.step !== 'service') {
    add('zone', place.zone);
    add('date', place.date);
    if (place.step === 'details') add('time', place.time);
    query.set('step', place.step);
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** A zone the browser can format in, by its current name; undefined for anything else. */
export function validZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return modernZone(zone);
  } catch {
    return undefined;
  }
}

/** A real calendar date from today through the last bookable day in the zone; else undefined. */
export function validDate(
  date: string | undefined,
  zone: string,
  maxAdvanceDays: number,
  now: number,
): string | undefined {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date) || dateOfUtc(utcOf(date)) !== date)
    return undefined;
  const today = dateIn(now, zone);
  return date >= today && date <= addDays(today, maxAdvanceDays) ? date : undefined;
}
