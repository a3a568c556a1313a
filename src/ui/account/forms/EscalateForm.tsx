import { useId, useState, type SyntheticEvent } from 'react';
import { useCommand } from '../../common/useCommand';
import { FormError } from './FormError';
import { withWarnings, type FormProps } from './form-props';

/** A collector's escalation: the account goes before a manager with the collector's reason. */
export function EscalateForm({ view, onDone }: FormProps) {
  const id = useId();
  const { busy, error, run } = useCommand();
  const [reason, setReason] = useState('');
  const [toRole, setToRole] = useState<'manager' | 'admin'>('manager');
  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    const result = await run('escalation/raise', { accountNumber: view.account.number, reason: reason.trim(), toRole });
    if (result?.ok === true) onDone(withWarnings('Escalation raised.', result.warnings));
  };
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} aria-label="Escalate">
      <label htmlFor={`${id}-reason`}>Why</label>
      <textarea id={`${id}-reason`} rows={3} required maxLength={400} value={reason} onChange={(e) => setReason(e.target.value)} />
      <label htmlFor={`${id}-role`}>To</label>
      <select id={`${id}-role`} value={toRole} onChange={(e) => setToRole(e.target.value as 'manager' | 'admin')}>
        <option value="manager">Manager</option>
        <option value="admin">Administrator</option>
      </select>
      <FormError error={error} />
      <button type="submit" className="primary" disabled={busy || reason.trim() === ''}>
        Escalate
      </button>
    </form>
  );
}
