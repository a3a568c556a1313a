import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, dayOf, type CalendarDate } from '../../src/domain/calendar';
import {
  ageAccount,
  ageDocument,
  ageLedger,
  agePortfolio,
  agingConfigSchema,
  defaultDueDateAging,
  defaultInvoiceDateAging,
  type AgingConfig,
} from '../../src/domain/aging';
import { ledgerDocumentSchema, paymentSchema, type LedgerDocument, type Payment } from '../../src/domain/ledger';
import type { CurrencyCode } from '../../src/domain/money';
import { buildReceivablesIndex, openAt } from '../../src/domain/receivables-history';

const d = (s: string) => s as CalendarDate;
const cur = (s: string) => s as CurrencyCode;

interface DocInput {
  account?: string;
  number: string;
  kind?: 'invoice' | 'credit_note';
  issue: string;
  due?: string;
  currency?: string;
  original: number;
  open?: number;
  status?: 'open' | 'paid' | 'closed';
  paidDate?: string;
}

function doc(x: DocInput): LedgerDocument {
  const open = x.open ?? x.original;
  return ledgerDocumentSchema.parse({
    portfolioId: 'p1',
    accountNumber: x.account ?? 'A',
    number: x.number,
    kind: x.kind ?? (x.original < 0 ? 'credit_note' : 'invoice'),
    issueDate: x.issue,
    dueDate: x.due ?? x.issue,
    currency: x.currency ?? 'USD',
    original: x.original,
    open,
    status: x.status ?? (open === 0 ? 'paid' : 'open'),
    ...(x.paidDate === undefined ? {} : { paidDate: x.paidDate }),
  });
}

function pay(id: string, account: string, received: string, allocations: [string, number][], currency = 'USD'): Payment {
  return paymentSchema.parse({
    portfolioId: 'p1',
    id,
    accountNumber: account,
    receivedDate: received,
    currency,
    amount: allocations.reduce((s, [, a]) => s + a, 0),
    method: 'transfer',
    allocations: allocations.map(([documentNumber, amount]) => ({ documentNumber, amount })),
  });
}

describe('aging configs', () => {
  it('accepts both defaults', () => {
    expect(agingConfigSchema.safeParse(defaultDueDateAging).success).toBe(true);
    expect(agingConfigSchema.safeParse(defaultInvoiceDateAging).success).toBe(true);
    expect(defaultDueDateAging.buckets.map((b) => b.label)).toEqual(['Current', '1–30', '31–60', '61–90', '91–120', '120+']);
  });

  const bucket = (id: string, minDays: number | null, maxDays: number | null) => ({ id, label: id, minDays, maxDays });
  const refused: [string, unknown, string][] = [
    ['a gap', { basis: 'due', buckets: [bucket('c', null, 0), bucket('b', 5, null)] }, 'days 1–4 would fall in no bucket'],
    ['an overlap', { basis: 'due', buckets: [bucket('c', null, 10), bucket('b', 5, null)] }, 'overlaps it on days 5–10'],
    ['descending buckets', { basis: 'due', buckets: [bucket('c', null, 60), bucket('x', 31, 60), bucket('y', 1, null)] }, 'must start at day 61'],
    ['a closed last bucket', { basis: 'due', buckets: [bucket('c', null, 0), bucket('b', 1, 30)] }, 'must be open-ended'],
    ['an open bucket in the middle', { basis: 'due', buckets: [bucket('c', null, null), bucket('b', 1, null)] }, 'only the last bucket may be open-ended'],
    ['a due basis starting at 0', { basis: 'due', buckets: [bucket('c', 0, 30), bucket('b', 31, null)] }, "with basis 'due' the first bucket"],
    ['an invoice basis starting at 5', { basis: 'invoice', buckets: [bucket('c', 5, 30), bucket('b', 31, null)] }, 'must start at day 0'],
    ['min above max', { basis: 'invoice', buckets: [bucket('c', 0, 30), bucket('b', 31, 20), bucket('z', 21, null)] }, 'minDays 31 is above maxDays 20'],
    ['a duplicate id', { basis: 'invoice', buckets: [bucket('c', 0, 30), bucket('c', 31, null)] }, 'bucket id "c" is used twice'],
    ['a second open-below bucket', { basis: 'due', buckets: [bucket('c', null, 0), bucket('b', null, null)] }, 'only the first bucket may be open below'],
    ['no bucket', { basis: 'due', buckets: [] }, 'at least one bucket'],
    ['fractional days', { basis: 'due', buckets: [bucket('c', null, 0.5), bucket('b', 1, null)] }, ''],
  ];
  it.each(refused)('refuses %s with a clear message', (_name, input, message) => {
    const r = agingConfigSchema.safeParse(input);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues.map((i) => i.message).join('\n')).toContain(message);
  });

  it('accepts a single open bucket and an invoice basis open below', () => {
    expect(agingConfigSchema.safeParse({ basis: 'due', buckets: [bucket('all', null, null)] }).success).toBe(true);
    expect(agingConfigSchema.safeParse({ basis: 'invoice', buckets: [bucket('a', null, 10), bucket('b', 11, null)] }).success).toBe(true);
  });
});

