import { useId, useState, type SyntheticEvent } from 'react';
import { formatDateTime } from '../../common/format';
import { instantOfLocalInput } from '../../common/money-input';
import { useCommand } from '../../common/useCommand';
import { FormError } from './FormError';
import { withWarnings, type FormProps } from './form-props';

/** A tickler task: the account comes back on the worklist when it falls due. */
export function FollowUpForm({ view, me, onDone }: FormProps) {
  const id = useId();
  const { busy, error, run } = useCommand();
  const [when, setWhen] = useState(() => {
    // Tomorrow at 9:00 in the collector's time: the usual follow-up.
    const d = new Date();
    d.setDate(d.getDate() + 1);
    d.setHours(9, 0, 0, 0);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}T09:00`;
  });
  const [note, setNote] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    const dueAt = instantOfLocalInput(when);
    if (dueAt === null) return setLocalError('Choose a date and time.');
    setLocalError(null);
    const result = await run('task/schedule', { accountNumber: view.account.number, dueAt, assignee: me, note: note.trim() });
    if (result?.ok === true) onDone(withWarnings(`Follow-up scheduled for ${formatDateTime(dueAt)}.`, result.warnings));
  };
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} aria-label="Schedule a follow-up">
      <label htmlFor={`${id}-when`}>When</label>
      <input id={`${id}-when`} type="datetime-local" required value={when} onChange={(e) => setWhen(e.target.value)} />
      <label htmlFor={`${id}-note`}>Note</label>
      <textarea id={`${id}-note`} rows={2} maxLength={4000} value={note} onChange={(e) => setNote(e.target.value)} />
      <FormError error={localError ?? error} />
      <button type="submit" className="primary" disabled={busy}>
        Schedule follow-up
      </button>
    </form>
  );
}
