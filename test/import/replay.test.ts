/**
 * Paid state and the replay "as of" a date (shared/data/README.md): an invoice issued after the date did
 * not exist yet; one settled on or before it is paid, with a payment; one settled after it was still
 * wholly open; a credit note is applied, never paid.
 */
import { describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../src/domain/calendar';
import { normalizeRecords } from '../../src/domain/import/normalize';
import { paymentSchema } from '../../src/domain/ledger';
import { csvOf, mappingOf, run } from './build';

const rows = csvOf([
  { document_number: 'EARLY', issue_date: '2024-01-10', paid_date: '2024-02-01', open_amount: '0' },
  { document_number: 'LATE', issue_date: '2024-02-10', due_date: '2024-03-10', paid_date: '2024-04-15', open_amount: '0', disputed: 'yes' },
  { document_number: 'FUTURE', issue_date: '2024-03-20', due_date: '2024-04-20', paid_date: '2024-04-01', open_amount: '0' },
  { document_number: 'CN', document_type: 'credit_note', amount: '-30.00', issue_date: '2024-01-15', due_date: '2024-01-15', paid_date: '2024-01-20', open_amount: '0' },
  { document_number: 'UNPAID', issue_date: '2024-02-01', due_date: '2024-03-01', open_amount: '60.00', disputed: 'y' },
]);

describe('paid state and replay as of a date', () => {
  it('without an as-of date a paid date means paid', () => {
    const r = run(rows);
    expect(r.errors).toEqual([]);
    expect(r.skipped).toBe(0);
    expect(r.documents.map((d) => [d.number, d.status, d.open, d.paidDate])).toEqual([
      ['EARLY', 'paid', 0, '2024-02-01'],
      ['LATE', 'paid', 0, '2024-04-15'],
      ['FUTURE', 'paid', 0, '2024-04-01'],
      ['CN', 'paid', 0, '2024-01-20'],
      ['UNPAID', 'open', 6_000, undefined],
    ]);
    expect(r.payments.map((p) => p.id)).toEqual(['C1:EARLY:settle', 'C1:LATE:settle', 'C1:FUTURE:settle']);
  });

  it('as of 2024-03-15: later issues skipped, earlier settlements paid, later settlements wholly open', () => {
    const r = run(rows, 'dunwell', '2024-03-15');
    expect(r.errors).toEqual([]);
    expect(r.skipped).toBe(1);
    expect(r.documents.map((d) => [d.number, d.status, d.original, d.open, d.paidDate, d.erpDisputed])).toEqual([
      ['EARLY', 'paid', 10_000, 0, '2024-02-01', false],
      ['LATE', 'open', 10_000, 10_000, undefined, true],
      ['CN', 'paid', -3_000, 0, '2024-01-20', false],
      ['UNPAID', 'open', 10_000, 6_000, undefined, true],
    ]);
    expect(r.payments).toEqual([
      {
        portfolioId: 'test',
        id: 'C1:EARLY:settle',
        accountNumber: 'C1',
        receivedDate: '2024-02-01',
        currency: 'USD',
        amount: 10_000,
        method: 'transfer',
        reference: 'EARLY',
        allocations: [{ documentNumber: 'EARLY', amount: 10_000 }],
      },
    ]);
    expect(paymentSchema.parse(r.payments[0])).toEqual(r.payments[0]);
  });

  it('a settlement on the as-of day itself is paid', () => {
    const r = run(rows, 'dunwell', '2024-04-15');
    expect(r.documents.find((d) => d.number === 'LATE')).toMatchObject({ status: 'paid', paidDate: '2024-04-15' });
  });

  it('an account whose every document is after the as-of date is not imported yet', () => {
    const text = csvOf([{}, { account_number: 'C2', account_name: 'Later', issue_date: '2025-01-01', due_date: '2025-02-01' }]);
    const r = run(text, 'dunwell', '2024-06-30');
    expect(r.accounts.map((a) => a.number)).toEqual(['C1']);
    expect(r.skipped).toBe(1);
  });

  it('a skipped row is still checked: errors do not depend on the replay date', () => {
    const r = run(csvOf([{ issue_date: '2025-01-01', due_date: '2025-02-01', amount: 'x' }]), 'dunwell', '2024-06-30');
    expect(r.errors.map((e) => e.column)).toEqual(['amount']);
    expect(r.skipped).toBe(0);
  });

  it('an open amount of zero without a paid date is paid, with no payment', () => {
    const r = run(csvOf([{ open_amount: '0.00' }]));
    expect(r.documents[0]).toMatchObject({ status: 'paid', open: 0 });
    expect(r.documents[0]?.paidDate).toBeUndefined();
    expect(r.payments).toEqual([]);
  });

  it('tags of an account come from its newest document (IBM billing channel)', () => {
    const head = 'countryCode,customerID,PaperlessDate,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed,SettledDate,PaperlessBill,DaysToSettle,DaysLate';
    const text = [
      head,
      '391,C1,3/1/2013,0001,4/1/2013,5/1/2013,10.00,No,4/20/2013,Electronic,19,0',
      '391,C1,3/1/2013,0002,1/1/2013,1/31/2013,10.00,No,1/20/2013,Paper,19,0',
      '391,C1,3/1/2013,0003,6/1/2013,7/1/2013,10.00,No,6/20/2013,Paper,19,0',
    ].join('\n');
    expect(run(text, 'ibm').accounts[0]?.tags).toEqual(['paper']);
    expect(run(text, 'ibm', '2013-05-01').accounts[0]?.tags).toEqual(['paperless']);
    expect(run(text, 'ibm', '2013-02-01').accounts[0]?.tags).toEqual(['paper']);
  });

  it('normalizeRecords takes plain records, numbering rows from firstRow', () => {
    const records = [
      { account_number: 'C1', document_number: 'D1', issue_date: '2024-01-01', due_date: '2024-01-31', amount: '5.00' },
      { account_number: 'C1', document_number: 'D2', issue_date: '2024-01-01', due_date: '2024-01-31', amount: 'five' },
    ];
    const r = normalizeRecords(records, mappingOf('dunwell'), { portfolioId: 'p', firstRow: 10, asOf: '2024-12-31' as CalendarDate });
    expect(r.documents).toHaveLength(1);
    expect(r.errors).toEqual([expect.objectContaining({ row: 11, column: 'amount', value: 'five' })]);
  });
});
