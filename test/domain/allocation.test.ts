import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allocateExplicit,
  allocateOldestFirst,
  applyAllocation,
  type AllocationLine,
  type AllocationResult,
  type AllocationSuccess,
} from '../../src/domain/allocation';
import { addDays, type CalendarDate } from '../../src/domain/calendar';
import type { DocumentStatus, LedgerDocument } from '../../src/domain/ledger';
import { minor, type CurrencyCode, type Minor } from '../../src/domain/money';

const USD = 'USD' as CurrencyCode;
const EUR = 'EUR' as CurrencyCode;
const BASE = '2024-01-01' as CalendarDate;
/** Generated accounts are small and quick to allocate, so look at more of them than fast-check's default 100. */
const RUNS = { numRuns: 500 };
const PAID_ON = '2024-03-15' as CalendarDate;

interface DocSpec {
  number: string;
  kind: LedgerDocument['kind'];
  /** Signed: positive for an invoice, negative for a credit note. */
  open: number;
  original?: number;
  issue?: number;
  due?: number;
  status?: DocumentStatus;
  currency?: CurrencyCode;
  accountNumber?: string;
}

function doc(s: DocSpec): LedgerDocument {
  const issue = s.issue ?? 0;
  return {
    portfolioId: 'p1',
    accountNumber: s.accountNumber ?? 'C-100',
    number: s.number,
    kind: s.kind,
    issueDate: addDays(BASE, issue),
    dueDate: addDays(BASE, s.due ?? issue + 30),
    currency: s.currency ?? USD,
    original: minor(s.original ?? s.open),
    open: minor(s.open),
    status: s.status ?? 'open',
    erpDisputed: false,
  };
}

const inv = (number: string, open: number, due: number, extra: Partial<DocSpec> = {}) =>
  doc({ number, kind: 'invoice', open, issue: Math.min(due, extra.issue ?? due - 30), due, ...extra });
const cn = (number: string, open: number, issue: number, extra: Partial<DocSpec> = {}) =>
  doc({ number, kind: 'credit_note', open, issue, due: issue, ...extra });

function ok(r: AllocationResult): AllocationSuccess {
  if (!r.ok) throw new Error(`expected a successful allocation, got: ${r.error}`);
  return r;
}

function errorOf(r: AllocationResult): { error: string; documentNumber?: string } {
  if (r.ok) throw new Error('expected the allocation to be refused');
  return r;
}

const takesPart = (d: LedgerDocument) => d.status === 'open' && d.open !== 0;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** The order the rules ask for, written independently of the implementation. */
const invoiceOrder = (a: LedgerDocument, b: LedgerDocument) =>
  cmp(a.dueDate, b.dueDate) || cmp(a.issueDate, b.issueDate) || cmp(a.number, b.number);
const creditOrder = (a: LedgerDocument, b: LedgerDocument) =>
  cmp(a.issueDate, b.issueDate) || cmp(a.dueDate, b.dueDate) || cmp(a.number, b.number);
const big = (xs: readonly { amount: number }[]) => xs.reduce((s, x) => s + BigInt(x.amount), 0n);
const amountOf = (xs: readonly { documentNumber: string; amount: number }[], n: string) =>
  xs.find((x) => x.documentNumber === n)?.amount ?? 0;

// ---- generators ---------------------------------------------------------------------------------

/** Mostly everyday amounts, sometimes very large ones (still summable: at most ~1e14 each). */
const openMagnitude = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 100_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 100_000_000_000_000 }) },
);

