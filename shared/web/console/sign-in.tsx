import { useEffect, useRef, useState } from 'preact/hooks';

import { ApiError } from '../common/api';
import { ErrorSummary, fieldErrorsOf, TextField, useFormFocus, type FieldErrors } from './forms';
import type { Session } from './session';

/**
 * The sign-in form: email and password, then the authenticator code when the account has
 * two-factor sign-in on, or one of the recovery codes for a person without their phone. `notice` explains why the form is showing (an ended session, say).
 * With `takeFocus` (it replaced the console) its heading takes focus and carries the notice as
 * its description, so a screen reader says where focus went and why.
 */
export function SignIn({
  session,
  businessName,
  notice,
  takeFocus = false,
  onSignedIn,
}: {
  session: Session;
  businessName: string;
  notice?: string;
  takeFocus?: boolean;
  onSignedIn: () => void;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState(false);
  const [mfaToken, setMfaToken] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const formRef = useFormFocus(errors);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (takeFocus) heading.current?.focus();
  }, []);

  useEffect(() => {
    if (mfaToken) document.getElementById(recovery ? 'f-recoveryCode' : 'f-code')?.focus();
  }, [mfaToken, recovery]);

  const switchProof = () => {
    setRecovery(!recovery);
    setCode('');
    setError(undefined);
    setErrors({});
  };

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    setErrors({});
    try {
      if (mfaToken) {
        const typed = code.trim();
        await session.finishSignIn(mfaToken, recovery ? { recoveryCode: typed } : { code: typed });
        onSignedIn();
        return;
      }
      const outcome = await session.signIn(email.trim(), password);
      if (outcome.kind === 'mfa') {
        setMfaToken(outcome.mfaToken);
        setBusy(false);
        return;
      }
      onSignedIn();
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiError) setErrors(fieldErrorsOf(caught.details));
      // A 401 on the code step means the code was wrong; the challenge itself is still good
      // until it expires, when the message says to start again.
      if (mfaToken && caught instanceof ApiError && caught.status === 401) setCode('');
      setBusy(false);
    }
  }

  const showNotice = Boolean(notice) && !error;
  return (
    <main class="sign-in" id="main">
      <div class="card">
        <h1
          ref={heading}
          tabIndex={-1}
          aria-describedby={showNotice ? 'sign-in-notice' : undefined}
        >
          Sign in to {businessName}
        </h1>
        {showNotice && (
          <p class="notice warning" id="sign-in-notice" role="status">
            {notice}
          </p>
        )}
        <ErrorSummary error={error} labels={labelOf} />
        <form ref={formRef} onSubmit={submit} noValidate>
          {mfaToken ? (
            <>
              {recovery ? (
                <>
                  <p>Enter one of the recovery codes you saved; each works once.</p>
                  <TextField
                    path="recoveryCode"
                    label="Recovery code"
                    value={code}
                    onValue={setCode}
                    errors={errors}
                    autoComplete="off"
                    required
                  />
                </>
              ) : (
                <>
                  <p>Enter the 6-digit code from your authenticator app.</p>
                  <TextField
                    path="code"
                    label="Authentication code"
                    value={code}
                    onValue={setCode}
                    errors={errors}
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    required
                  />
                </>
              )}
              <p>
                <button type="button" class="button link" onClick={switchProof}>
                  {recovery ? 'Use the authenticator app instead' : 'Use a recovery code instead'}
                </button>
              </p>
            </>
          ) : (
            <>
              <TextField
                path="email"
                label="Email"
                type="email"
                value={email}
                onValue={setEmail}
                errors={errors}
                autoComplete="username"
                required
              />
              <TextField
                path="password"
                label="Password"
                type="password"
                value={password}
                onValue={setPassword}
                errors={errors}
                autoComplete="current-password"
                required
              />
            </>
          )}
          <button class="button" type="submit" aria-disabled={busy || undefined}>
            {busy ? 'Signing in…' : mfaToken ? 'Verify code' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}

const LABELS: Record<string, string> = {
  email: 'Email',
  password: 'Password',
  code: 'Authentication code',
  recoveryCode: 'Recovery code',
};

function labelOf(path: string): string {
  return LABELS[path] ?? path;
}
