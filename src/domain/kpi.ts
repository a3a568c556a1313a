/**
 * Receivables KPIs, per currency (amounts of two currencies are never added): DSO by countback, best
 * possible DSO, average days delinquent, CEI, roll rates, and customers' payment behaviour (average days
 * late, expected pay date).
 *
 * How it works. The pure formulas are small functions on numbers (each with its formula below) so they
 * can be checked by hand. `computeKpis` feeds them from one pass over a receivables index
 * (receivables-history.ts): for each document it reads the open amount at the few dates the KPIs need
 * (asOf, the CEI period's ends, the roll period's ends) and its issue month and day for credit sales,
 * accumulating into typed arrays per currency, per bucket and per account. A document settled for good
 * before the earliest of those dates is skipped after its sales and payment-behaviour counts, which is
 * most of a mature ledger. "Credit sales" throughout = Σ `original` of the documents issued in the
 * period (invoices positive, credit notes negative, so credit notes reduce sales).
 */
import { addDays, addMonths, civilFromDays, dayOf, daysInMonth, type CalendarDate } from './calendar';
import { agePortfolio, bucketBounds, bucketOfDays, defaultDueDateAging, type AgingConfig, type PortfolioAging } from './aging';
import type { Ledger, LedgerDocument, Payment } from './ledger';
import type { CurrencyCode, Minor } from './money';
import { buildReceivablesIndex, type ReceivablesIndex } from './receivables-history';

// ---------------------------------------------------------------------------------------------------
// Formulas

export interface DsoPeriodInput {
  /** YYYY-MM */
  readonly month: string;
  /** Days of the period: the asOf month counts days 1..asOf, earlier months all their days. */
  readonly days: number;
  /** Credit sales of the period (minor units). */
  readonly creditSales: number;
}

export interface DsoPeriod extends DsoPeriodInput {
  /** Days this period contributed to DSO. */
  readonly daysCounted: number;
}

export interface DsoResult {
  readonly days: number;
  readonly receivables: Minor;
  /** True when the walk ran out of periods with receivables left: DSO is at least `days`. */
  readonly capped: boolean;
  readonly periods: DsoPeriod[];
}

/**
 * DSO by the countback method.
 *
 *   AR = total receivables at asOf; DSO = 0
 *   for each period, newest first (the asOf month as days 1..asOf, then whole earlier months):
 *     S = max(0, credit sales of the period)
 *     if AR ≥ S:  AR −= S; DSO += days of the period; stop if AR = 0
 *     else:       DSO += (AR / S) × days of the period; stop
 *
 * A period with zero (or net negative) sales explains none of the receivables, so its days are added
 * whole and the walk goes on: the receivables are older than it. When the periods run out (the cap,
 * 24 months by default) with receivables left, DSO is the days walked and `capped` is true. AR ≤ 0
 * gives DSO 0.
 */
export function dsoCountback(receivables: number, periods: readonly DsoPeriodInput[]): DsoResult {
  const walked: DsoPeriod[] = [];
  let left = receivables;
  let days = 0;
  if (left <= 0) return { days: 0, receivables: receivables as Minor, capped: false, periods: walked };
  for (const p of periods) {
    const sales = Math.max(0, p.creditSales);
    if (left >= sales) {
      left -= sales;
      days += p.days;
      walked.push({ ...p, daysCounted: p.days });
      if (left === 0) return { days, receivables: receivables as Minor, capped: false, periods: walked };
    } else {
      const part = (left / sales) * p.days;
      days += part;
      walked.push({ ...p, daysCounted: part });
      return { days, receivables: receivables as Minor, capped: false, periods: walked };
    }
  }
  return { days, receivables: receivables as Minor, capped: true, periods: walked };
}

/** The monthly periods of the countback walk, newest first: the asOf month up to asOf, then whole months. */
export function countbackMonths(asOf: CalendarDate, months: number): { month: string; days: number }[] {
  const { y, m, d } = civilFromDays(dayOf(asOf));
  const out: { month: string; days: number }[] = [];
  for (let k = 0; k < months; k++) {
    const total = y * 12 + (m - 1) - k;
    const yy = Math.floor(total / 12);
    const mm = (total % 12) + 1;
    out.push({ month: `${String(yy).padStart(4, '0')}-${mm < 10 ? '0' : ''}${mm}`, days: k === 0 ? d : daysInMonth(yy, mm) });
  }
  return out;
}

