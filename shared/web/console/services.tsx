import { useEffect, useState } from 'preact/hooks';

import { navigate } from './app';
import {
  DeleteRefusal,
  EditorPending,
  ErrorSummary,
  fieldId,
  Status,
  TextField,
  useEditor,
  useItemList,
  type Built,
  type FieldErrors,
} from './forms';
import type { Session } from './session';

export interface Service {
  id: string;
  name: string;
  description?: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minimumNoticeMinutes: number;
  maxAdvanceDays: number;
  slotIntervalMinutes: number;
  capacity: number;
  staffIds: string[];
  questions: unknown[];
  /** The version as loaded, sent back as `If-Match` when saving. */
  version?: string;
}

interface StaffOption {
  id: string;
  name: string;
}

const NUMBER_FIELDS = [
  ['durationMinutes', 'Duration (minutes)', undefined],
  ['capacity', 'Capacity (people per time)', 'More than 1 makes a class or group session.'],
  ['bufferBeforeMinutes', 'Buffer before (minutes)', 'Kept free before each booking.'],
  ['bufferAfterMinutes', 'Buffer after (minutes)', 'Kept free after each booking.'],
  [
    'minimumNoticeMinutes',
    'Minimum notice (minutes)',
    'How soon before the start customers may book.',
  ],
  ['maxAdvanceDays', 'Book up to (days ahead)', undefined],
  ['slotIntervalMinutes', 'Start times every (minutes)', 'Leave empty to use the duration.'],
] as const;

type NumberField = (typeof NUMBER_FIELDS)[number][0];

const LABELS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  staffIds: 'Staff',
  ...Object.fromEntries(NUMBER_FIELDS.map(([path, label]) => [path, label])),
};

export function labelOf(path: string): string {
  const top = path.split('.')[0] ?? path;
  return LABELS[top] ?? path;
}

/** Services: the list, a form to add one, and a form to edit one (`#/services/{id}`). */
export function ServicesView({
  session,
  route,
}: {
  session: Session;
  route: string[];
  staffNames: Map<string, string>;
}) {
  const [flash, setFlash] = useState<string | undefined>();
  const target = route[0];
  // A message about the last change belongs to the list it returned to, not to later visits.
  useEffect(() => {
    if (target) setFlash(undefined);
  }, [target]);
  if (target) {
    return (
      <ServiceForm
        key={target}
        session={session}
        id={target === 'new' ? undefined : target}
        onCreated={(service) => {
          setFlash(`Added the service “${service.name}”.`);
          navigate('services');
        }}
      />
    );
  }
  return <ServiceList session={session} flash={flash} />;
}

