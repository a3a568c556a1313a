import { memo } from 'react';
import type { PresenceUser, WorklistRow } from '../../app/collector-app';
import type { AgingConfig } from '../../domain/aging';
import { RULE_IDS, type RuleId } from '../../domain/compliance';
import { formatDate, formatDateTime, formatMoney, formatNumber } from '../common/format';
import { ACTION_LABELS, COMPONENT_LABELS, bucketLabel, ruleTitle } from '../common/labels';
import { Link } from '../common/Link';
import { QuickLog } from './QuickLog';
import { RowAging } from './RowAging';

interface Props {
  readonly row: WorklistRow;
  readonly presence: readonly PresenceUser[] | undefined;
  readonly aging: AgingConfig | undefined;
  readonly today: string;
  /** The signed-in user: their own claim is not news. */
  readonly me: string;
  /** The quick outcome buttons are open on this row. */
  readonly logging: boolean;
  readonly onLogToggle: (accountNumber: string) => void;
  readonly onLogged: (message: string) => void;
}

/** Components worth a glance on the list; the account shows them all. */
const WHY_SHOWN = 3;
const RULES: ReadonlySet<string> = new Set(RULE_IDS);

function actionLabel(kind: string): string {
  return (ACTION_LABELS as Readonly<Record<string, string>>)[kind] ?? kind;
}

function componentLabel(id: string): string {
  return (COMPONENT_LABELS as Readonly<Record<string, string>>)[id] ?? id;
}

/**
 * One account on Today: what to do and why, what it owes, and the flags that change how to approach
 * it. Rows are the app's flat worklist rows (served from the device's cache while the portfolio
 * opens); memoized on the row object, which the app keeps until the account is re-scored, so an
 * outcome logged on one account re-renders one row.
 */
export const TodayRow = memo(function TodayRow({ row, presence, aging, today, me, logging, onLogToggle, onLogged }: Props) {
  const next = row.next;
  const promise = row.promise;
  const blocked = row.compliance !== null && !row.compliance.allowed ? row.compliance : null;
  const overdue = row.dueAt !== null && row.dueAt.slice(0, 10) < today;
  const why = [...row.components].sort((a, b) => b.points - a.points).slice(0, WHY_SHOWN);
  const others = (presence ?? []).map((p) => p.name);

  return (
    <article className="row-card" aria-labelledby={`acct-${row.accountNumber}`}>
      <div className="row-head">
        <h2 className="row-title" id={`acct-${row.accountNumber}`}>
          <Link to={`/accounts/${encodeURIComponent(row.accountNumber)}`} className="stretched">
            {row.accountName}
          </Link>
        </h2>
        <span className="score" title="Priority score">
          <span className="visually-hidden">Score </span>
          {formatNumber(row.score)}
        </span>
      </div>
      <p className="row-next">
        <span className="muted">{row.accountNumber}</span>
        {' · '}
        {next === null ? (
          <span>{row.waiting?.detail ?? 'Nothing to do now'}</span>
        ) : (
          <>
            <strong>{actionLabel(next.kind)}</strong>
            {row.dueAt !== null && <span className={overdue ? 'overdue' : undefined}>{` · ${overdue ? 'overdue since' : 'due'} ${formatDateTime(row.dueAt)}`}</span>}
          </>
        )}
      </p>
      {next !== null && <p className="row-reason">{next.reason}</p>}
      <p className="row-money">
        {formatMoney(row.balance, row.currency)}
        {row.pastDue > 0 && ` · ${formatMoney(row.pastDue, row.currency)} past due, ${bucketLabel(row.bucketId, aging)}`}
      </p>
      <RowAging buckets={row.buckets} currency={row.currency} aging={aging} />
      <ul className="flags" aria-label="Flags">
        {promise?.status === 'open' && promise.nextDueDate !== null && <li className="flag flag-promise">Promise to pay due {formatDate(promise.nextDueDate)}</li>}
        {promise !== null && (promise.status === 'broken' || promise.status === 'partially-kept') && <li className="flag flag-bad">Broken promise to pay</li>}
        {row.openDispute && <li className="flag flag-dispute">Dispute</li>}
        {blocked !== null && (
          <li className="flag flag-blocked">
            {blocked.rule !== null && RULES.has(blocked.rule) ? ruleTitle(blocked.rule as RuleId) : 'Contact blocked'}
            {blocked.nextAllowedAt !== null && ` until ${formatDateTime(blocked.nextAllowedAt)}`}
          </li>
        )}
        {others.length > 0 && <li className="flag flag-presence">{others.join(', ')} on it now</li>}
        {row.claimedBy !== null && row.claimedBy !== me && <li className="flag flag-presence">Claimed by {row.claimedBy}</li>}
        {row.assignedTo === null && <li className="flag">Unassigned</li>}
      </ul>
      <div className="row-actions">
        <button type="button" aria-expanded={logging} onClick={() => onLogToggle(row.accountNumber)}>
          {logging ? 'Close' : 'Log outcome'}
        </button>
      </div>
      {logging && <QuickLog row={row} onLogged={onLogged} />}
      {why.length > 0 && (
        <p className="row-why">
          <span className="muted">Why: </span>
          {why.map((c, i) => (
            <span key={c.id} title={c.detail}>
              {i > 0 && ' · '}
              {componentLabel(c.id)} +{formatNumber(c.points)}
            </span>
          ))}
        </p>
      )}
    </article>
  );
});
