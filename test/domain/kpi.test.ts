import { describe, expect, it } from 'vitest';
import { type CalendarDate } from '../../src/domain/calendar';
import { defaultInvoiceDateAging } from '../../src/domain/aging';
import {
  analyzePortfolio,
  averageDaysDelinquent,
  bestPossibleDso,
  collectionEffectiveness,
  computeKpis,
  countbackMonths,
  customerPaymentBehaviour,
  dsoCountback,
  expectedPayDate,
} from '../../src/domain/kpi';
import { ledgerDocumentSchema, paymentSchema, type Ledger, type LedgerDocument, type Payment } from '../../src/domain/ledger';
import type { CurrencyCode } from '../../src/domain/money';
import { buildReceivablesIndex } from '../../src/domain/receivables-history';

const d = (s: string) => s as CalendarDate;
const USD = 'USD' as CurrencyCode;
const EUR = 'EUR' as CurrencyCode;

function doc(account: string, number: string, issue: string, due: string, original: number, open: number, extra: { currency?: string; paidDate?: string } = {}): LedgerDocument {
  return ledgerDocumentSchema.parse({
    portfolioId: 'p1',
    accountNumber: account,
    number,
    kind: original < 0 ? 'credit_note' : 'invoice',
    issueDate: issue,
    dueDate: due,
    currency: extra.currency ?? 'USD',
    original,
    open,
    status: open === 0 ? 'paid' : 'open',
    ...(extra.paidDate === undefined ? {} : { paidDate: extra.paidDate }),
  });
}

function pay(id: string, account: string, received: string, documentNumber: string, amount: number): Payment {
  return paymentSchema.parse({
    portfolioId: 'p1',
    id,
    accountNumber: account,
    receivedDate: received,
    currency: 'USD',
    amount,
    method: 'transfer',
    allocations: [{ documentNumber, amount }],
  });
}

describe('formulas', () => {
  it('DSO countback walks months newest first', () => {
    // AR 1000: March (15 days) sales 400 → 600 left, 15 days; February (29) sales 500 → 100 left, 44 days;
    // January (31) sales 300 > 100 → 100/300 × 31 = 10.333 → 54.333 days.
    const r = dsoCountback(1000, [
      { month: '2024-03', days: 15, creditSales: 400 },
      { month: '2024-02', days: 29, creditSales: 500 },
      { month: '2024-01', days: 31, creditSales: 300 },
    ]);
    expect(r.days).toBeCloseTo(15 + 29 + (100 / 300) * 31, 10);
    expect(r.capped).toBe(false);
    expect(r.periods.map((p) => p.daysCounted)).toEqual([15, 29, (100 / 300) * 31]);
  });

  it('DSO: a month without sales adds its days; running out of months caps the walk', () => {
    // AR 100: March sales 0 → 15 days, AR still 100; February sales 200 → 100/200 × 29 = 14.5 → 29.5.
    expect(dsoCountback(100, [{ month: '2024-03', days: 15, creditSales: 0 }, { month: '2024-02', days: 29, creditSales: 200 }]).days).toBe(29.5);
    // Net negative sales (credit notes) count as none.
    expect(dsoCountback(100, [{ month: '2024-03', days: 15, creditSales: -50 }, { month: '2024-02', days: 29, creditSales: 200 }]).days).toBe(29.5);
    const capped = dsoCountback(1000, [{ month: '2024-03', days: 15, creditSales: 100 }, { month: '2024-02', days: 29, creditSales: 0 }]);
    expect(capped).toMatchObject({ days: 44, capped: true });
    // AR used up exactly at a month end stops there; no AR is 0 days.
    expect(dsoCountback(500, [{ month: '2024-03', days: 15, creditSales: 500 }, { month: '2024-02', days: 29, creditSales: 0 }]).days).toBe(15);
    expect(dsoCountback(0, [{ month: '2024-03', days: 15, creditSales: 500 }]).days).toBe(0);
    expect(dsoCountback(-10, [{ month: '2024-03', days: 15, creditSales: 500 }]).days).toBe(0);
  });

  it('countback months: the asOf month to date, then whole months (leap February)', () => {
    expect(countbackMonths(d('2024-03-15'), 4)).toEqual([
      { month: '2024-03', days: 15 },
      { month: '2024-02', days: 29 },
      { month: '2024-01', days: 31 },
      { month: '2023-12', days: 31 },
    ]);
  });

  it('best possible DSO, ADD and CEI', () => {
    // (current 400 / sales 1800) × 90 = 20
    expect(bestPossibleDso(400, 1800, 90)).toBe(20);
    expect(bestPossibleDso(0, 0, 90)).toBe(0);
    expect(bestPossibleDso(400, 0, 90)).toBeNull();
    expect(averageDaysDelinquent(46, 20)).toBe(26);
    expect(averageDaysDelinquent(46, null)).toBeNull();
    // (1000 + 500 − 900) / (1000 + 500 − 300) × 100 = 600 / 1200 × 100 = 50
    expect(collectionEffectiveness(1000, 500, 900, 300)).toBe(50);
    expect(collectionEffectiveness(0, 0, 0, 0)).toBeNull();
  });

  it('expected pay date = due + round(average days late), due date without history', () => {
    expect(expectedPayDate(d('2024-03-06'), 5.5)).toBe('2024-03-12');
    expect(expectedPayDate(d('2024-02-27'), 2.4)).toBe('2024-02-29');
    expect(expectedPayDate(d('2024-03-06'), null)).toBe('2024-03-06');
    expect(expectedPayDate(d('2024-03-06'), undefined)).toBe('2024-03-06');
  });
});