function ServiceList({ session, flash }: { session: Session; flash?: string | undefined }) {
  const {
    items: services,
    error,
    status,
    confirming,
    setConfirming,
    refusal,
    message,
    remove,
  } = useItemList<Service>({
    session,
    path: 'admin/services',
    titleId: 'services-title',
    flash,
    loading: 'Loading services…',
    counted: (n) => `${n} ${n === 1 ? 'service' : 'services'}.`,
    deleted: (service) => `Deleted the service “${service.name}”.`,
  });

  return (
    <section aria-labelledby="services-title">
      <div class="section-head">
        <h1 id="services-title" tabIndex={-1}>
          Services
        </h1>
        <a class="button" href="#/services/new">
          Add service
        </a>
      </div>
      <Status message={status} />
      {message && (
        <p class="notice success" role="status">
          {message}
        </p>
      )}
      <ErrorSummary error={error} />
      {services && services.length === 0 && <p>No services yet. Add one to take bookings.</p>}
      {services && services.length > 0 && (
        <ul class="cards">
          {services.map((service) => (
            <li key={service.id} class="card item">
              <h2>{service.name}</h2>
              <p class="muted">
                {service.durationMinutes} min ·{' '}
                {service.capacity === 1 ? '1 person' : `up to ${service.capacity} people`}
                {service.staffIds.length > 0 &&
                  ` · ${service.staffIds.length === 1 ? '1 staff member' : `${service.staffIds.length} staff members`}`}
              </p>
              {service.staffIds.length === 0 && (
                <p class="notice warning">
                  No staff perform this service, so it is hidden from the booking page. Edit it to
                  choose who performs it.
                </p>
              )}
              {confirming === service.id && refusal ? (
                <DeleteRefusal
                  id={service.id}
                  error={refusal}
                  closeText={`Keep “${service.name}”`}
                  onClose={() => setConfirming(undefined)}
                />
              ) : confirming === service.id ? (
                <div class="confirm" role="group" aria-labelledby={`confirm-${service.id}`}>
                  <p id={`confirm-${service.id}`}>
                    Delete “{service.name}”? Customers can no longer book it. A service with
                    upcoming bookings cannot be deleted until those are cancelled or have taken
                    place.
                  </p>
                  <div class="actions">
                    <button class="button danger" type="button" onClick={() => remove(service)}>
                      Yes, delete
                    </button>
                    <button
                      class="button secondary"
                      type="button"
                      onClick={() => setConfirming(undefined)}
                    >
                      Keep it
                    </button>
                  </div>
                </div>
              ) : (
                <div class="actions">
                  <a class="button secondary" href={`#/services/${encodeURIComponent(service.id)}`}>
                    Edit <span class="visually-hidden">{service.name}</span>
                  </a>
                  <button
                    class="button secondary"
                    type="button"
                    onClick={() => setConfirming(service.id)}
                  >
                    Delete <span class="visually-hidden">{service.name}</span>
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface Draft {
  name: string;
  description: string;
  numbers: Record<NumberField, string>;
  staffIds: string[];
  questions: unknown[];
}

const NEW_SERVICE: Draft = {
  name: '',
  description: '',
  numbers: {
    durationMinutes: '60',
    capacity: '1',
    bufferBeforeMinutes: '0',
    bufferAfterMinutes: '0',
    minimumNoticeMinutes: '0',
    maxAdvanceDays: '60',
    slotIntervalMinutes: '',
  },
  staffIds: [],
  questions: [],
};

function draftOf(service: Service): Draft {
  return {
    name: service.name,
    description: service.description ?? '',
    numbers: {
      durationMinutes: String(service.durationMinutes),
      capacity: String(service.capacity),
      bufferBeforeMinutes: String(service.bufferBeforeMinutes),
      bufferAfterMinutes: String(service.bufferAfterMinutes),
      minimumNoticeMinutes: String(service.minimumNoticeMinutes),
      maxAdvanceDays: String(service.maxAdvanceDays),
      slotIntervalMinutes:
        service.slotIntervalMinutes === service.durationMinutes
          ? ''
          : String(service.slotIntervalMinutes),
    },
    staffIds: service.staffIds,
    questions: service.questions,
  };
}

/**
 * The request body. A number field goes as a number when it reads as one (the API checks its
 * range with everything else); otherwise it goes as typed, for the API to refuse along with
 * the other fields, and the browser words that field's message.
 */
function bodyOf(draft: Draft): Built {
  const wording: FieldErrors = {};
  const numbers: Record<string, number | string> = {};
  for (const [path] of NUMBER_FIELDS) {
    const text = draft.numbers[path].trim();
    if (text === '' && path === 'slotIntervalMinutes') continue;
    const value = text === '' ? Number.NaN : Number(text);
    if (Number.isFinite(value)) {
      numbers[path] = value;
    } else {
      numbers[path] = text;
      wording[path] = 'must be a whole number';
    }
  }
  return {
    body: {
      name: draft.name,
      ...(draft.description.trim() ? { description: draft.description } : {}),
      ...numbers,
      staffIds: draft.staffIds,
      questions: draft.questions,
    },
    wording,
  };
}

function ServiceForm({
  session,
  id,
  onCreated,
}: {
  session: Session;
  id: string | undefined;
  onCreated: (service: Service) => void;
}) {
  const [staff, setStaff] = useState<StaffOption[] | undefined>();
  const {
    draft,
    loadError,
    error,
    errors,
    status,
    saved,
    busy,
    formRef,
    update,
    save,
    loadLatest,
  } = useEditor({
    session,
    path: 'admin/services',
    id,
    blank: NEW_SERVICE,
    load: () =>
      Promise.all([
        session.call<{ items: StaffOption[] }>('GET', 'admin/staff'),
        id ? session.call<Service>('GET', `admin/services/${encodeURIComponent(id)}`) : undefined,
      ]),
    loaded: ([staffList, service]) => {
      setStaff(staffList.items);
      if (service) {
        // An id of someone removed before removals took them off their services has no box
        // to untick; saving without it tidies the service.
        const current = new Set(staffList.items.map((member) => member.id));
        const draft = draftOf(service);
        return { ...draft, staffIds: draft.staffIds.filter((staffId) => current.has(staffId)) };
      }
      // A business with one staff member means that person performs the service.
      const only = staffList.items.length === 1 ? staffList.items[0]!.id : undefined;
      return (d) => (d && only ? { ...d, staffIds: [only] } : d);
    },
    versionOf: ([, service]) => service?.version,
    draftOf,
    bodyOf,
    savedMessage: (service) => `Saved “${service.name}”.`,
    onCreated,
  });

  const heading = id ? `Edit service${draft ? `: ${draft.name}` : ''}` : 'Add a service';

  if (loadError || !draft || !staff) {
    return (
      <EditorPending
        titleId="service-title"
        title={id ? 'Edit service' : 'Add a service'}
        status={status}
        error={loadError}
        backHref="#/services"
        backText="Back to services"
      />
    );
  }

  const setNumber = (path: NumberField) => (value: string) =>
    update({ numbers: { ...draft.numbers, [path]: value } });
  const toggleStaff = (staffId: string, on: boolean) =>
    update({
      staffIds: on ? [...draft.staffIds, staffId] : draft.staffIds.filter((s) => s !== staffId),
    });

  const staffError =
    errors['staffIds'] ?? Object.entries(errors).find(([p]) => p.startsWith('staffIds.'))?.[1];
  return (
    <section aria-labelledby="service-title">
      <p class="back">
        <a href="#/services">Back to services</a>
      </p>
      <h1 id="service-title" tabIndex={-1}>
        {heading}
      </h1>
      <Status message={status} />
      {saved && (
        <p class="notice success" role="status">
          {saved}
        </p>
      )}
      {/* A 409 here says which staff have upcoming bookings and what to do; reloading is no help. */}
      <ErrorSummary
        error={error}
        labels={labelOf}
        conflictAdvice=""
        noun="service"
        onLoadLatest={loadLatest}
      />
      <form ref={formRef} class="card form" onSubmit={save} noValidate>
        <TextField
          path="name"
          label="Name"
          value={draft.name}
          onValue={(name) => update({ name })}
          errors={errors}
          required
        />
        <TextField
          path="description"
          label="Description"
          hint="Shown to customers on the booking page."
          value={draft.description}
          onValue={(description) => update({ description })}
          errors={errors}
          multiline
        />
        <div class="grid-2">
          {NUMBER_FIELDS.map(([path, label, hint]) => (
            <TextField
              key={path}
              path={path}
              label={label}
              hint={hint}
              value={draft.numbers[path]}
              onValue={setNumber(path)}
              errors={errors}
              inputMode="numeric"
            />
          ))}
        </div>
        <fieldset
          class="field checkboxes"
          id={fieldId('staffIds')}
          aria-describedby={staffError ? `${fieldId('staffIds')}-error` : undefined}
          tabIndex={-1}
        >
          <legend>Staff who perform it</legend>
          {staff.length === 0 && <p>Add a staff member first.</p>}
          {staff.map((member, index) => (
            <label key={member.id} class="check">
              <input
                type="checkbox"
                checked={draft.staffIds.includes(member.id)}
                aria-invalid={staffError && index === 0 ? 'true' : undefined}
                onChange={(event) => toggleStaff(member.id, event.currentTarget.checked)}
              />
              {member.name}
            </label>
          ))}
          {staffError && (
            <span class="error" id={`${fieldId('staffIds')}-error`}>
              {staffError}
            </span>
          )}
        </fieldset>
        <button class="button" type="submit" disabled={busy}>
          {busy ? 'Saving…' : id ? 'Save service' : 'Add service'}
        </button>
      </form>
    </section>
  );
}
