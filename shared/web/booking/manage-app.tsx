import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

import { api, ApiError, isAboutFields, isTransient } from '../common/api.js';
import { LoadFailure } from './booking-app.js';
import { CalendarLinks } from './calendar-links.js';
import { SlotPicker } from './slot-picker.js';
import { Summary } from './summary.js';
import { detectZone, formatSpan } from './time.js';
import type { Booking, Catalogue, Slot } from '../common/types.js';
import { asApiError, staffNameOf, type Loaded } from './use-catalogue.js';

type Mode = 'view' | 'reschedule' | 'confirm-move' | 'confirm-cancel';

/** The booking id from `/{slug}/manage/{id}` and the token from `#token=…`. */
function readLink(): { id: string; token: string | undefined } {
  const segment = location.pathname.split('/').filter(Boolean).pop() ?? '';
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    // A stray `%` from a mangled link: send it as it is and let the server refuse the id.
    id = segment;
  }
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? undefined;
  return { id, token };
}

const BAD_LINK =
  'This link does not open a booking. It may be incomplete or mistyped: open the link from your latest confirmation email, or contact the business.';

/**
 * The customer's manage page: the booking, and moving or cancelling it. The token never leaves
 * the page except in the `Booking-Token` header of calls to the public booking API; no URL the
 * page asks for carries it.
 */
