import { useState } from 'react';
import { useAppRead } from '../common/useApp';
import { SignInForm } from './SignInForm';

/** The server refused our token (401/4401): work goes on locally, and syncing waits for a new sign-in. */
export function ReauthBanner({ user }: { readonly user: string }) {
  const needsSignIn = useAppRead((a) => a.syncStatus().needsSignIn, '');
  const [open, setOpen] = useState(false);
  if (!needsSignIn) return null;
  return (
    <section className="banner" aria-label="Sign in again">
      <p role="alert">Your session has ended. Keep working: your changes stay on this device and sync after you sign in again.</p>
      {open ? (
        <SignInForm submitLabel="Sign in again" defaultUser={user} />
      ) : (
        <button type="button" className="primary" onClick={() => setOpen(true)}>
          Sign in again
        </button>
      )}
    </section>
  );
}