/** Few distinct days, so equal due dates (and the tie-breaks) come up often. */
const docArb = fc
  .record({
    number: fc.stringMatching(/^[A-Z]{1,2}-[0-9]{1,3}$/),
    kind: fc.constantFrom('invoice' as const, 'invoice' as const, 'credit_note' as const),
    // Zero now and then: an 'open' document with nothing open must not take part.
    magnitude: fc.oneof({ weight: 12, arbitrary: openMagnitude }, { weight: 1, arbitrary: fc.constant(0) }),
    alreadyPaid: fc.nat(1000),
    issue: fc.integer({ min: 0, max: 20 }),
    term: fc.integer({ min: 0, max: 10 }),
    status: fc.constantFrom<DocumentStatus>('open', 'open', 'open', 'open', 'paid', 'closed'),
  })
  .map((r) => {
    const sign = r.kind === 'invoice' ? 1 : -1;
    const open = r.status === 'paid' || r.magnitude === 0 ? 0 : sign * r.magnitude;
    return doc({
      number: r.number,
      kind: r.kind,
      open,
      original: open + sign * r.alreadyPaid,
      issue: r.issue,
      due: r.issue + r.term,
      status: r.status,
    });
  });

const accountArb = fc.uniqueArray(docArb, { selector: (d) => d.number, maxLength: 14 });

const paymentArb = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 100 }),
  fc.integer({ min: 0, max: 400_000 }),
  fc.integer({ min: 0, max: 1_000_000_000_000_000 }),
  fc.constant(Number.MAX_SAFE_INTEGER),
);

const scenarioArb = fc.record({ documents: accountArb, amount: paymentArb, useCredits: fc.boolean() });

function runOldestFirst(s: { documents: readonly LedgerDocument[]; amount: number; useCredits: boolean }): AllocationSuccess {
  return ok(allocateOldestFirst({ amount: minor(s.amount), currency: USD, documents: s.documents, useCredits: s.useCredits }));
}

function parts(documents: readonly LedgerDocument[]) {
  const open = documents.filter(takesPart);
  return {
    invoices: open.filter((d) => d.kind === 'invoice').sort(invoiceOrder),
    credits: open.filter((d) => d.kind === 'credit_note').sort(creditOrder),
  };
}

// ---- oldest first: examples ---------------------------------------------------------------------