/**
 * Best possible DSO: the DSO if every customer paid on the due date.
 *
 *   BPDSO = (current receivables / credit sales of the last N days) × N
 *
 * "Current" = open at asOf and not past due (dueDate ≥ asOf), whatever the aging basis; the last N days
 * are asOf − N + 1 .. asOf (N = 90 by default). No current receivables (≤ 0) gives 0; current
 * receivables with no positive sales in the window give null (undefined, not infinite).
 */
export function bestPossibleDso(currentReceivables: number, creditSales: number, windowDays: number): number | null {
  if (currentReceivables <= 0) return 0;
  if (creditSales <= 0) return null;
  return (currentReceivables / creditSales) * windowDays;
}

/**
 * Average days delinquent: how many days of DSO are owed to late payment.
 *
 *   ADD = DSO − best possible DSO   (null when best possible DSO is null)
 */
export function averageDaysDelinquent(dso: number, bestPossible: number | null): number | null {
  return bestPossible === null ? null : dso - bestPossible;
}

/**
 * Collection effectiveness index over a period [from, to] (inclusive days):
 *
 *   CEI = (B + S − E) / (B + S − Ec) × 100
 *
 * B = receivables at the end of the day before `from`, S = credit sales issued from..to, E = total
 * receivables at the end of `to`, Ec = current (not past due at `to`) receivables at the end of `to`.
 * The numerator is what was collected (or written off), the denominator what was collectible.
 * Null when the denominator is ≤ 0 (nothing was collectible).
 */
export function collectionEffectiveness(beginning: number, creditSales: number, ending: number, endingCurrent: number): number | null {
  const collectible = beginning + creditSales - endingCurrent;
  if (collectible <= 0) return null;
  return ((beginning + creditSales - ending) / collectible) * 100;
}

/**
 * Expected pay date of an open invoice: dueDate + round(customer's average days late); a customer with
 * no settled history pays on the due date (0 days late).
 */
export function expectedPayDate(dueDate: CalendarDate, averageDaysLate: number | null | undefined): CalendarDate {
  return addDays(dueDate, averageDaysLate == null ? 0 : Math.round(averageDaysLate));
}

// ---------------------------------------------------------------------------------------------------
// Results

export interface RollRate {
  /** Bucket the balance was in at the period start. */
  readonly fromBucket: string;
  /** The next bucket: "rolled" means this one or any later. */
  readonly toBucket: string;
  /** Σ open at `from` of the invoices in fromBucket at `from`. */
  readonly balance: Minor;
  /** Σ of those invoices' amounts still unpaid at `to` and aged into a later bucket. */
  readonly rolled: Minor;
  /** rolled / balance; null when the balance is 0. */
  readonly rate: number | null;
}

export interface DaysLateSummary {
  /** Invoices settled for good, on a known day, by asOf. */
  readonly settledInvoices: number;
  /** mean over those invoices of max(0, settled day − dueDate); null with none. */
  readonly averageDaysLate: number | null;
  /** Σ original × daysLate / Σ original over the same invoices; null with none. */
  readonly weightedDaysLate: number | null;
}

export interface CurrencyKpis {
  /** Total receivables at asOf (credit notes net). */
  readonly receivables: Minor;
  /** Not past due at asOf (dueDate ≥ asOf). */
  readonly currentReceivables: Minor;
  readonly pastDueReceivables: Minor;
  readonly dso: DsoResult;
  readonly bestPossibleDso: { readonly days: number | null; readonly windowDays: number; readonly creditSales: Minor };
  readonly averageDaysDelinquent: number | null;
  readonly cei: {
    readonly from: CalendarDate;
    readonly to: CalendarDate;
    readonly beginningReceivables: Minor;
    readonly creditSales: Minor;
    readonly endingReceivables: Minor;
    readonly endingCurrentReceivables: Minor;
    readonly percent: number | null;
  };
  readonly rollRates: RollRate[];
  readonly daysLate: DaysLateSummary;
}

