import type { RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

import { api, ApiError } from '../common/api.js';
import { addDays } from '../common/time.js';
import { CalendarLinks } from './calendar-links.js';
import { DetailsForm, type Details } from './details-form.js';
import { sendBooking, type Unanswered } from './send-booking.js';
import { placeSearch, readPlace, validDate, validZone, type Place } from './place.js';
import { SlotPicker } from './slot-picker.js';
import { Summary } from './summary.js';
import { detectZone, formatMinutes } from './time.js';
import type { Catalogue, CreatedBooking, PublicService, Slot } from '../common/types.js';
import { staffNameOf, useCatalogue } from './use-catalogue.js';

type Step = 'service' | 'time' | 'details' | 'done';

const STEPS: { step: Step; label: string }[] = [
  { step: 'service', label: 'Service' },
  { step: 'time', label: 'Time' },
  { step: 'details', label: 'Details' },
  { step: 'done', label: 'Done' },
];

/** What a history entry carries besides its address: the chosen slot, so Back needs no fetch. */
interface EntryState {
  slot?: Slot;
}

/**
 * The public booking page: service (and staff) -> day and time -> details -> confirmation. Each
 * step is a history entry whose address holds the choices so far (see place.ts).
 */
export function BookingApp({ slug }: { slug: string }) {
  const [catalogue, retryCatalogue] = useCatalogue(slug);
  const heading = useRef<HTMLHeadingElement>(null);
  const [step, setStep] = useState<Step>('service');
  const [moved, setMoved] = useState(false);
  // Until the address's place is applied, the page shows it is loading rather than step 1.
  const [restoring, setRestoring] = useState(true);
  // Whether the next address change is a new history entry (a step the visitor moved to) or
  // a correction of the current one (a day or zone picked, a place restored).
  const pushNext = useRef(false);

  const [serviceId, setServiceId] = useState<string | undefined>(undefined);
  const [staffId, setStaffId] = useState('');
  const [zone, setZone] = useState(detectZone);
  const [slot, setSlot] = useState<Slot | undefined>(undefined);
  // The day last chosen, so coming back to the times (or being sent back) shows that day again.
  const [day, setDay] = useState<string | undefined>(undefined);
  const [details, setDetails] = useState<Details>({ name: '', email: '', answers: {} });
  const [taken, setTaken] = useState<string | undefined>(undefined);
  const [refreshKey, setRefreshKey] = useState(0);
  const [booking, setBooking] = useState<CreatedBooking | undefined>(undefined);
  const [bookedEarlier, setBookedEarlier] = useState(false);
  // Requests that went unanswered. Kept across steps: a visitor who then picks another time
  // must not end up with two bookings (see send-booking.ts).
  const unanswered = useRef<Unanswered | undefined>(undefined);

  // Each step change moves focus to the new step's heading, so screen readers and keyboards
  // start there; the first render leaves focus where the browser put it. A layout effect, so
  // the heading has focus in the same frame it appears. Back and Forward count as a step change.
  useLayoutEffect(() => {
    if (moved && !restoring) heading.current?.focus();
  }, [step, moved, restoring]);
  const go = (next: Step, entry: 'push' | 'replace' = 'push') => {
    pushNext.current = entry === 'push';
    setMoved(true);
    setStep(next);
  };

  /**
   * Shows the place an address names, keeping what the catalogue still offers: an unknown
   * service is the service step, an unknown staff member is anyone, a bad zone is the visitor's
   * own, and a time no longer offered (or not given) leaves the visitor to pick one again.
   */
  const restore = async (place: Place, value: Catalogue, known: Slot | undefined) => {
    const chosen = value.services.find((s) => s.id === place.serviceId);
    const nextZone = validZone(place.zone) ?? detectZone();
    setServiceId(chosen?.id);
    const nextStaff =
      chosen && place.staffId && chosen.staffIds.includes(place.staffId) ? place.staffId : '';
    setStaffId(nextStaff);
    setZone(nextZone);
    setTaken(undefined);
    if (!chosen || place.step === 'service') {
      setStep('service');
      return;
    }
    const nextDay = validDate(place.date, nextZone, chosen.maxAdvanceDays, Date.now());
    setDay(nextDay);
    const time = place.step === 'details' ? place.time : undefined;
    const found =
      time && known && Date.parse(known.start) === Date.parse(time)
        ? known
        : time && nextDay
          ? await findSlot(slug, chosen.id, nextStaff || undefined, nextZone, nextDay, time)
          : undefined;
    setSlot(found);
    setStep(found ? 'details' : 'time');
  };

  useEffect(() => {
    if (catalogue.state !== 'ready' || !restoring) return;
    void restore(readPlace(location.search), catalogue.value, undefined).finally(() =>
      setRestoring(false),
    );
  }, [catalogue.state]);

  // Back and Forward: show the entry's place, focusing its heading as a step change does.
  useEffect(() => {
    if (catalogue.state !== 'ready') return;
    const onPopState = (event: PopStateEvent) => {
      const known = (event.state as EntryState | null)?.slot;
      setMoved(true);
      setRestoring(true);
      void restore(readPlace(location.search), catalogue.value, known).finally(() =>
        setRestoring(false),
      );
    };
    addEventListener('popstate', onPopState);
    return () => removeEventListener('popstate', onPopState);
  }, [catalogue.state]);

  // The address follows the page. A finished booking leaves the bare address in place of its
  // details step: a reload then starts a new booking, and Back does not offer the sent form.
  useEffect(() => {
    if (catalogue.state !== 'ready' || restoring) return;
    const search =
      step === 'done'
        ? ''
        : placeSearch({ step, serviceId, staffId, zone, date: day, time: slot?.start });
    const push = pushNext.current && step !== 'done';
    pushNext.current = false;
    if (search === location.search) return;
    const state: EntryState | null = step === 'details' && slot ? { slot } : null;
    if (push) history.pushState(state, '', `${location.pathname}${search}`);
    else history.replaceState(state, '', `${location.pathname}${search}`);
  }, [catalogue.state, restoring, step, serviceId, staffId, zone, day, slot]);

  if (catalogue.state !== 'ready') {
    return (
      <main class="page">
        <h1>Book an appointment</h1>
        {catalogue.state === 'loading' ? (
          <p role="status">Loading services…</p>
        ) : (
          <LoadFailure error={catalogue.error} onRetry={retryCatalogue} />
        )}
      </main>
    );
  }
  const { business, services } = catalogue.value;
  const service = services.find((s) => s.id === serviceId) ?? services[0];
  const current = STEPS.findIndex((s) => s.step === step);

  if (restoring) {
    return (
      <main class="page">
        <h1>Book with {business.name}</h1>
        <p role="status">Loading…</p>
      </main>
    );
  }

  return (
    <main class="page">
      <header class="page-head">
        <h1>Book with {business.name}</h1>
        <ol class="steps" aria-label="Booking steps">
          {STEPS.map((s, index) => (
            <li
              key={s.step}
              class={index < current ? 'past' : index === current ? 'current' : ''}
              aria-current={index === current ? 'step' : undefined}
            >
              {s.label}
            </li>
          ))}
        </ol>
      </header>

      {!service ? (
        <p>{business.name} has no services to book online yet.</p>
      ) : step === 'service' ? (
        <ServiceStep
          headingRef={heading}
          catalogue={catalogue.value}
          service={service}
          staffId={staffId}
          onService={(id) => {
            setServiceId(id);
            setStaffId('');
          }}
          onStaff={setStaffId}
          onContinue={() => {
            setServiceId(service.id);
            setSlot(undefined);
            setDay(undefined);
            setTaken(undefined);
            go('time');
          }}
        />
      ) : step === 'time' ? (
        <section class="card step" aria-labelledby="step-heading">
          <h2 id="step-heading" ref={heading} tabIndex={-1}>
            Choose a time
          </h2>
          <p class="muted">
            {service.name} · {formatMinutes(service.durationMinutes)} ·{' '}
            {staffId ? `with ${staffNameOf(catalogue.value, staffId)}` : 'with anyone available'}
          </p>
          {taken && (
            <div class="notice warning" role="alert">
              {taken}
            </div>
          )}
          <SlotPicker
            slug={slug}
            service={service}
            staffId={staffId || undefined}
            zone={zone}
            businessZone={business.timeZone}
            onZoneChange={setZone}
            selectedStart={slot?.start}
            refreshKey={refreshKey}
            initialDate={day}
            onDateChange={setDay}
            refused={`The times of ${service.name} cannot be shown. Reload the page to see what ${business.name} offers now.`}
            onPick={(picked) => {
              setSlot(picked);
              setDay(picked.start.slice(0, 10));
              setTaken(undefined);
              go('details');
            }}
          />
          <div class="actions">
            <button type="button" class="button secondary" onClick={() => go('service')}>
              Back to services
            </button>
          </div>
        </section>
      ) : step === 'details' && slot ? (
        <section class="card step" aria-labelledby="step-heading">
          <h2 id="step-heading" ref={heading} tabIndex={-1}>
            Your details
          </h2>
          <Summary
            serviceName={service.name}
            staffName={staffNameOf(catalogue.value, staffId || undefined)}
            start={Date.parse(slot.start)}
            end={Date.parse(slot.end)}
            zone={zone}
            businessZone={business.timeZone}
          />
          <p>
            <button type="button" class="button link" onClick={() => go('time')}>
              Change the time
            </button>
          </p>
          <DetailsForm
            service={service}
            details={details}
            onChange={setDetails}
            submitLabel="Confirm booking"
            submit={async (answers) => {
              const outcome = await sendBooking(
                slug,
                {
                  serviceId: service.id,
                  ...(staffId ? { staffId } : {}),
                  start: slot.start,
                  timeZone: zone,
                  customer: { name: details.name.trim(), email: details.email.trim() },
                  ...(Object.keys(answers).length > 0 ? { answers } : {}),
                },
                unanswered.current,
              );
              unanswered.current = outcome.kind === 'unknown' ? outcome.unanswered : undefined;
              return outcome;
            }}
            onBooked={(created, earlier) => {
              setBooking(created);
              setBookedEarlier(earlier);
              go('done');
            }}
            onTimeGone={(message) => {
              setTaken(message);
              setSlot(undefined);
              setRefreshKey((n) => n + 1);
              go('time', 'replace');
            }}
          />
        </section>
      ) : booking ? (
        <Confirmation
          headingRef={heading}
          booking={booking}
          earlier={bookedEarlier}
          catalogue={catalogue.value}
          zone={zone}
          slug={slug}
        />
      ) : null}
    </main>
  );
}

/** The slot starting at `time` on `date`, if it is still offered; undefined on any failure. */
async function findSlot(
  slug: string,
  serviceId: string,
  staffId: string | undefined,
  zone: string,
  date: string,
  time: string,
): Promise<Slot | undefined> {
  const query = new URLSearchParams({
    serviceId,
    start: date,
    end: addDays(date, 1),
    timeZone: zone,
    ...(staffId ? { staffId } : {}),
  });
  try {
    const { slots } = await api<{ slots: Slot[] }>('GET', `public/${slug}/slots?${query}`);
    return slots.find((slot) => Date.parse(slot.start) === Date.parse(time));
  } catch {
    return undefined;
  }
}

export function LoadFailure(props: { error: ApiError; onRetry: () => void }) {
  const missing = props.error.status === 404;
  return (
    <div class="notice error" role="alert">
      <p>
        {missing
          ? 'No business has this address. Check the link you followed.'
          : props.error.message}
      </p>
      {!missing && (
        <button type="button" class="button secondary" onClick={props.onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

function ServiceStep(props: {
  headingRef: RefObject<HTMLHeadingElement>;
  catalogue: Catalogue;
  service: PublicService;
  staffId: string;
  onService: (id: string) => void;
  onStaff: (id: string) => void;
  onContinue: () => void;
}) {
  const { catalogue, service } = props;
  const staff = catalogue.staff.filter((member) => service.staffIds.includes(member.id));
  return (
    <section class="card step" aria-labelledby="step-heading">
      <h2 id="step-heading" ref={props.headingRef} tabIndex={-1}>
        Choose a service
      </h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          props.onContinue();
        }}
      >
        <fieldset class="field services">
          <legend>Service</legend>
          {catalogue.services.map((option) => (
            <label key={option.id} class={`choice${option.id === service.id ? ' chosen' : ''}`}>
              <input
                type="radio"
                name="service"
                value={option.id}
                checked={option.id === service.id}
                onChange={() => props.onService(option.id)}
              />
              <span class="choice-text">
                <span class="choice-title">{option.name}</span>
                <span class="muted"> · {formatMinutes(option.durationMinutes)}</span>
                {option.description && <span class="choice-description">{option.description}</span>}
              </span>
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label for="staff">Staff member</label>
          <select
            id="staff"
            value={props.staffId}
            onChange={(event) => props.onStaff((event.target as HTMLSelectElement).value)}
          >
            <option value="">Anyone available</option>
            {staff.map((member) => (
              <option key={member.id} value={member.id}>
                {member.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button">
          Continue
        </button>
      </form>
    </section>
  );
}

function Confirmation(props: {
  headingRef: RefObject<HTMLHeadingElement>;
  booking: CreatedBooking;
  /** The booking an earlier, unanswered try made: its details may differ from the last ones. */
  earlier: boolean;
  catalogue: Catalogue;
  zone: string;
  slug: string;
}) {
  const { booking, catalogue } = props;
  return (
    <section class="card step" aria-labelledby="step-heading">
      <h2 id="step-heading" ref={props.headingRef} tabIndex={-1}>
        You’re booked
      </h2>
      <p class="notice success" role="status">
        A confirmation is on its way to {booking.customer.email}.
      </p>
      {props.earlier && (
        <p class="notice warning">
          Your earlier try had already reached us, so this is that booking, with the details and
          time you sent then. If they are not right, cancel it with the link below and book again.
        </p>
      )}
      <Summary
        serviceName={booking.serviceName}
        staffName={staffNameOf(catalogue, booking.staffId)}
        start={Date.parse(booking.start)}
        end={Date.parse(booking.end)}
        zone={props.zone}
        businessZone={catalogue.business.timeZone}
        customer={booking.customer}
      />
      <CalendarLinks
        booking={booking}
        businessName={catalogue.business.name}
        slug={props.slug}
        token={booking.manageToken}
      />
      <section aria-labelledby="manage-heading">
        <h3 id="manage-heading">Change or cancel</h3>
        <p>
          Keep this link to reschedule or cancel; it is also in your email.{' '}
          <a href={booking.manageUrl}>Manage your booking</a>
        </p>
      </section>
    </section>
  );
}
