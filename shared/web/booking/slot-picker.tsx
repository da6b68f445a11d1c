import { useEffect, useMemo, useState } from 'preact/hooks';

import { api, ApiError, isTransient } from '../common/api.js';
import { MonthCalendar } from './calendar.js';
import { addDays, dateIn, formatLongDate, formatTime } from '../common/time.js';
import { addMonths, firstOfMonth, listZones, monthOf } from './time.js';
import type { PublicService, Slot } from '../common/types.js';

export interface SlotPickerProps {
  slug: string;
  service: PublicService;
  /** One staff member's times, or everyone's (each time once) when undefined. */
  staffId: string | undefined;
  zone: string;
  businessZone: string;
  onZoneChange: (zone: string) => void;
  selectedStart: string | undefined;
  onPick: (slot: Slot) => void;
  /** Changing it reloads the times (after a time was just taken, say). */
  refreshKey: number;
  /** The day to show first, e.g. the one the visitor chose before leaving this step. */
  initialDate?: string | undefined;
  /** Told each day shown once its times are in, so the page can keep it (in its address, say). */
  onDateChange?: (date: string) => void;
  /**
   * The booking being moved, its manage token and its start: the times overlapping its own are
   * offered (it may move by less than its length), its very start is not (that is no move).
   */
  rescheduling?: { bookingId: string; token: string; start: string } | undefined;
  /**
   * What to say when the times are refused (a 4xx): the page asked for them, not the visitor, so
   * the API's message (`query.staffId: …`) means nothing to them, and asking again gets the same
   * answer. The page knows what the visitor can do instead.
   */
  refused: string;
}

type Load =
  { state: 'loading' } | { state: 'ready'; slots: Slot[] } | { state: 'error'; error: ApiError };

/**
 * Date and time selection, shared by the booking page and the manage page's reschedule: a time
 * zone select, a month calendar whose days without times are marked, and the chosen day's times.
 * Slots are asked for a whole month in the chosen zone, so their dates are already that zone's.
 */
export function SlotPicker(props: SlotPickerProps) {
  const { slug, service, staffId, zone, businessZone } = props;
  const today = dateIn(Date.now(), zone);
  const lastDate = addDays(today, service.maxAdvanceDays);
  const [month, setMonth] = useState(monthOf(props.initialDate ?? today));
  const [date, setDate] = useState<string | undefined>(props.initialDate);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // Only the first month shown may skip ahead by itself, when it has nothing left to book.
  const [mayAdvance, setMayAdvance] = useState(props.initialDate === undefined);
  const zones = useMemo(() => listZones([zone, businessZone]), [zone, businessZone]);

  useEffect(() => {
    const controller = new AbortController();
    setLoad({ state: 'loading' });
    const query = new URLSearchParams({
      serviceId: service.id,
      start: firstOfMonth(month),
      end: firstOfMonth(addMonths(month, 1)),
      timeZone: zone,
      ...(staffId ? { staffId } : {}),
      ...(props.rescheduling ? { rescheduling: props.rescheduling.bookingId } : {}),
    });
    api<{ slots: Slot[] }>('GET', `public/${slug}/slots?${query}`, {
      signal: controller.signal,
      // The booking id may sit in the URL; its manage token only in the header.
      ...(props.rescheduling ? { bookingToken: props.rescheduling.token } : {}),
    })
      .then(({ slots }) => {
        if (slots.length === 0 && mayAdvance && month < monthOf(lastDate)) {
          setMayAdvance(false);
          setMonth(addMonths(month, 1));
          return;
        }
        const current = props.rescheduling && Date.parse(props.rescheduling.start);
        setLoad({
          state: 'ready',
          slots: current ? slots.filter((slot) => Date.parse(slot.start) !== current) : slots,
        });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setLoad({
          state: 'error',
          error:
            error instanceof ApiError
              ? error
              : new ApiError(0, 'network', 'The times could not be loaded.'),
        });
      });
    return () => controller.abort();
  }, [slug, service.id, staffId, zone, month, props.refreshKey, attempt]);

  const byDate = useMemo(() => {
    const days = new Map<string, Slot[]>();
    if (load.state !== 'ready') return days;
    for (const slot of load.slots) {
      const day = slot.start.slice(0, 10);
      const list = days.get(day) ?? [];
      // With anyone's times, two staff free at once show as one time; the server picks who.
      if (!list.some((other) => other.start === slot.start)) list.push(slot);
      days.set(day, list);
    }
    return days;
  }, [load]);

  // Keep the chosen day when it still has times; otherwise show the month's first day that has.
  const shownDate = date && byDate.has(date) ? date : [...byDate.keys()].sort()[0];
  useEffect(() => {
    if (load.state === 'ready' && shownDate !== date) setDate(shownDate);
    if (load.state === 'ready' && shownDate) props.onDateChange?.(shownDate);
  }, [load, shownDate]);

  const counts = new Map([...byDate].map(([day, slots]) => [day, slots.length]));
  const times = shownDate ? (byDate.get(shownDate) ?? []) : [];
  const status =
    load.state === 'loading'
      ? 'Loading available times…'
      : load.state === 'error'
        ? ''
        : shownDate
          ? `${times.length === 1 ? '1 time' : `${times.length} times`} on ${formatLongDate(shownDate)}.`
          : `No times left in this month.`;

  return (
    <div class="picker">
      <div class="field zone-field">
        <label for="zone">Time zone</label>
        <select
          id="zone"
          value={zone}
          aria-describedby="zone-note"
          onChange={(event) => props.onZoneChange((event.target as HTMLSelectElement).value)}
        >
          {zones.map((name) => (
            <option key={name} value={name}>
              {name.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
        <p id="zone-note" class="hint">
          Times in {zone}
          {zone === businessZone
            ? ' (the business’s zone too)'
            : ` · business is in ${businessZone}`}
        </p>
      </div>

      <p role="status" class="picker-status">
        {status}
      </p>
      {load.state === 'error' &&
        (isTransient(load.error) ? (
          <div class="notice error" role="alert">
            <p>{load.error.message}</p>
            <button type="button" class="button secondary" onClick={() => setAttempt(attempt + 1)}>
              Retry
            </button>
          </div>
        ) : (
          <div class="notice error" role="alert">
            <p>{props.refused}</p>
          </div>
        ))}

      <div class="picker-columns">
        <MonthCalendar
          month={month}
          available={counts}
          selected={shownDate}
          today={today}
          lastDate={lastDate}
          loading={load.state !== 'ready'}
          onSelect={setDate}
          onMonthChange={(next) => {
            setMayAdvance(false);
            setMonth(next);
          }}
        />
        {shownDate && load.state === 'ready' && (
          <section class="times" aria-labelledby="times-heading">
            <h3 id="times-heading">Times on {formatLongDate(shownDate)}</h3>
            <ul class="time-list">
              {times.map((slot) => (
                <li key={slot.start}>
                  <button
                    type="button"
                    class="button secondary time"
                    aria-pressed={slot.start === props.selectedStart}
                    onClick={() => props.onPick(slot)}
                  >
                    {formatTime(Date.parse(slot.start), zone)}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </div>
  );
}