describe('allocateOldestFirst, worked examples', () => {
  it('pays the earliest due invoice first and leaves the rest partly open', () => {
    const docs = [inv('A', 10000, 60), inv('B', 5000, 30), inv('C', 7000, 90)];
    const r = ok(allocateOldestFirst({ amount: minor(12000), currency: USD, documents: docs }));
    expect(r.allocations).toEqual([
      { documentNumber: 'B', amount: 5000 },
      { documentNumber: 'A', amount: 7000 },
    ]);
    expect(r.creditsApplied).toEqual([]);
    expect(r.unapplied).toBe(0);
    expect(r.balances).toEqual([
      { documentNumber: 'B', open: 0 },
      { documentNumber: 'A', open: 3000 },
      { documentNumber: 'C', open: 7000 },
    ]);
  });

  it('consumes the oldest credit note first, as extra funds before the cash', () => {
    const docs = [inv('A', 10000, 30), inv('B', 5000, 60), cn('CN-2', -3000, 20), cn('CN-1', -4000, 10)];
    const r = ok(allocateOldestFirst({ amount: minor(6000), currency: USD, documents: docs }));
    expect(r.creditsApplied).toEqual([
      { documentNumber: 'CN-1', amount: 4000 },
      { documentNumber: 'CN-2', amount: 3000 },
    ]);
    expect(r.allocations).toEqual([
      { documentNumber: 'A', amount: 10000 },
      { documentNumber: 'B', amount: 3000 },
    ]);
    expect(r.unapplied).toBe(0);
  });

  it('uses credits only as far as the invoices need them and keeps the rest of the cash on account', () => {
    const docs = [inv('A', 2500, 30), cn('CN-1', -1000, 5), cn('CN-2', -4000, 10)];
    const r = ok(allocateOldestFirst({ amount: minor(700), currency: USD, documents: docs }));
    expect(r.creditsApplied).toEqual([
      { documentNumber: 'CN-1', amount: 1000 },
      { documentNumber: 'CN-2', amount: 1500 },
    ]);
    expect(r.allocations).toEqual([{ documentNumber: 'A', amount: 2500 }]);
    // The cash is untouched: credits never turn into unapplied cash, and the payment stays whole.
    expect(r.unapplied).toBe(700);
    expect(r.balances).toEqual([
      { documentNumber: 'CN-1', open: 0 },
      { documentNumber: 'CN-2', open: -2500 },
      { documentNumber: 'A', open: 0 },
    ]);
  });

  it('leaves credit notes alone when useCredits is false', () => {
    const docs = [inv('A', 2500, 30), cn('CN-1', -1000, 5)];
    const r = ok(allocateOldestFirst({ amount: minor(2000), currency: USD, documents: docs, useCredits: false }));
    expect(r.creditsApplied).toEqual([]);
    expect(r.allocations).toEqual([{ documentNumber: 'A', amount: 2000 }]);
    expect(r.balances).toContainEqual({ documentNumber: 'CN-1', open: -1000 });
  });

  it('breaks equal due dates by issue date, then by document number', () => {
    const docs = [inv('Z', 100, 30, { issue: 0 }), inv('B', 100, 30, { issue: 5 }), inv('A', 100, 30, { issue: 5 })];
    const r = ok(allocateOldestFirst({ amount: minor(250), currency: USD, documents: docs }));
    expect(r.allocations).toEqual([
      { documentNumber: 'Z', amount: 100 },
      { documentNumber: 'A', amount: 100 },
      { documentNumber: 'B', amount: 50 },
    ]);
  });

  it('ignores paid, closed and zero-open documents, whatever their currency', () => {
    const docs = [
      inv('A', 1000, 30),
      inv('OLD', 0, 1, { status: 'paid', original: 500 }),
      inv('GONE', 800, 2, { status: 'closed' }),
      inv('ZERO', 0, 3, { original: 100 }),
      inv('EUR-PAID', 0, 4, { status: 'paid', currency: EUR, original: 100 }),
    ];
    const r = ok(allocateOldestFirst({ amount: minor(5000), currency: USD, documents: docs }));
    expect(r.allocations).toEqual([{ documentNumber: 'A', amount: 1000 }]);
    expect(r.unapplied).toBe(4000);
    expect(r.balances).toEqual([{ documentNumber: 'A', open: 0 }]);
  });

  it('keeps a zero payment with no credits as a no-op, and an empty account as all unapplied', () => {
    const none = ok(allocateOldestFirst({ amount: minor(0), currency: USD, documents: [inv('A', 1000, 30)] }));
    expect(none.allocations).toEqual([]);
    expect(none.unapplied).toBe(0);
    const empty = ok(allocateOldestFirst({ amount: minor(999), currency: USD, documents: [] }));
    expect(empty.allocations).toEqual([]);
    expect(empty.unapplied).toBe(999);
  });

  it('applies credits to invoices with a zero payment', () => {
    const r = ok(allocateOldestFirst({ amount: minor(0), currency: USD, documents: [inv('A', 1000, 30), cn('CN', -400, 1)] }));
    expect(r.allocations).toEqual([{ documentNumber: 'A', amount: 400 }]);
    expect(r.creditsApplied).toEqual([{ documentNumber: 'CN', amount: 400 }]);
    expect(r.unapplied).toBe(0);
  });

  it('stays exact at the edge of the safe integer range', () => {
    const M = Number.MAX_SAFE_INTEGER;
    const docs = [inv('A', M, 30), inv('B', M, 60), cn('CN', -M, 1)];
    const r = ok(allocateOldestFirst({ amount: minor(M), currency: USD, documents: docs }));
    expect(r.allocations).toEqual([
      { documentNumber: 'A', amount: M },
      { documentNumber: 'B', amount: M },
    ]);
    expect(r.creditsApplied).toEqual([{ documentNumber: 'CN', amount: M }]);
    expect(r.unapplied).toBe(0);
  });
});

// ---- refusals shared by both modes --------------------------------------------------------------

