import { useState } from 'react';
import type { AccountView, SessionUser } from '../../../app/collector-app';
import type { DisputeState } from '../../../domain/account-state';
import { formatDateTime, formatMoney } from '../../common/format';
import { DISPUTE_STATUS_LABELS, disputeReasonLabel } from '../../common/labels';
import { isManager } from '../../common/roles';
import { ResolveDisputeForm } from '../forms/ResolveDisputeForm';
import { InlineAction } from './InlineAction';
import { Earlier, ItemSection } from './ItemSection';

/**
 * The account's disputes, open ones first. A manager or administrator, or the collector the account is
 * assigned to, resolves an open one here; the app layer has the last word (its refusal is shown).
 */
export function DisputeList({ view, user }: { readonly view: AccountView; readonly user: SessionUser }) {
  const [message, setMessage] = useState<string | null>(null);
  const disputes = view.state.disputes;
  if (disputes.length === 0 && message === null) return null;
  const newestFirst = [...disputes].sort((a, b) => (a.openedAt < b.openedAt ? 1 : -1));
  const open = newestFirst.filter((d) => d.status === 'open');
  const closed = newestFirst.filter((d) => d.status !== 'open');
  const mayResolve = user.role !== 'viewer' && (isManager(user) || view.state.assignedTo === user.id);
  const item = (d: DisputeState) => <DisputeItem key={d.id} dispute={d} accountNumber={view.account.number} mayResolve={mayResolve} onDone={setMessage} />;
  return (
    <ItemSection id="disputes" title="Disputes" message={message}>
      {open.length === 0 ? <p className="muted">No open dispute.</p> : <ul className="plain-list item-list">{open.map(item)}</ul>}
      <Earlier count={closed.length} what="disputes">
        {closed.map(item)}
      </Earlier>
    </ItemSection>
  );
}

function DisputeItem({ dispute: d, accountNumber, mayResolve, onDone }: { readonly dispute: DisputeState; readonly accountNumber: string; readonly mayResolve: boolean; readonly onDone: (m: string) => void }) {
  const f = d.fact;
  const what = f.documentNumbers.join(', ');
  const descId = `dispute-${d.id}`;
  return (
    <li className="item">
      <p id={descId}>
        <span className={d.status === 'open' ? 'flag flag-dispute' : 'flag'}>{DISPUTE_STATUS_LABELS[d.status] ?? d.status}</span>{' '}
        <strong>{disputeReasonLabel(f.reasonCode)}</strong> dispute on {what} · {formatMoney(f.amount, f.currency)}
      </p>
      <p className="muted small">
        Raised {formatDateTime(d.openedAt)} by {f.by}
        {d.resolvedAt !== undefined && ` · resolved ${formatDateTime(d.resolvedAt)}`}
      </p>
      {f.note !== undefined && f.note !== '' && <p className="item-note">{f.note}</p>}
      {d.status === 'open' &&
        (mayResolve ? (
          <InlineAction label="Resolve dispute…" describedBy={descId}>
            {(close) => (
              <ResolveDisputeForm
                accountNumber={accountNumber}
                disputeId={d.id}
                what={what}
                onDone={(m) => {
                  close();
                  onDone(m);
                }}
              />
            )}
          </InlineAction>
        ) : (
          <p className="muted small">The collector the account is assigned to, or a manager, resolves it.</p>
        ))}
    </li>
  );
}
