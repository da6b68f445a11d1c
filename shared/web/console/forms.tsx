import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

import { ApiError, type FieldIssue } from '../common/api';
import { formatLongDate } from '../common/time';
import { SESSION_EXPIRED, type Session } from './session';

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
export function describeError(
  error: unknown,
  conflictAdvice = 'Reload to see the latest, then try again.',
): string {
  if (!(error instanceof ApiError))
    return 'Something went wrong in the console. Reload the page and try again.';
  if (error.code === 'network' || error.code === SESSION_EXPIRED) return error.message;
  if (error.code === 'mfa_enrolment_required') {
    return 'Your business requires two-factor sign-in: set it up under Account first.';
  }
  if (error.status === 403) {
    return `You do not have permission for this: ${error.message} Ask an owner or admin.`;
  }
  if (error.status === 404) return `${error.message} It may have been removed; reload the list.`;
  if (error.status === 409) return `${error.message} ${conflictAdvice}`.trim();
  if (isEditedElsewhere(error)) return editedElsewhereText('item');
  if (error.status === 422) return 'Some fields need attention; see the messages below.';
  if (error.status >= 500) return 'The server had a problem. Try again in a moment.';
  return error.message;
}

/** Whether a save was refused (412) because the item changed since the form loaded it. */
export function isEditedElsewhere(error: unknown): boolean {
  return error instanceof ApiError && error.status === 412;
}

function editedElsewhereText(noun: string): string {
  return `Someone else changed this ${noun} since you opened it, so your changes were not saved. Your edits are still in the form; load the latest version to see their changes, then make yours again.`;
}

/** The error box of a form: the summary, then one line per field issue. */
export function ErrorSummary({
  error,
  labels,
  conflictAdvice,
  noun,
  onLoadLatest,
}: {
  error: unknown;
  labels?: (path: string) => string;
  /** What to do after a 409, where the view already does more than the default advice says. */
  conflictAdvice?: string;
  /** What the form edits (`service`), for the message after someone else changed it. */
  noun?: string;
  /** After someone else changed the item: a button that loads the latest version. */
  onLoadLatest?: () => void;
}) {
  const stale = isEditedElsewhere(error);
  const box = useRef<HTMLDivElement>(null);
  // No field is at fault, so focus comes here (a long form's save button is far below), where
  // the way to load the latest version is next.
  useLayoutEffect(() => {
    if (stale) box.current?.focus();
  }, [error]);
  if (!error) return null;
  const issues = error instanceof ApiError && error.status === 422 ? error.details : [];
  return (
    <div class="notice error" role="alert" ref={box} tabIndex={stale ? -1 : undefined}>
      <p class="summary-title">
        {stale && noun ? editedElsewhereText(noun) : describeError(error, conflictAdvice)}
      </p>
      {issues.length > 0 && (
        <ul>
          {issues.map((issue) => (
            <li key={issue.path}>
              {labels ? labels(issue.path) : issue.path}: {issue.message}
            </li>
          ))}
        </ul>
      )}
      {stale && onLoadLatest && (
        <div class="actions">
          <button class="button secondary" type="button" onClick={onLoadLatest}>
            Load the latest version
          </button>
        </div>
      )}
    </div>
  );
}

/**
 * After a failed save, moves focus to the first control marked invalid inside `form`, in the
 * same frame as the messages appear: a busy button now keeps focus while it works, so focus
 * must not be left there, a frame behind what is shown.
 */
