import { memo } from 'react';
import type { PresenceUser } from '../../app/collector-app';
import type { AgingConfig } from '../../domain/aging';
import type { WorklistEntry } from '../../domain/worklist';
import { formatDate, formatDateTime, formatMoney, formatNumber } from '../common/format';
import { ACTION_LABELS, COMPONENT_LABELS, bucketLabel, ruleTitle } from '../common/labels';
import { Link } from '../common/Link';

interface Props {
  readonly entry: WorklistEntry;
  readonly presence: readonly PresenceUser[] | undefined;
  readonly aging: AgingConfig | undefined;
  readonly today: string;
  /** The signed-in user: their own claim is not news. */
  readonly me: string;
}

/** Components worth a glance on the list; the account shows them all. */
const WHY_SHOWN = 3;

/**
 * One account on Today: what to do and why, what it owes, and the flags that change how to approach
 * it. Memoized on the entry object: the worklist keeps an entry until its account is re-scored, so
 * an outcome logged on one account re-renders one row.
 */
export const WorklistRow = memo(function WorklistRow({ entry, presence, aging, today, me }: Props) {
  const { decision, state } = entry;
  const m = decision.metrics;
  const next = decision.next;
  const promise = state.currentPromise;
  const disputed = state.disputedDocuments.size > 0;
  const blocked = entry.compliance !== undefined && !entry.compliance.allowed ? entry.compliance : undefined;
  const overdue = entry.dueAt !== undefined && entry.dueAt.slice(0, 10) < today;
  const why = [...entry.components].sort((a, b) => b.points - a.points).slice(0, WHY_SHOWN);
  const others = (presence ?? []).map((p) => p.name);

  return (
    <article className="row-card" aria-labelledby={`acct-${entry.accountNumber}`}>
      <div className="row-head">
        <h2 className="row-title" id={`acct-${entry.accountNumber}`}>
          <Link to={`/accounts/${encodeURIComponent(entry.accountNumber)}`} className="stretched">
            {entry.accountName}
          </Link>
        </h2>
        <span className="score" title="Priority score">
          <span className="visually-hidden">Score </span>
          {formatNumber(entry.score)}
        </span>
      </div>
      <p className="row-next">
        <span className="muted">{entry.accountNumber}</span>
        {' · '}
        {next === null ? (
          <span>{decision.waiting?.detail ?? 'Nothing to do now'}</span>
        ) : (
          <>
            <strong>{ACTION_LABELS[next.kind]}</strong>
            {entry.dueAt !== undefined && <span className={overdue ? 'overdue' : undefined}>{` · ${overdue ? 'overdue since' : 'due'} ${formatDateTime(entry.dueAt)}`}</span>}
          </>
        )}
      </p>
      {next !== null && <p className="row-reason">{next.reason}</p>}
      <p className="row-money">
        {formatMoney(m.balance, m.currency)}
        {m.pastDue > 0 && ` · ${formatMoney(m.pastDue, m.currency)} past due, ${bucketLabel(m.bucketId, aging)}`}
      </p>
      <ul className="flags" aria-label="Flags">
        {promise?.status === 'open' && promise.nextDueDate !== undefined && (
          <li className="flag flag-promise">Promise to pay due {formatDate(promise.nextDueDate)}</li>
        )}
        {promise !== undefined && (promise.status === 'broken' || promise.status === 'partially-kept') && (
          <li className="flag flag-bad">Broken promise to pay</li>
        )}
        {disputed && <li className="flag flag-dispute">Dispute</li>}
        {blocked !== undefined && (
          <li className="flag flag-blocked">
            {ruleTitle(blocked.rule)}
            {blocked.nextAllowedAt !== undefined && ` until ${formatDateTime(blocked.nextAllowedAt)}`}
          </li>
        )}
        {others.length > 0 && <li className="flag flag-presence">{others.join(', ')} on it now</li>}
        {entry.claimedBy !== undefined && entry.claimedBy !== me && <li className="flag flag-presence">Claimed by {entry.claimedBy}</li>}
        {entry.assignedTo === null && <li className="flag">Unassigned</li>}
      </ul>
      {why.length > 0 && (
        <p className="row-why">
          <span className="muted">Why: </span>
          {why.map((c, i) => (
            <span key={c.id} title={c.detail}>
              {i > 0 && ' · '}
              {COMPONENT_LABELS[c.id]} +{formatNumber(c.points)}
            </span>
          ))}
        </p>
      )}
    </article>
  );
});
