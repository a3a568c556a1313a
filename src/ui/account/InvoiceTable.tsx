import { useState } from 'react';
import type { AccountState } from '../../domain/account-state';
import { ageDocument, type AgingConfig } from '../../domain/aging';
import type { CalendarDate } from '../../domain/calendar';
import type { LedgerDocument } from '../../domain/ledger';
import { formatDate, formatMoney, formatNumber } from '../common/format';
import { bucketLabel } from '../common/labels';

interface Props {
  readonly documents: readonly LedgerDocument[];
  readonly state: AccountState;
  readonly aging: AgingConfig | undefined;
  readonly today: CalendarDate;
  readonly selected: ReadonlySet<string>;
  readonly onToggle: (documentNumber: string) => void;
  /** False while paid and closed documents are still being read from the device. */
  readonly complete: boolean;
}

const STATUS = { open: 'Open', paid: 'Paid', closed: 'Closed' } as const;

/** Invoices and credit notes with their aging and what the team did about them; open ones can be chosen for a dispute, hold or payment. */
export function InvoiceTable({ documents, state, aging, today, selected, onToggle, complete }: Props) {
  const [showAll, setShowAll] = useState(false);
  const promised = new Set(state.currentPromise?.status === 'open' ? state.currentPromise.fact.documentNumbers : []);
  const shown = showAll ? documents : documents.filter((d) => d.status === 'open');
  const hidden = documents.length - shown.length;
  return (
    <>
      <div className="table-scroll" role="region" aria-label="Invoices" tabIndex={0}>
        <table className="invoices">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Choose</span>
              </th>
              <th scope="col">Invoice</th>
              <th scope="col">Aging bucket</th>
              <th scope="col" className="num">
                Open
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((d) => {
              const age = d.status === 'open' ? ageDocument(d, today, aging) : null;
              const flags = [
                state.disputedDocuments.has(d.number) ? 'Dispute' : null,
                d.erpDisputed ? 'Disputed in the ERP' : null,
                state.heldDocuments.has(d.number) ? 'On hold' : null,
                promised.has(d.number) ? 'Promise to pay' : null,
              ].filter((f): f is string => f !== null);
              return (
                <tr key={d.number}>
                  <td>
                    {d.status === 'open' && (
                      <label className="touch-check">
                        <input type="checkbox" checked={selected.has(d.number)} onChange={() => onToggle(d.number)} aria-label={`Choose ${d.number}`} />
                      </label>
                    )}
                  </td>
                  <th scope="row">
                    {d.number}
                    {d.kind === 'credit_note' && <span className="muted"> (credit note)</span>}
                    <div className="muted small">due {formatDate(d.dueDate)}</div>
                  </th>
                  <td>{age === null ? '—' : `${bucketLabel(age.bucketId, aging)}${age.days > 0 ? ` (${formatNumber(age.days)} d)` : ''}`}</td>
                  <td className="num">
                    {formatMoney(d.open, d.currency)}
                    {d.open !== d.original && <div className="muted small">of {formatMoney(d.original, d.currency)}</div>}
                  </td>
                  <td>
                    {STATUS[d.status]}
                    {d.paidDate !== undefined && ` ${formatDate(d.paidDate)}`}
                    {flags.map((f) => (
                      <span key={f} className="flag">
                        {f}
                      </span>
                    ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {!complete && <p className="muted small">Reading paid and closed invoices from this device…</p>}
      {(hidden > 0 || showAll) && (
        <button type="button" className="link-button" onClick={() => setShowAll(!showAll)} aria-pressed={showAll}>
          {showAll ? 'Show open invoices only' : `Show paid and closed too (${formatNumber(hidden)})`}
        </button>
      )}
    </>
  );
}
