import { useState } from 'preact/hooks';

import { ApiError } from '../common/api';
import { ErrorSummary, fieldErrorsOf, TextField, useFormFocus, type FieldErrors } from './forms';
import type { Session } from './session';

const LABELS: Record<string, string> = { name: 'Your name', password: 'Password' };

/**
 * Where an invitation link lands (`#/join/<token>`): the invited person chooses a password,
 * and accepting signs them in. The API checks the password rules and names what is wrong.
 */
export function Join({
  session,
  businessName,
  token,
  onJoined,
}: {
  session: Session;
  businessName: string;
  token: string;
  onJoined: () => void;
}) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const formRef = useFormFocus(errors);

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    setErrors({});
    try {
      await session.acceptInvitation(token, password, name.trim());
      onJoined();
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiError) setErrors(fieldErrorsOf(caught.details));
      setBusy(false);
    }
  }

  return (
    <main class="sign-in" id="main">
      <div class="card">
        <h1>Join {businessName}</h1>
        <p>You have been invited to this business's console. Choose a password to join.</p>
        <ErrorSummary error={error} labels={(path) => LABELS[path] ?? path} />
        <form ref={formRef} onSubmit={submit} noValidate>
          <TextField
            path="name"
            label="Your name"
            value={name}
            onValue={setName}
            errors={errors}
            autoComplete="name"
          />
          <TextField
            path="password"
            label="Password"
            type="password"
            hint="At least 15 characters."
            value={password}
            onValue={setPassword}
            errors={errors}
            autoComplete="new-password"
            required
          />
          <button class="button" type="submit" aria-disabled={busy || undefined}>
            {busy ? 'Joining…' : 'Join'}
          </button>
        </form>
      </div>
    </main>
  );
}