/*
 * A tiny ledger, as of 2024-03-15 (USD unless said):
 *   account A
 *     I1  issued 2024-01-10 due 02-09   300  paid in full 2024-02-20 (11 days late)
 *     I5  issued 2024-01-15 due 02-14   600  paid in full 2024-02-14 (on time)
 *     I2  issued 2024-02-05 due 03-06   500  200 paid 2024-03-01, 300 open (9 days past due)
 *     C1  credit issued 2024-02-20      −100 unapplied (24 days past due)
 *   account B
 *     I4  issued 2023-12-01 due 12-31   260  open (75 days past due)
 *     I3  issued 2024-03-01 due 03-31   400  open (current)
 *     E1  issued 2024-03-10 due 04-09   1000 EUR open (current)
 */
const asOf = d('2024-03-15');
const ledger: Ledger = {
  portfolio: { id: 'p1', name: 'Tiny' },
  accounts: [],
  contacts: [],
  documents: [
    doc('A', 'I1', '2024-01-10', '2024-02-09', 300, 0, { paidDate: '2024-02-20' }),
    doc('A', 'I5', '2024-01-15', '2024-02-14', 600, 0, { paidDate: '2024-02-14' }),
    doc('A', 'I2', '2024-02-05', '2024-03-06', 500, 300),
    doc('A', 'C1', '2024-02-20', '2024-02-20', -100, -100),
    doc('B', 'I4', '2023-12-01', '2023-12-31', 260, 260),
    doc('B', 'I3', '2024-03-01', '2024-03-31', 400, 400),
    doc('B', 'E1', '2024-03-10', '2024-04-09', 1000, 1000, { currency: 'EUR' }),
  ],
  payments: [pay('P1', 'A', '2024-02-20', 'I1', 300), pay('P2', 'A', '2024-02-14', 'I5', 600), pay('P3', 'A', '2024-03-01', 'I2', 200)],
};

