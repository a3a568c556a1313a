import { useId, useState, type SyntheticEvent } from 'react';
import { useApp } from '../common/useApp';

/** User and password; the app layer signs in, keeps the session and asks the browser to persist storage. */
export function SignInForm({ submitLabel = 'Sign in', defaultUser = '' }: { readonly submitLabel?: string; readonly defaultUser?: string }) {
  const app = useApp();
  const id = useId();
  const [user, setUser] = useState(defaultUser);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    app.signIn(user.trim(), password).then(
      () => setBusy(false),
      (err: unknown) => {
        setBusy(false);
        setError(err instanceof Error ? err.message : String(err));
      },
    );
  };

  return (
    <form className="stack" onSubmit={submit} aria-describedby={error === null ? undefined : `${id}-error`}>
      <label htmlFor={`${id}-user`}>User or e-mail</label>
      <input id={`${id}-user`} name="username" autoComplete="username" required value={user} onChange={(e) => setUser(e.target.value)} />
      <label htmlFor={`${id}-password`}>Password</label>
      <input
        id={`${id}-password`}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {error !== null && (
        <p id={`${id}-error`} role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
        {busy ? 'Signing in…' : submitLabel}
      </button>
    </form>
  );
}
