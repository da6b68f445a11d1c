import { useEffect, useRef, useState } from 'preact/hooks';

import { navigate } from './app';
import {
  DeleteRefusal,
  EditorPending,
  ErrorSummary,
  fieldId,
  focusLater,
  InlineConfirm,
  KeptNotice,
  removeButtonId,
  SelectField,
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
  questions: Question[];
  /** The version as loaded, sent back as `If-Match` when saving. */
  version?: string;
}

/** An intake question as the API has it (see `questionSchema` in shared/catalog/services.ts). */
interface Question {
  id: string;
  label: string;
  type: 'text' | 'choice';
  required: boolean;
  options?: string[];
  maxLength: number;
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
  questions: 'Intake questions',
  ...Object.fromEntries(NUMBER_FIELDS.map(([path, label]) => [path, label])),
};

const QUESTION_FIELDS: Record<string, string> = {
  label: 'Label',
  type: 'Type',
  required: 'Required',
  maxLength: 'Maximum length (characters)',
  options: 'Choices (one per line)',
  // The id is made from the label; a message about it belongs there.
  id: 'Label',
};

/**
 * The name on the form of the field at an API path: `durationMinutes` → `Duration (minutes)`,
 * `questions.1.options.0` → `Question 2, Choices (one per line)`.
 */
export function labelOf(path: string): string {
  const [top, index, field] = path.split('.');
  if (top === 'questions' && index !== undefined && /^\d+$/.test(index)) {
    const question = `Question ${Number(index) + 1}`;
    return field ? `${question}, ${QUESTION_FIELDS[field] ?? field}` : question;
  }
  return LABELS[top ?? path] ?? path;
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
    close,
    refusal,
    removing,
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
                  onClose={close}
                />
              ) : confirming === service.id ? (
                <InlineConfirm
                  id={service.id}
                  confirmText="Yes, delete"
                  keepText="Keep it"
                  busy={removing}
                  onConfirm={() => remove(service)}
                  onKeep={close}
                >
                  Delete “{service.name}”? Customers can no longer book it. A service with upcoming
                  bookings cannot be deleted until those are cancelled or have taken place.
                </InlineConfirm>
              ) : (
                <div class="actions">
                  <a class="button secondary" href={`#/services/${encodeURIComponent(service.id)}`}>
                    Edit <span class="visually-hidden">{service.name}</span>
                  </a>
                  <button
                    class="button secondary"
                    type="button"
                    id={removeButtonId(service.id)}
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

/** A question as the form holds it: numbers and choices as typed. */
interface QuestionDraft {
  /** Stable while the question moves, for the page's keys and for matching errors to it. */
  key: string;
  /** The saved id; a question added here gets one from its label when saved (`bodyOf`). */
  id?: string;
  label: string;
  type: 'text' | 'choice';
  required: boolean;
  maxLength: string;
  /** One choice a line. */
  options: string;
}

interface Draft {
  name: string;
  description: string;
  numbers: Record<NumberField, string>;
  staffIds: string[];
  questions: QuestionDraft[];
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

function newQuestion(): QuestionDraft {
  // Random rather than counted: a draft kept over a sign-in (see useEditor) outlives a counter.
  const key = `new-${Math.random().toString(36).slice(2)}`;
  return { key, label: '', type: 'text', required: false, maxLength: '500', options: '' };
}

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
    questions: service.questions.map((question) => ({
      key: `saved-${question.id}`,
      id: question.id,
      label: question.label,
      type: question.type,
      required: question.required,
      maxLength: String(question.maxLength),
      options: (question.options ?? []).join('\n'),
    })),
  };
}

/**
 * A whole number as people type it: decimal digits, maybe a minus sign (so the API can say how
 * low the field may go), maybe spaces around. `Number()` alone would also take `1e2`, `0x10`
 * and `0b1`, and save a number nobody typed.
 */