export function useFocusFirstInvalid(
  form: { current: HTMLElement | null },
  errors: FieldErrors,
): void {
  useLayoutEffect(() => {
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
  /** The API's limit, so the field stops taking text where the API would refuse it. */
  maxLength?: number;
  /** An extra path whose message also belongs to this control (a whole interval, say). */
  alsoPath?: string;
  /** A short remark on the value, beside the label and read with the field ("next day"). */
  note?: string | undefined;
  class?: string;
}

/** A labelled input with its hint and its API error, wired with aria-invalid and describedby. */
export function TextField(props: TextFieldProps) {
  const id = fieldId(props.path);
  const error =
    props.errors[props.path] ?? (props.alsoPath ? props.errors[props.alsoPath] : undefined);
  const described = [
    props.hint ? `${id}-hint` : '',
    props.note ? `${id}-note` : '',
    error ? `${id}-error` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const common = {
    id,
    name: props.path,
    value: props.value,
    required: props.required,
    maxLength: props.maxLength,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': described || undefined,
    onInput: (event: Event) => props.onValue((event.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={`field ${props.class ?? ''}`}>
      {props.note ? (
        <div class="label-line">
          <label for={id}>{props.label}</label>
          <span class="note" id={`${id}-note`}>
            {props.note}
          </span>
        </div>
      ) : (
        <label for={id}>{props.label}</label>
      )}
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

/**
 * Moves focus to the first of `ids` the next render has: a new field, or a moved button that
 * may be gone at the top or bottom of its list.
 */
export function focusLater(...ids: string[]): void {
  requestAnimationFrame(() => {
    const found = ids.map((id) => document.getElementById(id)).find(Boolean);
    found?.focus();
  });
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

/**
 * The request body of a draft, and the browser's own wording for fields it sends as typed
 * because they cannot become what the API expects (a number field holding `abc`, say). Those
 * still go to the API, so one save names every field's problem, the API's and these, at once.
 */
export type Built = { body: unknown; wording?: FieldErrors };

/** A 422 with the browser's wording in place of the API's for the paths in `wording`. */
function reworded(error: unknown, wording: FieldErrors | undefined): unknown {
  if (!wording || !(error instanceof ApiError) || error.status !== 422) return error;
  const details = error.details.map((issue) =>
    wording[issue.path] ? { ...issue, message: wording[issue.path]! } : issue,
  );
  return new ApiError(error.status, error.code, error.message, details);
}

const KEPT_PREFIX = 'slotwise.console.draft.';
/** Drafts kept when sessionStorage is off (private modes): this page's memory only. */
const keptInMemory = new Map<string, string>();

/**
 * Keeps an unsaved draft in this tab's sessionStorage, for the same person once they sign in
 * again. A draft is the business's own catalogue (a service, a staff member's hours), never a
 * token or a customer's details; sessionStorage is this tab's alone and goes with it.
 */
function keepDraft(key: string, userId: string | undefined, kept: Kept<object>): void {
  const text = JSON.stringify({ userId, ...kept });
  try {
    sessionStorage.setItem(KEPT_PREFIX + key, text);
  } catch {
    keptInMemory.set(key, text);
  }
}

/** A draft kept over a sign-in, and the version of the item it was made from. */
interface Kept<Draft> {
  draft: Draft;
  version: string | undefined;
}

/** The draft kept under `key` for this person, removed from storage as it is taken. */
function takeDraft<Draft>(key: string, userId: string | undefined): Kept<Draft> | undefined {
  let text: string | null | undefined;
  try {
    text = sessionStorage.getItem(KEPT_PREFIX + key);
    sessionStorage.removeItem(KEPT_PREFIX + key);
  } catch {
    text = keptInMemory.get(key);
  }
  keptInMemory.delete(key);
  if (!text) return undefined;
  try {
    const kept = JSON.parse(text) as { userId?: string; draft?: Draft; version?: string };
    // Someone else signing in on this tab does not get another person's half-made changes.
    if (kept.userId !== userId || !kept.draft) return undefined;
    return { draft: kept.draft, version: kept.version };
  } catch {
    return undefined;
  }
}

/** Says that the form holds changes kept from before the person had to sign in again. */
export function KeptNotice() {
  const box = useRef<HTMLParagraphElement>(null);
  // Signing in left focus on the body; this is what the person most needs to hear first.
  useLayoutEffect(() => box.current?.focus(), []);
  return (
    <p class="notice warning" role="status" tabIndex={-1} ref={box}>
      Your session ended before you saved, so your unsaved changes were kept. Check them, then save.
    </p>
  );
}

/**
 * The state of a form that adds or edits one item at `path` (`admin/staff`, say): loading,
 * the draft, saving, the API's field errors and the message after a save. A page states what
 * differs: what it loads, how an item becomes a draft and a draft a body, and what it says.
 *
 * An edit is saved with `If-Match`, the version the form loaded, so a save over someone else's
 * change (another tab, another person) is refused (412) rather than silently undoing theirs.
 * The draft stays in the form then, and `loadLatest` replaces it with the current item.
 *
 * When the session ends with unsaved changes (the console is replaced by the sign-in form),
 * the draft is kept for this page of this tab, with the version it was made from, and comes
 * back when the same person signs in again; `restored` then says so. Saving it is refused in
 * the same way if someone changed the item meanwhile.
 */
export function useEditor<
  Item extends { version?: string },
  Draft extends object,
  Loaded,
>(options: {
  session: Session;
  path: string;
  /** Undefined for a new item. */
  id: string | undefined;
  /** The draft a new item starts from; an existing one has none until it loads. */
  blank: Draft;
  /** What to fetch before the form shows, or undefined when there is nothing to fetch. */
  load: () => Promise<Loaded> | undefined;
  /** The draft once `load` answers: a new one, or a change to the one there is. */
  loaded: (value: Loaded) => Draft | ((draft: Draft | undefined) => Draft | undefined);
  /** The version of the item `load` answered (its `version`), sent back as `If-Match`. */
  versionOf: (value: Loaded) => string | undefined;
  draftOf: (item: Item) => Draft;
  bodyOf: (draft: Draft) => Built;
  savedMessage: (item: Item) => string;
  onCreated: (item: Item) => void;
}) {
  const { session, path, id } = options;
  const keptKey = `${session.slug}.${path}/${id ?? 'new'}`;
  // Read once, as the page opens; a new item with nothing to load starts from it at once.
  const [kept] = useState(() => takeDraft<Draft>(keptKey, session.userId));
  const [draft, setDraft] = useState<Draft | undefined>(id ? undefined : options.blank);
  const [loadError, setLoadError] = useState<unknown>();
  const [error, setError] = useState<unknown>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState('');
  const [saved, setSaved] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState<string | undefined>();
  const [restored, setRestored] = useState(false);
  const formRef = useFormFocus(errors);
  const latest = useRef({
    draft,
    version,
    dirty: false,
    sending: false,
    userId: session.userId,
  });
  latest.current.draft = draft;
  latest.current.version = version;

  const adopt = (value: Loaded) => {
    setDraft(options.loaded(value));
    setVersion(options.versionOf(value));
  };

  useEffect(() => {
    const loading = options.load();
    const restore = () => {
      if (!kept) return;
      setDraft(kept.draft);
      // Saved against the version it was made from: a change made meanwhile is not undone.
      if (kept.version) setVersion(kept.version);
      setRestored(true);
      latest.current.dirty = true;
    };
    if (!loading) return restore();
    setStatus('Loading…');
    loading.then(
      (value) => {
        adopt(value);
        restore();
        setStatus('');
      },
      (caught: unknown) => {
        setLoadError(caught);
        setStatus('');
      },
    );
  }, [id]);

  // Unmounted because the session ended rather than because the person left the page: keep
  // what they typed for when they are back.
  useEffect(
    () => () => {
      const { draft, version, dirty, userId } = latest.current;
      if (session.ended && dirty && draft) keepDraft(keptKey, userId, { draft, version });
    },
    [],
  );

  const update = (patch: Partial<Draft>) => {
    if (draft) setDraft({ ...draft, ...patch });
    latest.current.dirty = true;
    setSaved(undefined);
  };

  async function save(event: Event) {
    event.preventDefault();
    // The button stays focusable while saving (aria-disabled), so a second press lands here.
    if (!draft || latest.current.sending) return;
    latest.current.sending = true;
    setError(undefined);
    setSaved(undefined);
    const built = options.bodyOf(draft);
    setErrors({});
    setBusy(true);
    setStatus('Saving…');
    try {
      if (id) {
        const item = await session.call<Item>(
          'PUT',
          `${path}/${encodeURIComponent(id)}`,
          built.body,
          version ? { 'If-Match': version } : undefined,
        );
        latest.current.dirty = false;
        setDraft(options.draftOf(item));
        setVersion(item.version);
        setSaved(options.savedMessage(item));
        setRestored(false);
      } else {
        const item = await session.call<Item>('POST', path, built.body);
        latest.current.dirty = false;
        options.onCreated(item);
      }
    } catch (caught) {
      const shown = reworded(caught, built.wording);
      setError(shown);
      if (shown instanceof ApiError) setErrors(fieldErrorsOf(shown.details));
    } finally {
      latest.current.sending = false;
      setBusy(false);
      setStatus('');
    }
  }

  /** After a 412: replaces the draft with the item as it is now, whose version saves again. */
  async function loadLatest() {
    const loading = options.load();
    if (!loading) return;
    setBusy(true);
    setStatus('Loading the latest version…');
    try {
      adopt(await loading);
      latest.current.dirty = false;
      setRestored(false);
      setError(undefined);
      setErrors({});
      setSaved('Loaded the latest version. Make your changes again, then save.');
      // The button that had focus is gone with the error; the form's first field takes it.
      requestAnimationFrame(() =>
        formRef.current?.querySelector<HTMLElement>('input, select, textarea')?.focus(),
      );
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
      setStatus('');
    }
  }

  return {
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
  };
}

/** An editor's page while its item loads, or when it could not be loaded. */
export function EditorPending({
  titleId,
  title,
  status,
  error,
  backHref,
  backText,
}: {
  titleId: string;
  title: string;
  status: string;
  error: unknown;
  backHref: string;
  backText: string;
}) {
  return (
    <section aria-labelledby={titleId}>
      <h1 id={titleId} tabIndex={-1}>
        {title}
      </h1>
      <Status message={status} />
      <ErrorSummary error={error} />
      <p>
        <a href={backHref}>{backText}</a>
      </p>
    </section>
  );
}

/** The id of an item's delete (or remove) button, where focus returns when its confirm closes. */
export function removeButtonId(itemId: string): string {
  return `remove-${itemId}`;
}

/**
 * The state of a page that lists the items at `path` and deletes one after a confirmation: the
 * list, its status line, which item asks "are you sure", and the message after a change. After a
 * delete the list reloads and focus returns to the heading `titleId`; a confirm (or a refusal)
 * that closes without a delete returns focus to the item's button (`removeButtonId`).
 */
export function useItemList<Item extends { id: string }>(options: {
  session: Session;
  path: string;
  titleId: string;
  flash: string | undefined;
  loading: string;
  counted: (count: number) => string;
  deleted: (item: Item) => string;
}) {
  const { session, path } = options;
  const [items, setItems] = useState<Item[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [status, setStatus] = useState('');
  const [confirming, setConfirmingId] = useState<string | undefined>();
  const [refusal, setRefusal] = useState<unknown>();
  const [removing, setRemoving] = useState(false);
  const [message, setMessage] = useState(options.flash);
  const [reloads, setReloads] = useState(0);
  const returnTo = useRef<string | undefined>();
  // A refusal answers the "are you sure" it replaced; asking about another item ends it.
  const setConfirming = (id: string | undefined) => {
    setRefusal(undefined);
    setConfirmingId(id);
  };
  /** Closes the confirm or refusal without deleting: focus goes back to where it opened. */
  const close = () => {
    returnTo.current = confirming;
    setConfirming(undefined);
  };

  useLayoutEffect(() => {
    if (confirming || !returnTo.current) return;
    document.getElementById(removeButtonId(returnTo.current))?.focus();
    returnTo.current = undefined;
  }, [confirming]);

  useEffect(() => {
    setStatus(options.loading);
    session.call<{ items: Item[] }>('GET', path).then(
      (answer) => {
        setItems(answer.items);
        setStatus(options.counted(answer.items.length));
      },
      (caught: unknown) => {
        setError(caught);
        setStatus('');
      },
    );
  }, [reloads]);

  async function remove(item: Item) {
    if (removing) return;
    setRemoving(true);
    setError(undefined);
    setRefusal(undefined);
    try {
      await session.call('DELETE', `${path}/${encodeURIComponent(item.id)}`);
      setConfirming(undefined);
      setMessage(options.deleted(item));
      setReloads((n) => n + 1);
      document.getElementById(options.titleId)?.focus();
    } catch (caught) {
      // Shown by the item, in place of its "are you sure" (see DeleteRefusal).
      setMessage(undefined);
      setRefusal(caught);
    } finally {
      setRemoving(false);
    }
  }

  return {
    items,
    error,
    status,
    confirming,
    setConfirming,
    close,
    refusal,
    removing,
    message,
    remove,
  };
}

/** Escape closes an inline confirm, as it would a dialog. */
function onEscape(close: () => void) {
  return (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    close();
  };
}

/**
 * An item's "are you sure", shown in place of its buttons. Its question takes focus, so it is
 * read out and a stray Enter deletes nothing; Escape or the keep button closes it.
 */
export function InlineConfirm({
  id,
  children,
  confirmText,
  keepText,
  busy,
  onConfirm,
  onKeep,
}: {
  id: string;
  children: ComponentChildren;
  confirmText: string;
  keepText: string;
  busy: boolean;
  onConfirm: () => void;
  onKeep: () => void;
}) {
  const question = useRef<HTMLParagraphElement>(null);
  useLayoutEffect(() => question.current?.focus(), []);
  return (
    <div
      class="confirm"
      role="group"
      aria-labelledby={`confirm-${id}`}
      onKeyDown={onEscape(onKeep)}
    >
      <p id={`confirm-${id}`} ref={question} tabIndex={-1}>
        {children}
      </p>
      <div class="actions">
        <button
          class="button danger"
          type="button"
          aria-disabled={busy || undefined}
          onClick={() => busy || onConfirm()}
        >
          {confirmText}
        </button>
        <button class="button secondary" type="button" onClick={onKeep}>
          {keepText}
        </button>
      </div>
    </div>
  );
}

/** The day of the first upcoming booking a 409 names in `details.firstStart`, if it names one. */
function firstBookingDate(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.status !== 409) return undefined;
  const start = error.facts['firstStart'];
  return typeof start === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(start)
    ? start.slice(0, 10)
    : undefined;
}

/**
 * Why a delete was refused, shown by the item in place of its "are you sure" and focused, so it
 * is read out at once. The API's message says what stands in the way and what to do; when that
 * is upcoming bookings, a link opens the day of the first one. There is no "try again" beside
 * it: the same delete would be refused until the bookings are dealt with. Escape closes it, as it
 * closes the confirm it replaced.
 */
export function DeleteRefusal({
  id,
  error,
  closeText,
  onClose,
}: {
  id: string;
  error: unknown;
  closeText: string;
  onClose: () => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => box.current?.focus(), [error]);
  const date = firstBookingDate(error);
  return (
    <div
      class="confirm"
      role="group"
      aria-labelledby={`refusal-${id}`}
      onKeyDown={onEscape(onClose)}
    >
      <div class="notice error" role="alert" id={`refusal-${id}`} ref={box} tabIndex={-1}>
        <p>{describeError(error, '')}</p>
        {date && (
          <p>
            <a href={`#/bookings/day/${date}`}>See the bookings of {formatLongDate(date)}</a>
          </p>
        )}
      </div>
      <div class="actions">
        <button class="button secondary" type="button" onClick={onClose}>
          {closeText}
        </button>
      </div>
    </div>
  );
}

/** A labelled select with its hint and its API error, wired like `TextField`. */
export function SelectField(props: {
  path: string;
  label: ComponentChildren;
  value: string;
  onValue: (value: string) => void;
  options: { value: string; label: string }[];
  errors: FieldErrors;
  hint?: string;
  /** Makes ids unique when one page holds several selects for the same field (one per row). */
  idSuffix?: string;
  class?: string;
}) {
  const id = `${fieldId(props.path)}${props.idSuffix ? `-${props.idSuffix}` : ''}`;
  const error = props.errors[props.path];
  const described = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={`field ${props.class ?? ''}`}>
      <label for={id}>{props.label}</label>
      {props.hint && (
        <span class="hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      )}
      <select
        id={id}
        name={props.path}
        value={props.value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described || undefined}
        onChange={(event) => props.onValue(event.currentTarget.value)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {error && (
        <span class="error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

/**
 * The API's message for one field of a failed call: the 422 detail at `path`, or the message of
 * a refusal that is about that field as a whole (a 403 or 409, say).
 */
export function fieldMessage(error: unknown, path: string): string {
  if (!(error instanceof ApiError)) return describeError(error);
  const detail = error.details.find((issue) => issue.path === path);
  if (detail) return detail.message;
  return error.status === 422 || error.status >= 500 || error.code === 'network'
    ? describeError(error)
    : error.message;
}
