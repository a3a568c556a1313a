import type { SyncStatus } from '../../app/collector-app';
import { formatNumber, formatRelative } from '../common/format';
import { Link } from '../common/Link';
import { useAppRead } from '../common/useApp';
import { useNow } from '../common/useNow';

type Connection = 'online' | 'connecting' | 'offline';

export function connectionOf(s: SyncStatus): Connection {
  if (!s.online) return 'offline';
  return s.connected ? 'online' : 'connecting';
}

const CONNECTION_TEXT: Readonly<Record<Connection, string>> = { online: 'Online', connecting: 'Connecting…', offline: 'Offline' };

/** Always in the header: online or not, when the server last confirmed our state, what still waits. */
export function SyncIndicator() {
  const status = useAppRead((a) => a.syncStatus(), '');
  const now = useNow();
  const connection = connectionOf(status);
  const synced = status.lastServerSyncAt === null ? 'Not synced yet' : `Synced ${formatRelative(status.lastServerSyncAt, now)}`;
  const waiting =
    status.pendingChanges === 0
      ? 'All changes saved to the server'
      : `${formatNumber(status.pendingChanges)} ${status.pendingChanges === 1 ? 'change' : 'changes'} waiting${
          status.pendingSince === null ? '' : ` since ${formatRelative(status.pendingSince, now)}`
        }`;
  return (
    <Link to="/settings" className={`sync-indicator sync-${connection}`} aria-label={`Sync: ${CONNECTION_TEXT[connection]}. ${synced}. ${waiting}.`}>
      <span role="status" className="sync-text">
        <span className="sync-dot" aria-hidden="true" />
        <span className="sync-connection">{CONNECTION_TEXT[connection]}</span>
        <span className="sync-detail">{synced}</span>
        {status.pendingChanges > 0 && <span className="sync-pending">{`${formatNumber(status.pendingChanges)} waiting`}</span>}
      </span>
    </Link>
  );
}
