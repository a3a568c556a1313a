import { useId, useState, type SyntheticEvent } from 'react';
import { FIELD_RECEIPT_METHODS } from '../../../domain/facts';
import type { LedgerDocument } from '../../../domain/ledger';
import { formatMoney } from '../../common/format';
import { localDate, parseMoneyInput } from '../../common/money-input';
import { useCommand } from '../../common/useCommand';
import { FormError } from './FormError';
import { currencyOf, withWarnings, type FormProps } from './form-props';

const METHODS: Readonly<Record<(typeof FIELD_RECEIPT_METHODS)[number], string>> = { cash: 'Cash', cheque: 'Cheque', card: 'Card', transfer: 'Transfer' };
const REFERENCE: Readonly<Record<(typeof FIELD_RECEIPT_METHODS)[number], string>> = {
  cash: 'Reference (optional)',
  cheque: 'Cheque number',
  card: 'Card authorization',
  transfer: 'Transfer reference',
};

/** Oldest due first, as far as the amount goes: what the ERP would do with an unallocated payment. */
export function allocateOldestFirst(documents: readonly LedgerDocument[], amount: number): { documentNumber: string; amount: number }[] {
  const out: { documentNumber: string; amount: number }[] = [];
  let left = amount;
  for (const d of [...documents].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0))) {
    if (left <= 0) break;
    const part = Math.min(left, d.open);
    if (part > 0) out.push({ documentNumber: d.number, amount: part });
    left -= part;
  }
  return out;
}

/** A payment taken in the field, with the receipt handed over, allocated to invoices. */
export function PaymentForm({ view, onDone }: FormProps) {
  const id = useId();
  const { busy, error, run } = useCommand();
  const currency = currencyOf(view);
  const open = view.documents.filter((d) => d.status === 'open' && d.kind === 'invoice' && d.currency === currency && d.open > 0);
  const [method, setMethod] = useState<(typeof FIELD_RECEIPT_METHODS)[number]>('cash');
  const [amount, setAmount] = useState('');
  const [receipt, setReceipt] = useState('');
  const [received, setReceived] = useState(() => localDate());
  const [reference, setReference] = useState('');
  const [manual, setManual] = useState<Record<string, string> | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const parsed = parseMoneyInput(amount, currency);
  const automatic = parsed.ok ? allocateOldestFirst(open, parsed.value) : [];

  const allocations = (): { documentNumber: string; amount: number }[] | string => {
    if (manual === null) return automatic;
    const out: { documentNumber: string; amount: number }[] = [];
    for (const [documentNumber, text] of Object.entries(manual)) {
      if (text.trim() === '') continue;
      const a = parseMoneyInput(text, currency);
      if (!a.ok) return `${documentNumber}: ${a.message}`;
      if (a.value > 0) out.push({ documentNumber, amount: a.value });
    }
    return out;
  };

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    if (!parsed.ok) return setLocalError(parsed.message);
    const alloc = allocations();
    if (typeof alloc === 'string') return setLocalError(alloc);
    setLocalError(null);
    const result = await run('payment/record', {
      accountNumber: view.account.number,
      receiptNumber: receipt.trim(),
      receivedDate: received,
      currency,
      amount: parsed.value,
      method,
      reference: reference.trim(),
      allocations: alloc,
    });
    if (result?.ok === true) onDone(withWarnings(`Payment of ${formatMoney(parsed.value, currency)} recorded, receipt ${receipt.trim()}.`, result.warnings));
  };

  return (
    <form className="stack" onSubmit={(e) => void submit(e)} aria-label="Record a field payment">
      <div className="two-up">
        <div>
          <label htmlFor={`${id}-method`}>Method</label>
          <select id={`${id}-method`} value={method} onChange={(e) => setMethod(e.target.value as typeof method)}>
            {FIELD_RECEIPT_METHODS.map((m) => (
              <option key={m} value={m}>
                {METHODS[m]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-amount`}>Amount ({currency})</label>
          <input id={`${id}-amount`} inputMode="decimal" required value={amount} onChange={(e) => setAmount(e.target.value)} />
        </div>
      </div>
      <div className="two-up">
        <div>
          <label htmlFor={`${id}-receipt`}>Receipt number</label>
          <input id={`${id}-receipt`} required maxLength={64} value={receipt} onChange={(e) => setReceipt(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-date`}>Received on</label>
          <input id={`${id}-date`} type="date" required value={received} onChange={(e) => setReceived(e.target.value)} />
        </div>
      </div>
      <label htmlFor={`${id}-ref`}>{REFERENCE[method]}</label>
      <input id={`${id}-ref`} maxLength={200} value={reference} onChange={(e) => setReference(e.target.value)} />
      <fieldset>
        <legend>Allocation</legend>
        <label className="check-row">
          <input type="checkbox" checked={manual === null} onChange={(e) => setManual(e.target.checked ? null : Object.fromEntries(open.map((d) => [d.number, ''])))} />
          <span>Oldest invoice first</span>
        </label>
        {manual === null ? (
          <ul className="plain-list small">
            {automatic.map((a) => (
              <li key={a.documentNumber}>
                {a.documentNumber}: {formatMoney(a.amount, currency)}
              </li>
            ))}
          </ul>
        ) : (
          open.map((d) => (
            <div key={d.number} className="alloc-row">
              <label htmlFor={`${id}-alloc-${d.number}`}>
                {d.number} (open {formatMoney(d.open, currency)})
              </label>
              <input id={`${id}-alloc-${d.number}`} inputMode="decimal" value={manual[d.number] ?? ''} onChange={(e) => setManual({ ...manual, [d.number]: e.target.value })} />
            </div>
          ))
        )}
      </fieldset>
      <FormError error={localError ?? error} />
      <button type="submit" className="primary" disabled={busy || receipt.trim() === ''}>
        Record payment
      </button>
    </form>
  );
}
