import { useLayoutEffect, useRef, useState } from 'preact/hooks';

import type { ApiError } from '../common/api.js';
import type { CreatedBooking, PublicService, Question } from '../common/types.js';
import type { Outcome } from './send-booking.js';

export interface Details {
  name: string;
  email: string;
  answers: Record<string, string>;
}

interface Props {
  service: PublicService;
  /** Kept by the page, so going back for another time keeps what the visitor typed. */
  details: Details;
  onChange: (details: Details) => void;
  submitLabel: string;
  /** Sends the booking; a retry after an unanswered try is the page's to pair with it. */
  submit: (answers: Record<string, string>) => Promise<Outcome>;
  /** `earlier`: an earlier, unanswered try had booked, with the details sent then. */
  onBooked: (booking: CreatedBooking, earlier: boolean) => void;
  /** The chosen time cannot be had any more (taken meanwhile, or no longer offered). */
  onTimeGone: (message: string) => void;
}

const TAKEN = 'That time was just taken. Choose another time; your details are kept.';
const GONE = 'That time can no longer be booked. Choose another time; your details are kept.';
const RUNNING = 'Your booking is still being processed. Wait a moment, then press Retry.';
const UNANSWERED =
  'The server did not answer, so your booking may or may not have been made. Press Retry: it will not book you twice.';

/** Field ids on the page for the API's field paths. */
function fieldOf(path: string): string | undefined {
  if (path === 'customer.name') return 'name';
  if (path === 'customer.email') return 'email';
  if (path.startsWith('answers.')) return `q-${path.slice('answers.'.length)}`;
  return undefined;
}

/**
 * The intake questions and the customer's name and email, then the booking request. Empty
 * required fields are caught here; everything else the server checks, and its per-field messages
 * are shown next to their fields. When a request goes unanswered the visitor may retry, edit or
 * pick another time: `sendBooking` makes sure none of that books twice.
 */