describe('refusals', () => {
  const both = [
    ['allocateOldestFirst', (amount: number, documents: LedgerDocument[], currency = USD) => allocateOldestFirst({ amount: amount as Minor, currency, documents })],
    ['allocateExplicit', (amount: number, documents: LedgerDocument[], currency = USD) => allocateExplicit({ amount: amount as Minor, currency, documents, lines: [] })],
  ] as const;

  it.each(both)('%s refuses an open document in another currency, naming it and its currency', (_, run) => {
    const e = errorOf(run(1000, [inv('A', 500, 30), inv('E-7', 900, 40, { currency: EUR })]));
    expect(e.error).toMatch(/document E-7 is open in EUR, not USD/);
    expect(e.error).toMatch(/never converted/);
    expect(e.documentNumber).toBe('E-7');
  });

  it.each(both)('%s refuses an open credit note in another currency too', (_, run) => {
    const e = errorOf(run(1000, [inv('A', 500, 30), cn('CN-E', -900, 4, { currency: EUR })]));
    expect(e.error).toMatch(/document CN-E is open in EUR, not USD/);
  });

  it.each(both)('%s refuses a negative or fractional payment', (_, run) => {
    expect(errorOf(run(-1, [])).error).toMatch(/expected a payment of zero or more whole minor units of USD, got -1/);
    expect(errorOf(run(1.5, [])).error).toMatch(/got 1.5/);
  });

  it.each(both)('%s refuses an unknown currency code', (_, run) => {
    expect(errorOf(run(1, [], 'XYZW' as CurrencyCode)).error).toMatch(/expected an ISO 4217 currency code/);
  });

  it.each(both)('%s refuses documents of more than one account', (_, run) => {
    const e = errorOf(run(1, [inv('A', 500, 30), inv('B', 500, 30, { accountNumber: 'C-200' })]));
    expect(e.error).toMatch(/document B belongs to account C-200, not C-100/);
  });

  it.each(both)('%s refuses a document number listed twice', (_, run) => {
    const e = errorOf(run(1, [inv('A', 500, 30), inv('A', 300, 60)]));
    expect(e.error).toMatch(/document A is listed twice/);
  });

  it.each(both)('%s refuses an open amount of the wrong sign', (_, run) => {
    expect(errorOf(run(1, [inv('A', -500, 30)])).error).toMatch(/invoice A has a negative open -5.00 USD/);
    expect(errorOf(run(1, [cn('CN', 500, 30)])).error).toMatch(/credit note CN has a positive open 5.00 USD/);
  });
});

// ---- explicit mode ------------------------------------------------------------------------------

