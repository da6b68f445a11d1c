import { useEffect, useState } from 'preact/hooks';

import { formatLongDate, weekdayName } from '../common/time';
import { navigate, type Business } from './app';
import { isLocalDate, WEEKDAYS, type Weekday } from './dates';
import {
  DeleteRefusal,
  EditorPending,
  ErrorSummary,
  fieldId,
  focusLater,
  InlineConfirm,
  KeptNotice,
  removeButtonId,
  Status,
  TextField,
  useEditor,
  useItemList,
  type FieldErrors,
} from './forms';
import type { Session } from './session';

interface Interval {
  start: string;
  end: string;
}

export interface StaffMember {
  id: string;
  name: string;
  email?: string;
  timeZone: string;
  weeklyHours: Partial<Record<Weekday, Interval[]>>;
  overrides: { date: string; intervals: Interval[] }[];
  /** The version as loaded, sent back as `If-Match` when saving. */
  version?: string;
}

/** Staff: the list, a form to add one, and one member's details, weekly hours and overrides. */
export function StaffView({
  session,
  route,
  business,
}: {
  session: Session;
  route: string[];
  business: Business;
}) {
  const [flash, setFlash] = useState<string | undefined>();
  const target = route[0];
  useEffect(() => {
    if (target) setFlash(undefined);
  }, [target]);
  if (target) {
    return (
      <StaffForm
        key={target}
        session={session}
        id={target === 'new' ? undefined : target}
        business={business}
        onCreated={(member) => {
          setFlash(`Added ${member.name}. Open them to set their hours.`);
          navigate('staff');
        }}
      />
    );
  }
  return <StaffList session={session} flash={flash} />;
}

function hoursSummary(member: StaffMember): string {
  const days = WEEKDAYS.filter((day) => (member.weeklyHours[day]?.length ?? 0) > 0);
  if (days.length === 0) return 'No weekly hours';
  return `Works ${days.length} ${days.length === 1 ? 'day' : 'days'} a week`;
}

