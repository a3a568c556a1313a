import { useEffect, useMemo, useState } from 'react';
import type { Session } from '../../app/collector-app';
import type { CalendarDate } from '../../domain/calendar';
import { formatMoney } from '../common/format';
import { Link } from '../common/Link';
import { ScreenHeading } from '../common/ScreenHeading';
import { useApp, useAppRead } from '../common/useApp';
import { AccountHeader } from './AccountHeader';
import { ActionPanel, type PanelState } from './ActionPanel';
import { ComplianceBlock } from './ComplianceBlock';
import { ContactList } from './ContactList';
import { InvoiceTable } from './InvoiceTable';
import { DisputeList } from './items/DisputeList';
import { EscalationList } from './items/EscalationList';
import { HoldList } from './items/HoldList';
import { PromiseList } from './items/PromiseList';
import { TaskList } from './items/TaskList';
import { renderTemplate } from './message-templates';
import { NextActionCard } from './NextActionCard';
import { PresenceWarning } from './PresenceWarning';
import { Timeline } from './Timeline';

/** The account workspace: everything about one customer, and every action a collector takes on it. */
export function AccountScreen({ accountNumber, session }: { readonly accountNumber: string; readonly session: Session }) {
  const app = useApp();
  const view = useAppRead((a) => a.account(accountNumber), accountNumber);
  const aging = useAppRead((a) => a.agingConfig(), '');
  const asOf = useAppRead((a) => a.asOf(), '');
  const today = asOf.slice(0, 10) as CalendarDate;
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // A field visit strategy step opens the outcome form on "Visit"; anything else on "Call".
  const [panel, setPanel] = useState<PanelState>(() => ({ open: null, channel: view?.entry?.decision.next?.channel === 'visit' ? 'visit' : 'call', contactId: null }));
  const [message, setMessage] = useState<string | null>(null);

  // Teammates see who has the account open (awareness), for as long as this screen is up.
  useEffect(() => {
    app.setWorkingOn(accountNumber);
    return () => app.setWorkingOn(null);
  }, [app, accountNumber]);

  const next = view?.entry?.decision.next ?? null;
  const template = useMemo(() => {
    if (view === undefined) return { subject: '', body: '' };
    const m = view.entry?.decision.metrics;
    const pastDueDocs = view.documents.filter((d) => d.status === 'open' && d.kind === 'invoice' && d.dueDate < today).map((d) => d.number);
    return renderTemplate(next?.template, {
      customer: view.account.name,
      accountNumber: view.account.number,
      pastDue: m === undefined ? '' : formatMoney(m.pastDue, m.currency),
      balance: m === undefined ? '' : formatMoney(m.balance, m.currency),
      invoices: pastDueDocs.join(', '),
      collector: session.user.name,
    });
  }, [view, next?.template, today, session.user.name]);

  if (view === undefined)
    return (
      <div className="screen narrow">
        <ScreenHeading title="Account not found">Account {accountNumber} is not on this device</ScreenHeading>
        <p>It may belong to another portfolio, or the ledger has not been pulled yet.</p>
        <Link to="/">Back to Today</Link>
      </div>
    );

  const toggle = (n: string) => {
    const s = new Set(selected);
    if (s.has(n)) s.delete(n);
    else s.add(n);
    setSelected(s);
  };

  return (
    <div className="screen account">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">← Today</Link>
      </nav>
      <PresenceWarning presence={view.presence} claimedBy={view.state.claim?.by} me={session.user.id} />
      <div className="account-grid">
        <div className="account-main">
          <AccountHeader view={view} aging={aging} today={today} />
          <ComplianceBlock verdict={view.entry?.compliance} timeZone={view.account.timeZone} />
          <NextActionCard entry={view.entry} />
          <ActionPanel
            view={view}
            selected={selected}
            me={session.user.id}
            panel={panel}
            onPanel={setPanel}
            message={message}
            onMessage={setMessage}
          />
          <TaskList key={`tasks-${accountNumber}`} view={view} user={session.user} asOf={asOf} />
          <HoldList key={`holds-${accountNumber}`} view={view} user={session.user} />
          <EscalationList key={`esc-${accountNumber}`} view={view} user={session.user} />
        </div>
        <div className="account-side">
          <section className="card" aria-labelledby="invoices-heading">
            <h2 id="invoices-heading">Invoices</h2>
            <InvoiceTable documents={view.documents} state={view.state} aging={aging} today={today} selected={selected} onToggle={toggle} complete={view.complete} />
          </section>
          <DisputeList key={`disputes-${accountNumber}`} view={view} user={session.user} />
          <PromiseList key={`promises-${accountNumber}`} view={view} user={session.user} />
          <section className="card" aria-labelledby="contacts-heading">
            <h2 id="contacts-heading">Contacts</h2>
            <ContactList
              account={view.account}
              contacts={view.contacts}
              message={template}
              onContact={(channel, contactId) => {
                setMessage(null);
                setPanel({ open: 'log', channel, contactId });
              }}
            />
          </section>
          <section className="card" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">Timeline</h2>
            <Timeline view={view} />
          </section>
        </div>
      </div>
    </div>
  );
}
