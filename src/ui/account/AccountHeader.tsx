import type { AccountView } from '../../app/collector-app';
import type { AgingConfig } from '../../domain/aging';
import type { CalendarDate } from '../../domain/calendar';
import { formatDate, formatMoney } from '../common/format';
import { ScreenHeading } from '../common/ScreenHeading';
import { agingOfDocuments, expectedPayDateOf } from './account-figures';
import { AgingBar } from './AgingBar';

interface Props {
  readonly view: AccountView;
  readonly aging: AgingConfig | undefined;
  readonly today: CalendarDate;
}

export function AccountHeader({ view, aging, today }: Props) {
  const { account, entry, state } = view;
  const m = entry?.decision.metrics;
  const currency = m?.currency ?? view.documents.find((d) => d.status === 'open')?.currency ?? 'XXX';
  const buckets = agingOfDocuments(view.documents, currency, today, aging);
  const expected = expectedPayDateOf(view.documents, m?.oldestDueDate);
  const level = entry?.decision.level;
  return (
    <header className="account-header card">
      <ScreenHeading title={account.name}>{account.name}</ScreenHeading>
      <p className="muted">
        {account.number} · {account.segment}
        {account.tags.length > 0 && ` · ${account.tags.join(', ')}`}
      </p>
      <dl className="figures">
        <div>
          <dt>Balance</dt>
          <dd className="big">{m === undefined ? '—' : formatMoney(m.balance + m.disputedAmount + m.heldAmount, currency)}</dd>
        </div>
        <div>
          <dt>Past due</dt>
          <dd className="big">{m === undefined ? '—' : formatMoney(m.pastDue, currency)}</dd>
        </div>
        {m !== undefined && m.disputedAmount > 0 && (
          <div>
            <dt>In dispute</dt>
            <dd>{formatMoney(m.disputedAmount, currency)}</dd>
          </div>
        )}
        <div>
          <dt>Risk</dt>
          <dd>{account.riskGrade ?? 'Not graded'}</dd>
        </div>
        <div>
          <dt>Expected to pay</dt>
          <dd>{expected === null ? '—' : formatDate(expected)}</dd>
        </div>
        <div>
          <dt>Assigned to</dt>
          <dd>{state.assignedTo ?? 'Unassigned'}</dd>
        </div>
        {level !== undefined && level !== null && (
          <div>
            <dt>Strategy level</dt>
            <dd>{level.name}</dd>
          </div>
        )}
      </dl>
      <AgingBar buckets={buckets} currency={currency} />
    </header>
  );
}
