/**
 * The real IBM "Late Payment Histories" file (shared/data, read in place, not copied): every row imports
 * with the ibm preset, and its replay as of 2013-06-30 agrees with an independent count over the raw
 * lines. A plain split on commas is safe for that file: it has no quotes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accountSchema, ledgerDocumentSchema, paymentSchema } from '../../src/domain/ledger';
import { IBM_FILE, sharedDataFile } from '../helpers/shared-data';
import { run } from './build';

const text = readFileSync(sharedDataFile(IBM_FILE), 'utf8');

/** The raw file, read without any of the import code. */
const lines = text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l !== '');
const head = (lines[0] ?? '').split(',');
const at = (name: string) => head.indexOf(name);
const raw = lines.slice(1).map((l) => l.split(','));
const ymd = (mdy: string) => {
  const [m, d, y] = mdy.split('/').map(Number);
  return (y ?? 0) * 10_000 + (m ?? 0) * 100 + (d ?? 0);
};
const cents = (s: string) => {
  const [int = '0', frac = ''] = s.split('.');
  return Number(int) * 100 + Number(frac.padEnd(2, '0'));
};

describe('IBM late payment histories', () => {
  it('has the 2,466 rows and no quotes the independent count relies on', () => {
    expect(raw).toHaveLength(2466);
    expect(text.includes('"')).toBe(false);
    expect(raw.every((r) => r.length === head.length)).toBe(true);
  });

  it('imports every row without error and without an as-of date: all settled, all paid', () => {
    const r = run(text, 'ibm');
    expect(r.errors).toEqual([]);
    expect(r.rows).toBe(2466);
    expect(r.documents).toHaveLength(2466);
    expect(r.documents.every((d) => d.status === 'paid' && d.open === 0)).toBe(true);
    expect(r.payments).toHaveLength(2466);
    expect(r.accounts).toHaveLength(new Set(raw.map((x) => x[at('customerID')])).size);
    for (const a of r.accounts) {
      expect(accountSchema.parse(a)).toEqual(a);
      expect(a.segment).toMatch(/^country-\d+$/);
      expect(a.tags.length === 1 && ['paper', 'paperless'].includes(a.tags[0] ?? '')).toBe(true);
    }
    for (const d of r.documents) expect(ledgerDocumentSchema.parse(d)).toEqual(d);
    for (const p of r.payments) expect(paymentSchema.parse(p)).toEqual(p);
  });

  it('keeps the leading zeros of invoice numbers', () => {
    const r = run(text, 'ibm');
    const numbers = raw.map((x) => x[at('invoiceNumber')]);
    expect(r.documents.map((d) => d.number)).toEqual(numbers);
    const zeros = numbers.filter((n) => n?.startsWith('0'));
    expect(zeros.length).toBeGreaterThan(0);
    expect(r.documents.find((d) => d.number === '0000611365')).toMatchObject({ accountNumber: '0379-NEVHP', original: 5_594 });
  });

  it('replayed as of 2013-06-30, agrees with a count over the raw lines', () => {
    const asOf = 20130630;
    const issued = (x: string[]) => ymd(x[at('InvoiceDate')] ?? '');
    const settled = (x: string[]) => ymd(x[at('SettledDate')] ?? '');
    const open = raw.filter((x) => issued(x) <= asOf && settled(x) > asOf);
    const paid = raw.filter((x) => issued(x) <= asOf && settled(x) <= asOf);
    const later = raw.filter((x) => issued(x) > asOf);
    const expected = {
      open: open.length,
      openCents: open.reduce((s, x) => s + cents(x[at('InvoiceAmount')] ?? ''), 0),
      paid: paid.length,
      disputedOpen: open.filter((x) => x[at('Disputed')] === 'Yes').length,
      skipped: later.length,
    };

    const r = run(text, 'ibm', '2013-06-30');
    expect(r.errors).toEqual([]);
    const docsOpen = r.documents.filter((d) => d.status === 'open');
    expect({
      open: docsOpen.length,
      openCents: docsOpen.reduce((s, d) => s + d.open, 0),
      paid: r.documents.filter((d) => d.status === 'paid').length,
      disputedOpen: docsOpen.filter((d) => d.erpDisputed).length,
      skipped: r.skipped,
    }).toEqual(expected);
    // Pinned, so a change in the file or the rules shows up here and not only as an agreement.
    expect(expected).toEqual({ open: 84, openCents: 511_985, paid: 1846, disputedOpen: 27, skipped: 536 });
    expect(r.payments).toHaveLength(expected.paid);
    expect(docsOpen.every((d) => d.open === d.original && d.paidDate === undefined)).toBe(true);
  });
});
