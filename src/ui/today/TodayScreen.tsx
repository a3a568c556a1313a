import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { Session, WorklistQuery } from '../../app/collector-app';
import { formatDate, formatNumber } from '../common/format';
import { isManager } from '../common/roles';
import { ScreenHeading } from '../common/ScreenHeading';
import { useAppRead } from '../common/useApp';
import { loadFilters, saveFilters, type TodayFilters } from './worklist-filter-state';
import { WorklistFilters } from './WorklistFilters';
import { WorklistList } from './WorklistList';

function queryOf(f: TodayFilters, collector: string): WorklistQuery {
  return {
    scope: f.scope,
    collector,
    ...(f.bucket === '' ? {} : { bucket: f.bucket }),
    ...(f.actionKind === '' ? {} : { actionKind: f.actionKind }),
    ...(f.due === '' ? {} : { due: f.due }),
    ...(f.search.trim() === '' ? {} : { search: f.search.trim() }),
  };
}

/** Today: the collector's accounts, best first, with filters and search. */
export function TodayScreen({ session }: { readonly session: Session }) {
  const [filters, setFilters] = useState(() => loadFilters(isManager(session.user)));
  useEffect(() => saveFilters(filters), [filters]);
  // Typing in the search box stays responsive: the list catches up on the deferred value.
  const deferred = useDeferredValue(filters);
  const query = useMemo(() => queryOf(deferred, session.user.id), [deferred, session.user.id]);
  const key = JSON.stringify(query);
  const rows = useAppRead((a) => a.worklistRows(query), key);
  const open = useAppRead((a) => a.openState(), '');
  const presence = useAppRead((a) => a.presence(), '');
  const aging = useAppRead((a) => a.agingConfig(), '');
  const asOf = useAppRead((a) => a.asOf(), '');
  const today = asOf.slice(0, 10);
  const stale = deferred !== filters;
  // One row at a time has its quick outcome buttons open; the last outcome logged is announced.
  const [logging, setLogging] = useState<string | null>(null);
  const [logged, setLogged] = useState<string | null>(null);
  const toggleLog = useCallback((n: string) => setLogging((current) => (current === n ? null : n)), []);
  const onLogged = useCallback((message: string) => {
    setLogged(message);
    setLogging(null);
  }, []);

  return (
    <div className="screen">
      <ScreenHeading title="Today">Today</ScreenHeading>
      <p className="muted">{formatDate(today)}</p>
      <WorklistFilters filters={filters} aging={aging} onChange={setFilters} />
      {open.phase === 'cached' && <p className="muted">Showing the list saved on this device while your portfolio loads…</p>}
      {open.phase === 'opening' && <p className="muted">Opening your portfolio…</p>}
      <p role="status" className="count" aria-busy={stale || open.phase !== 'live'}>
        {formatNumber(rows.length)} {rows.length === 1 ? 'account' : 'accounts'}
      </p>
      <p role="status" className="action-message">
        {logged}
      </p>
      {rows.length === 0 && open.phase === 'live' ? (
        <p className="empty">
          {filters.scope === 'mine' ? 'Nothing assigned to you matches. Try “Team” or “Unassigned”.' : 'No account matches these filters.'}
        </p>
      ) : (
        rows.length > 0 && (
          <WorklistList
            rows={rows}
            presence={presence}
            aging={aging}
            today={today}
            me={session.user.id}
            logging={logging}
            onLogToggle={toggleLog}
            onLogged={onLogged}
          />
        )
      )}
    </div>
  );
}
