import { useId, useState, type SyntheticEvent } from 'react';
import { DISPUTE_OUTCOMES } from '../../../domain/facts';
import { DISPUTE_OUTCOME_LABELS } from '../../common/labels';
import { useCommand } from '../../common/useCommand';
import { FormError } from './FormError';
import { withWarnings } from './form-props';

type Outcome = (typeof DISPUTE_OUTCOMES)[number];

interface Props {
  readonly accountNumber: string;
  readonly disputeId: string;
  /** The disputed invoices, for the message. */
  readonly what: string;
  readonly onDone: (message: string) => void;
}

/** How a dispute ended (upheld, rejected, withdrawn) with a note: the dispute is no longer open. */
export function ResolveDisputeForm({ accountNumber, disputeId, what, onDone }: Props) {
  const id = useId();
  const { busy, error, run } = useCommand();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [note, setNote] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    if (outcome === null) return setLocalError('Choose how the dispute ended.');
    setLocalError(null);
    const result = await run('dispute/resolve', { accountNumber, disputeId, outcome, ...(note.trim() === '' ? {} : { note: note.trim() }) });
    if (result?.ok === true) onDone(withWarnings(`Dispute on ${what} resolved: ${DISPUTE_OUTCOME_LABELS[outcome].label.toLowerCase()}.`, result.warnings));
  };
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} aria-label={`Resolve the dispute on ${what}`}>
      <fieldset className="segmented" aria-describedby={`${id}-hint`}>
        <legend>Outcome</legend>
        {DISPUTE_OUTCOMES.map((o) => (
          <label key={o} className={outcome === o ? 'checked' : undefined}>
            <input type="radio" name={`${id}-outcome`} value={o} checked={outcome === o} onChange={() => setOutcome(o)} />
            {DISPUTE_OUTCOME_LABELS[o].label}
          </label>
        ))}
      </fieldset>
      <p id={`${id}-hint`} className="muted small">
        {outcome === null ? 'Any outcome ends the dispute: its invoices go back into the strategy’s flow.' : `${DISPUTE_OUTCOME_LABELS[outcome].label}: ${DISPUTE_OUTCOME_LABELS[outcome].hint}.`}
      </p>
      <label htmlFor={`${id}-note`}>Note: what was decided and why (optional)</label>
      <textarea id={`${id}-note`} rows={2} maxLength={4000} value={note} onChange={(e) => setNote(e.target.value)} />
      <FormError error={localError ?? error} />
      <button type="submit" className="primary" disabled={busy}>
        Resolve dispute
      </button>
    </form>
  );
}
