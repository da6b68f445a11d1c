import { useEffect, useRef, useState } from 'preact/hooks';
import { encode } from 'uqr';

import { ApiError } from '../common/api';
import {
  ErrorSummary,
  fieldErrorsOf,
  Status,
  TextField,
  useFormFocus,
  type FieldErrors,
} from './forms';
import type { Session } from './session';

/** The signed-in person's own settings: their password and two-factor sign-in. */
export function AccountView({
  session,
  onPasswordChanged,
}: {
  session: Session;
  /** The password changed: the server has ended every session of this person. */
  onPasswordChanged: () => void;
}) {
  return (
    <section class="account-view" aria-labelledby="account-title">
      <h1 id="account-title" tabIndex={-1}>
        Account
      </h1>
      <PasswordForm session={session} onChanged={onPasswordChanged} />
      <TwoFactor session={session} />
    </section>
  );
}

const PASSWORD_LABELS: Record<string, string> = {
  currentPassword: 'Current password',
  newPassword: 'New password',
};

function PasswordForm({ session, onChanged }: { session: Session; onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<unknown>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const formRef = useFormFocus(errors);

  async function change(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    setErrors({});
    try {
      await session.call('POST', 'auth/password', {
        currentPassword: current,
        newPassword: next,
      });
      // Every session of the person has ended on the server, this one too.
      session.endLocally();
      onChanged();
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiError) setErrors(fieldErrorsOf(caught.details));
      setBusy(false);
    }
  }

  return (
    <div class="card form">
      <h2 id="password-title">Password</h2>
      <p class="hint">Changing it signs you out everywhere, this browser too.</p>
      <ErrorSummary error={error} labels={(path) => PASSWORD_LABELS[path] ?? path} />
      <form ref={formRef} onSubmit={change} aria-labelledby="password-title" noValidate>
        <TextField
          path="currentPassword"
          label="Current password"
          type="password"
          value={current}
          onValue={setCurrent}
          errors={errors}
          autoComplete="current-password"
          required
        />
        <TextField
          path="newPassword"
          label="New password"
          type="password"
          hint="At least 15 characters (8 once two-factor sign-in is on), and not a common password."
          value={next}
          onValue={setNext}
          errors={errors}
          autoComplete="new-password"
          required
        />
        <button class="button" type="submit" aria-disabled={busy || undefined}>
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </div>
  );
}

interface TwoFactorStatus {
  enabled: boolean;
  required: boolean;
}

interface Setup {
  secret: string;
  otpauthUri: string;
}

/**
 * Two-factor sign-in: set up (a new seed as a QR code, as text and as an otpauth link), confirm
 * with a code from the app (which answers with recovery codes, shown once), or turn off with a
 * code.
 */