describe('ageDocument by due date', () => {
  // [dueDate, asOf, days past due, bucket]
  const cases: [string, string, number, string][] = [
    ['2024-05-10', '2024-05-10', 0, 'current'], // due today is not late
    ['2024-05-11', '2024-05-10', -1, 'current'],
    ['2024-06-30', '2024-05-10', -51, 'current'],
    ['2024-05-09', '2024-05-10', 1, '1-30'], // due yesterday
    ['2024-04-10', '2024-05-10', 30, '1-30'],
    ['2024-04-09', '2024-05-10', 31, '31-60'],
    ['2024-03-11', '2024-05-10', 60, '31-60'],
    ['2024-03-10', '2024-05-10', 61, '61-90'],
    ['2024-02-10', '2024-05-10', 90, '61-90'],
    ['2024-02-09', '2024-05-10', 91, '91-120'],
    ['2024-01-11', '2024-05-10', 120, '91-120'],
    ['2024-01-10', '2024-05-10', 121, 'over-120'],
    ['2019-01-01', '2024-05-10', 1956, 'over-120'],
    // Month ends: February 2023 has 28 days, February 2024 has 29.
    ['2023-01-31', '2023-03-02', 30, '1-30'],
    ['2023-01-31', '2023-03-03', 31, '31-60'],
    ['2024-01-31', '2024-03-01', 30, '1-30'],
    ['2024-01-31', '2024-03-02', 31, '31-60'],
    ['2023-04-30', '2023-05-31', 31, '31-60'],
    ['2023-12-31', '2024-01-30', 30, '1-30'], // across a year end
    // Leap days.
    ['2012-02-28', '2012-03-01', 2, '1-30'],
    ['2013-02-28', '2013-03-01', 1, '1-30'],
    ['2012-02-29', '2012-03-30', 30, '1-30'],
    ['2012-02-29', '2012-03-31', 31, '31-60'],
    ['2012-02-29', '2012-02-29', 0, 'current'],
    ['2000-02-28', '2000-03-01', 2, '1-30'], // 2000 is a leap year, 1900 was not
  ];
  it.each(cases)('due %s as of %s is %i days past due, bucket %s', (due, asOf, days, bucketId) => {
    const r = ageDocument({ issueDate: d('2000-01-01'), dueDate: d(due) }, d(asOf));
    expect(r).toMatchObject({ days, bucketId });
  });

  it('a document issued after asOf does not exist yet', () => {
    expect(ageDocument({ issueDate: d('2024-05-11'), dueDate: d('2024-06-10') }, d('2024-05-10'))).toBeNull();
    expect(ageDocument({ issueDate: d('2024-05-10'), dueDate: d('2024-06-10') }, d('2024-05-10'))).toMatchObject({ days: -31 });
  });
});

describe('ageDocument by invoice date', () => {
  const cases: [string, string, number, string][] = [
    ['2024-05-10', '2024-05-10', 0, '0-30'], // issued today
    ['2024-04-10', '2024-05-10', 30, '0-30'],
    ['2024-04-09', '2024-05-10', 31, '31-60'],
    ['2012-02-28', '2012-03-01', 2, '0-30'],
    ['2024-01-10', '2024-05-10', 121, 'over-120'],
  ];
  it.each(cases)('issued %s as of %s is %i days old, bucket %s', (issue, asOf, days, bucketId) => {
    // The due date does not matter with basis 'invoice'.
    expect(ageDocument({ issueDate: d(issue), dueDate: d('2024-12-31') }, d(asOf), defaultInvoiceDateAging)).toMatchObject({ days, bucketId });
  });
});

