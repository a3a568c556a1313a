import { useState } from 'react';
import type { AccountView, SessionUser } from '../../../app/collector-app';
import type { HoldState } from '../../../domain/account-state';
import type { Fact } from '../../../domain/facts';
import { formatDate, formatDateTime } from '../../common/format';
import { useCommand } from '../../common/useCommand';
import { FormError } from '../forms/FormError';
import { withWarnings } from '../forms/form-props';
import { Earlier, ItemSection } from './ItemSection';

/** The account's holds, active ones first; an active hold is released with one tap. */
export function HoldList({ view, user }: { readonly view: AccountView; readonly user: SessionUser }) {
  const [message, setMessage] = useState<string | null>(null);
  const holds = view.state.holds;
  if (holds.length === 0 && message === null) return null;
  const released = releasesOf(view.facts);
  const newestFirst = [...holds].sort((a, b) => (a.fact.at < b.fact.at ? 1 : -1));
  const active = newestFirst.filter((h) => h.active);
  const ended = newestFirst.filter((h) => !h.active);
  const mayRelease = user.role !== 'viewer';
  const item = (h: HoldState) => <HoldItem key={h.id} hold={h} releasedAt={released.get(h.id)} accountNumber={view.account.number} mayRelease={mayRelease} onDone={setMessage} />;
  return (
    <ItemSection id="holds" title="Holds" message={message}>
      {active.length === 0 ? <p className="muted">No active hold.</p> : <ul className="plain-list item-list">{active.map(item)}</ul>}
      <Earlier count={ended.length} what="holds">
        {ended.map(item)}
      </Earlier>
    </ItemSection>
  );
}

function releasesOf(facts: readonly Fact[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of facts) if (f.type === 'hold-released' && !m.has(f.holdId)) m.set(f.holdId, f.at);
  return m;
}

interface ItemProps {
  readonly hold: HoldState;
  readonly releasedAt: string | undefined;
  readonly accountNumber: string;
  readonly mayRelease: boolean;
  readonly onDone: (m: string) => void;
}

function HoldItem({ hold: h, releasedAt, accountNumber, mayRelease, onDone }: ItemProps) {
  const { busy, error, run } = useCommand();
  const f = h.fact;
  const scope = f.documentNumbers === undefined ? 'Whole account' : `Invoices ${f.documentNumbers.join(', ')}`;
  const descId = `hold-${h.id}`;
  const release = async () => {
    const result = await run('hold/release', { accountNumber, holdId: h.id });
    if (result?.ok === true) onDone(withWarnings(`Hold released (${scope.toLowerCase()}, was until ${formatDate(f.until)}).`, result.warnings));
  };
  const status = h.active ? 'Active' : releasedAt !== undefined ? 'Released' : 'Ended';
  return (
    <li className="item">
      <p id={descId}>
        <span className={h.active ? 'flag flag-bad' : 'flag'}>{status}</span> <strong>{scope}</strong> on hold until {formatDate(f.until)} · {f.reason}
      </p>
      <p className="muted small">
        Placed {formatDateTime(f.at)} by {f.by}
        {releasedAt !== undefined && ` · released ${formatDateTime(releasedAt)}`}
      </p>
      {h.active && mayRelease && (
        <button type="button" aria-describedby={descId} disabled={busy} onClick={() => void release()}>
          Release hold
        </button>
      )}
      <FormError error={error} />
    </li>
  );
}