export interface CustomerPaymentBehaviour {
  readonly accountNumber: string;
  readonly settledInvoices: number;
  /** Unweighted mean days late over the customer's settled invoices (a count: currency-free). */
  readonly averageDaysLate: number | null;
  /** Amount-weighted days late per currency (amounts of different currencies are not mixed as weights). */
  readonly weightedDaysLate: Record<CurrencyCode, number>;
}

export interface PortfolioKpis {
  readonly asOf: CalendarDate;
  readonly settings: {
    readonly basis: AgingConfig['basis'];
    readonly dsoMaxMonths: number;
    readonly bestPossibleDays: number;
    readonly cei: { readonly from: CalendarDate; readonly to: CalendarDate };
    readonly roll: { readonly from: CalendarDate; readonly to: CalendarDate };
  };
  readonly byCurrency: Record<CurrencyCode, CurrencyKpis>;
  /** Accounts with at least one invoice settled by asOf, in the ledger's first-seen order. */
  readonly customers: CustomerPaymentBehaviour[];
  /** Allocations naming a document the ledger does not have. */
  readonly unmatchedAllocations: number;
}

export interface AnalysisOptions {
  /** Aging buckets and basis, also used for roll rates (default: by due date, Current..120+). */
  readonly aging?: AgingConfig;
  /** CEI period, inclusive; default: the month ending at asOf (addMonths(asOf, −1) + 1 day .. asOf). */
  readonly ceiFrom?: CalendarDate;
  readonly ceiTo?: CalendarDate;
  /** Roll-rate snapshots; default addMonths(asOf, −1) → asOf. */
  readonly rollFrom?: CalendarDate;
  readonly rollTo?: CalendarDate;
  /** N of best possible DSO (default 90). */
  readonly bestPossibleDays?: number;
  /** How many monthly periods the DSO countback may walk (default 24). */
  readonly dsoMaxMonths?: number;
  /** A prebuilt index of the same ledger (otherwise built, and cached per ledger object). */
  readonly index?: ReceivablesIndex;
}

export interface PortfolioAnalysis {
  readonly portfolioId: string;
  readonly asOf: CalendarDate;
  readonly aging: PortfolioAging;
  readonly kpis: PortfolioKpis;
}

