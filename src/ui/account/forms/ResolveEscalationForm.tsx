import { useState } from 'react';
import { useCommand } from '../../common/useCommand';
import { FormError } from './FormError';

interface Props {
  readonly accountNumber: string;
  /** A manual escalation's fact id, or a derived one's `derived:…` id. */
  readonly escalationId: string;
  /** Unique per escalation on the page, for the field's id. */
  readonly idBase: string;
  readonly buttonLabel?: string;
  /** Id of the text naming the escalation, when several share a page. */
  readonly describedBy?: string;
  readonly onResolved: () => void;
}

/** A resolution note and the button that resolves one escalation: the manager's queue and the account both use it. */
export function ResolveEscalationForm({ accountNumber, escalationId, idBase, buttonLabel = 'Resolve', describedBy, onResolved }: Props) {
  const { busy, error, run } = useCommand();
  const [note, setNote] = useState('');
  const resolve = async () => {
    const r = await run('escalation/resolve', { accountNumber, escalationId, ...(note.trim() === '' ? {} : { note: note.trim() }) });
    if (r?.ok === true) onResolved();
  };
  return (
    <div className="resolve-escalation">
      <label htmlFor={`${idBase}-note`}>Resolution note</label>
      <input id={`${idBase}-note`} value={note} maxLength={4000} onChange={(e) => setNote(e.target.value)} />
      <button type="button" className="primary" onClick={() => void resolve()} disabled={busy} aria-describedby={describedBy}>
        {buttonLabel}
      </button>
      <FormError error={error} />
    </div>
  );
}
