import { useId, useState } from 'react';
import { TASK_STATUS_LABELS } from '../../common/labels';
import { useCommand } from '../../common/useCommand';
import { FormError } from './FormError';
import { withWarnings } from './form-props';

interface Props {
  readonly accountNumber: string;
  readonly taskId: string;
  readonly onDone: (message: string) => void;
}

/** Closing a tickler task: an optional note, then one tap for done or skipped. */
export function CloseTaskForm({ accountNumber, taskId, onDone }: Props) {
  const id = useId();
  const { busy, error, run } = useCommand();
  const [note, setNote] = useState('');
  const close = async (outcome: 'done' | 'skipped') => {
    const result = await run('task/close', { accountNumber, taskId, outcome, ...(note.trim() === '' ? {} : { note: note.trim() }) });
    if (result?.ok === true) onDone(withWarnings(`Tickler task closed: ${TASK_STATUS_LABELS[outcome]?.toLowerCase()}.`, result.warnings));
  };
  return (
    <form className="stack" onSubmit={(e) => e.preventDefault()} aria-label="Close the tickler task">
      <label htmlFor={`${id}-note`}>Note (optional)</label>
      <textarea id={`${id}-note`} rows={2} maxLength={4000} value={note} onChange={(e) => setNote(e.target.value)} />
      <div className="button-row" role="group" aria-label="Close the tickler task as">
        <button type="button" className="primary" disabled={busy} onClick={() => void close('done')}>
          Done
        </button>
        <button type="button" disabled={busy} onClick={() => void close('skipped')}>
          Skipped
        </button>
      </div>
      <FormError error={error} />
    </form>
  );
}