describe('portfolio and account aging', () => {
  const asOf = d('2024-05-10');
  const documents = [
    doc({ account: 'A', number: 'I1', issue: '2024-04-01', due: '2024-05-01', original: 1000 }), // 9 days: 1–30
    doc({ account: 'A', number: 'I2', issue: '2024-05-01', due: '2024-05-31', original: 500 }), // current
    doc({ account: 'A', number: 'C1', issue: '2024-04-01', due: '2024-04-01', original: -300 }), // 39 days: 31–60
    doc({ account: 'A', number: 'E1', issue: '2024-03-01', due: '2024-03-31', currency: 'EUR', original: 700 }), // 40 days: 31–60
    doc({ account: 'B', number: 'I3', issue: '2024-01-01', due: '2024-01-31', original: 2000, open: 0, paidDate: '2024-02-15' }), // paid
    doc({ account: 'B', number: 'I4', issue: '2024-01-01', due: '2024-01-31', original: 800, open: 300 }), // 100 days, part paid
    doc({ account: 'B', number: 'I5', issue: '2024-05-11', due: '2024-06-10', original: 999 }), // issued after asOf
    doc({ account: 'C', number: 'I6', issue: '2024-01-01', due: '2024-01-31', original: 400, open: 0, paidDate: '2024-05-10' }), // paid on asOf
  ];
  const payments = [pay('P1', 'B', '2024-03-01', [['I4', 500]])];
  const ix = buildReceivablesIndex({ documents, payments });

  it('keeps currencies apart and lets a credit note reduce its own bucket', () => {
    const r = agePortfolio(ix, asOf);
    expect(Object.keys(r.portfolio).sort()).toEqual(['EUR', 'USD']);
    expect(r.portfolio[cur('USD')]).toEqual({
      //        current 1–30  31–60 61–90 91–120 120+
      buckets: [500, 1000, -300, 0, 300, 0],
      counts: [1, 1, 1, 0, 1, 0],
      total: 1500, // 500 + 1000 − 300 + 300
      count: 4,
    });
    expect(r.portfolio[cur('EUR')]).toEqual({ buckets: [0, 0, 700, 0, 0, 0], counts: [0, 0, 1, 0, 0, 0], total: 700, count: 1 });
  });

  it('lists accounts with something open, per currency; a document paid on asOf is not open', () => {
    const r = agePortfolio(ix, asOf);
    expect(r.accounts.map((a) => a.accountNumber)).toEqual(['A', 'B']);
    expect(r.accounts[1]?.byCurrency[cur('USD')]?.buckets).toEqual([0, 0, 0, 0, 300, 0]);
    expect(ageAccount(ix, 'A', asOf)[cur('EUR')]?.total).toBe(700);
    expect(ageAccount(ix, 'C', asOf)).toEqual({});
    expect(ageAccount(ix, 'nobody', asOf)).toEqual({});
    // A day earlier I6 was still open (paid on asOf) and 99 days past due.
    expect(ageAccount(ix, 'C', d('2024-05-09'))[cur('USD')]?.buckets).toEqual([0, 0, 0, 0, 400, 0]);
  });

  it('ages at a past date from the payment history', () => {
    // 2024-02-20: I1, I2, C1, E1 not issued yet; I3 paid on 02-15; I4 not yet part-paid (payment 03-01)
    // and I6 (paid 05-10) open in full, both 20 days past due: 800 + 400.
    const r = agePortfolio(ix, d('2024-02-20'));
    expect(r.portfolio[cur('USD')]).toEqual({ buckets: [0, 1200, 0, 0, 0, 0], counts: [0, 2, 0, 0, 0, 0], total: 1200, count: 2 });
    expect(r.portfolio[cur('EUR')]).toBeUndefined();
    // 2024-02-14: I3 is still open as well, 14 days past due: 2000 + 800 + 400.
    expect(agePortfolio(ix, d('2024-02-14')).portfolio[cur('USD')]?.buckets).toEqual([0, 3200, 0, 0, 0, 0]);
  });

  it('ages by invoice date', () => {
    const r = ageLedger({ documents, payments }, asOf, defaultInvoiceDateAging);
    expect(r.basis).toBe('invoice');
    // I2 9 days old; I1 and C1 39 days; I4 130 days.
    expect(r.portfolio[cur('USD')]?.buckets).toEqual([500, 700, 0, 0, 300]);
    expect(r.portfolio[cur('EUR')]?.buckets).toEqual([0, 0, 700, 0, 0]);
  });

  it('is JSON-friendly', () => {
    const r = agePortfolio(ix, asOf);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('receivables history', () => {
  it('dates the unexplained rest by paidDate, or settles it at the analysis asOf', () => {
    const documents = [
      doc({ number: 'X', issue: '2024-01-01', due: '2024-01-31', original: 1000, open: 0, status: 'closed', paidDate: '2024-03-01' }),
      doc({ number: 'Y', issue: '2024-01-01', due: '2024-01-31', original: 1000, open: 400 }), // 600 paid, nobody says when
      doc({ number: 'Z', issue: '2024-01-01', due: '2024-01-31', original: 1000, open: 0, paidDate: '2024-03-10' }),
    ];
    const payments = [pay('P', 'A', '2024-02-01', [['Z', 250]])];
    const ix = buildReceivablesIndex({ documents, payments });
    const asOf = d('2024-04-01');
    const at = (number: string, date: string) => openAt(ix, { accountNumber: 'A', number }, d(date), asOf);
    expect([at('X', '2023-12-31'), at('X', '2024-02-29'), at('X', '2024-03-01')]).toEqual([0, 1000, 0]);
    expect([at('Y', '2024-03-31'), at('Y', '2024-04-01')]).toEqual([1000, 400]);
    expect([at('Z', '2024-01-31'), at('Z', '2024-02-01'), at('Z', '2024-03-09'), at('Z', '2024-03-10')]).toEqual([1000, 750, 750, 0]);
    expect(at('nope', '2024-03-10')).toBeUndefined();
  });

  it('counts allocations to unknown documents', () => {
    const ix = buildReceivablesIndex({ documents: [doc({ number: 'I', issue: '2024-01-01', original: 10 })], payments: [pay('P', 'A', '2024-01-02', [['J', 5]])] });
    expect(ix.unmatchedAllocations).toBe(1);
  });
});

// --- Properties -------------------------------------------------------------------------------------

interface Generated {
  documents: LedgerDocument[];
  payments: Payment[];
  /** The reference rule of receivables-history, written the slow and obvious way. */
  naiveOpenAt: (i: number, date: CalendarDate, asOf: CalendarDate) => number;
}

const PRESENT = d('2024-06-30');

const docArb = fc.record({
  account: fc.constantFrom('A', 'B', 'C'),
  currency: fc.constantFrom('USD', 'EUR', 'JPY'),
  credit: fc.boolean(),
  issueOffset: fc.integer({ min: -400, max: 0 }),
  termDays: fc.integer({ min: 0, max: 90 }),
  original: fc.integer({ min: 1, max: 1_000_000 }),
  // Payments as shares (per mille) of the original and days after issue.
  pays: fc.array(fc.record({ share: fc.integer({ min: 1, max: 600 }), after: fc.integer({ min: 0, max: 200 }) }), { maxLength: 3 }),
  unexplained: fc.constantFrom('none', 'dated', 'undated'),
});

type Row = typeof docArb extends fc.Arbitrary<infer T> ? T : never;

function generate(rows: Row[]): Generated {
  const documents: LedgerDocument[] = [];
  const payments: Payment[] = [];
  const settlements: { date: CalendarDate | 'asOf'; amount: number }[][] = [];
  rows.forEach((r, k) => {
    const number = `D${k}`;
    const issue = addDays(PRESENT, r.issueOffset);
    const due = addDays(issue, r.termDays);
    const sign = r.credit ? -1 : 1;
    const original = sign * r.original;
    const mine: { date: CalendarDate | 'asOf'; amount: number }[] = [];
    let left = r.original;
    if (!r.credit) {
      r.pays.forEach((p, j) => {
        const date = addDays(issue, Math.min(p.after, -r.issueOffset)); // never after the present
        const amount = Math.min(left, Math.max(1, Math.floor((r.original * p.share) / 1000)));
        if (amount <= 0) return;
        left -= amount;
        mine.push({ date, amount });
        payments.push(pay(`P${k}-${j}`, r.account, date, [[number, amount]], r.currency));
      });
    }
    let paidDate: CalendarDate | undefined;
    if (r.unexplained !== 'none' && left > 0) {
      const rest = r.unexplained === 'dated' ? left : Math.ceil(left / 2);
      if (r.unexplained === 'dated') {
        paidDate = addDays(issue, Math.min(r.termDays + 10, -r.issueOffset));
        mine.push({ date: paidDate, amount: sign * rest });
      } else mine.push({ date: 'asOf', amount: sign * rest });
      left -= rest;
    }
    const open = left === 0 ? 0 : sign * left;
    documents.push(
      doc({
        account: r.account,
        number,
        kind: r.credit ? 'credit_note' : 'invoice',
        issue,
        due,
        currency: r.currency,
        original,
        open,
        status: open === 0 ? 'paid' : 'open',
        ...(paidDate === undefined ? {} : { paidDate }),
      }),
    );
    settlements.push(mine);
  });
  const naiveOpenAt = (i: number, date: CalendarDate, asOf: CalendarDate) => {
    const dc = documents[i] as LedgerDocument;
    if (dc.issueDate > date) return 0;
    let open: number = dc.original;
    for (const s of settlements[i] ?? []) if ((s.date === 'asOf' ? asOf : s.date) <= date) open -= s.amount;
    return open;
  };
  return { documents, payments, naiveOpenAt };
}

function expectedAging(g: Generated, asOf: CalendarDate, config: AgingConfig) {
  const out = new Map<string, { buckets: number[]; counts: number[] }>();
  g.documents.forEach((dc, i) => {
    const open = g.naiveOpenAt(i, asOf, asOf);
    if (dc.issueDate > asOf || open === 0) return;
    const days = dayOf(asOf) - dayOf(config.basis === 'due' ? dc.dueDate : dc.issueDate);
    const b = config.buckets.findIndex((bk) => (bk.minDays === null || days >= bk.minDays) && (bk.maxDays === null || days <= bk.maxDays));
    const row = out.get(dc.currency) ?? { buckets: config.buckets.map(() => 0), counts: config.buckets.map(() => 0) };
    row.buckets[b] = (row.buckets[b] ?? 0) + open;
    row.counts[b] = (row.counts[b] ?? 0) + 1;
    out.set(dc.currency, row);
  });
  return out;
}

describe('aging properties', () => {
  it('at the present, the total per currency is the Σ open of documents open then, and the buckets partition it', () => {
    fc.assert(
      fc.property(fc.array(docArb, { maxLength: 40 }), fc.constantFrom(defaultDueDateAging, defaultInvoiceDateAging), (rows, config) => {
        const g = generate(rows);
        const r = ageLedger(g, PRESENT, config);
        const currencies = new Set(g.documents.filter((x) => x.open !== 0).map((x) => x.currency));
        expect(new Set(Object.keys(r.portfolio))).toEqual(currencies);
        for (const c of currencies) {
          const open = g.documents.filter((x) => x.currency === c && x.open !== 0);
          const totals = r.portfolio[c];
          expect(totals?.total).toBe(open.reduce((s, x) => s + x.open, 0));
          expect(totals?.count).toBe(open.length);
          expect(totals?.buckets.reduce((s, x) => s + x, 0)).toBe(totals?.total);
          expect(totals?.counts.reduce((s, x) => s + x, 0)).toBe(totals?.count);
          // Accounts partition the portfolio too.
          const accountsTotal = r.accounts.reduce((s, a) => s + (a.byCurrency[c]?.total ?? 0), 0);
          expect(accountsTotal).toBe(totals?.total);
        }
      }),
    );
  });

  it('at any past date, each bucket holds exactly the documents whose age falls in its range', () => {
    fc.assert(
      fc.property(
        fc.array(docArb, { maxLength: 40 }),
        fc.integer({ min: -450, max: 0 }),
        fc.constantFrom(defaultDueDateAging, defaultInvoiceDateAging),
        (rows, offset, config) => {
          const g = generate(rows);
          const asOf = addDays(PRESENT, offset);
          const r = ageLedger(g, asOf, config);
          const expected = expectedAging(g, asOf, config);
          expect(new Set(Object.keys(r.portfolio))).toEqual(new Set(expected.keys()));
          for (const [c, row] of expected) {
            expect(r.portfolio[cur(c)]?.buckets).toEqual(row.buckets);
            expect(r.portfolio[cur(c)]?.counts).toEqual(row.counts);
          }
        },
      ),
    );
  });

  it('openAt follows the settlement rule at every date', () => {
    fc.assert(
      fc.property(fc.array(docArb, { minLength: 1, maxLength: 20 }), fc.integer({ min: -450, max: 0 }), fc.integer({ min: -450, max: 0 }), (rows, a, b) => {
        const g = generate(rows);
        const ix = buildReceivablesIndex(g);
        const asOf = addDays(PRESENT, Math.max(a, b));
        const date = addDays(PRESENT, Math.min(a, b));
        g.documents.forEach((dc, i) => {
          expect(openAt(ix, dc, date, asOf)).toBe(g.naiveOpenAt(i, date, asOf));
          expect(openAt(ix, dc, asOf, asOf)).toBe(g.naiveOpenAt(i, asOf, asOf));
        });
        // At the present every document's open amount is the ledger's.
        g.documents.forEach((dc) => expect(openAt(ix, dc, PRESENT, PRESENT)).toBe(dc.open));
      }),
    );
  });
});
