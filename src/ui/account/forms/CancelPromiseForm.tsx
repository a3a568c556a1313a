import { useEffect, useId, useRef, useState, type SyntheticEvent } from 'react';
import { useCommand } from '../../common/useCommand';
import { FormError } from './FormError';
import { withWarnings } from './form-props';

interface Props {
  readonly accountNumber: string;
  readonly promiseId: string;
  /** The promise in words ("$1,200.00 due 14 July 2025"), for the question and the message. */
  readonly what: string;
  readonly onDone: (message: string) => void;
  readonly onKeep: () => void;
}

/** Cancelling a promise to pay: a reason, then "are you sure" (the account goes back to the strategy's flow). */
export function CancelPromiseForm({ accountNumber, promiseId, what, onDone, onKeep }: Props) {
  const id = useId();
  const { busy, error, run } = useCommand();
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const questionRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (confirming) questionRef.current?.focus();
  }, [confirming]);

  const ask = (e: SyntheticEvent) => {
    e.preventDefault();
    if (reason.trim() !== '') setConfirming(true);
  };
  const cancel = async () => {
    const result = await run('promise/cancel', { accountNumber, promiseId, reason: reason.trim() });
    if (result?.ok === true) onDone(withWarnings(`Promise to pay of ${what} cancelled.`, result.warnings));
  };

  if (confirming)
    return (
      <div className="stack confirm" role="group" aria-labelledby={`${id}-question`}>
        <p id={`${id}-question`} ref={questionRef} tabIndex={-1}>
          <strong>Cancel the promise to pay of {what}?</strong> The account goes back into the strategy’s flow. Reason: {reason.trim()}
        </p>
        <FormError error={error} />
        <div className="button-row">
          <button type="button" className="primary danger" disabled={busy} onClick={() => void cancel()}>
            Yes, cancel the promise
          </button>
          <button type="button" disabled={busy} onClick={onKeep}>
            No, keep it
          </button>
        </div>
      </div>
    );
  return (
    <form className="stack" onSubmit={ask} aria-label={`Cancel the promise to pay of ${what}`}>
      <label htmlFor={`${id}-reason`}>Why cancel it</label>
      <textarea id={`${id}-reason`} rows={2} required maxLength={400} value={reason} onChange={(e) => setReason(e.target.value)} />
      <button type="submit" className="primary" disabled={reason.trim() === ''}>
        Cancel promise to pay…
      </button>
    </form>
  );
}