// ---------------------------------------------------------------------------------------------------
// Computation

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a whole number of at least 1, not ${v}`);
  return v;
}

function period(name: string, from: CalendarDate, to: CalendarDate, asOf: CalendarDate): { from: CalendarDate; to: CalendarDate } {
  if (from > to) throw new RangeError(`${name} period starts on ${from}, after its end ${to}`);
  if (to > asOf) throw new RangeError(`${name} period ends on ${to}, after asOf ${asOf}: the ledger cannot say what is open then`);
  return { from, to };
}

/** Resolved KPI settings: defaults filled in and checked (RangeError with the reason otherwise). */
export function kpiSettings(asOf: CalendarDate, options: AnalysisOptions = {}): PortfolioKpis['settings'] {
  const monthAgo = addMonths(asOf, -1);
  return {
    basis: (options.aging ?? defaultDueDateAging).basis,
    dsoMaxMonths: positiveInt('dsoMaxMonths', options.dsoMaxMonths ?? 24),
    bestPossibleDays: positiveInt('bestPossibleDays', options.bestPossibleDays ?? 90),
    cei: period('CEI', options.ceiFrom ?? addDays(monthAgo, 1), options.ceiTo ?? asOf, asOf),
    roll: period('roll-rate', options.rollFrom ?? monthAgo, options.rollTo ?? asOf, asOf),
  };
}

/**
 * Every KPI at asOf in one pass over the index. Roll rates use the aging config's basis and buckets and
 * count invoices only (a credit note is not a debt that rolls); per bucket i < last:
 *
 *   rate_i = Σ min(open_at_to, open_at_from) over invoices in bucket i at `from` and in a later bucket at `to`
 *            / Σ open_at_from over invoices in bucket i at `from`
 *
 * i.e. the share of bucket i's balance that is still unpaid a period later and aged past bucket i. With
 * basis 'due' and a one-month period, a 1–30 balance not paid moves to 31–60 (or 61–90).
 *
 * Payment behaviour counts invoices (original > 0) settled for good on a known day ≤ asOf (see
 * `settledDay` in receivables-history; it is the paidDate when the ledger is consistent): days late =
 * max(0, settled day − dueDate). An invoice whose last settlement has no known date is left out rather
 * than dated asOf, which would invent lateness.
 */
export function computeKpis(ix: ReceivablesIndex, asOf: CalendarDate, options: AnalysisOptions = {}): PortfolioKpis {
  const settings = kpiSettings(asOf, options);
  const config = options.aging ?? defaultDueDateAging;
  const asOfDay = dayOf(asOf);
  const { y: asOfYear, m: asOfMonthNumber } = civilFromDays(asOfDay);
  const asOfMonth = asOfYear * 12 + asOfMonthNumber - 1;
  const cap = settings.dsoMaxMonths;
  const windowDays = settings.bestPossibleDays;
  const windowStart = asOfDay - windowDays + 1;
  const ceiBeginDay = dayOf(settings.cei.from) - 1;
  const ceiFromDay = ceiBeginDay + 1;
  const ceiToDay = dayOf(settings.cei.to);
  const rollFromDay = dayOf(settings.roll.from);
  const rollToDay = dayOf(settings.roll.to);
  const earliest = Math.min(asOfDay, ceiBeginDay, ceiToDay, rollFromDay, rollToDay);
  const bounds = bucketBounds(config);
  const nb = config.buckets.length;
  const byDue = config.basis === 'due';

  const nc = ix.currencies.length;
  const na = ix.accounts.length;
  const npairs = ix.pairCurrency.length;
  const active = new Uint8Array(nc);
  const monthSales = new Float64Array(nc * cap);
  const ar = new Float64Array(nc);
  const current = new Float64Array(nc);
  const windowSales = new Float64Array(nc);
  const ceiB = new Float64Array(nc);
  const ceiS = new Float64Array(nc);
  const ceiE = new Float64Array(nc);
  const ceiEc = new Float64Array(nc);
  const rollBalance = new Float64Array(nc * nb);
  const rollRolled = new Float64Array(nc * nb);
  const lateCount = new Int32Array(nc);
  const lateDays = new Float64Array(nc);
  const lateAmount = new Float64Array(nc);
  const lateAmountDays = new Float64Array(nc);
  const accountLateCount = new Int32Array(na);
  const accountLateDays = new Float64Array(na);
  const pairLateAmount = new Float64Array(npairs);
  const pairLateAmountDays = new Float64Array(npairs);

  const { issueDay, dueDay, issueMonth, original, currency, credit, zeroDay, settleStart, settleDay, settleAmount, floating } = ix;
  // openAtDay inlined: this loop runs 400k times with five dates each.
  const openOn = (i: number, day: number): number => {
    if ((issueDay[i] as number) > day || day >= (zeroDay[i] as number)) return 0;
    let open = original[i] as number;
    const e = settleStart[i + 1] as number;
    for (let k = settleStart[i] as number; k < e && (settleDay[k] as number) <= day; k++) open -= settleAmount[k] as number;
    if (day >= asOfDay) open -= floating[i] as number;
    return open;
  };

  for (let i = 0; i < ix.size; i++) {
    const issue = issueDay[i] as number;
    if (issue > asOfDay) continue;
    const c = currency[i] as number;
    active[c] = 1;
    const orig = original[i] as number;
    const due = dueDay[i] as number;
    const k = asOfMonth - (issueMonth[i] as number);
    if (k < cap) monthSales[c * cap + k] = (monthSales[c * cap + k] as number) + orig;
    if (issue >= windowStart) windowSales[c] = (windowSales[c] as number) + orig;
    if (issue >= ceiFromDay && issue <= ceiToDay) ceiS[c] = (ceiS[c] as number) + orig;
    const z = zeroDay[i] as number;

    if (z <= asOfDay && credit[i] === 0 && orig > 0) {
      const late = z > due ? z - due : 0;
      lateCount[c] = (lateCount[c] as number) + 1;
      lateDays[c] = (lateDays[c] as number) + late;
      lateAmount[c] = (lateAmount[c] as number) + orig;
      lateAmountDays[c] = (lateAmountDays[c] as number) + orig * late;
      const a = ix.account[i] as number;
      accountLateCount[a] = (accountLateCount[a] as number) + 1;
      accountLateDays[a] = (accountLateDays[a] as number) + late;
      const p = ix.pair[i] as number;
      pairLateAmount[p] = (pairLateAmount[p] as number) + orig;
      pairLateAmountDays[p] = (pairLateAmountDays[p] as number) + orig * late;
    }
    if (z <= earliest) continue; // settled before every date below: nothing open to count

    const open = openOn(i, asOfDay);
    ar[c] = (ar[c] as number) + open;
    if (due >= asOfDay) current[c] = (current[c] as number) + open;
    ceiB[c] = (ceiB[c] as number) + openOn(i, ceiBeginDay);
    const end = openOn(i, ceiToDay);
    ceiE[c] = (ceiE[c] as number) + end;
    if (due >= ceiToDay) ceiEc[c] = (ceiEc[c] as number) + end;

    if (credit[i] === 0) {
      const atFrom = openOn(i, rollFromDay);
      if (atFrom > 0) {
        const base = byDue ? due : issue;
        const bFrom = bucketOfDays(bounds, rollFromDay - base);
        rollBalance[c * nb + bFrom] = (rollBalance[c * nb + bFrom] as number) + atFrom;
        if (bFrom < nb - 1) {
          const atTo = openOn(i, rollToDay);
          if (atTo > 0 && bucketOfDays(bounds, rollToDay - base) > bFrom)
            rollRolled[c * nb + bFrom] = (rollRolled[c * nb + bFrom] as number) + Math.min(atTo, atFrom);
        }
      }
    }
  }

  const months = countbackMonths(asOf, cap);
  const byCurrency = {} as Record<CurrencyCode, CurrencyKpis>;
  for (let c = 0; c < nc; c++) {
    if (active[c] === 0) continue;
    const code = ix.currencies[c] as CurrencyCode;
    const periods = months.map((mo, k) => ({ ...mo, creditSales: monthSales[c * cap + k] as number }));
    const dso = dsoCountback(ar[c] as number, periods);
    const bp = bestPossibleDso(current[c] as number, windowSales[c] as number, windowDays);
    const rollRates: RollRate[] = [];
    for (let b = 0; b < nb - 1; b++) {
      const balance = rollBalance[c * nb + b] as number;
      const rolled = rollRolled[c * nb + b] as number;
      rollRates.push({
        fromBucket: (config.buckets[b] as AgingConfig['buckets'][number]).id,
        toBucket: (config.buckets[b + 1] as AgingConfig['buckets'][number]).id,
        balance: balance as Minor,
        rolled: rolled as Minor,
        rate: balance === 0 ? null : rolled / balance,
      });
    }
    const n = lateCount[c] as number;
    byCurrency[code] = {
      receivables: ar[c] as Minor,
      currentReceivables: current[c] as Minor,
      pastDueReceivables: ((ar[c] as number) - (current[c] as number)) as Minor,
      dso,
      bestPossibleDso: { days: bp, windowDays, creditSales: windowSales[c] as Minor },
      averageDaysDelinquent: averageDaysDelinquent(dso.days, bp),
      cei: {
        from: settings.cei.from,
        to: settings.cei.to,
        beginningReceivables: ceiB[c] as Minor,
        creditSales: ceiS[c] as Minor,
        endingReceivables: ceiE[c] as Minor,
        endingCurrentReceivables: ceiEc[c] as Minor,
        percent: collectionEffectiveness(ceiB[c] as number, ceiS[c] as number, ceiE[c] as number, ceiEc[c] as number),
      },
      rollRates,
      daysLate: {
        settledInvoices: n,
        averageDaysLate: n === 0 ? null : (lateDays[c] as number) / n,
        weightedDaysLate: (lateAmount[c] as number) > 0 ? (lateAmountDays[c] as number) / (lateAmount[c] as number) : null,
      },
    };
  }

  const customers: CustomerPaymentBehaviour[] = [];
  for (let a = 0; a < na; a++) {
    const n = accountLateCount[a] as number;
    if (n === 0) continue;
    const weighted = {} as Record<CurrencyCode, number>;
    for (let p = ix.accountPairStart[a] as number; p < (ix.accountPairStart[a + 1] as number); p++) {
      const amount = pairLateAmount[p] as number;
      if (amount > 0) weighted[ix.currencies[ix.pairCurrency[p] as number] as CurrencyCode] = (pairLateAmountDays[p] as number) / amount;
    }
    customers.push({
      accountNumber: ix.accounts[a] as string,
      settledInvoices: n,
      averageDaysLate: (accountLateDays[a] as number) / n,
      weightedDaysLate: weighted,
    });
  }

  return { asOf, settings, byCurrency, customers, unmatchedAllocations: ix.unmatchedAllocations };
}

/**
 * One customer's payment behaviour at asOf (same rules as `computeKpis`), for a worklist or an account
 * screen that needs the expected pay date of its invoices without analysing the portfolio.
 */
export function customerPaymentBehaviour(ix: ReceivablesIndex, accountNumber: string, asOf: CalendarDate): CustomerPaymentBehaviour {
  const asOfDay = dayOf(asOf);
  const a = ix.accountIndex.get(accountNumber);
  const weighted = {} as Record<CurrencyCode, number>;
  if (a === undefined) return { accountNumber, settledInvoices: 0, averageDaysLate: null, weightedDaysLate: weighted };
  const amounts = new Map<number, { amount: number; amountDays: number }>();
  let n = 0;
  let days = 0;
  for (let k = ix.accountDocStart[a] as number; k < (ix.accountDocStart[a + 1] as number); k++) {
    const i = ix.accountDocs[k] as number;
    const z = ix.zeroDay[i] as number;
    const orig = ix.original[i] as number;
    if (z > asOfDay || ix.credit[i] === 1 || orig <= 0 || (ix.issueDay[i] as number) > asOfDay) continue;
    const late = Math.max(0, z - (ix.dueDay[i] as number));
    n++;
    days += late;
    const c = ix.currency[i] as number;
    const acc = amounts.get(c) ?? { amount: 0, amountDays: 0 };
    acc.amount += orig;
    acc.amountDays += orig * late;
    amounts.set(c, acc);
  }
  for (const [c, acc] of amounts) weighted[ix.currencies[c] as CurrencyCode] = acc.amountDays / acc.amount;
  return { accountNumber, settledInvoices: n, averageDaysLate: n === 0 ? null : days / n, weightedDaysLate: weighted };
}

// Building the index costs more than the analysis, and the server asks again for the same ledger object
// until an import replaces it: remember the index per documents array (payments checked too).
const indexCache = new WeakMap<readonly LedgerDocument[], { payments: readonly Payment[]; index: ReceivablesIndex }>();

function indexOf(ledger: Pick<Ledger, 'documents' | 'payments'>): ReceivablesIndex {
  const hit = indexCache.get(ledger.documents);
  if (hit && hit.payments === ledger.payments) return hit.index;
  const index = buildReceivablesIndex(ledger);
  indexCache.set(ledger.documents, { payments: ledger.payments, index });
  return index;
}

/**
 * Aging (portfolio and per account) and every KPI at asOf, as plain JSON-friendly data: records keyed by
 * currency code, arrays of accounts, numbers, and null for an undefined ratio. Throws RangeError for
 * periods that end after asOf or start after they end.
 */
export function analyzePortfolio(ledger: Ledger, asOf: CalendarDate, options: AnalysisOptions = {}): PortfolioAnalysis {
  const index = options.index ?? indexOf(ledger);
  const kpis = computeKpis(index, asOf, options);
  const aging = agePortfolio(index, asOf, options.aging ?? defaultDueDateAging);
  return { portfolioId: ledger.portfolio.id, asOf, aging, kpis };
}

