import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type CalendarDate, dateOfDay, dayOf } from '../../src/domain/calendar';
import {
  type Ledger,
  type LedgerDocument,
  accountSchema,
  collectionsContactSchema,
  documentKey,
  ledgerDocumentSchema,
  paymentSchema,
  portfolioSchema,
} from '../../src/domain/ledger';
import { minorDigits, type CurrencyCode } from '../../src/domain/money';
import { Prng } from '../../sync-server/demo/prng';
import { countPortfolio, generatePortfolio } from '../../sync-server/demo/synthetic';

const asOf = '2025-06-30' as CalendarDate;
const small = generatePortfolio({ portfolioId: 'demo', accounts: 300, seed: 7, asOf });
const medium = generatePortfolio({ portfolioId: 'dist', accounts: 2000, seed: 2025, asOf });

/** Every invariant the ledger's consumers rely on, as a list of broken ones (empty when sound). */
function violations(ledger: Ledger, asOfDate: CalendarDate): string[] {
  const out: string[] = [];
  const accounts = new Set(ledger.accounts.map((a) => a.number));
  const docs = new Map<string, LedgerDocument>();
  for (const d of ledger.documents) {
    const key = documentKey(d);
    if (docs.has(key)) out.push(`duplicate document ${key}`);
    docs.set(key, d);
    if (!accounts.has(d.accountNumber)) out.push(`${d.number} belongs to no account`);
    if (d.issueDate > asOfDate) out.push(`${d.number} issued after asOf`);
    if (d.paidDate !== undefined && d.paidDate > asOfDate) out.push(`${d.number} paid after asOf`);
    if (d.paidDate !== undefined && d.paidDate < d.issueDate) out.push(`${d.number} paid before it was issued`);
    if ((d.status === 'paid') !== (d.open === 0 && d.paidDate !== undefined)) out.push(`${d.number} status ${d.status} with open ${d.open}`);
    if (d.status === 'open' && d.open === 0) out.push(`${d.number} open with nothing owed`);
  }
  const allocated = new Map<string, number>();
  const currencyOf = new Map<string, string>();
  for (const d of ledger.documents) {
    const c = currencyOf.get(d.accountNumber);
    if (c !== undefined && c !== d.currency) out.push(`account ${d.accountNumber} has documents in ${c} and ${d.currency}`);
    currencyOf.set(d.accountNumber, d.currency);
  }
  const paymentIds = new Set<string>();
  for (const p of ledger.payments) {
    if (paymentIds.has(p.id)) out.push(`duplicate payment ${p.id}`);
    paymentIds.add(p.id);
    if (p.receivedDate > asOfDate) out.push(`${p.id} received after asOf`);
    if (p.currency !== currencyOf.get(p.accountNumber)) out.push(`${p.id} in another currency than its account`);
    let total = 0;
    for (const a of p.allocations) {
      total += a.amount;
      const d = docs.get(documentKey({ accountNumber: p.accountNumber, number: a.documentNumber }));
      if (d === undefined) {
        out.push(`${p.id} allocates to ${a.documentNumber}, not a document of ${p.accountNumber}`);
        continue;
      }
      if (d.currency !== p.currency) out.push(`${p.id} pays ${d.number} in another currency`);
      if (d.kind !== 'invoice') out.push(`${p.id} allocates to credit note ${d.number}`);
      if (p.receivedDate < d.issueDate) out.push(`${p.id} pays ${d.number} before it was issued`);
      const key = documentKey(d);
      allocated.set(key, (allocated.get(key) ?? 0) + a.amount);
    }
    if (total > p.amount) out.push(`${p.id} allocates ${total} of ${p.amount}`);
  }
  for (const d of ledger.documents) {
    if (d.kind !== 'invoice') continue;
    const paid = allocated.get(documentKey(d)) ?? 0;
    if (d.original - d.open !== paid) out.push(`${d.number}: original ${d.original} − open ${d.open} ≠ allocated ${paid}`);
  }
  return out;
}

