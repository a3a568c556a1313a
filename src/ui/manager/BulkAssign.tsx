import { useDeferredValue, useMemo, useState } from 'react';
import { defaultDueDateAging } from '../../domain/aging';
import { formatMoney, formatNumber } from '../common/format';
import { useCommand } from '../common/useCommand';
import { useApp, useAppRead } from '../common/useApp';
import { collectorsOf } from './team-data';

const SHOWN = 200;

/** Assign many accounts at once: filter, check (or take every match), choose the collector. */
export function BulkAssign() {
  const app = useApp();
  const all = useAppRead((a) => a.worklist({ scope: 'team' }), 'team');
  const aging = useAppRead((a) => a.agingConfig(), '') ?? defaultDueDateAging;
  const { busy, error, run } = useCommand();
  const [bucket, setBucket] = useState('');
  const [segment, setSegment] = useState('');
  const [owner, setOwner] = useState('');
  const [search, setSearch] = useState('');
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [collector, setCollector] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const q = useDeferredValue(search.trim().toLowerCase());
  const segments = useMemo(() => [...new Set(all.map((e) => e.segment))].sort(), [all]);
  const collectors = useMemo(() => collectorsOf(all, [app.session()?.user.id ?? '']).filter((c) => c !== ''), [all, app]);
  const matches = useMemo(
    () =>
      all.filter(
        (e) =>
          (bucket === '' || e.decision.metrics.bucketId === bucket) &&
          (segment === '' || e.segment === segment) &&
          (owner === '' || (owner === '(unassigned)' ? e.assignedTo === null : e.assignedTo === owner)) &&
          (q === '' || e.accountName.toLowerCase().includes(q) || e.accountNumber.toLowerCase().includes(q)),
      ),
    [all, bucket, segment, owner, q],
  );
  const toggle = (n: string) => {
    const s = new Set(checked);
    if (s.has(n)) s.delete(n);
    else s.add(n);
    setChecked(s);
  };
  const assign = async (accountNumbers: string[]) => {
    setDone(null);
    const who = collector.trim();
    const r = await run('account/assign', { accountNumbers, collector: who === '' ? null : who });
    if (r?.ok === true) {
      setDone(`${formatNumber(accountNumbers.length)} ${accountNumbers.length === 1 ? 'account' : 'accounts'} ${who === '' ? 'unassigned' : `assigned to ${who}`}.`);
      setChecked(new Set());
    }
  };
  return (
    <section aria-label="Bulk assignment">
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Choose accounts">
        <div className="filter-selects">
          <div>
            <label htmlFor="ba-bucket">Aging bucket</label>
            <select id="ba-bucket" value={bucket} onChange={(e) => setBucket(e.target.value)}>
              <option value="">All</option>
              {aging.buckets.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.label}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="ba-segment">Segment</label>
            <select id="ba-segment" value={segment} onChange={(e) => setSegment(e.target.value)}>
              <option value="">All</option>
              {segments.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="ba-owner">Assigned to</label>
            <select id="ba-owner" value={owner} onChange={(e) => setOwner(e.target.value)}>
              <option value="">Anyone</option>
              <option value="(unassigned)">Nobody</option>
              {collectors.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="search-field">
          <label htmlFor="ba-search">Customer or account number</label>
          <input id="ba-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
      </form>
      <div className="card stack">
        <label htmlFor="ba-collector">Assign to collector (empty: unassign)</label>
        <input id="ba-collector" list="ba-collectors" value={collector} onChange={(e) => setCollector(e.target.value)} />
        <datalist id="ba-collectors">
          {collectors.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <div className="button-row">
          <button type="button" className="primary" disabled={busy || checked.size === 0} onClick={() => void assign([...checked])}>
            Assign {formatNumber(checked.size)} checked
          </button>
          <button type="button" disabled={busy || matches.length === 0} onClick={() => void assign(matches.map((m) => m.accountNumber))}>
            Assign all {formatNumber(matches.length)} matching
          </button>
        </div>
        {error !== null && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <p role="status">{done}</p>
      </div>
      <p className="count">
        {formatNumber(matches.length)} matching{matches.length > SHOWN && `, the first ${formatNumber(SHOWN)} listed`}
      </p>
      <ul className="plain-list select-list" aria-label="Matching accounts">
        {matches.slice(0, SHOWN).map((e) => (
          <li key={e.accountNumber}>
            <label className="check-row">
              <input type="checkbox" checked={checked.has(e.accountNumber)} onChange={() => toggle(e.accountNumber)} />
              <span>
                {e.accountName} <span className="muted">({e.accountNumber})</span> · {formatMoney(e.decision.metrics.pastDue, e.decision.metrics.currency)} past due ·{' '}
                {e.assignedTo ?? 'unassigned'}
              </span>
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}
