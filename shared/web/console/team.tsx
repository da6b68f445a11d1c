import { useEffect, useRef, useState } from 'preact/hooks';

import { ApiError } from '../common/api';
import { dateIn, formatLongDate, formatTime } from '../common/time';
import type { Business } from './app';
import {
  ErrorSummary,
  fieldErrorsOf,
  fieldId,
  fieldMessage,
  SelectField,
  Status,
  TextField,
  useFormFocus,
  type FieldErrors,
} from './forms';
import type { Session } from './session';

type PersonRole = 'owner' | 'admin' | 'staff';

interface Person {
  id: string;
  email: string;
  name?: string;
  role: PersonRole;
  status: 'active' | 'disabled';
  staffId?: string;
}

interface Invitation {
  id: string;
  email: string;
  role: 'admin' | 'staff';
  staffId?: string;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  expiresAt: string;
}

interface CreatedInvitation extends Invitation {
  acceptUrl: string;
}

interface StaffRecord {
  id: string;
  name: string;
}

const ROLE_LABELS: Record<PersonRole, string> = { owner: 'Owner', admin: 'Admin', staff: 'Staff' };

const nameOf = (person: Person) => person.name ?? person.email;

const ROLE_ORDER: PersonRole[] = ['owner', 'admin', 'staff'];

/** Owners first, then admins, then staff; by name within each. */
function sortPeople(people: Person[]): Person[] {
  return [...people].sort(
    (a, b) =>
      ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || nameOf(a).localeCompare(nameOf(b)),
  );
}

/**
 * The business's people and invitations, for owners and admins: change a role, deactivate or
 * reactivate someone, invite by email and revoke pending invitations. The API decides what is
 * allowed (admins cannot change owners; the last owner stays) and its refusals show by the
 * control that asked.
 */
export function TeamView({
  session,
  business,
  onOwnRoleChanged,
}: {
  session: Session;
  business: Business;
  /** The signed-in person changed their own role: the console re-reads what it may show. */
  onOwnRoleChanged: () => void;
}) {
  const [people, setPeople] = useState<Person[] | undefined>();
  const [invitations, setInvitations] = useState<Invitation[] | undefined>();
  const [staff, setStaff] = useState<StaffRecord[]>([]);
  const [loadError, setLoadError] = useState<unknown>();
  const [status, setStatus] = useState('');
  const [message, setMessage] = useState<string | undefined>();
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let live = true;
    setStatus('Loading the team…');
    Promise.all([
      session.call<{ items: Person[] }>('GET', 'admin/users'),
      session.call<{ items: Invitation[] }>('GET', 'admin/invitations'),
      session.call<{ items: StaffRecord[] }>('GET', 'admin/staff'),
    ]).then(
      ([loadedPeople, loadedInvitations, loadedStaff]) => {
        if (!live) return;
        setPeople(sortPeople(loadedPeople.items));
        setInvitations(loadedInvitations.items);
        setStaff(loadedStaff.items);
        setStatus('');
      },
      (caught: unknown) => {
        if (!live) return;
        setLoadError(caught);
        setStatus('');
      },
    );
    return () => {
      live = false;
    };
  }, [reloads]);

  const staffName = (id: string | undefined) => staff.find((s) => s.id === id)?.name;

  function changed(person: Person, text: string) {
    setPeople((list) => list?.map((p) => (p.id === person.id ? person : p)));
    setMessage(text);
    if (person.id === session.userId) onOwnRoleChanged();
  }

  return (
    <section class="team" aria-labelledby="team-title">
      <h1 id="team-title" tabIndex={-1}>
        Team
      </h1>
      <Status message={status || teamSummary(people, invitations)} />
      {message && (
        <p class="notice success" role="status">
          {message}
        </p>
      )}
      <ErrorSummary error={loadError} />
      {people && (
        <>
          <h2 id="people-title">People</h2>
          <ul class="cards" aria-labelledby="people-title">
            {people.map((person) => (
              <PersonCard
                key={person.id}
                session={session}
                person={person}
                staffName={staffName(person.staffId)}
                onChanged={changed}
              />
            ))}
          </ul>
        </>
      )}
      {invitations && (
        <>
          <InviteForm
            session={session}
            staff={staff}
            onInvited={(invitation) =>
              setInvitations((list) => [invitation, ...supersede(list ?? [], invitation)])
            }
          />
          <Invitations
            session={session}
            business={business}
            invitations={invitations}
            onRevoked={(invitation) => {
              setMessage(
                `Revoked the invitation for ${invitation.email}; its link no longer works.`,
              );
              setReloads((n) => n + 1);
            }}
          />
        </>
      )}
      {people && session.role === 'owner' && (
        <SecurityEvents session={session} business={business} people={people} />
      )}
    </section>
  );
}