function wholeNumberOf(text: string): number | undefined {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

/**
 * A new question's id, made from its label (`Your topic?` → `your-topic`) as the API wants it:
 * lowercase letters, digits, - or _, at most 40, unlike every id in `taken`. Answers are stored
 * under the id, so a saved question keeps its own whatever its label becomes.
 */
function questionIdOf(label: string, taken: Set<string>): string {
  const base =
    label
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+/, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'question';
  let id = base;
  for (let n = 2; taken.has(id); n++) {
    const suffix = `-${n}`;
    id = `${base.slice(0, 40 - suffix.length).replace(/-+$/, '')}${suffix}`;
  }
  return id;
}

/** The questions as the API takes them; `wording` gets the browser's messages for their fields. */
function questionsOf(questions: QuestionDraft[], wording: FieldErrors) {
  const taken = new Set(questions.flatMap((question) => (question.id ? [question.id] : [])));
  return questions.map((question, index) => {
    const path = `questions.${index}`;
    const id = question.id ?? questionIdOf(question.label, taken);
    taken.add(id);
    const common = { id, label: question.label, type: question.type, required: question.required };
    if (question.type === 'choice') {
      const options = question.options
        .split('\n')
        .map((option) => option.trim())
        .filter(Boolean);
      // The API would say "is required" or "must have at least 2 items".
      if (options.length < 2) wording[`${path}.options`] = 'needs at least 2 choices, one a line';
      return { ...common, ...(options.length > 0 ? { options } : {}) };
    }
    if (question.maxLength.trim() === '') return common;
    const maxLength = wholeNumberOf(question.maxLength);
    if (maxLength === undefined) wording[`${path}.maxLength`] = 'must be a whole number';
    return { ...common, maxLength: maxLength ?? question.maxLength };
  });
}

/**
 * The request body. A number field goes as a number when it reads as a whole number (the API
 * checks its range with everything else); otherwise it goes as typed, for the API to refuse
 * along with the other fields, and the browser words that field's message.
 */
function bodyOf(draft: Draft): Built {
  const wording: FieldErrors = {};
  const numbers: Record<string, number | string> = {};
  for (const [path] of NUMBER_FIELDS) {
    const text = draft.numbers[path].trim();
    if (text === '' && path === 'slotIntervalMinutes') continue;
    const value = wholeNumberOf(text);
    if (value === undefined) wording[path] = 'must be a whole number';
    numbers[path] = value ?? text;
  }
  return {
    body: {
      name: draft.name,
      ...(draft.description.trim() ? { description: draft.description } : {}),
      ...numbers,
      staffIds: draft.staffIds,
      questions: questionsOf(draft.questions, wording),
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
  // The order of the questions in the last save: the API's paths (`questions.2.label`) count in
  // it, and the person may have moved questions since.
  const sent = useRef<string[]>([]);
  const {
    draft,
    loadError,
    error,
    errors,
    status,
    saved,
    busy,
    restored,
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
    bodyOf: (draft) => {
      sent.current = draft.questions.map((question) => question.key);
      return bodyOf(draft);
    },
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
      {restored && <KeptNotice />}
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
        <QuestionsEditor
          questions={draft.questions}
          errors={errors}
          sent={sent.current}
          onChange={(questions) => update({ questions })}
        />
        <button class="button" type="submit" aria-disabled={busy || undefined}>
          {busy ? 'Saving…' : id ? 'Save service' : 'Add service'}
        </button>
      </form>
    </section>
  );
}

/**
 * The API's messages about the question sent at `sentIndex`, moved to the paths of its place
 * now (`index`), with those the form shows elsewhere folded in: an id's under its label (the id
 * is made from it), one choice's under the choices. A question added since has none.
 */
function questionErrors(errors: FieldErrors, sentIndex: number, index: number): FieldErrors {
  if (sentIndex < 0) return {};
  const from = `questions.${sentIndex}`;
  const to = `questions.${index}`;
  const mine: FieldErrors = {};
  for (const [path, message] of Object.entries(errors)) {
    if (path !== from && !path.startsWith(`${from}.`)) continue;
    const rest = path.slice(from.length);
    const choice = /^\.options\.(\d+)$/.exec(rest);
    if (choice) mine[`${to}.options`] ??= `choice ${Number(choice[1]) + 1} ${message}`;
    else if (rest === '' || rest === '.id') mine[`${to}.label`] ??= message;
    else mine[`${to}${rest}`] = message;
  }
  return mine;
}

/**
 * The intake questions customers answer on the booking page: one fieldset each, to edit, move
 * up or down, or remove, and a button to add one. Focus follows: to a new question's label,
 * to a moved question's button, to "Add question" after a removal, which is also said aloud.
 */
function QuestionsEditor({
  questions,
  errors,
  sent,
  onChange,
}: {
  questions: QuestionDraft[];
  errors: FieldErrors;
  sent: string[];
  onChange: (questions: QuestionDraft[]) => void;
}) {
  const [said, setSaid] = useState('');
  const nameOf = (index: number) => {
    const label = questions[index]?.label.trim();
    return `question ${index + 1}${label ? `: ${label}` : ''}`;
  };
  const idOf = (index: number, what: string) => `${fieldId(`questions.${index}`)}-${what}`;
  const set = (index: number, patch: Partial<QuestionDraft>) =>
    onChange(questions.map((question, i) => (i === index ? { ...question, ...patch } : question)));

  const add = () => {
    onChange([...questions, newQuestion()]);
    setSaid('');
    focusLater(fieldId(`questions.${questions.length}.label`));
  };
  const remove = (index: number) => {
    setSaid(`Removed ${nameOf(index)}.`);
    onChange(questions.filter((_, i) => i !== index));
    focusLater('add-question');
  };
  const move = (index: number, by: -1 | 1) => {
    const next = [...questions];
    const [moved] = next.splice(index, 1);
    next.splice(index + by, 0, moved!);
    onChange(next);
    const to = index + by;
    const label = moved!.label.trim();
    setSaid(`Moved ${label ? `“${label}”` : 'the question'} to place ${to + 1} of ${next.length}.`);
    // The same button while the question has it; at the top or bottom, the other one.
    const [same, other] = by < 0 ? ['up', 'down'] : ['down', 'up'];
    focusLater(idOf(to, same), idOf(to, other));
  };

  const listError = errors['questions'];
  return (
    <fieldset
      class="field checkboxes questions"
      id={fieldId('questions')}
      aria-describedby={listError ? `${fieldId('questions')}-error` : undefined}
      tabIndex={-1}
    >
      <legend>Intake questions</legend>
      <p class="hint">
        Asked on the booking page after the customer’s name and email; the answers show with each
        booking.
      </p>
      {questions.length === 0 && <p class="muted">No questions.</p>}
      {questions.map((question, index) => {
        const path = `questions.${index}`;
        const mine = questionErrors(errors, sent.indexOf(question.key), index);
        const prefix = <span class="visually-hidden">Question {index + 1}, </span>;
        const name = nameOf(index);
        return (
          <fieldset key={question.key} class="question">
            <legend>{name.replace(/^q/, 'Q')}</legend>
            <TextField
              path={`${path}.label`}
              label={<>{prefix}Label</>}
              value={question.label}
              onValue={(label) => set(index, { label })}
              errors={mine}
              maxLength={200}
              autoComplete="off"
              required
            />
            <div class="grid-2">
              <SelectField
                path={`${path}.type`}
                label={<>{prefix}Type</>}
                value={question.type}
                onValue={(type) => set(index, { type: type as QuestionDraft['type'] })}
                options={[
                  { value: 'text', label: 'Text' },
                  { value: 'choice', label: 'Choice' },
                ]}
                errors={mine}
              />
              {question.type === 'text' && (
                <TextField
                  path={`${path}.maxLength`}
                  label={<>{prefix}Maximum length (characters)</>}
                  value={question.maxLength}
                  onValue={(maxLength) => set(index, { maxLength })}
                  errors={mine}
                  inputMode="numeric"
                  autoComplete="off"
                />
              )}
            </div>
            {question.type === 'choice' && (
              <TextField
                path={`${path}.options`}
                label={<>{prefix}Choices (one per line)</>}
                hint="At least 2, each different."
                value={question.options}
                onValue={(options) => set(index, { options })}
                errors={mine}
                multiline
              />
            )}
            <label class="check">
              <input
                type="checkbox"
                id={fieldId(`${path}.required`)}
                checked={question.required}
                aria-invalid={mine[`${path}.required`] ? 'true' : undefined}
                onChange={(event) => set(index, { required: event.currentTarget.checked })}
              />
              {prefix}Required
            </label>
            <div class="actions">
              {index > 0 && (
                <button
                  class="button secondary"
                  type="button"
                  id={idOf(index, 'up')}
                  onClick={() => move(index, -1)}
                >
                  Move up <span class="visually-hidden">{name}</span>
                </button>
              )}
              {index < questions.length - 1 && (
                <button
                  class="button secondary"
                  type="button"
                  id={idOf(index, 'down')}
                  onClick={() => move(index, 1)}
                >
                  Move down <span class="visually-hidden">{name}</span>
                </button>
              )}
              <button
                class="button secondary"
                type="button"
                id={idOf(index, 'remove')}
                onClick={() => remove(index)}
              >
                Remove <span class="visually-hidden">{name}</span>
              </button>
            </div>
          </fieldset>
        );
      })}
      {listError && (
        <span class="error" id={`${fieldId('questions')}-error`}>
          {listError}
        </span>
      )}
      <button class="button secondary" type="button" id="add-question" onClick={add}>
        Add question
      </button>
      <p class="visually-hidden" role="status">
        {said}
      </p>
    </fieldset>
  );
}
