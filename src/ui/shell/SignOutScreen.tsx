import { useState } from 'react';
import { formatNumber } from '../common/format';
import { Link } from '../common/Link';
import { navigate } from '../common/router';
import { ScreenHeading } from '../common/ScreenHeading';
import { useApp, useAppRead } from '../common/useApp';

/** Sign-out asks first when changes have not reached the server: they stay on the device, unsynced. */
export function SignOutScreen() {
  const app = useApp();
  const pending = useAppRead((a) => a.syncStatus().pendingChanges, '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const signOut = () => {
    setBusy(true);
    app.signOut().then(
      () => navigate('/', { replace: true }),
      (e: unknown) => {
        setBusy(false);
        setError(e instanceof Error ? e.message : String(e));
      },
    );
  };
  return (
    <div className="screen narrow">
      <ScreenHeading title="Sign out">Sign out</ScreenHeading>
      {pending > 0 ? (
        <p role="alert" className="warning">
          {formatNumber(pending)} {pending === 1 ? 'change has' : 'changes have'} not reached the server yet. They stay on this device and sync the next
          time someone signs in here while online.
        </p>
      ) : (
        <p>Everything you did is on the server.</p>
      )}
      {error !== null && <p role="alert">{error}</p>}
      <div className="button-row">
        <button type="button" className="primary" onClick={signOut} disabled={busy} aria-busy={busy}>
          Sign out
        </button>
        <Link to="/" className="button">
          Stay signed in
        </Link>
      </div>
    </div>
  );
}
