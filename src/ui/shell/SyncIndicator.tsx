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
  const synced = status.lastServerSyncAt === null ? 'Not synced yet' : `Synced ${formatRelative(status.lastServerSyncAt, now, true)}`;
  const waiting =
    status.pendingChanges === 0
      ? 'All changes saved to the server'
      : `The oldest change waiting since ${status.pendingSince === null ? '—' : formatRelative(status.pendingSince, now, true)}`;
  return (
    <Link to="/settings" className={`sync-indicator sync-${connection}`} title={waiting}>
      <span role="status" className="sync-text">
        <span className="visually-hidden">Sync: </span>
        <span className="sync-dot" aria-hidden="true" />
        <span className="sync-connection">{CONNECTION_TEXT[connection]}</span>
        <span className="sync-detail">{synced}</span>
        {status.pendingChanges > 0 ? (
          <span className="sync-pending">{`${formatNumber(status.pendingChanges)} ${status.pendingChanges === 1 ? 'change' : 'changes'} waiting`}</span>
        ) : (
          <span className="visually-hidden">, all changes saved to the server</span>
        )}
        {status.storageError !== null && <span className="sync-error">Not saved on this device</span>}
      </span>
    </Link>
  );
}