/** One person: their role (a select and a save button) and whether they may sign in. */
function PersonCard({
  session,
  person,
  staffName,
  onChanged,
}: {
  session: Session;
  person: Person;
  staffName: string | undefined;
  onChanged: (person: Person, message: string) => void;
}) {
  const [role, setRole] = useState<PersonRole>(person.role);
  const [failed, setFailed] = useState<{ field: 'role' | 'status'; error: unknown }>();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const self = person.id === session.userId;
  const name = nameOf(person);
  // Only owners change owners or make someone owner (the API refuses admins with a 403).
  const locked = session.role !== 'owner' && person.role === 'owner';
  const roles: PersonRole[] =
    session.role === 'owner' ? ['owner', 'admin', 'staff'] : ['admin', 'staff'];
  const field = `person-${person.id}`;
  const confirmYes = useRef<HTMLButtonElement>(null);

  // Keyboard users land on the question's answer, and back on the button after it.
  useEffect(() => {
    if (confirming) confirmYes.current?.focus();
  }, [confirming]);
  const focusStatus = () =>
    requestAnimationFrame(() => document.getElementById(`${field}-status`)?.focus());
  const keep = () => {
    setConfirming(false);
    focusStatus();
  };

  async function update(change: { role?: PersonRole; status?: Person['status'] }, text: string) {
    // The buttons stay focusable while busy (aria-disabled), so a second press lands here.
    if (busy || (change.role && change.role === person.role)) return;
    setBusy(true);
    setFailed(undefined);
    try {
      const updated = await session.call<Person>(
        'PATCH',
        `admin/users/${encodeURIComponent(person.id)}`,
        change,
      );
      setConfirming(false);
      onChanged(updated, text);
      if (change.status) focusStatus();
    } catch (caught) {
      setFailed({ field: change.role ? 'role' : 'status', error: caught });
      if (change.role) document.getElementById(`${fieldId('role')}-${person.id}`)?.focus();
    } finally {
      setBusy(false);
    }
  }

  const roleErrors: FieldErrors =
    failed?.field === 'role' ? { role: fieldMessage(failed.error, 'role') } : {};
  const statusError = failed?.field === 'status' ? fieldMessage(failed.error, 'status') : '';
  const disabled = person.status === 'disabled';

  return (
    <li class="card item person">
      <h3>
        {name}
        {self && <span class="muted"> (you)</span>}
      </h3>
      <p class="muted">
        {person.name ? `${person.email} · ` : ''}
        {ROLE_LABELS[person.role]}
        {staffName ? ` · bookings of ${staffName}` : ''}
      </p>
      {disabled && <p class="badge">Deactivated</p>}
      {locked ? (
        <p class="muted">Only an owner can change an owner.</p>
      ) : (
        <>
          <form
            class="role-form"
            onSubmit={(event) => {
              event.preventDefault();
              void update({ role }, `${name} is now ${ROLE_LABELS[role].toLowerCase()}.`);
            }}
            noValidate
          >
            <SelectField
              path="role"
              idSuffix={person.id}
              label={
                <>
                  Role <span class="visually-hidden">of {name}</span>
                </>
              }
              value={role}
              onValue={(value) => setRole(value as PersonRole)}
              options={roles.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
              errors={roleErrors}
            />
            <button
              class="button secondary"
              type="submit"
              aria-disabled={busy || role === person.role || undefined}
            >
              Change role <span class="visually-hidden">of {name}</span>
            </button>
          </form>
          {!self && (
            <div class="status-control">
              {confirming ? (
                <div
                  class="confirm"
                  role="group"
                  aria-labelledby={`${field}-confirm`}
                  onKeyDown={(event) => {
                    if (event.key !== 'Escape') return;
                    event.preventDefault();
                    keep();
                  }}
                >
                  <p id={`${field}-confirm`}>
                    Deactivate {name}? They are signed out at once and cannot sign in until
                    reactivated. Their bookings stay.
                  </p>
                  <div class="actions">
                    <button
                      ref={confirmYes}
                      class="button danger"
                      type="button"
                      aria-disabled={busy || undefined}
                      onClick={() => update({ status: 'disabled' }, `Deactivated ${name}.`)}
                    >
                      Yes, deactivate
                    </button>
                    <button class="button secondary" type="button" onClick={keep}>
                      Keep {name} active
                    </button>
                  </div>
                </div>
              ) : (
                <button
                  class="button secondary"
                  type="button"
                  id={`${field}-status`}
                  aria-disabled={busy || undefined}
                  aria-describedby={statusError ? `${field}-status-error` : undefined}
                  onClick={() =>
                    disabled
                      ? update({ status: 'active' }, `Reactivated ${name}; they can sign in again.`)
                      : setConfirming(true)
                  }
                >
                  {disabled ? 'Reactivate' : 'Deactivate'}{' '}
                  <span class="visually-hidden">{name}</span>
                </button>
              )}
              {statusError && (
                <p class="error" id={`${field}-status-error`}>
                  {statusError}
                </p>
              )}
            </div>
          )}
        </>
      )}
    </li>
  );
}

const INVITE_LABELS: Record<string, string> = {
  email: 'Email',
  role: 'Role',
  staffId: 'Their bookings',
};

/**
 * Invites someone by email. The API answers with the single-use link, shown only this once; the
 * console sends no email, so the link is shown to copy and pass on.
 */
function InviteForm({
  session,
  staff,
  onInvited,
}: {
  session: Session;
  staff: StaffRecord[];
  onInvited: (invitation: CreatedInvitation) => void;
}) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'admin' | 'staff'>('staff');
  const [staffId, setStaffId] = useState('');
  const [error, setError] = useState<unknown>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedInvitation | undefined>();
  const formRef = useFormFocus(errors);
  const createdRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (created) createdRef.current?.focus();
  }, [created]);

  async function invite(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    setErrors({});
    setCreated(undefined);
    try {
      const body = {
        email: email.trim(),
        role,
        ...(role === 'staff' && staffId ? { staffId } : {}),
      };
      const invitation = await session.call<CreatedInvitation>('POST', 'admin/invitations', body);
      setCreated(invitation);
      setEmail('');
      setStaffId('');
      onInvited(invitation);
    } catch (caught) {
      setError(caught);
      // A 409 is about the email (someone with it is already a member).
      if (caught instanceof ApiError && caught.status === 409) {
        setErrors({ email: caught.message });
      } else if (caught instanceof ApiError) {
        setErrors(fieldErrorsOf(caught.details));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="card form invite">
      <h2 id="invite-title">Invite someone</h2>
      <ErrorSummary error={error} labels={(path) => INVITE_LABELS[path] ?? path} />
      <form ref={formRef} onSubmit={invite} aria-labelledby="invite-title" noValidate>
        <TextField
          path="email"
          label="Email"
          type="email"
          value={email}
          onValue={setEmail}
          errors={errors}
          autoComplete="off"
          required
        />
        <SelectField
          path="role"
          label="Role"
          hint="Staff see and change only the bookings of the staff member they are linked to; admins manage everything but owners."
          value={role}
          onValue={(value) => setRole(value as 'admin' | 'staff')}
          options={[
            { value: 'staff', label: 'Staff' },
            { value: 'admin', label: 'Admin' },
          ]}
          errors={errors}
        />
        {role === 'staff' && (
          <SelectField
            path="staffId"
            label="Their bookings"
            hint="The staff member whose bookings this person handles."
            value={staffId}
            onValue={setStaffId}
            options={[
              { value: '', label: 'None yet' },
              ...staff.map((s) => ({ value: s.id, label: s.name })),
            ]}
            errors={errors}
          />
        )}
        <button class="button" type="submit" aria-disabled={busy || undefined}>
          {busy ? 'Inviting…' : 'Invite'}
        </button>
      </form>
      {created && (
        <div class="notice success invite-link" role="status" tabIndex={-1} ref={createdRef}>
          <p>
            Invited {created.email} as {ROLE_LABELS[created.role].toLowerCase()}. The console sends
            no email: copy this link and send it to them. It works once, for 7 days, and is shown
            only now.
          </p>
          <CopyLink url={created.acceptUrl} label={`Invitation link for ${created.email}`} />
        </div>
      )}
    </div>
  );
}

function CopyLink({ url, label }: { url: string; label: string }) {
  const [copied, setCopied] = useState('');
  const copy = () => {
    // NOTE: the Clipboard API needs a secure context and may be refused; selecting the text
    // still lets the person copy it by hand.
    // https://developer.mozilla.org/en-US/docs/Web/API/Clipboard/writeText
    const input = document.getElementById('invite-link') as HTMLInputElement | null;
    input?.select();
    if (!navigator.clipboard) {
      setCopied('Copy the selected link with your keyboard or menu.');
      return;
    }
    navigator.clipboard.writeText(url).then(
      () => setCopied('Link copied.'),
      () => setCopied('The browser refused to copy; copy the selected link by hand.'),
    );
  };
  return (
    <div class="field">
      <label for="invite-link">{label}</label>
      <div class="copy-row">
        <input
          id="invite-link"
          readOnly
          value={url}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button class="button secondary" type="button" onClick={copy}>
          Copy link
        </button>
      </div>
      <span class="hint" aria-live="polite">
        {copied}
      </span>
    </div>
  );
}

/**
 * Inviting an email again is a resend: the API revokes the earlier pending invitations for it
 * (emails come back normalised, so they compare as they are), and the list shows that without
 * loading it again.
 */
function supersede(invitations: Invitation[], created: Invitation): Invitation[] {
  return invitations.map((invitation) =>
    invitation.status === 'pending' && invitation.email === created.email
      ? { ...invitation, status: 'revoked' }
      : invitation,
  );
}

const INVITATION_STATUS: Record<Invitation['status'], string> = {
  pending: 'Pending',
  accepted: 'Accepted',
  revoked: 'Revoked',
  expired: 'Expired',
};

/** Pending invitations, each with a revoke button; earlier ones folded away below. */
function Invitations({
  session,
  business,
  invitations,
  onRevoked,
}: {
  session: Session;
  business: Business;
  invitations: Invitation[];
  onRevoked: (invitation: Invitation) => void;
}) {
  const [error, setError] = useState<{ id: string; error: unknown }>();
  const [busy, setBusy] = useState<string | undefined>();
  const pending = invitations.filter((i) => i.status === 'pending');
  const earlier = invitations.filter((i) => i.status !== 'pending');
  const until = (iso: string) =>
    `${formatLongDate(dateIn(Date.parse(iso), business.timeZone))}, ${formatTime(iso, business.timeZone)}`;

  async function revoke(invitation: Invitation) {
    if (busy) return;
    setBusy(invitation.id);
    setError(undefined);
    try {
      await session.call('DELETE', `admin/invitations/${encodeURIComponent(invitation.id)}`);
      onRevoked(invitation);
      document.getElementById('invitations-title')?.focus();
    } catch (caught) {
      setError({ id: invitation.id, error: caught });
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <>
      <h2 id="invitations-title" tabIndex={-1}>
        Pending invitations
      </h2>
      {pending.length === 0 && <p class="muted">No pending invitations.</p>}
      {pending.length > 0 && (
        <ul class="cards" aria-labelledby="invitations-title">
          {pending.map((invitation) => (
            <li key={invitation.id} class="card item">
              <h3>{invitation.email}</h3>
              <p class="muted">
                {ROLE_LABELS[invitation.role]} · link works until {until(invitation.expiresAt)}
              </p>
              <button
                class="button secondary"
                type="button"
                aria-disabled={busy === invitation.id || undefined}
                aria-describedby={
                  error?.id === invitation.id ? `revoke-${invitation.id}` : undefined
                }
                onClick={() => revoke(invitation)}
              >
                Revoke <span class="visually-hidden">the invitation for {invitation.email}</span>
              </button>
              {error?.id === invitation.id && (
                <p class="error" id={`revoke-${invitation.id}`}>
                  {fieldMessage(error.error, 'id')}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      {earlier.length > 0 && (
        <details class="earlier">
          <summary>Earlier invitations ({earlier.length})</summary>
          <ul>
            {earlier.map((invitation) => (
              <li key={invitation.id}>
                {invitation.email} · {ROLE_LABELS[invitation.role]} ·{' '}
                {INVITATION_STATUS[invitation.status]}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

const EVENT_LABELS: Record<string, string> = {
  login_lockout: 'Sign-in locked after failed passwords',
  address_lockout: 'Sign-ins from one address locked',
  mfa_lockout: 'Two-factor step locked after failed codes',
  refresh_token_reuse: 'A reused sign-in ended a session',
  sessions_ended: 'Sessions ended',
  password_changed: 'Password changed',
  totp_enabled: 'Two-factor sign-in turned on',
  totp_disabled: 'Two-factor sign-in turned off',
  recovery_code_used: 'Recovery code used',
  security_settings_changed: 'Security settings changed',
};

interface SecurityEvent {
  id: string;
  kind: string;
  userId?: string;
  at: string;
}

/** The latest security events (owners only); older pages stay in the API. */
function SecurityEvents({
  session,
  business,
  people,
}: {
  session: Session;
  business: Business;
  people: Person[];
}) {
  const [events, setEvents] = useState<SecurityEvent[] | undefined>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    session
      .call<{ items: SecurityEvent[] }>('GET', 'admin/security-events?limit=20')
      .then((answer) => setEvents(answer.items), setError);
  }, []);

  const who = (userId: string | undefined) => {
    const person = people.find((p) => p.id === userId);
    return person ? nameOf(person) : userId ? 'someone no longer in the team' : 'the business';
  };
  const zone = business.timeZone;
  return (
    <>
      <h2 id="events-title">Recent security events</h2>
      <ErrorSummary error={error} />
      {events && events.length === 0 && <p class="muted">No security events yet.</p>}
      {events && events.length > 0 && (
        <ul class="events" aria-labelledby="events-title">
          {events.map((event) => (
            <li key={event.id}>
              <span class="when">
                {formatLongDate(dateIn(Date.parse(event.at), zone))}, {formatTime(event.at, zone)}
              </span>{' '}
              <span>
                {EVENT_LABELS[event.kind] ?? event.kind} ({who(event.userId)})
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** "3 people, 1 pending invitation.", kept current as people and invitations change. */
function teamSummary(people: Person[] | undefined, invitations: Invitation[] | undefined): string {
  if (!people || !invitations) return '';
  const n = people.length;
  const pending = invitations.filter((i) => i.status === 'pending').length;
  return `${n} ${n === 1 ? 'person' : 'people'}, ${pending} pending ${pending === 1 ? 'invitation' : 'invitations'}.`;
}
