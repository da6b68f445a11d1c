import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

import { ApiError } from '../common/api';
import { addDays, formatLongDate, formatTime } from '../common/time';
import type { Booking, Slot } from '../common/types';
import type { Business } from './app';
import {
  dateOfIso,
  formatBookingTimes,
  formatBookingWhen,
  formatRange,
  formatShortDate,
  isLocalDate,
  startOfWeek,
  todayIn,
} from './dates';
import { ErrorSummary, fieldErrorsOf, focusLater, Status, TextField } from './forms';
import type { Session } from './session';

type Mode = 'day' | 'week';

/** The bookings calendar: one day or one week (Monday first), in the business's zone. */
export function BookingsView({
  session,
  business,
  route,
  staffNames,
}: {
  session: Session;
  business: Business;
  route: string[];
  staffNames: Map<string, string>;
}) {
  const zone = business.timeZone;
  const mode: Mode = route[0] === 'week' ? 'week' : 'day';
  const today = todayIn(zone);
  const date = route[1] && isLocalDate(route[1]) ? route[1] : today;
  const from = mode === 'week' ? startOfWeek(date) : date;
  const days = mode === 'week' ? 7 : 1;
  const to = addDays(from, days);

  const [bookings, setBookings] = useState<Booking[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [status, setStatus] = useState('');
  const [selected, setSelected] = useState<Booking | undefined>();
  const [reloads, setReloads] = useState(0);
  const [outcome, setOutcome] = useState<string | undefined>();

  useEffect(() => {
    let live = true;
    setStatus('Loading bookings…');
    setError(undefined);
    const query = new URLSearchParams({ from, to, timeZone: zone });
    session.call<{ items: Booking[] }>('GET', `admin/bookings?${query}`).then(
      (answer) => {
        if (!live) return;
        setBookings(answer.items);
        const count = answer.items.filter((b) => b.status === 'confirmed').length;
        setStatus(`${count} ${count === 1 ? 'booking' : 'bookings'} shown.`);
      },
      (caught: unknown) => {
        if (!live) return;
        setBookings(undefined);
        setError(caught);
        setStatus('');
      },
    );
    return () => {
      live = false;
    };
  }, [from, to, zone, reloads]);

  const step = mode === 'week' ? 7 : 1;
  const title =
    mode === 'week' ? `Week of ${formatRange(from, addDays(to, -1))}` : formatLongDate(from);
  const href = (m: Mode, d: string) => `#/bookings/${m}/${d}`;

  return (
    <section class="bookings" aria-labelledby="bookings-title">
      <h1 id="bookings-title" tabIndex={-1}>
        Bookings
      </h1>
      <div class="toolbar">
        <nav aria-label="Calendar view" class="segmented">
          <a href={href('day', date)} aria-current={mode === 'day' ? 'page' : undefined}>
            Day
          </a>
          <a href={href('week', date)} aria-current={mode === 'week' ? 'page' : undefined}>
            Week
          </a>
        </nav>
        <nav aria-label="Dates" class="pager">
          <a class="button secondary" href={href(mode, addDays(from, -step))}>
            Previous <span class="visually-hidden">{mode}</span>
          </a>
          <a
            class="button secondary"
            href={href(mode, today)}
            aria-current={
              from === (mode === 'week' ? startOfWeek(today) : today) ? 'date' : undefined
            }
          >
            Today
          </a>
          <a class="button secondary" href={href(mode, addDays(from, step))}>
            Next <span class="visually-hidden">{mode}</span>
          </a>
        </nav>
      </div>
      <h2 class="range-title">{title}</h2>
      <p class="muted zone-note">Times in {zone}.</p>
      <Status message={status} />
      {outcome && (
        <p class="notice success" role="status">
          {outcome}
        </p>
      )}
      <ErrorSummary error={error} />
      {bookings &&
        (mode === 'day' ? (
          <DayList
            bookings={bookings}
            zone={zone}
            staffNames={staffNames}
            onOpen={setSelected}
            empty="No bookings on this day."
          />
        ) : (
          <ol class="week" aria-label={title}>
            {Array.from({ length: 7 }, (_, i) => addDays(from, i)).map((day) => (
              <li key={day} class={day === today ? 'day today' : 'day'}>
                <h3>
                  <a href={href('day', day)}>
                    {formatShortDate(day)}
                    {day === today && <span class="visually-hidden"> (today)</span>}
                  </a>
                </h3>
                <DayList
                  bookings={bookings.filter((b) => dateOfIso(b.start) === day)}
                  zone={zone}
                  staffNames={staffNames}
                  onOpen={setSelected}
                  empty="No bookings"
                />
              </li>
            ))}
          </ol>
        ))}
      {selected && (
        <BookingDialog
          booking={selected}
          business={business}
          session={session}
          staffNames={staffNames}
          onClose={(message) => {
            setSelected(undefined);
            if (message) {
              setOutcome(message);
              setReloads((n) => n + 1);
            }
          }}
        />
      )}
    </section>
  );
}

function DayList({
  bookings,
  zone,
  staffNames,
  onOpen,
  empty,
}: {
  bookings: Booking[];
  zone: string;
  staffNames: Map<string, string>;
  onOpen: (booking: Booking) => void;
  empty: string;
}) {
  if (bookings.length === 0) return <p class="muted empty">{empty}</p>;
  return (
    <ul class="agenda">
      {bookings.map((booking) => {
        const staff = staffNames.get(booking.staffId);
        const cancelled = booking.status === 'cancelled';
        return (
          <li key={booking.id}>
            <button
              type="button"
              class={cancelled ? 'booking cancelled' : 'booking'}
              aria-haspopup="dialog"
              onClick={() => onOpen(booking)}
            >
              <span class="time">{formatBookingTimes(booking.start, booking.end, zone)}</span>
              <span class="service">{booking.serviceName}</span>
              {staff && <span class="staff">with {staff}</span>}
              <span class="customer">{booking.customer.name}</span>
              {cancelled && <span class="badge">Cancelled</span>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

type Step = 'view' | 'cancel' | 'reschedule';

/** The API's limit on a cancellation reason. */
const REASON_MAX_LENGTH = 500;

/**
 * One booking in a modal dialog, with its two actions: cancel (after a confirm step) and move to
 * a time from the booking's own slot list. `onClose` gets a message when the booking changed.
 */
function BookingDialog({
  booking,
  business,
  session,
  staffNames,
  onClose,
}: {
  booking: Booking;
  business: Business;
  session: Session;
  staffNames: Map<string, string>;
  onClose: (message?: string) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [step, setStep] = useState<Step>('view');
  const zone = business.timeZone;
  const done = useRef<string | undefined>();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    element.showModal();
    const closed = () => onClose(done.current);
    element.addEventListener('close', closed);
    return () => element.removeEventListener('close', closed);
  }, []);

  const finish = (message: string) => {
    done.current = message;
    dialog.current?.close();
  };
  // Back from a step, focus returns to the button that opened it rather than to the body.
  const back = (from: Step) => {
    setStep('view');
    focusLater(`booking-${from}`);
  };

  const when = formatBookingWhen(booking.start, booking.end, zone);
  const staff = staffNames.get(booking.staffId);

  return (
    <dialog ref={dialog} class="booking-dialog" aria-labelledby="booking-dialog-title">
      <div class="dialog-head">
        <h2 id="booking-dialog-title">
          {booking.serviceName} for {booking.customer.name}
        </h2>
        <button class="button secondary" type="button" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
      <dl class="details">
        <dt>When</dt>
        <dd>{when}</dd>
        {staff && (
          <>
            <dt>Staff</dt>
            <dd>{staff}</dd>
          </>
        )}
        <dt>Customer</dt>
        <dd>
          {booking.customer.name}
          <br />
          <a href={`mailto:${booking.customer.email}`}>{booking.customer.email}</a>
          {booking.customer.phone && (
            <>
              <br />
              {booking.customer.phone}
            </>
          )}
        </dd>
        {booking.seats > 1 && (
          <>
            <dt>Seats</dt>
            <dd>{booking.seats}</dd>
          </>
        )}
        {booking.answers.map((answer) => (
          <Fragment key={answer.questionId}>
            <dt>{answer.label}</dt>
            <dd>{answer.value}</dd>
          </Fragment>
        ))}
        <dt>Status</dt>
        <dd>{booking.status === 'cancelled' ? 'Cancelled' : 'Confirmed'}</dd>
      </dl>
      {booking.status === 'confirmed' && step === 'view' && (
        <div class="actions">
          <button
            class="button"
            type="button"
            id="booking-reschedule"
            onClick={() => setStep('reschedule')}
          >
            Reschedule
          </button>
          <button
            class="button danger"
            type="button"
            id="booking-cancel"
            onClick={() => setStep('cancel')}
          >
            Cancel booking
          </button>
        </div>
      )}
      {step === 'cancel' && (
        <CancelStep
          booking={booking}
          session={session}
          when={when}
          onBack={() => back('cancel')}
          onDone={finish}
        />
      )}
      {step === 'reschedule' && (
        <RescheduleStep
          booking={booking}
          business={business}
          session={session}
          staffNames={staffNames}
          onBack={() => back('reschedule')}
          onDone={finish}
        />
      )}
    </dialog>
  );
}

function CancelStep({
  booking,
  session,
  when,
  onBack,
  onDone,
}: {
  booking: Booking;
  session: Session;
  when: string;
  onBack: () => void;
  onDone: (message: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  async function cancel(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const body = reason.trim() ? { reason: reason.trim() } : {};
      await session.call('POST', `admin/bookings/${encodeURIComponent(booking.id)}/cancel`, body);
      onDone(`Cancelled ${booking.serviceName} for ${booking.customer.name} (${when}).`);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  }

  const errors = error instanceof ApiError ? fieldErrorsOf(error.details) : {};
  return (
    <form class="step" onSubmit={cancel} noValidate>
      <h3 ref={heading} tabIndex={-1}>
        Cancel this booking?
      </h3>
      <p>The customer is told by email. This cannot be undone.</p>
      <ErrorSummary error={error} labels={(path) => (path === 'reason' ? 'Reason' : path)} />
      <TextField
        path="reason"
        label="Reason (optional, sent to the customer)"
        value={reason}
        onValue={setReason}
        errors={errors}
        maxLength={REASON_MAX_LENGTH}
        multiline
      />
      <div class="actions">
        <button class="button danger" type="submit" aria-disabled={busy || undefined}>
          {busy ? 'Cancelling…' : 'Yes, cancel booking'}
        </button>
        <button class="button secondary" type="button" onClick={onBack}>
          Keep booking
        </button>
      </div>
    </form>
  );
}

function RescheduleStep({
  booking,
  business,
  session,
  staffNames,
  onBack,
  onDone,
}: {
  booking: Booking;
  business: Business;
  session: Session;
  staffNames: Map<string, string>;
  onBack: () => void;
  onDone: (message: string) => void;
}) {
  const zone = business.timeZone;
  const [date, setDate] = useState(dateOfIso(booking.start));
  // The slots and the date they are for travel together, so a list is never shown under a
  // date it does not belong to while the next one loads.
  const [loaded, setLoaded] = useState<{ date: string; slots: Slot[] } | undefined>();
  const slots = loaded?.date === date ? loaded.slots : undefined;
  const [choice, setChoice] = useState<string | undefined>();
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [reloads, setReloads] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  useEffect(() => {
    setChoice(undefined);
    if (!isLocalDate(date)) {
      setStatus('');
      return;
    }
    let live = true;
    setStatus('Loading free times…');
    const query = new URLSearchParams({ start: date, end: addDays(date, 1), timeZone: zone });
    // Staff cannot read staff names, so times of several staff members would look alike: they
    // are offered the booking's own staff member's (the only ones without the bookings grant).
    if (!session.canManageCatalogue) query.set('staffId', booking.staffId);
    // The booking's own list: its current time counts as free (so it can move by less than its
    // length), and only times the caller may move it to.
    session
      .call<{ slots: Slot[] }>(
        'GET',
        `admin/bookings/${encodeURIComponent(booking.id)}/slots?${query}`,
      )
      .then(
        (answer) => {
          if (!live) return;
          // Its current time is on the list (it is free for this booking) but is no move.
          const current = Date.parse(booking.start);
          const slots = answer.slots.filter(
            (slot) => Date.parse(slot.start) !== current || slot.staffId !== booking.staffId,
          );
          setLoaded({ date, slots });
          const n = slots.length;
          setStatus(
            n === 0 ? 'No free times on this day.' : `${n} free ${n === 1 ? 'time' : 'times'}.`,
          );
        },
        (caught: unknown) => {
          if (!live) return;
          setError(caught);
          setStatus('');
        },
      );
    return () => {
      live = false;
    };
  }, [date, reloads]);

  const slotKey = (slot: Slot) => `${slot.start}|${slot.staffId}`;

  // An error is about the date or time it came from: a new pick clears it, so it is not read as
  // being about the new one. A 409 reloads the list without clearing, so it stays until then.
  const pickDate = (value: string) => {
    setError(undefined);
    setDate(value);
  };
  const pickTime = (key: string) => {
    setError(undefined);
    setChoice(key);
  };

  async function move(event: Event) {
    event.preventDefault();
    if (busy || !slots || slots.length === 0) return;
    const slot = slots?.find((s) => slotKey(s) === choice);
    if (!slot) {
      setError(
        new ApiError(422, 'validation', 'Choose a new time first.', [
          { path: 'start', message: 'choose one of the free times' },
        ]),
      );
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await session.call('POST', `admin/bookings/${encodeURIComponent(booking.id)}/reschedule`, {
        start: slot.start,
        staffId: slot.staffId,
        timeZone: zone,
      });
      onDone(
        `Moved ${booking.serviceName} for ${booking.customer.name} to ${formatLongDate(dateOfIso(slot.start))}, ${formatTime(slot.start, zone)}.`,
      );
    } catch (caught) {
      setError(caught);
      setBusy(false);
      // A 409 means the time was just taken: show what is free now.
      if (caught instanceof ApiError && caught.status === 409) setReloads((n) => n + 1);
    }
  }

  const errors = error instanceof ApiError ? fieldErrorsOf(error.details) : {};
  // The list's query names the day (`query.start`, `query.end`); the move names the time.
  const dateError = errors['query.start'] ?? errors['query.end'];
  const startError = errors['start'];
  return (
    <form class="step" onSubmit={move} noValidate>
      <h3 ref={heading} tabIndex={-1}>
        Move to another time
      </h3>
      <ErrorSummary
        error={error}
        labels={rescheduleLabel}
        // Only a taken time is helped by the fresh list; any other 409 says itself what to do.
        conflictAdvice={
          error instanceof ApiError && error.code === 'slot_unavailable'
            ? 'The free times below are up to date.'
            : ''
        }
      />
      <TextField
        path="date"
        label="Date"
        type="date"
        value={date}
        onValue={pickDate}
        errors={dateError ? { date: dateError } : {}}
      />
      <Status message={status} />
      {slots && slots.length > 0 && (
        <fieldset class="slots" aria-describedby={startError ? 'slot-error' : undefined}>
          <legend>Free times on {formatLongDate(date)}</legend>
          {startError && (
            <p class="error" id="slot-error">
              {startError}
            </p>
          )}
          {slots.map((slot) => {
            const key = slotKey(slot);
            const staff = staffNames.get(slot.staffId);
            return (
              <label key={key} class="slot">
                <input
                  type="radio"
                  name="slot"
                  value={key}
                  checked={choice === key}
                  onChange={() => pickTime(key)}
                />
                {formatTime(slot.start, zone)}
                {staff ? ` with ${staff}` : ''}
              </label>
            );
          })}
        </fieldset>
      )}
      <div class="actions">
        <button
          class="button"
          type="submit"
          aria-disabled={busy || !slots || slots.length === 0 || undefined}
        >
          {busy ? 'Moving…' : 'Move booking'}
        </button>
        <button class="button secondary" type="button" onClick={onBack}>
          Back
        </button>
      </div>
    </form>
  );
}

function rescheduleLabel(path: string): string {
  if (path === 'start') return 'New time';
  if (path === 'query.start' || path === 'query.end') return 'Date';
  return path;
}
