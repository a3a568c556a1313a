import { lazy, Suspense } from 'react';
import type { Session } from '../../app/collector-app';
import { AccountScreen } from '../account/AccountScreen';
import { Link } from '../common/Link';
import { isManager } from '../common/roles';
import { pathOf } from '../common/router';
import { ScreenErrorBoundary } from '../common/ScreenErrorBoundary';
import { useRoute } from '../common/useRoute';
import { TodayScreen } from '../today/TodayScreen';
import { ReauthBanner } from './ReauthBanner';
import { SettingsScreen } from './SettingsScreen';
import { SignOutScreen } from './SignOutScreen';
import { SyncIndicator } from './SyncIndicator';

// Managers' screens are their own chunk: a collector's phone never downloads them on start.
const ManagerScreen = lazy(() => import('../manager/ManagerScreen').then((m) => ({ default: m.ManagerScreen })));

export function AppShell({ session }: { readonly session: Session }) {
  const route = useRoute();
  const manager = isManager(session.user);
  const current = (name: string) => (route.name === name ? ('page' as const) : undefined);
  return (
    <>
      <header className="app-header">
        <Link to="/" className="brand" aria-label="Dunwell, Today">
          <img src="/icon.svg" alt="" width="28" height="28" />
          <span>Dunwell</span>
        </Link>
        <nav aria-label="Main">
          <Link to="/" aria-current={current('today')}>
            Today
          </Link>
          {manager && (
            <Link to="/manager/escalations" aria-current={current('manager')}>
              Manager
            </Link>
          )}
          <Link to="/settings" aria-current={current('settings')}>
            Settings
          </Link>
        </nav>
        <SyncIndicator />
      </header>
      <ReauthBanner user={session.user.id} />
      <main id="main" tabIndex={-1}>
        <ScreenErrorBoundary key={pathOf(route)}>
        {route.name === 'today' && <TodayScreen session={session} />}
        {route.name === 'account' && <AccountScreen key={route.accountNumber} accountNumber={route.accountNumber} session={session} />}
        {route.name === 'settings' && <SettingsScreen session={session} />}
        {route.name === 'sign-out' && <SignOutScreen />}
        {route.name === 'manager' &&
          (manager ? (
            <Suspense fallback={<p role="status">Loading the manager's screens…</p>}>
              <ManagerScreen tab={route.tab} session={session} />
            </Suspense>
          ) : (
            <p role="alert">The manager's screens are for managers and administrators.</p>
          ))}
        </ScreenErrorBoundary>
      </main>
    </>
  );
}