describe('KPIs of a tiny ledger', () => {
  const r = analyzePortfolio(ledger, asOf);
  const usd = r.kpis.byCurrency[USD];
  const eur = r.kpis.byCurrency[EUR];

  it('receivables: AR 300 − 100 + 260 + 400 = 860, current 400 (I3 only)', () => {
    expect(usd).toMatchObject({ receivables: 860, currentReceivables: 400, pastDueReceivables: 460 });
    expect(eur).toMatchObject({ receivables: 1000, currentReceivables: 1000 });
  });

  it('DSO countback, USD', () => {
    // Sales: March 1–15: I3 400. February: I2 500 + C1 −100 = 400. January: I1 300 + I5 600 = 900.
    // 860 − 400 = 460 (15 days); 460 − 400 = 60 (+29 = 44 days); 60 < 900: 60/900 × 31 = 2.0667 → 46.0667.
    expect(usd?.dso.days).toBeCloseTo(15 + 29 + (60 / 900) * 31, 10);
    expect(usd?.dso.periods.map((p) => [p.month, p.creditSales])).toEqual([
      ['2024-03', 400],
      ['2024-02', 400],
      ['2024-01', 900],
    ]);
    // EUR: AR 1000 = March sales 1000 → exactly the 15 days of March.
    expect(eur?.dso.days).toBe(15);
  });

  it('best possible DSO and ADD, USD', () => {
    // Last 90 days = 2023-12-17..2024-03-15: sales 300 + 600 + 500 − 100 + 400 = 1700 (I4 of 12-01 is older).
    // BPDSO = 400 / 1700 × 90 = 21.176; ADD = 46.0667 − 21.176 = 24.890.
    expect(usd?.bestPossibleDso).toEqual({ days: (400 / 1700) * 90, windowDays: 90, creditSales: 1700 });
    expect(usd?.averageDaysDelinquent).toBeCloseTo(15 + 29 + (60 / 900) * 31 - (400 / 1700) * 90, 10);
    // EUR: 1000 / 1000 × 90 = 90 > DSO 15: paying early makes ADD negative.
    expect(eur?.bestPossibleDso.days).toBe(90);
    expect(eur?.averageDaysDelinquent).toBe(-75);
  });

  it('CEI over the month to asOf, USD', () => {
    // Period 2024-02-16..2024-03-15. B (end of 02-15) = I1 300 + I2 500 + I4 260 = 1060 (I5 paid 02-14).
    // S = C1 −100 + I3 400 = 300. E = 860. Ec = I3 400.
    // CEI = (1060 + 300 − 860) / (1060 + 300 − 400) × 100 = 500 / 960 × 100 = 52.083.
    expect(usd?.cei).toEqual({
      from: '2024-02-16',
      to: '2024-03-15',
      beginningReceivables: 1060,
      creditSales: 300,
      endingReceivables: 860,
      endingCurrentReceivables: 400,
      percent: (500 / 960) * 100,
    });
  });

  it('CEI over a chosen period', () => {
    // 2024-03-01..2024-03-15: B (end of 02-29) = I2 500 + C1 −100 + I4 260 = 660 (I1, I5 paid in February).
    // S = I3 400. E = 860, Ec = 400. CEI = (660 + 400 − 860) / (660 + 400 − 400) × 100 = 200 / 660 × 100.
    const k = analyzePortfolio(ledger, asOf, { ceiFrom: d('2024-03-01') }).kpis.byCurrency[USD];
    expect(k?.cei.beginningReceivables).toBe(660);
    expect(k?.cei.percent).toBeCloseTo((200 / 660) * 100, 10);
  });

  it('roll rates from 2024-02-15 to 2024-03-15, USD', () => {
    // At 02-15: I2 500 current (due 03-06); I1 300 in 1–30 (6 days); I4 260 in 31–60 (46 days).
    // At 03-15: I2 300 in 1–30 → rolled 300 of 500 = 0.6; I1 paid → 0 of 300; I4 260 in 61–90 → 1.
    expect(usd?.rollRates).toEqual([
      { fromBucket: 'current', toBucket: '1-30', balance: 500, rolled: 300, rate: 0.6 },
      { fromBucket: '1-30', toBucket: '31-60', balance: 300, rolled: 0, rate: 0 },
      { fromBucket: '31-60', toBucket: '61-90', balance: 260, rolled: 260, rate: 1 },
      { fromBucket: '61-90', toBucket: '91-120', balance: 0, rolled: 0, rate: null },
      { fromBucket: '91-120', toBucket: 'over-120', balance: 0, rolled: 0, rate: null },
    ]);
  });

  it('roll rates by invoice date', () => {
    // At 02-15, by age since issue: I2 10 days (0–30), I1 36 days (31–60), I4 76 days (61–90).
    // At 03-15: I2 39 days (31–60) 300 still open; I1 paid; I4 105 days (91–120).
    const k = analyzePortfolio(ledger, asOf, { aging: defaultInvoiceDateAging }).kpis.byCurrency[USD];
    expect(k?.rollRates.map((x) => [x.fromBucket, x.balance, x.rolled])).toEqual([
      ['0-30', 500, 300],
      ['31-60', 300, 0],
      ['61-90', 260, 260],
      ['91-120', 0, 0],
    ]);
  });

  it('days late per customer and for the portfolio', () => {
    // A: I1 11 days late, I5 0 → mean 5.5; weighted (300 × 11 + 600 × 0) / 900 = 3.667. B: nothing settled.
    expect(r.kpis.customers).toEqual([{ accountNumber: 'A', settledInvoices: 2, averageDaysLate: 5.5, weightedDaysLate: { USD: 3300 / 900 } }]);
    expect(usd?.daysLate).toEqual({ settledInvoices: 2, averageDaysLate: 5.5, weightedDaysLate: 3300 / 900 });
    expect(eur?.daysLate).toEqual({ settledInvoices: 0, averageDaysLate: null, weightedDaysLate: null });
    const ix = buildReceivablesIndex(ledger);
    expect(customerPaymentBehaviour(ix, 'A', asOf)).toEqual(r.kpis.customers[0]);
    // As of 2024-02-19, I1 is not paid yet: only I5 counts.
    expect(customerPaymentBehaviour(ix, 'A', d('2024-02-19'))).toMatchObject({ settledInvoices: 1, averageDaysLate: 0 });
    expect(customerPaymentBehaviour(ix, 'B', asOf)).toMatchObject({ settledInvoices: 0, averageDaysLate: null });
    // I2 due 03-06, A is 5.5 days late on average → round(5.5) = 6 → 03-12; B has no history.
    expect(expectedPayDate(d('2024-03-06'), customerPaymentBehaviour(ix, 'A', asOf).averageDaysLate)).toBe('2024-03-12');
    expect(expectedPayDate(d('2024-03-31'), customerPaymentBehaviour(ix, 'B', asOf).averageDaysLate)).toBe('2024-03-31');
  });

  it('aging in the analysis, and a JSON-friendly result', () => {
    // current I3 400; 1–30 I2 300 + C1 −100; 61–90 I4 260.
    expect(r.aging.portfolio[USD]).toEqual({ buckets: [400, 200, 0, 260, 0, 0], counts: [1, 2, 0, 1, 0, 0], total: 860, count: 4 });
    expect(r.aging.portfolio[USD]?.total).toBe(usd?.receivables);
    expect(r.asOf).toBe('2024-03-15');
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('reuses a prebuilt index and gives the same result', () => {
    const ix = buildReceivablesIndex(ledger);
    expect(analyzePortfolio(ledger, asOf, { index: ix })).toEqual(r);
    expect(computeKpis(ix, asOf)).toEqual(r.kpis);
  });

  it('refuses periods after asOf or reversed, and bad window sizes', () => {
    expect(() => analyzePortfolio(ledger, asOf, { ceiFrom: d('2024-03-16') })).toThrow(/after its end 2024-03-15/);
    expect(() => analyzePortfolio(ledger, asOf, { ceiTo: d('2024-04-01') })).toThrow(/after asOf 2024-03-15/);
    expect(() => analyzePortfolio(ledger, asOf, { rollFrom: d('2024-03-20') })).toThrow(/roll-rate period/);
    expect(() => analyzePortfolio(ledger, asOf, { bestPossibleDays: 0 })).toThrow(/bestPossibleDays/);
  });
});