describe('allocateExplicit', () => {
  const docs = [
    inv('A', 10000, 30),
    inv('B', 5000, 60),
    cn('CN-1', -2000, 5),
    inv('P', 0, 10, { status: 'paid', original: 700 }),
    inv('Z', 0, 12, { original: 700 }),
    inv('X', 400, 14, { status: 'closed' }),
    inv('E', 0, 16, { status: 'paid', currency: EUR, original: 300 }),
  ];
  const run = (amount: number, lines: AllocationLine[]) => allocateExplicit({ amount: minor(amount), currency: USD, documents: docs, lines });
  // Unchecked on purpose: the refusals below feed amounts minor() itself would reject.
  const line = (documentNumber: string, amount: number): AllocationLine => ({ documentNumber, amount: amount as Minor });

  it('posts the lines as given and keeps the rest on account, credits untouched', () => {
    const r = ok(run(9000, [line('B', 5000), line('A', 1500)]));
    expect(r.allocations).toEqual([
      { documentNumber: 'B', amount: 5000 },
      { documentNumber: 'A', amount: 1500 },
    ]);
    expect(r.creditsApplied).toEqual([]);
    expect(r.unapplied).toBe(2500);
    expect(r.balances).toEqual([
      { documentNumber: 'CN-1', open: -2000 },
      { documentNumber: 'A', open: 8500 },
      { documentNumber: 'B', open: 0 },
    ]);
  });

  it.each([
    ['an unknown document', [line('NOPE', 100)], 'NOPE', /line 1: there is no document NOPE on this account: expected the number of an open invoice/],
    ['a credit note', [line('CN-1', 100)], 'CN-1', /line 1: CN-1 is a credit note: expected an open invoice/],
    ['a paid invoice', [line('P', 100)], 'P', /line 1: invoice P is paid: expected an open invoice/],
    ['an invoice with nothing open', [line('Z', 100)], 'Z', /line 1: invoice Z is fully paid: expected an open invoice/],
    ['a closed invoice', [line('X', 100)], 'X', /line 1: invoice X is closed: expected an open invoice/],
    ['an invoice in another currency', [line('E', 100)], 'E', /line 1: invoice E is in EUR: expected an invoice in USD/],
    ['a duplicate line', [line('A', 100), line('B', 100), line('A', 200)], 'A', /line 3: invoice A already has a line: expected one line per invoice/],
    ['a zero amount', [line('A', 0)], 'A', /line 1: amount 0 for invoice A: expected a positive whole number of minor units/],
    ['a negative amount', [line('B', -5)], 'B', /line 1: amount -5 for invoice B: expected a positive whole number/],
    ['a fractional amount', [line('B', 0.5)], 'B', /line 1: amount 0.5 for invoice B: expected a positive whole number/],
    ['more than the open amount', [line('B', 5001)], 'B', /line 1: 50.01 USD for invoice B is more than its open 50.00 USD/],
    [
      'lines beyond the payment',
      [line('A', 6000), line('B', 3001)],
      'B',
      /line 2: invoice B brings the lines to 90.01 USD, more than the payment of 90.00 USD: expected lines totalling at most the payment/,
    ],
  ])('refuses %s, naming the document and what was expected', (_, lines, number, message) => {
    const e = errorOf(run(9000, lines));
    expect(e.error).toMatch(message);
    expect(e.documentNumber).toBe(number);
  });

  it('accepts lines that use the payment exactly', () => {
    const r = ok(run(9000, [line('A', 9000)]));
    expect(r.unapplied).toBe(0);
  });

  it('valid lines conserve every cent and leave each invoice between zero and its open', () => {
    const valid = accountArb.chain((documents) => {
      const open = documents.filter((d) => takesPart(d) && d.kind === 'invoice');
      return fc
        .subarray(open)
        .chain((picked) =>
          fc.tuple(
            fc.constant(documents),
            fc.tuple(...picked.map((d) => fc.integer({ min: 1, max: d.open }).map((a) => line(d.number, a)))),
            fc.integer({ min: 0, max: 1_000_000 }),
          ),
        );
    });
    fc.assert(
      fc.property(valid, ([documents, lines, extra]) => {
        const amount = lines.reduce((s, l) => s + l.amount, 0) + extra;
        const r = ok(allocateExplicit({ amount: minor(amount), currency: USD, documents, lines }));
        expect(BigInt(amount) + big(r.creditsApplied)).toBe(big(r.allocations) + BigInt(r.unapplied));
        expect(r.unapplied).toBe(extra);
        for (const b of r.balances) {
          const d = documents.find((x) => x.number === b.documentNumber);
          expect(d).toBeDefined();
          expect(Math.sign(b.open) * Math.sign(d?.open ?? 0)).toBeGreaterThanOrEqual(0);
          expect(b.open).toBe((d?.open ?? 0) - amountOf(r.allocations, b.documentNumber));
        }
      }),
      RUNS,
    );
  });
});

// ---- oldest first: properties -------------------------------------------------------------------