describe('generatePortfolio', () => {
  it('is deterministic: the same options give a deep-equal ledger, another seed a different one', () => {
    const again = generatePortfolio({ portfolioId: 'demo', accounts: 300, seed: 7, asOf });
    expect(again).toStrictEqual(small);
    const other = generatePortfolio({ portfolioId: 'demo', accounts: 300, seed: 8, asOf });
    expect(other).not.toStrictEqual(small);
    expect(other.accounts.map((a) => a.name)).not.toStrictEqual(small.accounts.map((a) => a.name));
  });

  it('gives an account the same data whatever the portfolio size (one PRNG stream per account)', () => {
    const fewer = generatePortfolio({ portfolioId: 'demo', accounts: 50, seed: 7, asOf });
    expect(fewer.accounts).toStrictEqual(small.accounts.slice(0, 50));
    expect(fewer.contacts).toStrictEqual(small.contacts.filter((c) => fewer.accounts.some((a) => a.number === c.accountNumber)));
    const shape = (d: LedgerDocument) => ({ ...d, number: d.kind });
    const inFewer = fewer.documents.map(shape);
    expect(inFewer).toStrictEqual(small.documents.filter((d) => d.accountNumber <= 'C000050').map(shape));
  });

  it('produces records that all pass the ledger schemas', () => {
    expect(portfolioSchema.parse(small.portfolio)).toStrictEqual(small.portfolio);
    for (const a of small.accounts) expect(accountSchema.parse(a)).toStrictEqual(a);
    for (const c of small.contacts) expect(collectionsContactSchema.parse(c)).toStrictEqual(c);
    for (const d of small.documents) expect(ledgerDocumentSchema.parse(d)).toStrictEqual(d);
    for (const p of small.payments) expect(paymentSchema.parse(p)).toStrictEqual(p);
  });

  it('keeps documents, payments and allocations consistent', () => {
    expect(violations(small, asOf)).toStrictEqual([]);
    expect(violations(medium, asOf)).toStrictEqual([]);
  });

  it('is checked by a checker that does catch broken ledgers', () => {
    const paid = small.documents.findIndex((d) => d.kind === 'invoice' && d.status === 'paid');
    const docs = small.documents.slice();
    docs[paid] = { ...docs[paid]!, open: 1 as LedgerDocument['open'] };
    expect(violations({ ...small, documents: docs }, asOf).length).toBeGreaterThan(0);
    const payments = small.payments.slice();
    payments[0] = { ...payments[0]!, amount: (payments[0]!.amount - 1) as LedgerDocument['open'] };
    expect(violations({ ...small, payments }, asOf).join()).toContain('allocates');
    expect(violations(small, '2025-01-01' as CalendarDate).join()).toContain('after asOf');
  });

  it('keeps no receipt from an account it never billed (a counterexample the property once found)', () => {
    const at = dateOfDay(dayOf('2022-01-01') + 562);
    const ledger = generatePortfolio({ portfolioId: 'prop', accounts: 13, seed: -303555737284, asOf: at, months: 1 });
    const billed = new Set(ledger.documents.map((d) => d.accountNumber));
    expect(ledger.accounts.some((a) => !billed.has(a.number))).toBe(true);
    expect(ledger.payments.filter((p) => !billed.has(p.accountNumber)).map((p) => p.id)).toEqual([]);
    expect(violations(ledger, at)).toStrictEqual([]);
  });

  it('stays consistent for any seed, size, window and asOf', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 0, max: 3000 }),
        (seed, accounts, months, offset) => {
          const at = dateOfDay(dayOf('2022-01-01') + offset);
          const ledger = generatePortfolio({ portfolioId: 'prop', accounts, seed, asOf: at, months });
          expect(violations(ledger, at)).toStrictEqual([]);
          for (const d of ledger.documents) ledgerDocumentSchema.parse(d);
          for (const p of ledger.payments) paymentSchema.parse(p);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('numbers documents and payments in date order across the portfolio', () => {
    const seqOf = (n: string) => Number(n.slice(n.indexOf('-') + 1));
    const invoices = small.documents.filter((d) => d.kind === 'invoice').sort((a, b) => seqOf(a.number) - seqOf(b.number));
    for (let i = 1; i < invoices.length; i++) expect(invoices[i]!.issueDate >= invoices[i - 1]!.issueDate).toBe(true);
    const payments = small.payments.slice().sort((a, b) => seqOf(a.id) - seqOf(b.id));
    for (let i = 1; i < payments.length; i++) expect(payments[i]!.receivedDate >= payments[i - 1]!.receivedDate).toBe(true);
    expect(small.accounts[0]!.number).toBe('C000001');
    expect(small.accounts[299]!.number).toBe('C000300');
  });

  it('uses whole units for zero-decimal currencies', () => {
    const yen = medium.documents.filter((d) => d.currency === 'JPY');
    expect(yen.length).toBeGreaterThan(0);
    expect(minorDigits('JPY' as CurrencyCode)).toBe(0);
    // A ticket of a few dollars is hundreds of yen, not hundreds of cents' worth.
    const median = yen.map((d) => d.original).sort((a, b) => a - b)[yen.length >> 1]!;
    expect(median).toBeGreaterThan(10_000);
  });

  it('rejects options it cannot honour', () => {
    expect(() => generatePortfolio({ portfolioId: 'Bad Id', accounts: 1, seed: 1, asOf })).toThrow();
    expect(() => generatePortfolio({ portfolioId: 'ok', accounts: -1, seed: 1, asOf })).toThrow(RangeError);
    expect(() => generatePortfolio({ portfolioId: 'ok', accounts: 1, seed: 1.5, asOf })).toThrow(RangeError);
    expect(() => generatePortfolio({ portfolioId: 'ok', accounts: 1, seed: 1, asOf: '2025-02-30' as CalendarDate })).toThrow(RangeError);
    expect(() => generatePortfolio({ portfolioId: 'ok', accounts: 1, seed: 1, asOf, months: 0 })).toThrow(RangeError);
  });
});