function StaffList({ session, flash }: { session: Session; flash?: string | undefined }) {
  const {
    items: staff,
    error,
    status,
    confirming,
    setConfirming,
    close,
    refusal,
    removing,
    message,
    remove,
  } = useItemList<StaffMember>({
    session,
    path: 'admin/staff',
    titleId: 'staff-title',
    flash,
    loading: 'Loading staff…',
    counted: (n) => `${n} ${n === 1 ? 'staff member' : 'staff members'}.`,
    deleted: (member) => `Removed ${member.name}; no service lists them any more.`,
  });

  return (
    <section aria-labelledby="staff-title">
      <div class="section-head">
        <h1 id="staff-title" tabIndex={-1}>
          Staff and hours
        </h1>
        <a class="button" href="#/staff/new">
          Add staff member
        </a>
      </div>
      <Status message={status} />
      {message && (
        <p class="notice success" role="status">
          {message}
        </p>
      )}
      <ErrorSummary error={error} />
      {staff && staff.length === 0 && <p>No staff yet.</p>}
      {staff && staff.length > 0 && (
        <ul class="cards">
          {staff.map((member) => (
            <li key={member.id} class="card item">
              <h2>{member.name}</h2>
              <p class="muted">
                {member.email ? `${member.email} · ` : ''}
                {member.timeZone} · {hoursSummary(member)}
              </p>
              {confirming === member.id && refusal ? (
                <DeleteRefusal
                  id={member.id}
                  error={refusal}
                  closeText={`Keep ${member.name}`}
                  onClose={close}
                />
              ) : confirming === member.id ? (
                <InlineConfirm
                  id={member.id}
                  confirmText="Yes, remove"
                  keepText={`Keep ${member.name}`}
                  busy={removing}
                  onConfirm={() => remove(member)}
                  onKeep={close}
                >
                  Remove {member.name}? They come off every service they perform. Someone with
                  upcoming bookings cannot be removed until those are moved or cancelled.
                </InlineConfirm>
              ) : (
                <div class="actions">
                  <a class="button secondary" href={`#/staff/${encodeURIComponent(member.id)}`}>
                    Edit <span class="visually-hidden">{member.name}</span> details and hours
                  </a>
                  <button
                    class="button secondary"
                    type="button"
                    id={removeButtonId(member.id)}
                    onClick={() => setConfirming(member.id)}
                  >
                    Remove <span class="visually-hidden">{member.name}</span>
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

interface OverrideDraft {
  date: string;
  closed: boolean;
  intervals: Interval[];
}

interface Draft {
  name: string;
  email: string;
  timeZone: string;
  hours: Record<Weekday, Interval[]>;
  overrides: OverrideDraft[];
}

function draftOf(member: StaffMember): Draft {
  return {
    name: member.name,
    email: member.email ?? '',
    timeZone: member.timeZone,
    hours: Object.fromEntries(
      WEEKDAYS.map((day) => [day, member.weeklyHours[day] ?? []]),
    ) as Record<Weekday, Interval[]>,
    overrides: member.overrides.map((o) => ({
      date: o.date,
      closed: o.intervals.length === 0,
      intervals: o.intervals,
    })),
  };
}

/** `9:00` is read as `09:00`, the one shorthand people type; the server checks the rest. */
function tidyTime(text: string): string {
  const trimmed = text.trim();
  return /^\d:\d\d$/.test(trimmed) ? `0${trimmed}` : trimmed;
}

const WALL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Whether an interval runs past midnight, as the API reads it: an end at or before its start.
 * Text that is not yet a time is not, so no note appears beside a half-typed or mistyped value.
 */
function runsOvernight(interval: Interval): boolean {
  const start = tidyTime(interval.start);
  const end = tidyTime(interval.end);
  return WALL_TIME.test(start) && WALL_TIME.test(end) && end <= start;
}

const tidy = (intervals: Interval[]) =>
  intervals.map((i) => ({ start: tidyTime(i.start), end: tidyTime(i.end) }));

function bodyOf(draft: Draft) {
  const weeklyHours: Partial<Record<Weekday, Interval[]>> = {};
  for (const day of WEEKDAYS) {
    if (draft.hours[day].length > 0) weeklyHours[day] = tidy(draft.hours[day]);
  }
  return {
    name: draft.name,
    ...(draft.email.trim() ? { email: draft.email.trim() } : {}),
    timeZone: draft.timeZone,
    weeklyHours,
    overrides: draft.overrides.map((o) => ({
      date: o.date,
      intervals: o.closed ? [] : tidy(o.intervals),
    })),
  };
}

function labelOf(path: string): string {
  const parts = path.split('.');
  const [top, second, third, fourth] = parts;
  if (top === 'weeklyHours' && second) {
    const day = weekdayName(WEEKDAYS.indexOf(second as Weekday));
    if (third === undefined) return day;
    const which = fourth === 'start' ? ', from' : fourth === 'end' ? ', to' : '';
    return `${day}, hours ${Number(third) + 1}${which}`;
  }
  if (top === 'overrides' && second !== undefined) return `Date override ${Number(second) + 1}`;
  if (top === 'timeZone') return 'Time zone';
  if (top === 'name') return 'Name';
  if (top === 'email') return 'Email';
  return path;
}

let zones: string[] | undefined;

/** Every IANA zone the browser knows, plus the current one when the browser lacks it. */
function zoneOptions(current: string): string[] {
  zones ??= Intl.supportedValuesOf('timeZone');
  return zones.includes(current) ? zones : [current, ...zones];
}

function StaffForm({
  session,
  id,
  business,
  onCreated,
}: {
  session: Session;
  id: string | undefined;
  business: Business;
  onCreated: (member: StaffMember) => void;
}) {
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
    path: 'admin/staff',
    id,
    blank: draftOf({
      id: '',
      name: '',
      timeZone: business.timeZone,
      weeklyHours: {},
      overrides: [],
    }),
    load: () =>
      id ? session.call<StaffMember>('GET', `admin/staff/${encodeURIComponent(id)}`) : undefined,
    loaded: draftOf,
    versionOf: (member) => member.version,
    draftOf,
    bodyOf: (draft) => ({ body: bodyOf(draft) }),
    savedMessage: (member) => `Saved ${member.name}’s details and hours.`,
    onCreated,
  });

  if (loadError || !draft) {
    return (
      <EditorPending
        titleId="staff-form-title"
        title={id ? 'Edit staff member' : 'Add a staff member'}
        status={status}
        error={loadError}
        backHref="#/staff"
        backText="Back to staff"
      />
    );
  }

  const setDay = (day: Weekday, intervals: Interval[]) =>
    update({ hours: { ...draft.hours, [day]: intervals } });
  const setOverride = (index: number, patch: Partial<OverrideDraft>) =>
    update({
      overrides: draft.overrides.map((o, i) => (i === index ? { ...o, ...patch } : o)),
    });

  function addOverride() {
    const index = draft!.overrides.length;
    update({ overrides: [...draft!.overrides, { date: '', closed: true, intervals: [] }] });
    focusLater(fieldId(`overrides.${index}.date`));
  }

  function removeOverride(index: number) {
    update({ overrides: draft!.overrides.filter((_, i) => i !== index) });
    focusLater('add-override');
  }

  return (
    <section aria-labelledby="staff-form-title">
      <p class="back">
        <a href="#/staff">Back to staff</a>
      </p>
      <h1 id="staff-form-title" tabIndex={-1}>
        {id ? `${draft.name || 'Staff member'}: details and hours` : 'Add a staff member'}
      </h1>
      {restored && <KeptNotice />}
      <ErrorSummary error={error} labels={labelOf} noun="staff member" onLoadLatest={loadLatest} />
      <form ref={formRef} class="staff-form" onSubmit={save} noValidate>
        <div class="card form">
          <h2>Details</h2>
          <TextField
            path="name"
            label="Name"
            value={draft.name}
            onValue={(name) => update({ name })}
            errors={errors}
            autoComplete="off"
            required
          />
          <TextField
            path="email"
            label="Email (optional)"
            type="email"
            value={draft.email}
            onValue={(email) => update({ email })}
            errors={errors}
            autoComplete="off"
          />
          <div class="field">
            <label for={fieldId('timeZone')}>Time zone</label>
            <span class="hint" id={`${fieldId('timeZone')}-hint`}>
              Working hours are read in this zone.
            </span>
            <select
              id={fieldId('timeZone')}
              value={draft.timeZone}
              aria-invalid={errors['timeZone'] ? 'true' : undefined}
              aria-describedby={`${fieldId('timeZone')}-hint${errors['timeZone'] ? ` ${fieldId('timeZone')}-error` : ''}`}
              onChange={(event) => update({ timeZone: event.currentTarget.value })}
            >
              {zoneOptions(draft.timeZone).map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
            {errors['timeZone'] && (
              <span class="error" id={`${fieldId('timeZone')}-error`}>
                {errors['timeZone']}
              </span>
            )}
          </div>
        </div>

        <div class="card form">
          <h2 id="weekly-hours">Weekly hours</h2>
          <p class="hint" id="hours-hint">
            Times as HH:MM, 24-hour. A day can have several intervals (a lunch break, say); an end
            at or before its start runs past midnight.
          </p>
          {WEEKDAYS.map((day, index) => (
            <IntervalsEditor
              key={day}
              base={`weeklyHours.${day}`}
              name={weekdayName(index)}
              intervals={draft.hours[day]}
              errors={errors}
              onChange={(intervals) => setDay(day, intervals)}
              emptyText="Not working"
            />
          ))}
        </div>

        <div class="card form">
          <h2 id="overrides">Date overrides</h2>
          <p class="hint">
            A date with other hours than usual, or closed all day (a holiday, say). It decides the
            whole date: it replaces that weekday’s hours, and hours of the day before that run past
            midnight stop at midnight.
          </p>
          {draft.overrides.length === 0 && <p class="muted">No date overrides.</p>}
          {draft.overrides.map((override, index) => {
            const base = `overrides.${index}`;
            const legend =
              override.date && isLocalDate(override.date)
                ? formatLongDate(override.date)
                : `New date override ${index + 1}`;
            return (
              <fieldset key={index} class="override">
                <legend>{legend}</legend>
                <TextField
                  path={`${base}.date`}
                  label="Date"
                  type="date"
                  value={override.date}
                  onValue={(date) => setOverride(index, { date })}
                  errors={errors}
                />
                <label class="check">
                  <input
                    type="checkbox"
                    checked={override.closed}
                    onChange={(event) => {
                      const closed = event.currentTarget.checked;
                      setOverride(index, {
                        closed,
                        intervals:
                          !closed && override.intervals.length === 0
                            ? [{ start: '09:00', end: '17:00' }]
                            : override.intervals,
                      });
                    }}
                  />
                  Closed all day
                </label>
                {!override.closed && (
                  <IntervalsEditor
                    base={`${base}.intervals`}
                    name={legend}
                    intervals={override.intervals}
                    errors={errors}
                    onChange={(intervals) => setOverride(index, { intervals })}
                    emptyText="No hours: closed all day"
                    plain
                  />
                )}
                <button
                  class="button secondary"
                  type="button"
                  onClick={() => removeOverride(index)}
                >
                  Remove override <span class="visually-hidden">{legend}</span>
                </button>
              </fieldset>
            );
          })}
          <button class="button secondary" type="button" id="add-override" onClick={addOverride}>
            Add date override
          </button>
        </div>

        <div class="save-bar">
          <button class="button" type="submit" aria-disabled={busy || undefined}>
            {busy ? 'Saving…' : id ? 'Save staff member' : 'Add staff member'}
          </button>
          <Status message={status} />
          {saved && (
            <p class="notice success" role="status">
              {saved}
            </p>
          )}
        </div>
      </form>
    </section>
  );
}

/**
 * The intervals of one day: a row per interval (from, to, remove) and a button to add one.
 * Errors come by path: `<base>.<i>.start`, `<base>.<i>.end`, or `<base>.<i>` for the whole
 * interval (an overlap).
 */
function IntervalsEditor({
  base,
  name,
  intervals,
  errors,
  onChange,
  emptyText,
  plain,
}: {
  base: string;
  name: string;
  intervals: Interval[];
  errors: FieldErrors;
  onChange: (intervals: Interval[]) => void;
  emptyText: string;
  /** Inside another fieldset: no fieldset of its own. */
  plain?: boolean;
}) {
  const addId = `${fieldId(base)}-add`;
  const add = () => {
    onChange([
      ...intervals,
      intervals.length === 0 ? { start: '09:00', end: '17:00' } : { start: '', end: '' },
    ]);
    focusLater(fieldId(`${base}.${intervals.length}.start`));
  };
  const remove = (index: number) => {
    onChange(intervals.filter((_, i) => i !== index));
    focusLater(addId);
  };
  const set = (index: number, patch: Partial<Interval>) =>
    onChange(intervals.map((interval, i) => (i === index ? { ...interval, ...patch } : interval)));
  const dayError = errors[base];

  const body = (
    <>
      {intervals.length === 0 && <p class="muted closed">{emptyText}</p>}
      {dayError && <p class="error">{dayError}</p>}
      {intervals.map((interval, index) => {
        const path = `${base}.${index}`;
        const prefix = `${name}, hours ${index + 1}, `;
        return (
          <div class="interval" key={index}>
            <TextField
              path={`${path}.start`}
              alsoPath={path}
              label={
                <>
                  <span class="visually-hidden">{prefix}</span>From
                </>
              }
              value={interval.start}
              onValue={(start) => set(index, { start })}
              errors={errors}
              autoComplete="off"
              class="time"
            />
            <TextField
              path={`${path}.end`}
              alsoPath={path}
              label={
                <>
                  <span class="visually-hidden">{prefix}</span>To
                </>
              }
              value={interval.end}
              onValue={(end) => set(index, { end })}
              note={runsOvernight(interval) ? '(next day)' : undefined}
              errors={errors}
              autoComplete="off"
              class="time"
            />
            <button class="button secondary remove" type="button" onClick={() => remove(index)}>
              Remove <span class="visually-hidden">{prefix.replace(/, $/, '')}</span>
            </button>
          </div>
        );
      })}
      <button class="button link add" type="button" id={addId} onClick={add}>
        Add hours <span class="visually-hidden">on {name}</span>
      </button>
    </>
  );
  if (plain) return <div class="intervals">{body}</div>;
  return (
    <fieldset class="day-hours">
      <legend>{name}</legend>
      <div class="intervals">{body}</div>
    </fieldset>
  );
}