export function DetailsForm(props: Props) {
  const { service, details } = props;
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<{ message: string; retry: boolean } | undefined>();
  const [busy, setBusy] = useState(false);
  const [focusTick, setFocusTick] = useState(0);
  const form = useRef<HTMLFormElement>(null);

  // In the same frame as the messages appear, so focus never lags behind what is shown.
  useLayoutEffect(() => {
    if (focusTick === 0) return;
    const target =
      form.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form.current?.querySelector<HTMLElement>('.notice');
    target?.focus();
  }, [focusTick]);

  const labels: Record<string, string> = {
    name: 'Name',
    email: 'Email',
    ...Object.fromEntries(service.questions.map((q) => [`q-${q.id}`, q.label])),
  };

  const change = (next: Partial<Details>) => {
    props.onChange({ ...details, ...next });
  };

  const send = async () => {
    const missing: Record<string, string> = {};
    if (!details.name.trim()) missing.name = 'is required';
    if (!details.email.trim()) missing.email = 'is required';
    const answers: Record<string, string> = {};
    for (const question of service.questions) {
      const value = (details.answers[question.id] ?? '').trim();
      if (value) answers[question.id] = value;
      else if (question.required) missing[`q-${question.id}`] = 'is required';
    }
    setErrors(missing);
    setFailure(undefined);
    if (Object.keys(missing).length > 0) {
      setFocusTick((n) => n + 1);
      return;
    }

    setBusy(true);
    const outcome = await props.submit(answers).finally(() => setBusy(false));
    if (outcome.kind === 'booked') return props.onBooked(outcome.booking, outcome.earlier);
    if (outcome.kind === 'refused') return refused(outcome.error);
    const { error } = outcome;
    const message =
      error.code === 'network' ? UNANSWERED : error.status === 409 ? RUNNING : error.message;
    setFailure({ message, retry: true });
    setFocusTick((n) => n + 1);
  };

  const refused = (error: ApiError) => {
    if (error.status === 409 && error.code === 'slot_unavailable') return props.onTimeGone(TAKEN);
    if (error.status === 422 && error.details.some((issue) => issue.path === 'start')) {
      return props.onTimeGone(GONE);
    }
    const byField: Record<string, string> = {};
    const other: string[] = [];
    for (const issue of error.details) {
      const field = fieldOf(issue.path);
      if (field && labels[field]) byField[field] ??= issue.message;
      else other.push(`${issue.path} ${issue.message}`);
    }
    setErrors(byField);
    const count = Object.keys(byField).length;
    setFailure({
      message:
        count > 0 && other.length === 0
          ? count === 1
            ? 'Check the highlighted field.'
            : 'Check the highlighted fields.'
          : [error.message, ...other].join(' '),
      retry: false,
    });
    setFocusTick((n) => n + 1);
  };

  const fieldProps = (id: string) => ({
    id,
    'aria-invalid': errors[id] ? true : undefined,
    'aria-describedby': errors[id] ? `${id}-error` : undefined,
  });
  const errorOf = (id: string) =>
    errors[id] ? (
      <p class="error" id={`${id}-error`}>
        {labels[id]} {errors[id]}
      </p>
    ) : null;

  return (
    <form
      ref={form}
      noValidate
      class="details"
      aria-labelledby="step-heading"
      onSubmit={(event) => {
        event.preventDefault();
        if (!busy) void send();
      }}
    >
      {failure && (
        <div class="notice error" role="alert" tabIndex={-1}>
          <p>{failure.message}</p>
          {failure.retry && (
            <button type="button" class="button secondary" onClick={() => void send()}>
              Retry
            </button>
          )}
        </div>
      )}
      <div class="field">
        <label for="name">Name</label>
        <input
          {...fieldProps('name')}
          type="text"
          autocomplete="name"
          required
          maxLength={120}
          value={details.name}
          onInput={(event) => change({ name: (event.target as HTMLInputElement).value })}
        />
        {errorOf('name')}
      </div>
      <div class="field">
        <label for="email">Email</label>
        <input
          {...fieldProps('email')}
          type="email"
          autocomplete="email"
          inputMode="email"
          required
          maxLength={254}
          value={details.email}
          onInput={(event) => change({ email: (event.target as HTMLInputElement).value })}
        />
        {errorOf('email')}
      </div>
      {service.questions.map((question) => (
        <QuestionField
          key={question.id}
          question={question}
          value={details.answers[question.id] ?? ''}
          fieldProps={fieldProps(`q-${question.id}`)}
          error={errorOf(`q-${question.id}`)}
          onChange={(value) => change({ answers: { ...details.answers, [question.id]: value } })}
        />
      ))}
      <button type="submit" class="button" aria-disabled={busy}>
        {busy ? 'Booking…' : props.submitLabel}
      </button>
      <p role="status" class="visually-hidden">
        {busy ? 'Sending your booking…' : ''}
      </p>
    </form>
  );
}

function QuestionField(props: {
  question: Question;
  value: string;
  fieldProps: { id: string };
  error: preact.ComponentChildren;
  onChange: (value: string) => void;
}) {
  const { question, fieldProps } = props;
  const read = (event: Event) =>
    props.onChange((event.target as HTMLInputElement | HTMLSelectElement).value);
  return (
    <div class="field">
      <label for={fieldProps.id}>
        {question.label}
        {!question.required && <span class="muted"> (optional)</span>}
      </label>
      {question.type === 'choice' ? (
        <select {...fieldProps} required={question.required} value={props.value} onChange={read}>
          <option value="">Choose…</option>
          {question.options?.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      ) : question.maxLength > 200 ? (
        <textarea
          {...fieldProps}
          required={question.required}
          maxLength={question.maxLength}
          rows={3}
          value={props.value}
          onInput={read}
        />
      ) : (
        <input
          {...fieldProps}
          type="text"
          required={question.required}
          maxLength={question.maxLength}
          value={props.value}
          onInput={read}
        />
      )}
      {props.error}
    </div>
  );
}
