import { useEffect, useRef, useState } from 'react';
import { useAppRead } from '../common/useApp';
import { AppShell } from './AppShell';
import { PortfolioPicker } from './PortfolioPicker';
import { SignInScreen } from './SignInScreen';

/**
 * Signed out → the sign-in screen; signed in without an open portfolio → the picker (or the only
 * portfolio, opened at once); otherwise the app. A session that ends while the app is open (sign-out,
 * or the server's 401) says so on the sign-in screen; the device's unsynced work is kept.
 */
export function SessionGate() {
  const session = useAppRead((a) => a.session(), '');
  const portfolioId = useAppRead((a) => a.portfolioId(), '');
  const phase = useAppRead((a) => a.openState().phase, '');
  const hadSession = useRef(session !== null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (session === null && hadSession.current) setNotice('You are signed out. Work not yet synced stays on this device until you sign in again.');
    if (session !== null) setNotice(null);
    hadSession.current = session !== null;
  }, [session]);

  if (session === null) return <SignInScreen notice={notice} />;
  if (portfolioId === null || phase === 'failed') return <PortfolioPicker />;
  return <AppShell session={session} />;
}
