import { useId, useState, type SyntheticEvent } from 'react';
import { formatMoney, moneyInputValue } from '../../common/format';
import { DISPUTE_REASON_LABELS } from '../../common/labels';
import { parseMoneyInput } from '../../common/money-input';
import { useCommand } from '../../common/useCommand';
import { FormError } from './FormError';
import { currencyOf, withWarnings, type FormProps } from './form-props';
import { InvoicePicker } from './InvoicePicker';

const REASONS = DISPUTE_REASON_LABELS;

/** A dispute on chosen invoices: they leave the dunning flow and the account goes to the dispute owner. */
export function DisputeForm({ view, selected, onDone }: FormProps) {
  const id = useId();
  const { busy, error, run } = useCommand();
  const currency = currencyOf(view);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(selected);
  const [reason, setReason] = useState<string>('pricing');
  const [amountText, setAmountText] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const chosenTotal = view.documents.filter((d) => chosen.has(d.number) && d.currency === currency).reduce((s, d) => s + d.open, 0);
  // Until the collector types an amount, it follows the chosen invoices' open total.
  const amount = amountText ?? (chosenTotal > 0 ? moneyInputValue(chosenTotal, currency) : '');

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    if (chosen.size === 0) return setLocalError('Choose the disputed invoices.');
    const parsed = parseMoneyInput(amount, currency);
    if (!parsed.ok) return setLocalError(parsed.message);
    setLocalError(null);
    const result = await run('dispute/raise', {
      accountNumber: view.account.number,
      documentNumbers: [...chosen],
      reasonCode: reason,
      currency,
      amount: parsed.value,
      ...(note.trim() === '' ? {} : { note: note.trim() }),
    });
    if (result?.ok === true) onDone(withWarnings(`Dispute raised on ${[...chosen].join(', ')} for ${formatMoney(parsed.value, currency)}.`, result.warnings));
  };

  return (
    <form className="stack" onSubmit={(e) => void submit(e)} aria-label="Raise a dispute">
      <InvoicePicker legend="Disputed invoices" documents={view.documents} chosen={chosen} onChange={setChosen} />
      <label htmlFor={`${id}-reason`}>Reason</label>
      <select id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)}>
        {Object.entries(REASONS).map(([k, v]) => (
          <option key={k} value={k}>
            {v}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-amount`}>Disputed amount ({currency})</label>
      <input id={`${id}-amount`} inputMode="decimal" value={amount} onChange={(e) => setAmountText(e.target.value)} />
      <label htmlFor={`${id}-note`}>What the customer says</label>
      <textarea id={`${id}-note`} rows={3} value={note} onChange={(e) => setNote(e.target.value)} maxLength={4000} />
      <FormError error={localError ?? error} />
      <button type="submit" className="primary" disabled={busy}>
        Raise dispute
      </button>
    </form>
  );
}