export function ManageApp({ slug }: { slug: string }) {
  const [{ id, token }, setLink] = useState(readLink);
  const [loaded, setLoaded] = useState<Loaded<{ catalogue: Catalogue; booking: Booking }>>({
    state: 'loading',
  });
  const [attempt, setAttempt] = useState(0);
  const [mode, setMode] = useState<Mode>('view');
  const [zone, setZone] = useState(detectZone);
  const [newSlot, setNewSlot] = useState<Slot | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<{ message: string; retry?: () => void } | undefined>();
  const [taken, setTaken] = useState<string | undefined>(undefined);
  const [refreshKey, setRefreshKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const [moved, setMoved] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  const bookingPath = `public/${slug}/bookings/${encodeURIComponent(id)}`;

  useEffect(() => {
    if (!token) {
      setLoaded({ state: 'error', error: new ApiError(404, 'not_found', BAD_LINK) });
      return;
    }
    setLoaded({ state: 'loading' });
    Promise.all([
      api<Catalogue>('GET', `public/${slug}/services`),
      api<Booking>('GET', bookingPath, { bookingToken: token }),
    ])
      .then(([catalogue, booking]) => setLoaded({ state: 'ready', value: { catalogue, booking } }))
      .catch((error: unknown) => setLoaded({ state: 'error', error: asApiError(error) }));
  }, [id, token, attempt]);

  // A newer link pasted into the same tab changes only the hash, which reloads nothing by itself.
  useEffect(() => {
    const onHashChange = () => {
      setLink(readLink());
      setMode('view');
      setNotice(undefined);
      setProblem(undefined);
      setNewSlot(undefined);
    };
    addEventListener('hashchange', onHashChange);
    return () => removeEventListener('hashchange', onHashChange);
  }, []);

  // A layout effect: the heading has focus in the same frame it appears.
  useLayoutEffect(() => {
    if (moved) heading.current?.focus();
  }, [mode, moved, loaded.state === 'ready' && loaded.value.booking.status]);

  const go = (next: Mode) => {
    setMoved(true);
    setProblem(undefined);
    setMode(next);
  };

  // A failed load is worth a Retry only when it is transient (see isTransient): every other
  // answer (404, 422 on a cut-off token or a mangled id, 414 and 431 on a token pasted many
  // times over) is about the link itself, and asking again cannot help.
  if (loaded.state !== 'ready') {
    return (
      <main class="page">
        <h1>Your booking</h1>
        {loaded.state === 'loading' ? (
          <p role="status">Loading your booking…</p>
        ) : !isTransient(loaded.error) ? (
          <div class="notice error" role="alert">
            <p>{BAD_LINK}</p>
          </div>
        ) : (
          <LoadFailure error={loaded.error} onRetry={() => setAttempt((n) => n + 1)} />
        )}
      </main>
    );
  }

  const { catalogue, booking } = loaded.value;
  const { business } = catalogue;
  const service = catalogue.services.find((s) => s.id === booking.serviceId);
  const started = Date.parse(booking.start) <= Date.now();
  const changeable = booking.status === 'confirmed' && !started;
  // A booking moves only to its own staff member's times, so it cannot move online once they no
  // longer perform its service (or the service is no longer offered).
  const movable = service !== undefined && service.staffIds.includes(booking.staffId);
  const cannotMove = `This booking can’t be moved online. To change it, contact ${business.name}.`;
  const cannotCancel = `This booking can’t be cancelled online. Contact ${business.name} to cancel it.`;
  const setBooking = (next: Booking) =>
    setLoaded({ state: 'ready', value: { catalogue, booking: next } });

  const backToTimes = (message: string) => {
    setTaken(message);
    setNewSlot(undefined);
    setRefreshKey((n) => n + 1);
    go('reschedule');
  };

  /**
   * Runs a move or a cancellation. A time taken meanwhile, or no longer offered, sends the
   * customer back to the times; a failure that may pass offers a Retry. Any other refusal of a
   * move is not about anything the customer did (their staff member no longer performs the
   * service, say): asking again cannot help, so they are told whom to ask instead.
   */
  const run = async (action: () => Promise<void>, kind: 'move' | 'cancel') => {
    setBusy(true);
    setProblem(undefined);
    try {
      await action();
    } catch (caught) {
      const error = asApiError(caught);
      if (error.status === 409 && error.code === 'slot_unavailable') {
        backToTimes('That time was just taken. Choose another time.');
      } else if (kind === 'move' && isAboutFields(error, ['start'])) {
        backToTimes('That time can no longer be booked. Choose another time.');
      } else if (isTransient(error)) {
        setProblem({ message: error.message, retry: () => void run(action, kind) });
      } else if (kind === 'move') {
        setProblem({ message: cannotMove });
      } else {
        // A refused cancellation says why in a sentence (already cancelled, already started).
        setProblem({ message: error.status === 422 ? cannotCancel : error.message });
      }
    } finally {
      setBusy(false);
    }
  };

  const move = () =>
    run(async () => {
      const updated = await api<Booking>('POST', `${bookingPath}/reschedule`, {
        body: { start: newSlot!.start, staffId: newSlot!.staffId, timeZone: zone },
        bookingToken: token!,
      });
      setBooking(updated);
      setNotice(
        `Your booking is moved to ${formatSpan(Date.parse(updated.start), Date.parse(updated.end), zone)}.`,
      );
      go('view');
    }, 'move');

  const cancel = () =>
    run(async () => {
      const updated = await api<Booking>('POST', `${bookingPath}/cancel`, {
        bookingToken: token!,
      });
      setBooking(updated);
      setNotice('Your booking is cancelled. The time is free for others.');
      go('view');
    }, 'cancel');

  const problemNotice = problem && (
    <div class="notice error" role="alert">
      <p>{problem.message}</p>
      {problem.retry && (
        <button type="button" class="button secondary" onClick={problem.retry}>
          Retry
        </button>
      )}
    </div>
  );
  const summary = (
    <Summary
      serviceName={booking.serviceName}
      staffName={staffNameOf(catalogue, booking.staffId)}
      start={Date.parse(booking.start)}
      end={Date.parse(booking.end)}
      zone={zone}
      businessZone={business.timeZone}
      customer={booking.customer}
    />
  );

  return (
    <main class="page">
      <header class="page-head">
        <h1>Your booking with {business.name}</h1>
      </header>
      <section class="card step" aria-labelledby="step-heading">
        {mode === 'view' && (
          <>
            <h2 id="step-heading" ref={heading} tabIndex={-1}>
              {booking.status === 'cancelled' ? 'This booking is cancelled' : 'Booking details'}
            </h2>
            {notice && (
              <p class="notice success" role="status">
                {notice}
              </p>
            )}
            {booking.status === 'cancelled' && !notice && (
              <p class="notice info">This booking was cancelled; its time is free again.</p>
            )}
            {booking.status === 'confirmed' && started && (
              <p class="notice info">This booking has started, so it can no longer be changed.</p>
            )}
            {summary}
            {changeable && (
              <div class="actions">
                {movable && (
                  <button
                    type="button"
                    class="button"
                    onClick={() => {
                      setNotice(undefined);
                      setTaken(undefined);
                      setNewSlot(undefined);
                      go('reschedule');
                    }}
                  >
                    Reschedule
                  </button>
                )}
                <button
                  type="button"
                  class="button secondary"
                  onClick={() => {
                    setNotice(undefined);
                    go('confirm-cancel');
                  }}
                >
                  Cancel booking
                </button>
              </div>
            )}
            {booking.status === 'confirmed' && (
              <CalendarLinks
                booking={booking}
                businessName={business.name}
                slug={slug}
                token={token!}
              />
            )}
            {!movable && changeable && <p class="muted">{cannotMove}</p>}
          </>
        )}

        {mode === 'reschedule' && service && (
          <>
            <h2 id="step-heading" ref={heading} tabIndex={-1}>
              Choose a new time
            </h2>
            <p class="muted">
              {booking.serviceName} with {staffNameOf(catalogue, booking.staffId)}. Your current
              time stays booked until you confirm the new one.
            </p>
            {taken && (
              <div class="notice warning" role="alert">
                {taken}
              </div>
            )}
            <SlotPicker
              slug={slug}
              service={service}
              staffId={booking.staffId}
              rescheduling={
                token ? { bookingId: booking.id, token, start: booking.start } : undefined
              }
              zone={zone}
              businessZone={business.timeZone}
              onZoneChange={setZone}
              selectedStart={newSlot?.start}
              refreshKey={refreshKey}
              refused={cannotMove}
              onPick={(slot) => {
                setNewSlot(slot);
                setTaken(undefined);
                go('confirm-move');
              }}
            />
            <div class="actions">
              <button type="button" class="button secondary" onClick={() => go('view')}>
                Keep the current time
              </button>
            </div>
          </>
        )}

        {mode === 'confirm-move' && newSlot && (
          <>
            <h2 id="step-heading" ref={heading} tabIndex={-1}>
              Confirm the new time
            </h2>
            {problemNotice}
            <dl class="summary">
              <div>
                <dt>From</dt>
                <dd>
                  {formatSpan(Date.parse(booking.start), Date.parse(booking.end), zone)}{' '}
                  <span class="muted">({zone})</span>
                </dd>
              </div>
              <div>
                <dt>To</dt>
                <dd>
                  {formatSpan(Date.parse(newSlot.start), Date.parse(newSlot.end), zone)}{' '}
                  <span class="muted">({zone})</span>
                </dd>
              </div>
              {zone !== business.timeZone && (
                <div>
                  <dt>Business time</dt>
                  <dd>
                    {formatSpan(
                      Date.parse(newSlot.start),
                      Date.parse(newSlot.end),
                      business.timeZone,
                    )}{' '}
                    <span class="muted">({business.timeZone})</span>
                  </dd>
                </div>
              )}
            </dl>
            <div class="actions">
              <button
                type="button"
                class="button"
                aria-disabled={busy}
                onClick={() => !busy && void move()}
              >
                {busy ? 'Moving…' : 'Move booking'}
              </button>
              <button type="button" class="button secondary" onClick={() => go('reschedule')}>
                Choose another time
              </button>
              <button type="button" class="button link" onClick={() => go('view')}>
                Keep the current time
              </button>
            </div>
          </>
        )}

        {mode === 'confirm-cancel' && (
          <>
            <h2 id="step-heading" ref={heading} tabIndex={-1}>
              Cancel this booking?
            </h2>
            {problemNotice}
            {summary}
            <p>The time will be freed for others. This cannot be undone.</p>
            <div class="actions">
              <button
                type="button"
                class="button danger"
                aria-disabled={busy}
                onClick={() => !busy && void cancel()}
              >
                {busy ? 'Cancelling…' : 'Yes, cancel booking'}
              </button>
              <button type="button" class="button secondary" onClick={() => go('view')}>
                Keep booking
              </button>
            </div>
          </>
        )}
      </section>
    </main>
  );
}