describe('allocateOldestFirst, properties over generated accounts', () => {
  it('creates or loses no cent: payment + credits applied = allocations + unapplied', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = runOldestFirst(s);
        expect(BigInt(s.amount) + big(r.creditsApplied)).toBe(big(r.allocations) + BigInt(r.unapplied));
        expect(r.unapplied).toBeGreaterThanOrEqual(0);
        expect(r.unapplied).toBeLessThanOrEqual(s.amount);
      }),
      RUNS,
    );
  });

  it('never allocates to an invoice beyond its open amount, nor to a document that does not take part', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = runOldestFirst(s);
        const { invoices } = parts(s.documents);
        const seen = new Set<string>();
        for (const a of r.allocations) {
          const d = invoices.find((x) => x.number === a.documentNumber);
          expect(d, `allocation to ${a.documentNumber}`).toBeDefined();
          expect(Number.isSafeInteger(a.amount)).toBe(true);
          expect(a.amount).toBeGreaterThan(0);
          expect(a.amount).toBeLessThanOrEqual(d?.open ?? 0);
          expect(seen.has(a.documentNumber)).toBe(false);
          seen.add(a.documentNumber);
        }
      }),
      RUNS,
    );
  });

  it('uses each credit note no further than its open amount, oldest credit first', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = runOldestFirst(s);
        const { credits } = parts(s.documents);
        if (!s.useCredits) expect(r.creditsApplied).toEqual([]);
        for (const c of r.creditsApplied) {
          const d = credits.find((x) => x.number === c.documentNumber);
          expect(d, `credit ${c.documentNumber}`).toBeDefined();
          expect(c.amount).toBeGreaterThan(0);
          expect(c.amount).toBeLessThanOrEqual(Math.abs(d?.open ?? 0));
        }
        // No credit is touched while an older one still has something left.
        const used = credits.map((d) => amountOf(r.creditsApplied, d.number));
        credits.forEach((d, i) => {
          const later = used.slice(i + 1).some((u) => u > 0);
          if (later) expect(used[i]).toBe(Math.abs(d.open));
        });
      }),
      RUNS,
    );
  });

  it('uses credits before cash, and only as much credit as the invoices need', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = runOldestFirst(s);
        const { invoices, credits } = parts(s.documents);
        const need = big(invoices.map((d) => ({ amount: d.open })));
        const available = s.useCredits ? -big(credits.map((d) => ({ amount: d.open }))) : 0n;
        const applied = big(r.creditsApplied);
        expect(applied).toBe(available < need ? available : need);
        // Credit left over means the invoices were all covered by credit alone: the cash stays whole.
        if (applied < available) expect(r.unapplied).toBe(s.amount);
        // Cash left over means nothing was left to pay.
        if (r.unapplied > 0) expect(big(r.allocations)).toBe(need);
        // As much is paid as the funds allow.
        const funds = BigInt(s.amount) + applied;
        expect(big(r.allocations)).toBe(funds < need ? funds : need);
      }),
      RUNS,
    );
  });

  it('pays oldest due first: no later invoice gets money while an earlier one stays open', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = runOldestFirst(s);
        const { invoices } = parts(s.documents);
        let someoneLeftOpen = false;
        for (const d of invoices) {
          const paid = amountOf(r.allocations, d.number);
          if (someoneLeftOpen) expect(paid, `${d.number} paid while an earlier-due invoice is open`).toBe(0);
          if (paid < d.open) someoneLeftOpen = true;
        }
        // And by due date alone, whatever the tie-breaks.
        for (const a of invoices)
          for (const b of invoices)
            if (a.dueDate < b.dueDate && amountOf(r.allocations, a.number) < a.open)
              expect(amountOf(r.allocations, b.number)).toBe(0);
      }),
      RUNS,
    );
  });

  it('gives the same result whatever the order of the documents', () => {
    const shuffled = scenarioArb.chain((s) =>
      fc.tuple(fc.constant(s), fc.shuffledSubarray(s.documents, { minLength: s.documents.length, maxLength: s.documents.length })),
    );
    fc.assert(
      fc.property(shuffled, ([s, permuted]) => {
        expect(runOldestFirst({ ...s, documents: permuted })).toEqual(runOldestFirst(s));
      }),
      RUNS,
    );
  });

  it('reports each document’s new open amount as its open minus what it received (plus credit used)', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = runOldestFirst(s);
        const { invoices, credits } = parts(s.documents);
        expect(r.balances.map((b) => b.documentNumber)).toEqual([...credits, ...invoices].map((d) => d.number));
        for (const d of [...credits, ...invoices]) {
          const b = r.balances.find((x) => x.documentNumber === d.number);
          const change = d.kind === 'invoice' ? -amountOf(r.allocations, d.number) : amountOf(r.creditsApplied, d.number);
          expect(b?.open).toBe(d.open + change);
        }
      }),
      RUNS,
    );
  });

  it('refuses the whole allocation when any open document is in another currency', () => {
    const mixed = accountArb.chain((documents) =>
      fc.tuple(fc.constant(documents), fc.nat(documents.length), docArb.map((d) => ({ ...d, number: '~foreign', currency: EUR }))),
    );
    fc.assert(
      fc.property(mixed, paymentArb, ([documents, at, foreign], amount) => {
        const all = [...documents.slice(0, at), foreign, ...documents.slice(at)];
        const r = allocateOldestFirst({ amount: minor(amount), currency: USD, documents: all });
        if (takesPart(foreign)) {
          const e = errorOf(r);
          expect(e.documentNumber).toBe('~foreign');
          expect(e.error).toContain('EUR');
        } else {
          expect(r.ok).toBe(true);
        }
      }),
      RUNS,
    );
  });
});

