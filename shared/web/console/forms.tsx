import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

import { ApiError, type FieldIssue } from '../common/api';
import { SESSION_EXPIRED } from './session';

/** Field messages keyed by the API's dotted path (`name`, `weeklyHours.mon.0.end`). */
export type FieldErrors = Record<string, string>;

/** The id of the control that edits the field at `path`; forms and error links agree on it. */
export function fieldId(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

export function fieldErrorsOf(issues: FieldIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) errors[issue.path] ??= issue.message;
  return errors;
}

/**
 * What to tell the person about a failed call, in one sentence. The API's own messages already
 * name the field or the conflict; this adds what to do for the failures that are not theirs.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError))
    return 'Something went wrong in the console. Reload the page and try again.';
  if (error.code === 'network' || error.code === SESSION_EXPIRED) return error.message;
  if (error.status === 403) {
    return `You do not have permission for this: ${error.message} Ask an owner or admin.`;
  }
  if (error.status === 404) return `${error.message} It may have been removed; reload the list.`;
  if (error.status === 409) return `${error.message} Reload to see the latest, then try again.`;
  if (error.status === 422) return 'Some fields need attention; see the messages below.';
  if (error.status >= 500) return 'The server had a problem. Try again in a moment.';
  return error.message;
}

/** The error box of a form: the summary, then one line per field issue. */
export function ErrorSummary({
  error,
  labels,
}: {
  error: unknown;
  labels?: (path: string) => string;
}) {
  if (!error) return null;
  const issues = error instanceof ApiError && error.status === 422 ? error.details : [];
  return (
    <div class="notice error" role="alert">
      <p class="summary-title">{describeError(error)}</p>
      {issues.length > 0 && (
        <ul>
          {issues.map((issue) => (
            <li key={issue.path}>
              {labels ? labels(issue.path) : issue.path}: {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** After a failed save, moves focus to the first control marked invalid inside `form`. */
export function useFocusFirstInvalid(
  form: { current: HTMLElement | null },
  errors: FieldErrors,
): void {
  useEffect(() => {
    if (Object.keys(errors).length === 0) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);
}

interface TextFieldProps {
  path: string;
  label: ComponentChildren;
  value: string;
  onValue: (value: string) => void;
  errors: FieldErrors;
  type?: string;
  hint?: string;
  required?: boolean;
  autoComplete?: string;
  inputMode?: JSX.HTMLAttributes['inputMode'];
  multiline?: boolean;
  /** An extra path whose message also belongs to this control (a whole interval, say). */
  alsoPath?: string;
  class?: string;
}

/** A labelled input with its hint and its API error, wired with aria-invalid and describedby. */
export function TextField(props: TextFieldProps) {
  const id = fieldId(props.path);
  const error =
    props.errors[props.path] ?? (props.alsoPath ? props.errors[props.alsoPath] : undefined);
  const described = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  const common = {
    id,
    name: props.path,
    value: props.value,
    required: props.required,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': described || undefined,
    onInput: (event: Event) => props.onValue((event.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={`field ${props.class ?? ''}`}>
      <label for={id}>{props.label}</label>
      {props.hint && (
        <span class="hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      )}
      {props.multiline ? (
        <textarea {...common} rows={3} />
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete}
          inputMode={props.inputMode}
        />
      )}
      {error && (
        <span class="error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

/** A polite live region for progress and success; errors use role=alert instead. */
export function Status({ message }: { message: string }) {
  return (
    <p class="status-line" role="status" aria-live="polite">
      {message}
    </p>
  );
}

/** Returns a ref for a form and focuses its first invalid control when errors arrive. */
export function useFormFocus(errors: FieldErrors) {
  const ref = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(ref, errors);
  return ref;
}
