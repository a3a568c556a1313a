import type { LedgerDocument } from '../../../domain/ledger';
import { formatDate, formatMoney } from '../../common/format';

interface Props {
  readonly legend: string;
  readonly documents: readonly LedgerDocument[];
  readonly chosen: ReadonlySet<string>;
  readonly onChange: (next: ReadonlySet<string>) => void;
}

/** Open invoices as checkboxes, inside the form that needs them (the table may be a long scroll away on a phone). */
export function InvoicePicker({ legend, documents, chosen, onChange }: Props) {
  const open = documents.filter((d) => d.status === 'open' && d.kind === 'invoice');
  const toggle = (n: string) => {
    const next = new Set(chosen);
    if (next.has(n)) next.delete(n);
    else next.add(n);
    onChange(next);
  };
  if (open.length === 0) return <p className="muted">No open invoice.</p>;
  return (
    <fieldset className="invoice-picker">
      <legend>{legend}</legend>
      {open.map((d) => (
        <label key={d.number} className="check-row">
          <input type="checkbox" checked={chosen.has(d.number)} onChange={() => toggle(d.number)} />
          <span>
            {d.number} · {formatMoney(d.open, d.currency)} · due {formatDate(d.dueDate)}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