// ---- applying an allocation ---------------------------------------------------------------------

describe('applyAllocation', () => {
  function deepFreeze<T extends object>(xs: readonly T[]): readonly T[] {
    for (const x of xs) Object.freeze(x);
    return Object.freeze(xs);
  }

  it('lowers open amounts, marks documents that reach zero paid on the given date, and leaves the rest as they were', () => {
    const docs = deepFreeze([inv('A', 10000, 30), inv('B', 5000, 60), cn('CN', -3000, 5), inv('OLD', 0, 1, { status: 'paid', original: 10 })]);
    const r = ok(allocateOldestFirst({ amount: minor(8000), currency: USD, documents: docs }));
    const after = applyAllocation(docs, r, PAID_ON);
    expect(after.map((d) => [d.number, d.open, d.status, d.paidDate])).toEqual([
      ['A', 0, 'paid', PAID_ON],
      ['B', 4000, 'open', undefined],
      ['CN', 0, 'paid', PAID_ON],
      ['OLD', 0, 'paid', undefined],
    ]);
    expect(after[3]).toBe(docs[3]);
    expect(docs[0]?.open).toBe(10000);
  });

  it('posts an explicit allocation', () => {
    const docs = [inv('A', 10000, 30), inv('B', 5000, 60)];
    const r = ok(allocateExplicit({ amount: minor(5000), currency: USD, documents: docs, lines: [{ documentNumber: 'B', amount: minor(5000) }] }));
    const after = applyAllocation(docs, r, PAID_ON);
    expect(after.map((d) => [d.number, d.open, d.status])).toEqual([
      ['A', 10000, 'open'],
      ['B', 0, 'paid'],
    ]);
  });

  it('refuses a stale allocation instead of taking a document past zero', () => {
    const docs = [inv('A', 10000, 30)];
    const r = ok(allocateOldestFirst({ amount: minor(10000), currency: USD, documents: docs }));
    const once = applyAllocation(docs, r, PAID_ON);
    expect(() => applyAllocation([inv('A', 4000, 30)], r, PAID_ON)).toThrow(/document A would go past zero/);
    expect(() => applyAllocation(once, r, PAID_ON)).toThrow(/no open USD document A/);
    expect(() => applyAllocation([], r, PAID_ON)).toThrow(RangeError);
  });

  it('agrees with the balances, is pure, and leaves nothing more to allocate without new cash', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const before = structuredClone(s.documents);
        const r = runOldestFirst(s);
        const after = applyAllocation(s.documents, r, PAID_ON);
        expect(s.documents).toEqual(before);
        expect(after).toHaveLength(s.documents.length);
        for (const b of r.balances) {
          const d = after.find((x) => x.number === b.documentNumber);
          expect(d?.open).toBe(b.open);
          const settled = b.open === 0 && s.documents.find((x) => x.number === b.documentNumber)?.open !== 0;
          if (settled) expect([d?.status, d?.paidDate]).toEqual(['paid', PAID_ON]);
          else expect(d?.status).toBe(s.documents.find((x) => x.number === b.documentNumber)?.status);
        }
        if (s.useCredits) {
          const again = ok(allocateOldestFirst({ amount: minor(0), currency: USD, documents: after }));
          expect(again.allocations).toEqual([]);
          expect(again.creditsApplied).toEqual([]);
        }
      }),
      RUNS,
    );
  });
});