function TwoFactor({ session }: { session: Session }) {
  const [state, setState] = useState<TwoFactorStatus | undefined>();
  const [setup, setSetup] = useState<Setup | undefined>();
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    setStatus('Loading two-factor settings…');
    session.call<TwoFactorStatus>('GET', 'auth/mfa').then(
      (answer) => {
        setState(answer);
        setStatus('');
      },
      (caught: unknown) => {
        setError(caught);
        setStatus('');
      },
    );
  }, []);

  async function begin() {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    setMessage(undefined);
    try {
      setSetup(await session.call<Setup>('POST', 'auth/mfa/totp/setup'));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const done = (text: string, next: TwoFactorStatus) => {
    setState(next);
    setSetup(undefined);
    setMessage(text);
    heading.current?.focus();
  };

  return (
    <div class="card form two-factor">
      <h2 id="two-factor-title" ref={heading} tabIndex={-1}>
        Two-factor sign-in
      </h2>
      <Status message={status} />
      {message && (
        <p class="notice success" role="status">
          {message}
        </p>
      )}
      <ErrorSummary error={error} />
      {recoveryCodes && <RecoveryCodes codes={recoveryCodes} />}
      {state?.enabled && (
        <>
          <p>Two-factor sign-in is on: signing in asks for a code from your authenticator app.</p>
          {state.required ? (
            <p class="muted">Your business requires it, so it cannot be turned off.</p>
          ) : (
            <CodeForm
              session={session}
              path="auth/mfa/totp/disable"
              label="Code from your app, to turn it off"
              submit="Turn off two-factor sign-in"
              danger
              onDone={() => {
                setRecoveryCodes(undefined);
                done('Two-factor sign-in is off.', { ...state, enabled: false });
              }}
            />
          )}
        </>
      )}
      {state && !state.enabled && !setup && (
        <>
          {state.required ? (
            <p class="notice warning">
              Your business requires two-factor sign-in: set it up to use the rest of the console.
            </p>
          ) : (
            <p>
              Two-factor sign-in is off. With it on, signing in also asks for a code from an
              authenticator app on your phone.
            </p>
          )}
          <button class="button" type="button" aria-disabled={busy || undefined} onClick={begin}>
            {busy ? 'Starting…' : 'Set up two-factor sign-in'}
          </button>
        </>
      )}
      {state && setup && (
        <SetupSteps
          session={session}
          setup={setup}
          onConfirmed={(codes) => {
            setRecoveryCodes(codes);
            done('Two-factor sign-in is on.', { ...state, enabled: true });
          }}
          onCancel={() => {
            setSetup(undefined);
            heading.current?.focus();
          }}
        />
      )}
    </div>
  );
}

function SetupSteps({
  session,
  setup,
  onConfirmed,
  onCancel,
}: {
  session: Session;
  setup: Setup;
  onConfirmed: (codes: string[]) => void;
  onCancel: () => void;
}) {
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), []);
  // Groups of four are easier to copy by eye; authenticator apps ignore the spaces.
  const grouped = setup.secret.replace(/(.{4})(?=.)/g, '$1 ');
  return (
    <div class="setup">
      <h3 ref={title} tabIndex={-1}>
        Set up your authenticator app
      </h3>
      <ol class="setup-steps">
        <li>
          <p>Scan this code with an authenticator app, or enter the setup key by hand.</p>
          <QrCode text={setup.otpauthUri} label="QR code of the setup link for your app" />
          <dl class="details">
            <dt>Setup key</dt>
            <dd>
              <code id="totp-secret">{grouped}</code>
            </dd>
          </dl>
          <div class="field">
            <label for="totp-uri">Setup link (otpauth URI)</label>
            <input
              id="totp-uri"
              readOnly
              value={setup.otpauthUri}
              onFocus={(event) => event.currentTarget.select()}
            />
            <span class="hint">
              On a phone, <a href={setup.otpauthUri}>open the setup link in your app</a>.
            </span>
          </div>
        </li>
        <li>
          <p>Enter the 6-digit code the app shows to turn two-factor sign-in on.</p>
          <CodeForm
            session={session}
            path="auth/mfa/totp/confirm"
            label="Code from your app"
            submit="Turn on two-factor sign-in"
            onDone={(answer) => onConfirmed((answer as { recoveryCodes: string[] }).recoveryCodes)}
          />
        </li>
      </ol>
      <button class="button link" type="button" onClick={onCancel}>
        Not now
      </button>
    </div>
  );
}

/** A one-field form that sends a 6-digit code to `path` and shows the API's word on it. */
function CodeForm({
  session,
  path,
  label,
  submit,
  danger,
  onDone,
}: {
  session: Session;
  path: string;
  label: string;
  submit: string;
  danger?: boolean;
  onDone: (answer: unknown) => void;
}) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const formRef = useFormFocus(errors);

  async function send(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    setErrors({});
    try {
      onDone(await session.call('POST', path, { code: code.replace(/\s/g, '') }));
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiError) setErrors(fieldErrorsOf(caught.details));
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} onSubmit={send} noValidate>
      <ErrorSummary error={error} labels={(p) => (p === 'code' ? label : p)} />
      <TextField
        path="code"
        label={label}
        value={code}
        onValue={setCode}
        errors={errors}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={7}
        required
      />
      <button
        class={danger ? 'button danger' : 'button'}
        type="submit"
        aria-disabled={busy || undefined}
      >
        {submit}
      </button>
    </form>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <div class="notice info recovery">
      <p>
        Save these recovery codes somewhere safe. Each one signs you in once if you lose your phone.
        They are shown only now.
      </p>
      <ul class="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A QR code drawn as one SVG path from the module matrix: no markup strings, so nothing goes
 * through innerHTML (the page requires Trusted Types for that) and no inline style is needed.
 */
function QrCode({ text, label }: { text: string; label: string }) {
  const { data, size } = encode(text, { ecc: 'M', border: 4 });
  let path = '';
  data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) path += `M${x} ${y}h1v1h-1z`;
    }),
  );
  return (
    <svg
      class="qr"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
