/**
 * Every class of bad input is reported with the spreadsheet row (header = 1), the column as the file
 * names it, the value and what was expected — one small file per class.
 */
import { describe, expect, it } from 'vitest';
import { MAX_REPORTED_ERRORS } from '../../src/domain/import/normalize';
import { COLUMNS, csvOf, run } from './build';

const IBM_HEAD = 'countryCode,customerID,PaperlessDate,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed,SettledDate,PaperlessBill,DaysToSettle,DaysLate';
const ibmLine = (over: Partial<Record<'invoiceDate' | 'dueDate' | 'settled' | 'bill', string>> = {}) =>
  `391,0379-NEVHP,4/6/2013,0000611365,${over.invoiceDate ?? '1/2/2013'},${over.dueDate ?? '2/1/2013'},55.94,No,${over.settled ?? '1/15/2013'},${over.bill ?? 'Paper'},13,0`;

describe('import errors', () => {
  it('a required column missing from the header is reported on row 1 and stops the import', () => {
    const r = run(csvOf([{}], COLUMNS.filter((c) => c !== 'amount')));
    expect(r.errors).toEqual([{ row: 1, column: 'amount', value: '', expected: 'a column named amount' }]);
    expect(r.documents).toEqual([]);
    expect(r.rows).toBe(1);
  });

  it('every missing required column is named, not only the first', () => {
    const r = run('account_number,amount\nC1,1.00\n');
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [1, 'document_number'],
      [1, 'issue_date'],
      [1, 'due_date'],
    ]);
  });

  it('an optional column of the preset may be absent', () => {
    const r = run(csvOf([{}], ['account_number', 'document_number', 'issue_date', 'due_date', 'amount']));
    expect(r.errors).toEqual([]);
    expect(r.documents).toHaveLength(1);
  });

  it.each([
    ['account_number', 'an account number'],
    ['document_number', 'a document number'],
    ['issue_date', 'an issue date in YYYY-MM-DD'],
    ['due_date', 'a due date in YYYY-MM-DD'],
  ] as const)('an empty required %s', (column, expected) => {
    const r = run(csvOf([{}, { [column]: '' }]));
    expect(r.errors).toEqual([{ row: 3, column, value: '', expected }]);
    expect(r.documents).toHaveLength(1);
  });

  it('an empty required amount', () => {
    const r = run(csvOf([{ amount: '' }]));
    expect(r.errors).toEqual([{ row: 2, column: 'amount', value: '', expected: 'an amount in USD with at most 2 decimals, like 1234.50' }]);
  });

  it('an unparseable date', () => {
    const r = run(csvOf([{ issue_date: 'next Tuesday' }]));
    expect(r.errors).toEqual([{ row: 2, column: 'issue_date', value: 'next Tuesday', expected: 'a date in YYYY-MM-DD, such as 2013-01-31' }]);
  });

  it('a date in another format than the declared one says so', () => {
    const r = run(csvOf([{ due_date: '2/9/2024' }]));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ row: 2, column: 'due_date', value: '2/9/2024' });
    expect(r.errors[0]?.expected).toContain("check the mapping's dateFormat");
  });

  it('an impossible date (2/30/2013) in M/D/YYYY', () => {
    const r = run(`${IBM_HEAD}\n${ibmLine()}\n${ibmLine({ invoiceDate: '2/30/2013' })}\n`, 'ibm');
    expect(r.errors).toContainEqual({
      row: 3,
      column: 'InvoiceDate',
      value: '2/30/2013',
      expected: 'a real calendar date in M/D/YYYY: 2/30/2013 does not exist',
    });
  });

  it('an impossible ISO date (2023-02-29)', () => {
    const r = run(csvOf([{ issue_date: '2023-02-29' }]));
    expect(r.errors[0]).toEqual({ row: 2, column: 'issue_date', value: '2023-02-29', expected: 'a real calendar date in YYYY-MM-DD: 2023-02-29 does not exist' });
  });

  it('a due date before the issue date', () => {
    const r = run(csvOf([{ issue_date: '2024-03-01', due_date: '2024-02-28' }]));
    expect(r.errors).toEqual([{ row: 2, column: 'due_date', value: '2024-02-28', expected: 'a due date on or after the issue date 2024-03-01' }]);
  });

  it('a paid date before the issue date', () => {
    const r = run(csvOf([{ paid_date: '2024-01-01', open_amount: '0' }]));
    expect(r.errors).toEqual([{ row: 2, column: 'paid_date', value: '2024-01-01', expected: 'a paid date on or after the issue date 2024-01-10' }]);
  });

  it('an unparseable amount', () => {
    const r = run(csvOf([{ amount: '12.34.5', open_amount: '' }]));
    expect(r.errors).toEqual([{ row: 2, column: 'amount', value: '12.34.5', expected: 'an amount in USD with at most 2 decimals, like 1234.50' }]);
  });

  it('too many decimals for the currency (USD 2, JPY 0)', () => {
    const r = run(csvOf([{ amount: '10.005', open_amount: '' }, { currency: 'JPY', amount: '1500.5', open_amount: '' }]));
    expect(r.errors).toEqual([
      { row: 2, column: 'amount', value: '10.005', expected: 'an amount in USD with at most 2 decimals, like 1234.50' },
      { row: 3, column: 'amount', value: '1500.5', expected: 'an amount in JPY with at most 0 decimals, like 1234' },
    ]);
  });

  it('an unknown currency', () => {
    const r = run(csvOf([{ currency: 'XYZ' }]));
    expect(r.errors).toEqual([{ row: 2, column: 'currency', value: 'XYZ', expected: 'an ISO 4217 currency code such as USD' }]);
  });

  it('an open amount beyond the original', () => {
    const r = run(csvOf([{ amount: '100.00', open_amount: '150.00' }]));
    expect(r.errors).toEqual([{ row: 2, column: 'open_amount', value: '150.00', expected: 'an open amount between 0 and the amount 100.00' }]);
  });

  it('an open amount of the wrong sign', () => {
    const r = run(csvOf([{ amount: '100.00', open_amount: '-10.00' }, { document_type: '', amount: '-50.00', open_amount: '20.00' }]));
    expect(r.errors).toEqual([
      { row: 2, column: 'open_amount', value: '-10.00', expected: 'an open amount with the same sign as the amount 100.00' },
      { row: 3, column: 'open_amount', value: '20.00', expected: 'an open amount with the same sign as the amount -50.00' },
    ]);
  });

  it('an open amount on a document the paid date says is settled', () => {
    const r = run(csvOf([{ paid_date: '2024-02-01', open_amount: '40.00' }]));
    expect(r.errors).toEqual([{ row: 2, column: 'open_amount', value: '40.00', expected: '0, since paid_date says the document is settled' }]);
  });

  it('an unknown boolean word', () => {
    const r = run(csvOf([{ disputed: 'maybe' }]));
    expect(r.errors).toEqual([{ row: 2, column: 'disputed', value: 'maybe', expected: 'one of true, yes, y, 1, false, no, n, 0' }]);
  });

  it('an unknown document type', () => {
    const r = run(csvOf([{ document_type: 'debit_memo' }]));
    expect(r.errors).toEqual([
      { row: 2, column: 'document_type', value: 'debit_memo', expected: 'one of invoice, credit_note (or leave it empty: the sign of the amount decides)' },
    ]);
  });

  it('an invoice typed as such with a negative amount', () => {
    const r = run(csvOf([{ amount: '-100.00', open_amount: '' }]));
    expect(r.errors).toEqual([{ row: 2, column: 'amount', value: '-100.00', expected: 'a positive amount for an invoice (a credit note is typed credit_note)' }]);
  });

  it('a duplicate document number for the same account names both rows', () => {
    const r = run(csvOf([{ document_number: 'D-1' }, { document_number: 'D-2' }, { document_number: 'D-1' }, { account_number: 'C2', document_number: 'D-1', account_name: 'Other' }]));
    expect(r.errors).toEqual([{ row: 4, column: 'document_number', value: 'D-1', expected: 'a document number not already on row 2 for account C1' }]);
    // The same number under another account is another document.
    expect(r.documents.map((d) => `${d.accountNumber}/${d.number}`)).toEqual(['C1/D-1', 'C1/D-2', 'C2/D-1']);
  });

  it('an invalid time zone', () => {
    const r = run(csvOf([{ time_zone: 'Mars/Olympus_Mons' }]));
    expect(r.errors).toEqual([{ row: 2, column: 'time_zone', value: 'Mars/Olympus_Mons', expected: 'an IANA time zone such as America/Chicago' }]);
  });

  it('conflicting account attributes name both rows', () => {
    const r = run(csvOf([{ account_name: 'Acme' }, { account_name: 'Acme' }, { account_name: 'ACME Corp' }, { segment: 'wholesale' }]));
    expect(r.errors).toEqual([
      { row: 4, column: 'account_name', value: 'ACME Corp', expected: 'Acme as on row 2: every row of account C1 must agree' },
      { row: 5, column: 'segment', value: 'wholesale', expected: 'retail as on row 2: every row of account C1 must agree' },
    ]);
  });

  it('an empty optional account attribute does not conflict', () => {
    const r = run(csvOf([{ account_name: 'Acme' }, { account_name: '', segment: '', time_zone: '' }]));
    expect(r.errors).toEqual([]);
    expect(r.accounts).toHaveLength(1);
    expect(r.accounts[0]).toMatchObject({ name: 'Acme', segment: 'retail', timeZone: 'America/Chicago' });
  });

  it('a risk grade, a language and a credit limit are checked', () => {
    const text = 'account_number,risk_grade,language,credit_limit,document_number,issue_date,due_date,amount\nC1,F,xx-!!,-5.00,D1,2024-01-01,2024-01-31,1.00\n';
    const r = run(text);
    expect(r.errors).toEqual([
      { row: 2, column: 'risk_grade', value: 'F', expected: 'a risk grade, one of A, B, C, D, E' },
      { row: 2, column: 'language', value: 'xx-!!', expected: 'a language tag such as en or fr-CA' },
      { row: 2, column: 'credit_limit', value: '-5.00', expected: 'a credit limit of zero or more in USD' },
    ]);
  });

  it('a word outside a column’s `values` (IBM PaperlessBill)', () => {
    const r = run(`${IBM_HEAD}\n${ibmLine({ bill: 'Fax' })}\n`, 'ibm');
    expect(r.errors).toEqual([{ row: 2, column: 'PaperlessBill', value: 'Fax', expected: 'one of Electronic, Paper' }]);
  });

  it('collects every error of a row, and of every row', () => {
    const r = run(csvOf([{ amount: 'x', issue_date: 'y', disputed: 'z' }, {}, { currency: 'QQQ', document_type: '?' }]));
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [2, 'issue_date'],
      [2, 'amount'],
      [2, 'disputed'],
      [4, 'document_type'],
      [4, 'currency'],
    ]);
    expect(r.errorCount).toBe(5);
    expect(r.documents).toHaveLength(1);
  });

  it(`keeps the first ${MAX_REPORTED_ERRORS} errors and counts the rest`, () => {
    const rows = Array.from({ length: 1500 }, () => ({ amount: 'n/a', open_amount: '' }));
    const r = run(csvOf(rows));
    expect(r.errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(r.errorCount).toBe(1500);
    expect(r.errors[0]?.row).toBe(2);
    expect(r.errors.at(-1)?.row).toBe(MAX_REPORTED_ERRORS + 1);
  });
});
