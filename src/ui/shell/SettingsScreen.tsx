import { useState } from 'react';
import type { Session } from '../../app/collector-app';
import { formatDateTime, formatNumber } from '../common/format';
import { ROLE_LABELS } from '../common/labels';
import { Link } from '../common/Link';
import { ScreenHeading } from '../common/ScreenHeading';
import { useApp, useAppRead } from '../common/useApp';
import { StorageSection } from './StorageSection';
import { connectionOf } from './SyncIndicator';

export function SettingsScreen({ session }: { readonly session: Session }) {
  const app = useApp();
  const [syncing, setSyncing] = useState<{ busy: boolean; message: string | null }>({ busy: false, message: null });
  const syncNow = () => {
    setSyncing({ busy: true, message: null });
    app.syncNow().then(
      () => setSyncing({ busy: false, message: 'Synced.' }),
      (e: unknown) => setSyncing({ busy: false, message: `Could not sync: ${e instanceof Error ? e.message : String(e)}` }),
    );
  };
  const status = useAppRead((a) => a.syncStatus(), '');
  const portfolio = useAppRead((a) => {
    const id = a.portfolioId();
    return a.portfolios().find((p) => p.id === id) ?? null;
  }, '');
  return (
    <div className="screen narrow">
      <ScreenHeading title="Settings">Settings</ScreenHeading>
      <section aria-labelledby="me-heading" className="card">
        <h2 id="me-heading">You</h2>
        <dl className="facts">
          <dt>Signed in as</dt>
          <dd>
            {session.user.name} ({session.user.id})
          </dd>
          <dt>Role</dt>
          <dd>{ROLE_LABELS[session.user.role] ?? session.user.role}</dd>
          <dt>Portfolio</dt>
          <dd>{portfolio === null ? '—' : `${portfolio.name} (${portfolio.id})`}</dd>
        </dl>
        <Link to="/sign-out" className="button">
          Sign out…
        </Link>
      </section>
      <section aria-labelledby="sync-heading" className="card">
        <h2 id="sync-heading">Sync</h2>
        <dl className="facts">
          <dt>Connection</dt>
          <dd>{{ online: 'Online', connecting: 'Connecting to the server', offline: 'Offline' }[connectionOf(status)]}</dd>
          <dt>Last server sync</dt>
          <dd>{status.lastServerSyncAt === null ? 'Not yet' : formatDateTime(status.lastServerSyncAt)}</dd>
          <dt>Changes waiting</dt>
          <dd>
            {formatNumber(status.pendingChanges)}
            {status.pendingSince !== null && `, the oldest since ${formatDateTime(status.pendingSince)}`}
          </dd>
          <dt>Ledger last pulled</dt>
          <dd>{status.ledgerPulledAt === null ? 'Not yet' : formatDateTime(status.ledgerPulledAt)}</dd>
          {status.storageError !== null && (
            <>
              <dt>Saving on this device</dt>
              <dd className="error">{status.storageError}</dd>
            </>
          )}
          {status.quarantined > 0 && (
            <>
              <dt>Team records set aside</dt>
              <dd>{formatNumber(status.quarantined)} (they failed their checks; the rest of the team’s work is shown)</dd>
            </>
          )}
        </dl>
        <button type="button" onClick={syncNow} disabled={syncing.busy} aria-busy={syncing.busy}>
          {syncing.busy ? 'Syncing…' : 'Sync now'}
        </button>
        <p role="status">{syncing.message}</p>
        {status.docs.length > 0 && (
          <table className="compact">
            <caption>Shared documents</caption>
            <thead>
              <tr>
                <th scope="col">Room</th>
                <th scope="col">Connected</th>
                <th scope="col">Last sync</th>
                <th scope="col">Waiting</th>
              </tr>
            </thead>
            <tbody>
              {status.docs.map((d) => (
                <tr key={d.room}>
                  <td>{d.room}</td>
                  <td>{d.connected ? 'Yes' : 'No'}</td>
                  <td>{d.lastServerSyncAt === null ? '—' : formatDateTime(d.lastServerSyncAt)}</td>
                  <td>{formatNumber(d.pendingChanges)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <StorageSection />
    </div>
  );
}
