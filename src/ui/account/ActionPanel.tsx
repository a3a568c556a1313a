import { useEffect, useRef } from 'react';
import type { ActivityChannel } from '../../domain/facts';
import { DisputeForm } from './forms/DisputeForm';
import { EscalateForm } from './forms/EscalateForm';
import { FollowUpForm } from './forms/FollowUpForm';
import { HoldForm } from './forms/HoldForm';
import { LogOutcomeForm } from './forms/LogOutcomeForm';
import { PaymentForm } from './forms/PaymentForm';
import { PromiseForm } from './forms/PromiseForm';
import { ACTION_PANELS, type ActionPanelId, type FormProps } from './forms/form-props';

const LABELS: Readonly<Record<ActionPanelId, string>> = {
  log: 'Log outcome',
  promise: 'Promise to pay',
  dispute: 'Dispute',
  payment: 'Field payment',
  'follow-up': 'Follow-up',
  hold: 'Hold',
  escalate: 'Escalate',
};

export interface PanelState {
  readonly open: ActionPanelId | null;
  readonly channel: ActivityChannel;
  readonly contactId: string | null;
}

interface Props extends Omit<FormProps, 'onDone'> {
  readonly panel: PanelState;
  readonly onPanel: (next: PanelState) => void;
  readonly message: string | null;
  readonly onMessage: (message: string | null) => void;
}

/** The account's actions: a row of toggles, one form open at a time under them. */
export function ActionPanel({ panel, onPanel, message, onMessage, ...form }: Props) {
  const bodyRef = useRef<HTMLDivElement>(null);
  const open = (id: ActionPanelId) => {
    onMessage(null);
    onPanel({ ...panel, open: panel.open === id ? null : id });
  };
  const done = (m: string) => {
    onMessage(m);
    onPanel({ ...panel, open: null });
  };
  // A panel opened by a contact link or a switch from another form: its first field takes focus.
  useEffect(() => {
    if (panel.open === null) return;
    bodyRef.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus({ preventScroll: false });
  }, [panel.open]);

  const props = { ...form, onDone: done };
  return (
    <section className="card actions" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Actions</h2>
      <div className="action-toggles">
        {ACTION_PANELS.map((id) => (
          <button key={id} type="button" aria-expanded={panel.open === id} aria-controls="action-body" onClick={() => open(id)} className={panel.open === id ? 'active' : undefined}>
            {LABELS[id]}
          </button>
        ))}
      </div>
      <p role="status" className="action-message">
        {message}
      </p>
      <div id="action-body" ref={bodyRef}>
        {panel.open === 'log' && (
          <LogOutcomeForm {...props} channel={panel.channel} contactId={panel.contactId} onSwitch={(p) => onPanel({ ...panel, open: p })} />
        )}
        {panel.open === 'promise' && <PromiseForm {...props} />}
        {panel.open === 'dispute' && <DisputeForm {...props} />}
        {panel.open === 'payment' && <PaymentForm {...props} />}
        {panel.open === 'follow-up' && <FollowUpForm {...props} />}
        {panel.open === 'hold' && <HoldForm {...props} />}
        {panel.open === 'escalate' && <EscalateForm {...props} />}
      </div>
    </section>
  );
}
