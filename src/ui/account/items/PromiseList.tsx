import { useState } from 'react';
import type { AccountView, SessionUser } from '../../../app/collector-app';
import type { PromiseState } from '../../../domain/account-state';
import { formatDate, formatMoney } from '../../common/format';
import { PROMISE_STATUS_LABELS } from '../../common/labels';
import { CancelPromiseForm } from '../forms/CancelPromiseForm';
import { InlineAction } from './InlineAction';
import { Earlier, ItemSection } from './ItemSection';

/** "$1,200.00 due 14 Jul 2025", or "$1,200.00 in 3 instalments from 14 Jul 2025". */
export function promiseInWords(p: PromiseState): string {
  const first = p.instalments[0]?.dueDate;
  const when = first === undefined ? '' : p.instalments.length === 1 ? ` due ${formatDate(first)}` : ` in ${p.instalments.length} instalments from ${formatDate(first)}`;
  return `${formatMoney(p.promised, p.currency)}${when}`;
}

/** The account's promises to pay, open ones first; an open one can be cancelled (with a reason, after a confirmation). */
export function PromiseList({ view, user }: { readonly view: AccountView; readonly user: SessionUser }) {
  const [message, setMessage] = useState<string | null>(null);
  const promises = view.state.promises;
  if (promises.length === 0 && message === null) return null;
  const newestFirst = [...promises].reverse();
  const open = newestFirst.filter((p) => p.status === 'open');
  const closed = newestFirst.filter((p) => p.status !== 'open');
  const mayCancel = user.role !== 'viewer';
  const item = (p: PromiseState) => <PromiseItem key={p.id} promise={p} accountNumber={view.account.number} mayCancel={mayCancel} onDone={setMessage} />;
  return (
    <ItemSection id="promises" title="Promises to pay" message={message}>
      {open.length === 0 ? <p className="muted">No open promise to pay.</p> : <ul className="plain-list item-list">{open.map(item)}</ul>}
      <Earlier count={closed.length} what="promises to pay">
        {closed.map(item)}
      </Earlier>
    </ItemSection>
  );
}

function PromiseItem({ promise: p, accountNumber, mayCancel, onDone }: { readonly promise: PromiseState; readonly accountNumber: string; readonly mayCancel: boolean; readonly onDone: (m: string) => void }) {
  const what = promiseInWords(p);
  const descId = `promise-${p.id}`;
  const flag = p.status === 'open' || p.status === 'kept' ? 'flag flag-promise' : p.status === 'broken' || p.status === 'partially-kept' ? 'flag flag-bad' : 'flag';
  return (
    <li className="item">
      <p id={descId}>
        <span className={flag}>{PROMISE_STATUS_LABELS[p.status] ?? p.status}</span> <strong>{what}</strong>
      </p>
      <p className="muted small">
        Taken {formatDate(p.takenOn)} by {p.fact.by} · paid {formatMoney(p.paid, p.currency)}
        {p.nextDueDate !== undefined && ` · next due ${formatDate(p.nextDueDate)}`}
        {p.fact.documentNumbers.length > 0 && ` · for ${p.fact.documentNumbers.join(', ')}`}
      </p>
      {p.fact.note !== undefined && p.fact.note !== '' && <p className="item-note">{p.fact.note}</p>}
      {p.status === 'open' && mayCancel && (
        <InlineAction label="Cancel promise…" describedBy={descId}>
          {(close) => (
            <CancelPromiseForm
              accountNumber={accountNumber}
              promiseId={p.id}
              what={what}
              onKeep={close}
              onDone={(m) => {
                close();
                onDone(m);
              }}
            />
          )}
        </InlineAction>
      )}
    </li>
  );
}
