/**
 * Files written the way other ERPs write them: custom mappings with thousands separators, currency
 * symbols, parenthesised credits, D/M/YYYY dates, comma decimals and payment terms.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accountSchema, ledgerDocumentSchema } from '../../src/domain/ledger';
import { run } from './build';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url), 'utf8');

describe('import formats', () => {
  it('the documented example file of the generic format imports as described in docs/import.md', () => {
    const r = run(fixture('dunwell-example.csv'));
    expect(r.errors).toEqual([]);
    expect(r.accounts).toEqual([
      {
        portfolioId: 'test',
        number: 'C-1001',
        name: 'Acme Supply, Inc.',
        segment: 'wholesale',
        tags: ['key-account', 'paperless'],
        timeZone: 'America/Chicago',
        language: 'en',
        riskGrade: 'B',
        creditLimit: { amount: 2_500_000, currency: 'USD' },
        restrictions: { cease: false, doNotContact: false },
      },
      {
        portfolioId: 'test',
        number: 'C-2002',
        name: 'Brightline GmbH',
        segment: 'export',
        tags: [],
        timeZone: 'Europe/Berlin',
        language: 'de',
        riskGrade: 'A',
        restrictions: { cease: false, doNotContact: false },
      },
    ]);
    expect(r.documents.map((d) => [d.number, d.kind, d.currency, d.original, d.open, d.status, d.erpDisputed, d.paidDate])).toEqual([
      ['INV-0001', 'invoice', 'USD', 125_000, 125_000, 'open', false, undefined],
      ['INV-0002', 'invoice', 'USD', 98_040, 48_040, 'open', true, undefined],
      ['CN-0007', 'credit_note', 'USD', -12_000, -12_000, 'open', false, undefined],
      ['INV-0003', 'invoice', 'EUR', 340_000, 0, 'paid', false, '2024-02-12'],
      ['000417', 'invoice', 'EUR', 7_550, 7_550, 'open', false, undefined],
    ]);
    expect(r.payments).toHaveLength(1);
    for (const a of r.accounts) expect(accountSchema.parse(a)).toEqual(a);
    for (const d of r.documents) expect(ledgerDocumentSchema.parse(d)).toEqual(d);
  });

  it('thousands separators, currency symbols and parentheses with a custom mapping', () => {
    const mapping = { extends: 'dunwell', decimal: { decimal: '.', thousands: ',' } };
    const text = [
      'account_number,document_number,issue_date,due_date,amount,open_amount',
      'C1,D1,2024-01-01,2024-01-31,"$1,234.56","1,000.00"',
      'C1,D2,2024-01-01,2024-01-31,"(1,000.00)",($250.00)',
      'C1,D3,2024-01-01,2024-01-31,USD 12.00,12',
      'C1,D4,2024-01-01,2024-01-31,"12,34.00",',
    ].join('\n');
    const r = run(text, mapping);
    expect(r.documents.map((d) => [d.number, d.kind, d.original, d.open])).toEqual([
      ['D1', 'invoice', 123_456, 100_000],
      ['D2', 'credit_note', -100_000, -25_000],
      ['D3', 'invoice', 1_200, 1_200],
    ]);
    expect(r.errors).toEqual([{ row: 5, column: 'amount', value: '12,34.00', expected: 'an amount in USD with at most 2 decimals, like 1,234.50' }]);
  });

  it('a D/M/YYYY, comma-decimal, semicolon ERP file with its own words and payment terms', () => {
    const mapping = JSON.parse(fixture('acme-erp.mapping.json')) as unknown;
    const r = run(fixture('acme-erp.csv'), mapping);
    expect(r.errors).toEqual([]);
    expect(r.accounts.map((a) => [a.number, a.name, a.segment, a.timeZone, a.language, a.tags])).toEqual([
      ['10001', 'Müller & Söhne KG', 'country-DE', 'Europe/Berlin', 'de', ['acme-erp']],
      ['20002', 'Dupont; Fils SA', 'country-FR', 'Europe/Berlin', 'de', ['acme-erp']],
    ]);
    expect(r.documents.map((d) => [d.number, d.kind, d.issueDate, d.dueDate, d.currency, d.original, d.open, d.status, d.erpDisputed])).toEqual([
      ['R-2024-001', 'invoice', '2024-01-31', '2024-03-01', 'EUR', 123_456, 123_456, 'open', false],
      // No due date: issue date + constants.termsDays (30).
      ['R-2024-002', 'invoice', '2024-02-15', '2024-03-16', 'EUR', 200_000, 50_000, 'open', true],
      ['G-2024-001', 'credit_note', '2024-02-20', '2024-02-20', 'EUR', -15_000, -15_000, 'open', false],
      ['R-2024-003', 'invoice', '2024-04-03', '2024-05-03', 'EUR', 9_990, 0, 'paid', false],
    ]);
  });

  it('D/M/YYYY reads 3/4/2013 as the 3rd of April', () => {
    const mapping = { extends: 'dunwell', dateFormat: 'D/M/YYYY' };
    const r = run('account_number,document_number,issue_date,due_date,amount\nC1,D1,3/4/2013,13/4/2013,1.00\nC1,D2,31/4/2013,1/5/2013,1.00\n', mapping);
    expect(r.documents[0]).toMatchObject({ issueDate: '2013-04-03', dueDate: '2013-04-13' });
    expect(r.errors).toEqual([{ row: 3, column: 'issue_date', value: '31/4/2013', expected: 'a real calendar date in D/M/YYYY: 31/4/2013 does not exist' }]);
  });

  it('a typed credit note may be written positive; the ledger stores it negative', () => {
    const text = 'account_number,document_number,document_type,issue_date,due_date,amount,open_amount\nC1,CN1,credit_note,2024-01-01,2024-01-01,50.00,20.00\n';
    const r = run(text);
    expect(r.errors).toEqual([]);
    expect(r.documents[0]).toMatchObject({ kind: 'credit_note', original: -5_000, open: -2_000 });
  });

  it('a credit note of zero is 0, not -0', () => {
    const text = 'account_number,document_number,document_type,issue_date,due_date,amount,open_amount\nC1,CN1,credit_note,2024-01-01,2024-01-01,0.00,0\n';
    const d = run(text).documents[0];
    expect(Object.is(d?.original, 0) && Object.is(d?.open, 0)).toBe(true);
  });

  it('constants fill fields with no column; a column wins over the constant', () => {
    const mapping = { extends: 'dunwell', constants: { segment: 'smb', tags: ['erp-x'], riskGrade: 'C', creditLimit: '1000.00', timeZone: 'Europe/Paris' } };
    const text = 'account_number,segment,document_number,issue_date,due_date,amount\nC1,,D1,2024-01-01,2024-01-31,1.00\nC2,enterprise,D2,2024-01-01,2024-01-31,1.00\n';
    const r = run(text, mapping);
    expect(r.accounts.map((a) => [a.number, a.segment, a.tags, a.riskGrade, a.creditLimit, a.timeZone])).toEqual([
      ['C1', 'smb', ['erp-x'], 'C', { amount: 100_000, currency: 'USD' }, 'Europe/Paris'],
      ['C2', 'enterprise', ['erp-x'], 'C', { amount: 100_000, currency: 'USD' }, 'Europe/Paris'],
    ]);
  });
});