describe('distribution on 2,000 accounts', () => {
  const counts = countPortfolio(medium);

  it('is heavy-tailed: the top 10% of accounts by billing hold more than 40% of it', () => {
    // Compared within one currency, so exchange rates do not enter.
    const billed = new Map<string, number>();
    for (const d of medium.documents) if (d.kind === 'invoice' && d.currency === 'USD') billed.set(d.accountNumber, (billed.get(d.accountNumber) ?? 0) + d.original);
    const sorted = [...billed.values()].sort((a, b) => b - a);
    const total = sorted.reduce((s, v) => s + v, 0);
    const top = sorted.slice(0, Math.ceil(sorted.length / 10)).reduce((s, v) => s + v, 0);
    expect(top / total).toBeGreaterThan(0.4);
    // …and big accounts issue many more invoices, not just bigger ones.
    const perAccount = new Map<string, number>();
    for (const d of medium.documents) perAccount.set(d.accountNumber, (perAccount.get(d.accountNumber) ?? 0) + 1);
    const docCounts = [...perAccount.values()].sort((a, b) => a - b);
    expect(docCounts[docCounts.length - 1]!).toBeGreaterThan(10 * docCounts[docCounts.length >> 1]!);
  });

  it('has about 20 documents per account, a quarter of them open', () => {
    expect(counts.documents / counts.accounts).toBeGreaterThan(14);
    expect(counts.documents / counts.accounts).toBeLessThan(28);
    const openShare = counts.open / counts.documents;
    expect(openShare).toBeGreaterThan(0.15);
    expect(openShare).toBeLessThan(0.35);
  });

  it('mixes currencies, mostly USD, with one currency per account', () => {
    expect(Object.keys(counts.currencies).sort()).toStrictEqual(['CAD', 'EUR', 'GBP', 'JPY', 'USD']);
    expect(counts.currencies.USD! / counts.accounts).toBeGreaterThan(0.5);
  });

  it('has partial payments, credit notes, disputes, restrictions and grouped remittances', () => {
    expect(counts.partiallyPaid).toBeGreaterThan(0);
    const invoicesPaidInInstalments = new Map<string, number>();
    for (const p of medium.payments)
      for (const a of p.allocations) invoicesPaidInInstalments.set(`${p.accountNumber}/${a.documentNumber}`, (invoicesPaidInInstalments.get(`${p.accountNumber}/${a.documentNumber}`) ?? 0) + 1);
    expect([...invoicesPaidInInstalments.values()].some((n) => n >= 2)).toBe(true);
    expect(counts.creditNotes / counts.invoices).toBeGreaterThan(0.01);
    expect(counts.creditNotes / counts.invoices).toBeLessThan(0.06);
    const credits = medium.documents.filter((d) => d.kind === 'credit_note');
    expect(credits.some((d) => d.status === 'open')).toBe(true);
    expect(credits.some((d) => d.status === 'paid' && d.open === 0)).toBe(true);
    expect(counts.disputed / counts.invoices).toBeGreaterThan(0.01);
    expect(counts.disputed / counts.invoices).toBeLessThan(0.1);
    const disputed = medium.documents.filter((d) => d.erpDisputed);
    expect(disputed.filter((d) => d.status === 'open').length / disputed.length).toBeGreaterThan(0.5);
    expect(counts.restrictedAccounts).toBeGreaterThan(0);
    expect(medium.accounts.some((a) => a.restrictions.cease)).toBe(true);
    expect(medium.accounts.some((a) => a.restrictions.doNotContact)).toBe(true);
    expect(medium.payments.some((p) => p.allocations.length >= 5)).toBe(true);
    expect(new Set(medium.payments.map((p) => p.method)).size).toBe(5);
  });

  it('correlates risk grades with payment behaviour', () => {
    // Share of each grade's invoices that are open and past due by more than 60 days.
    const grade = new Map(medium.accounts.map((a) => [a.number, a.riskGrade]));
    const tally: Record<string, [number, number]> = {};
    const cutoff = '2025-05-01';
    for (const d of medium.documents) {
      if (d.kind !== 'invoice') continue;
      const g = grade.get(d.accountNumber) ?? '?';
      const t = (tally[g] ??= [0, 0]);
      t[0]++;
      if (d.open > 0 && d.dueDate < cutoff) t[1]++;
    }
    const share = (g: string) => tally[g]![1] / tally[g]![0];
    expect(share('A')).toBeLessThan(share('C'));
    expect(share('C')).toBeLessThan(share('E'));
  });

  it('spreads accounts over segments, time zones and languages, with 1–3 contacts each', () => {
    expect(new Set(medium.accounts.map((a) => a.segment))).toStrictEqual(new Set(['consumer', 'smb', 'mid-market', 'enterprise']));
    const zones = new Set(medium.accounts.map((a) => a.timeZone));
    for (const z of ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Phoenix', 'Europe/London', 'Europe/Berlin', 'Asia/Tokyo'])
      expect(zones.has(z)).toBe(true);
    expect(new Set(medium.accounts.map((a) => a.language)).size).toBeGreaterThan(4);
    const perAccount = new Map<string, number>();
    for (const c of medium.contacts) perAccount.set(c.accountNumber, (perAccount.get(c.accountNumber) ?? 0) + 1);
    expect(perAccount.size).toBe(medium.accounts.length);
    expect(Math.min(...perAccount.values())).toBe(1);
    expect(Math.max(...perAccount.values())).toBe(3);
    const primaries = medium.contacts.filter((c) => c.primary).length;
    expect(primaries).toBe(medium.accounts.length);
    const roles = new Set(medium.contacts.map((c) => c.role));
    expect(roles).toStrictEqual(new Set(['ap', 'billing', 'guarantor', 'legal', 'field']));
    const kinds = new Set(medium.contacts.flatMap((c) => c.channels.map((ch) => ch.kind)));
    expect(kinds).toStrictEqual(new Set(['phone', 'mobile', 'email', 'sms', 'letter', 'visit']));
    for (const c of medium.contacts)
      for (const ch of c.channels) if (ch.kind === 'email') expect(ch.value).toMatch(/^[a-z0-9.]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.example$/);
    // A phone number matches its account's region.
    const zoneOf = new Map(medium.accounts.map((a) => [a.number, a.timeZone]));
    for (const c of medium.contacts) {
      const zone = zoneOf.get(c.accountNumber)!;
      for (const ch of c.channels) {
        if (ch.kind !== 'phone' && ch.kind !== 'mobile') continue;
        if (zone === 'Asia/Tokyo') expect(ch.value.startsWith('+81 ')).toBe(true);
        if (zone === 'Europe/London') expect(ch.value.startsWith('+44 ')).toBe(true);
        if (zone.startsWith('America/') || zone === 'Pacific/Honolulu') expect(ch.value.startsWith('+1 ')).toBe(true);
      }
    }
  });
});

describe('Prng', () => {
  it('repeats for a seed, differs between seeds and streams', () => {
    const draw = (r: Prng) => Array.from({ length: 8 }, () => r.nextUint32());
    expect(draw(new Prng(1))).toStrictEqual(draw(new Prng(1)));
    expect(draw(new Prng(1))).not.toStrictEqual(draw(new Prng(2)));
    expect(draw(new Prng(1))).not.toStrictEqual(draw(new Prng(1 + 2 ** 32)));
    expect(draw(Prng.stream(1, 0))).not.toStrictEqual(draw(Prng.stream(1, 1)));
  });

  it('draws uniformly enough for sampling', () => {
    const r = new Prng(99);
    const buckets = new Array<number>(10).fill(0);
    const n = 100_000;
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = r.float();
      if (!(x >= 0 && x < 1)) outside++;
      buckets[Math.floor(x * 10)]!++;
      sum += r.normal();
    }
    expect(outside).toBe(0);
    for (const b of buckets) expect(Math.abs(b - n / 10)).toBeLessThan(600);
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.between(3, 5));
    expect([...seen].sort()).toStrictEqual([3, 4, 5]);
  });
});
