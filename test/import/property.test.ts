/**
 * Whatever the cells hold, an import never throws, every document it yields is a valid ledger document,
 * and every row ends up exactly once: imported, skipped, or named by an error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountSchema, ledgerDocumentSchema, paymentSchema } from '../../src/domain/ledger';
import { COLUMNS, run } from './build';

const pools: Record<(typeof COLUMNS)[number], string[]> = {
  account_number: ['C1', 'C2', '007', ''],
  account_name: ['Acme', 'Beta', ''],
  segment: ['retail', ''],
  time_zone: ['UTC', 'Europe/Paris', 'Mars/Base', ''],
  document_number: ['D1', 'D2', 'D3', '0001', ''],
  document_type: ['invoice', 'credit_note', 'memo', ''],
  issue_date: ['2024-01-10', '2024-02-29', '2023-02-29', '2024-06-01', 'soon', ''],
  due_date: ['2024-01-10', '2024-03-01', '2024-07-01', ''],
  currency: ['USD', 'JPY', 'EUR', 'XYZ', ''],
  amount: ['100.00', '-40.00', '(5.00)', '0', '7', '1.005', 'n/a', ''],
  open_amount: ['100.00', '0', '-40.00', '50', '', '999.99'],
  paid_date: ['', '', '2024-03-15', '2024-08-01', '2024-01-01'],
  disputed: ['true', 'false', 'maybe', ''],
};
const rowArb = fc.record(Object.fromEntries(COLUMNS.map((c) => [c, fc.constantFrom(...pools[c])])) as { [K in (typeof COLUMNS)[number]]: fc.Arbitrary<string> });

describe('import properties', () => {
  it('yields valid ledger rows and accounts for every row once', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 12 }), fc.option(fc.constantFrom('2024-02-15', '2024-05-01'), { nil: undefined }), (rows, asOf) => {
        const text = [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => r[c]).join(','))].join('\n');
        const r = run(text, 'dunwell', asOf);
        for (const d of r.documents) ledgerDocumentSchema.parse(d);
        for (const a of r.accounts) accountSchema.parse(a);
        for (const p of r.payments) paymentSchema.parse(p);
        const bad = new Set(r.errors.map((e) => e.row));
        for (const row of bad) expect(row >= 2 && row <= rows.length + 1).toBe(true);
        expect(r.documents.length + r.skipped + bad.size).toBe(rows.length);
      }),
      { numRuns: 300, seed: 20240101 },
    );
  });
});
