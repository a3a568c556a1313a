import { useId, useState, type SyntheticEvent } from 'react';
import { addDays, type CalendarDate } from '../../../domain/calendar';
import { formatDate } from '../../common/format';
import { localDate } from '../../common/money-input';
import { useCommand } from '../../common/useCommand';
import { FormError } from './FormError';
import { withWarnings, type FormProps } from './form-props';
import { InvoicePicker } from './InvoicePicker';

/** Hold until a date: the whole account, or only chosen invoices, leaves the dunning flow until then. */
export function HoldForm({ view, selected, onDone }: FormProps) {
  const id = useId();
  const { busy, error, run } = useCommand();
  const [until, setUntil] = useState(() => addDays(localDate() as CalendarDate, 14));
  const [reason, setReason] = useState('');
  const [scope, setScope] = useState<'account' | 'invoices'>(selected.size > 0 ? 'invoices' : 'account');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(selected);
  const [localError, setLocalError] = useState<string | null>(null);
  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    if (scope === 'invoices' && chosen.size === 0) return setLocalError('Choose the invoices to hold.');
    setLocalError(null);
    const result = await run('hold/place', {
      accountNumber: view.account.number,
      until,
      reason: reason.trim(),
      ...(scope === 'invoices' ? { documentNumbers: [...chosen] } : {}),
    });
    if (result?.ok === true) onDone(withWarnings(`On hold until ${formatDate(until)}.`, result.warnings));
  };
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} aria-label="Hold until a date">
      <fieldset className="segmented">
        <legend>Hold</legend>
        <label className={scope === 'account' ? 'checked' : undefined}>
          <input type="radio" name={`${id}-scope`} checked={scope === 'account'} onChange={() => setScope('account')} />
          Whole account
        </label>
        <label className={scope === 'invoices' ? 'checked' : undefined}>
          <input type="radio" name={`${id}-scope`} checked={scope === 'invoices'} onChange={() => setScope('invoices')} />
          Some invoices
        </label>
      </fieldset>
      {scope === 'invoices' && <InvoicePicker legend="Invoices to hold" documents={view.documents} chosen={chosen} onChange={setChosen} />}
      <label htmlFor={`${id}-until`}>Until</label>
      <input id={`${id}-until`} type="date" required value={until} onChange={(e) => setUntil(e.target.value as CalendarDate)} />
      <label htmlFor={`${id}-reason`}>Reason</label>
      <input id={`${id}-reason`} required maxLength={400} value={reason} onChange={(e) => setReason(e.target.value)} />
      <FormError error={localError ?? error} />
      <button type="submit" className="primary" disabled={busy || reason.trim() === ''}>
        Place hold
      </button>
    </form>
  );
}
