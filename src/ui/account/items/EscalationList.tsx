import { useState } from 'react';
import type { AccountView, SessionUser } from '../../../app/collector-app';
import type { EscalationState } from '../../../domain/account-state';
import { formatDateTime } from '../../common/format';
import { isManager } from '../../common/roles';
import { ResolveEscalationForm } from '../forms/ResolveEscalationForm';
import { ItemSection } from './ItemSection';

/** Open escalations of an account: a collector's (facts) and the strategy's (disputes, broken promises, large balances). */
export function openEscalations(view: AccountView): EscalationState[] {
  const resolved = view.state.resolvedEscalations;
  const all = [...view.state.escalations, ...(view.entry?.decision.escalations ?? [])];
  return all.filter((e) => !resolved.has(e.id)).sort((a, b) => (a.openedAt < b.openedAt ? -1 : 1));
}

/** The account's open escalations; managers and administrators resolve them here as in their queue. */
export function EscalationList({ view, user }: { readonly view: AccountView; readonly user: SessionUser }) {
  const [message, setMessage] = useState<string | null>(null);
  const open = openEscalations(view);
  if (open.length === 0 && message === null) return null;
  const mayResolve = isManager(user);
  return (
    <ItemSection id="escalations" title="Escalations" message={message}>
      {open.length === 0 ? (
        <p className="muted">No open escalation.</p>
      ) : (
        <ul className="plain-list item-list">
          {open.map((e) => {
            const idBase = `esc-${e.id}`.replace(/[^A-Za-z0-9_-]/g, '_');
            return (
              <li key={e.id} className="item">
                <p id={`${idBase}-what`}>
                  <strong>{e.reason}</strong>
                </p>
                <p className="muted small">
                  {e.source === 'manual' ? `Raised by ${e.fact?.by ?? 'a collector'}` : 'Raised by the strategy'} · since {formatDateTime(e.openedAt)}
                  {e.toRole !== undefined && ` · to the ${e.toRole}`}
                  {e.toUser !== undefined && ` · to ${e.toUser}`}
                </p>
                {mayResolve ? (
                  <ResolveEscalationForm
                    accountNumber={view.account.number}
                    escalationId={e.id}
                    idBase={idBase}
                    buttonLabel="Resolve escalation"
                    describedBy={`${idBase}-what`}
                    onResolved={() => setMessage(`Escalation resolved: ${e.reason}`)}
                  />
                ) : (
                  <p className="muted small">A manager resolves it.</p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </ItemSection>
  );
}
