import { useId, useRef, useState } from 'react';
import type { ActivityChannel } from '../../../domain/facts';
import { CHANNEL_LABELS, outcomeLabel } from '../../common/labels';
import { instantOfLocalInput } from '../../common/money-input';
import { useCommand } from '../../common/useCommand';
import { FormError } from './FormError';
import { withWarnings, type ActionPanelId, type FormProps } from './form-props';

/** The outcomes a collector logs most: one tap each. Promise and dispute go on to their own forms. */
const COMMON = ['no-answer', 'left-message', 'right-party-contact', 'callback-requested', 'promise-taken', 'dispute-raised', 'refused', 'says-paid', 'wrong-number'] as const;
const CHANNELS: readonly ActivityChannel[] = ['call', 'visit', 'email', 'sms', 'letter', 'note'];

interface Props extends FormProps {
  readonly channel: ActivityChannel;
  readonly contactId: string | null;
  readonly onSwitch: (panel: ActionPanelId) => void;
}

export function LogOutcomeForm({ view, channel: initialChannel, contactId: initialContact, onDone, onSwitch }: Props) {
  const id = useId();
  const { busy, error, run } = useCommand();
  const [channel, setChannel] = useState<ActivityChannel>(initialChannel);
  const [contactId, setContactId] = useState(initialContact ?? '');
  const [note, setNote] = useState('');
  const [callback, setCallback] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const callbackRef = useRef<HTMLInputElement>(null);
  const next = view.entry?.decision.next;

  const log = async (outcome: string) => {
    setLocalError(null);
    let callbackAt: string | null = null;
    if (outcome === 'callback-requested') {
      callbackAt = instantOfLocalInput(callback);
      if (callbackAt === null) {
        setLocalError('Choose when the customer wants the callback, then tap “Callback requested” again.');
        callbackRef.current?.focus();
        return;
      }
    }
    const result = await run('activity/log', {
      accountNumber: view.account.number,
      channel,
      outcome,
      ...(contactId === '' ? {} : { contactId }),
      ...(note.trim() === '' ? {} : { note: note.trim() }),
      ...(callbackAt === null ? {} : { callbackAt }),
      // Carrying out the strategy's step moves the strategy on; another channel is just a contact.
      ...(next?.stepId !== undefined && next.channel === channel ? { stepId: next.stepId } : {}),
    });
    if (result?.ok !== true) return;
    if (outcome === 'promise-taken') onSwitch('promise');
    else if (outcome === 'dispute-raised') onSwitch('dispute');
    else onDone(withWarnings(`Logged: ${CHANNEL_LABELS[channel]}, ${outcomeLabel(outcome)}.`, result.warnings));
  };

  return (
    <form className="stack" onSubmit={(e) => e.preventDefault()} aria-label="Log an outcome">
      <fieldset className="segmented">
        <legend>Channel</legend>
        {CHANNELS.map((c) => (
          <label key={c} className={channel === c ? 'checked' : undefined}>
            <input type="radio" name={`${id}-channel`} value={c} checked={channel === c} onChange={() => setChannel(c)} />
            {CHANNEL_LABELS[c]}
          </label>
        ))}
      </fieldset>
      {view.contacts.length > 0 && (
        <>
          <label htmlFor={`${id}-contact`}>Who</label>
          <select id={`${id}-contact`} value={contactId} onChange={(e) => setContactId(e.target.value)}>
            <option value="">Not recorded</option>
            {view.contacts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </>
      )}
      <label htmlFor={`${id}-note`}>Note (optional)</label>
      <textarea id={`${id}-note`} rows={2} value={note} onChange={(e) => setNote(e.target.value)} maxLength={4000} />
      <label htmlFor={`${id}-callback`}>Callback at (for “Callback requested”)</label>
      <input id={`${id}-callback`} ref={callbackRef} type="datetime-local" value={callback} onChange={(e) => setCallback(e.target.value)} />
      <div className="outcome-grid" role="group" aria-label="Outcome: one tap logs it">
        {COMMON.map((o) => (
          <button key={o} type="button" className="outcome" disabled={busy} onClick={() => void log(o)}>
            {outcomeLabel(o)}
          </button>
        ))}
      </div>
      <FormError error={localError ?? error} />
    </form>
  );
}
