import { useId, useMemo, useState, type SyntheticEvent } from 'react';
import { addDays, type CalendarDate } from '../../../domain/calendar';
import { formatDate, formatMoney, moneyInputValue } from '../../common/format';
import { localDate, parseMoneyInput } from '../../common/money-input';
import { useCommand } from '../../common/useCommand';
import { FormError } from './FormError';
import { currencyOf, withWarnings, type FormProps } from './form-props';
import { FREQUENCIES, planInstalments, type Frequency } from './instalments';

/** A promise to pay: one amount on one date, or an instalment plan. */
export function PromiseForm({ view, selected, onDone }: FormProps) {
  const id = useId();
  const { busy, error, run } = useCommand();
  const currency = currencyOf(view);
  const pastDue = view.entry?.decision.metrics.pastDue ?? 0;
  const [plan, setPlan] = useState<'single' | 'instalments'>('single');
  const [amount, setAmount] = useState(pastDue > 0 ? moneyInputValue(pastDue, currency) : '');
  const [first, setFirst] = useState(() => addDays(localDate() as CalendarDate, 7));
  const [count, setCount] = useState(3);
  const [every, setEvery] = useState<Frequency>('month');
  const [grace, setGrace] = useState(3);
  const [note, setNote] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);

  const parsed = parseMoneyInput(amount, currency);
  const instalments = useMemo(
    () => (parsed.ok ? planInstalments(parsed.value, first, plan === 'single' ? 1 : count, every) : []),
    [parsed.ok, parsed.ok ? parsed.value : 0, first, plan, count, every],
  );

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    if (!parsed.ok) return setLocalError(parsed.message);
    if (instalments.length === 0) return setLocalError('Enter a positive amount and a date.');
    setLocalError(null);
    const result = await run('promise/take', {
      accountNumber: view.account.number,
      currency,
      instalments,
      graceDays: grace,
      documentNumbers: [...selected],
      ...(note.trim() === '' ? {} : { note: note.trim() }),
    });
    if (result?.ok === true) onDone(withWarnings(`Promise to pay saved: ${formatMoney(parsed.value, currency)}${instalments.length > 1 ? ` in ${instalments.length} instalments` : ''}.`, result.warnings));
  };

  return (
    <form className="stack" onSubmit={(e) => void submit(e)} aria-label="Take a promise to pay">
      <fieldset className="segmented">
        <legend>Plan</legend>
        <label className={plan === 'single' ? 'checked' : undefined}>
          <input type="radio" name={`${id}-plan`} checked={plan === 'single'} onChange={() => setPlan('single')} />
          One payment
        </label>
        <label className={plan === 'instalments' ? 'checked' : undefined}>
          <input type="radio" name={`${id}-plan`} checked={plan === 'instalments'} onChange={() => setPlan('instalments')} />
          Instalments
        </label>
      </fieldset>
      <label htmlFor={`${id}-amount`}>{plan === 'single' ? 'Amount' : 'Total'} ({currency})</label>
      <input id={`${id}-amount`} inputMode="decimal" required value={amount} onChange={(e) => setAmount(e.target.value)} aria-invalid={!parsed.ok && amount !== ''} />
      <label htmlFor={`${id}-first`}>{plan === 'single' ? 'Pay by' : 'First instalment on'}</label>
      <input id={`${id}-first`} type="date" required value={first} onChange={(e) => setFirst(e.target.value as CalendarDate)} />
      {plan === 'instalments' && (
        <div className="two-up">
          <div>
            <label htmlFor={`${id}-count`}>Instalments</label>
            <input id={`${id}-count`} type="number" min={2} max={120} value={count} onChange={(e) => setCount(Math.max(1, Math.min(120, Number(e.target.value) || 1)))} />
          </div>
          <div>
            <label htmlFor={`${id}-every`}>How often</label>
            <select id={`${id}-every`} value={every} onChange={(e) => setEvery(e.target.value as Frequency)}>
              {Object.entries(FREQUENCIES).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </div>
        </div>
      )}
      <label htmlFor={`${id}-grace`}>Grace days</label>
      <input id={`${id}-grace`} type="number" min={0} max={60} value={grace} onChange={(e) => setGrace(Math.max(0, Math.min(60, Number(e.target.value) || 0)))} />
      {plan === 'instalments' && instalments.length > 0 && (
        <ol className="instalments" aria-label="Instalments">
          {instalments.map((i) => (
            <li key={i.dueDate}>
              {formatDate(i.dueDate)}: {formatMoney(i.amount, currency)}
            </li>
          ))}
        </ol>
      )}
      <p className="muted">{selected.size === 0 ? 'For the whole account.' : `For invoices ${[...selected].join(', ')}.`}</p>
      <label htmlFor={`${id}-note`}>Note (optional)</label>
      <textarea id={`${id}-note`} rows={2} value={note} onChange={(e) => setNote(e.target.value)} maxLength={4000} />
      <FormError error={localError ?? error} />
      <button type="submit" className="primary" disabled={busy}>
        Save promise to pay
      </button>
    </form>
  );
}
