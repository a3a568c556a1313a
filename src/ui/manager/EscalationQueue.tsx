import { useMemo, useState } from 'react';
import { formatDateTime, formatMoney, formatNumber } from '../common/format';
import { Link } from '../common/Link';
import { useApp, useAppRead } from '../common/useApp';
import { useCommand } from '../common/useCommand';
import { ResolveEscalationForm } from '../account/forms/ResolveEscalationForm';
import { collectorsOf, escalationQueue, type QueueItem } from './team-data';

const PAGE = 50;

/** Disputes, broken promises, large balances and collectors' escalations, oldest first: assign or resolve. */
export function EscalationQueue() {
  const app = useApp();
  const entries = useAppRead((a) => a.worklist({ scope: 'team' }), 'team');
  const queue = useMemo(() => escalationQueue(entries), [entries]);
  const collectors = useMemo(() => collectorsOf(entries, [app.session()?.user.id ?? '']).filter((c) => c !== ''), [entries, app]);
  const [source, setSource] = useState<'all' | 'manual' | 'derived'>('all');
  const [shown, setShown] = useState(PAGE);
  const filtered = source === 'all' ? queue : queue.filter((q) => q.escalation.source === source);
  return (
    <section aria-label="Escalation queue">
      <div className="two-up">
        <div>
          <label htmlFor="esc-source">Show</label>
          <select id="esc-source" value={source} onChange={(e) => setSource(e.target.value as typeof source)}>
            <option value="all">All escalations</option>
            <option value="manual">Raised by collectors</option>
            <option value="derived">Raised by the strategy (disputes, broken promises, large balances)</option>
          </select>
        </div>
      </div>
      <p role="status" className="count">
        {formatNumber(filtered.length)} open {filtered.length === 1 ? 'escalation' : 'escalations'}
      </p>
      <datalist id="collectors">
        {collectors.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <ul className="plain-list">
        {filtered.slice(0, shown).map((q) => (
          <EscalationItem key={`${q.entry.accountNumber}:${q.escalation.id}`} item={q} />
        ))}
      </ul>
      {filtered.length > shown && (
        <button type="button" onClick={() => setShown(shown + PAGE)}>
          Show {formatNumber(Math.min(PAGE, filtered.length - shown))} more
        </button>
      )}
    </section>
  );
}

function EscalationItem({ item }: { readonly item: QueueItem }) {
  const { entry, escalation } = item;
  const { busy, error, run } = useCommand();
  const [collector, setCollector] = useState(entry.assignedTo ?? '');
  const [done, setDone] = useState<string | null>(null);
  const m = entry.decision.metrics;
  const idBase = `esc-${entry.accountNumber}-${escalation.id}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const assign = async () => {
    const r = await run('account/assign', { accountNumbers: [entry.accountNumber], collector: collector.trim() === '' ? null : collector.trim() });
    if (r?.ok === true) setDone(collector.trim() === '' ? 'Unassigned.' : `Assigned to ${collector.trim()}.`);
  };
  return (
    <li className="card">
      <h2 className="row-title">
        <Link to={`/accounts/${encodeURIComponent(entry.accountNumber)}`}>{entry.accountName}</Link>{' '}
        <span className="muted small">{entry.accountNumber}</span>
      </h2>
      <p>
        <strong>{escalation.reason}</strong>
        <span className="muted">
          {' '}
          · {escalation.source === 'manual' ? 'raised by a collector' : 'raised by the strategy'} · since {formatDateTime(escalation.openedAt)}
          {escalation.toRole !== undefined && ` · to the ${escalation.toRole}`}
        </span>
      </p>
      <p className="row-money">
        {formatMoney(m.balance + m.disputedAmount + m.heldAmount, m.currency)} open · assigned to {entry.assignedTo ?? 'nobody'}
      </p>
      <div className="two-up">
        <div>
          <label htmlFor={`${idBase}-who`}>Assign to</label>
          <input id={`${idBase}-who`} list="collectors" value={collector} onChange={(e) => setCollector(e.target.value)} />
          <button type="button" onClick={() => void assign()} disabled={busy}>
            Assign
          </button>
        </div>
        <ResolveEscalationForm accountNumber={entry.accountNumber} escalationId={escalation.id} idBase={idBase} onResolved={() => setDone('Resolved.')} />
      </div>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p role="status">{done}</p>
    </li>
  );
}
