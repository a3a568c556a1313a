/**
 * What the strategy's predicates read about one account, in one pass over its documents.
 *
 * How it works. A document counts when the ERP still lists it open with a non-zero amount and it was
 * issued on or before asOf. It is then exactly one of: disputed (under an open dispute fact, or flagged
 * disputed by the ERP), held (under an active document hold), or in the dunning flow. Amounts are summed
 * per currency; the account's main currency is the one with the largest balance in the flow (else the
 * largest open total), and every amount in the metrics is in it. Day counts and invoice counts look at
 * every currency: an invoice 90 days late is late whatever it is billed in. The "reference invoice" is
 * the flow's open invoice with the earliest due date: its days past due, bucket and due date drive the
 * levels (and the level entry date, see strategy-evaluate.ts).
 */
import { bucketBounds, bucketOfDays, defaultDueDateAging, type AgingBucket, type AgingConfig } from './aging';
import type { AccountState } from './account-state';
import { dayOf, type CalendarDate } from './calendar';
import type { LedgerDocument } from './ledger';
import type { CurrencyCode, Minor } from './money';

export interface AccountMetrics {
  /**
   * The main currency: of the largest open balance in the flow (else of the largest open total). With
   * nothing open, the currency of the account's first document, or XXX (ISO 4217 "no currency") when it
   * has none: amounts are then zero and the code is only a label.
   */
  readonly currency: CurrencyCode;
  /** Open balance in the dunning flow (disputed and held documents excluded), credits netted. */
  readonly balance: Minor;
  /** The part of `balance` already past due (credit notes count on their own due date, as in aging). */
  readonly pastDue: Minor;
  readonly disputedAmount: Minor;
  readonly heldAmount: Minor;
  /** Days past due of the reference invoice; 0 when none is past due. */
  readonly oldestDaysPastDue: number;
  /** Aging bucket of the reference invoice; null when the flow holds no open invoice. */
  readonly bucketId: string | null;
  /** Position of `bucketId` in the aging config; -1 with a null bucketId. */
  readonly bucketIndex: number;
  /** Open invoices in the flow, every currency. */
  readonly openInvoices: number;
  /** Due date of the reference invoice (past due or not). */
  readonly oldestDueDate?: CalendarDate;
}

/** Metrics plus what evaluation needs and people do not. */
export interface MeasuredAccount {
  readonly metrics: AccountMetrics;
  /** Epoch day of the reference invoice's due date; NaN when there is none. */
  readonly referenceDueDay: number;
  /** Everything open in the main currency, disputed and held included. */
  readonly exposure: number;
  readonly anyErpDispute: boolean;
}

interface Totals {
  currency: string;
  balance: number;
  total: number;
  pastDue: number;
  disputed: number;
  held: number;
}

const totals = (currency: string): Totals => ({ currency, balance: 0, total: 0, pastDue: 0, disputed: 0, held: 0 });

// The first currency's totals: module scratch, reset per account (measuring is synchronous), instead of
// an object per account; further currencies (rare) get their own.
const firstTotals: Totals = totals('');

function resetFirst(currency: string): Totals {
  const t = firstTotals;
  t.currency = currency;
  t.balance = 0;
  t.total = 0;
  t.pastDue = 0;
  t.disputed = 0;
  t.held = 0;
  return t;
}

const boundsCache = new WeakMap<AgingConfig, Int32Array>();
// One config serves a whole worklist run: remember the last one ahead of the WeakMap.
let lastAging: AgingConfig | null = null;
let lastBounds: Int32Array = new Int32Array(0);

function boundsOf(aging: AgingConfig): Int32Array {
  if (aging === lastAging) return lastBounds;
  let b = boundsCache.get(aging);
  if (b === undefined) {
    b = bucketBounds(aging);
    boundsCache.set(aging, b);
  }
  lastAging = aging;
  lastBounds = b;
  return b;
}

const ZERO = 0 as Minor;
const NO_CURRENCY = 'XXX';

// The metrics of an account with nothing open, by currency: shared, frozen. Bounded.
const zeroByCurrency = new Map<string, AccountMetrics>();

function zeroMetrics(currency: CurrencyCode): AccountMetrics {
  let m = zeroByCurrency.get(currency);
  if (m === undefined) {
    if (zeroByCurrency.size >= 1024) zeroByCurrency.clear();
    m = Object.freeze({ currency, balance: ZERO, pastDue: ZERO, disputedAmount: ZERO, heldAmount: ZERO, oldestDaysPastDue: 0, bucketId: null, bucketIndex: -1, openInvoices: 0 });
    zeroByCurrency.set(currency, m);
  }
  return m;
}

/** Whether `m` is the shared metrics of nothing open (see zeroMetrics). */
export function isZeroMetrics(m: AccountMetrics): boolean {
  return zeroByCurrency.get(m.currency) === m;
}

/**
 * One pass over the account's documents. `asOfDate` is the UTC calendar date of asOf. The sets of the
 * state are only probed when they are not empty: most accounts have neither disputes nor holds.
 */
export function measureAccount(
  documents: readonly LedgerDocument[],
  state: Pick<AccountState, 'disputedDocuments' | 'heldDocuments'>,
  asOfDate: CalendarDate,
  aging: AgingConfig = defaultDueDateAging,
): MeasuredAccount {
  const out: Writable<MeasuredAccount> = { metrics: undefined as unknown as AccountMetrics, referenceDueDay: 0, exposure: 0, anyErpDispute: false };
  measureInto(out, documents, state, asOfDate, aging);
  return out;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * measureAccount into `out`: the evaluation's path, which reads the result at once and keeps only the
 * metrics, so one scratch object serves every account instead of a new one each.
 */
export function measureInto(
  out: Writable<MeasuredAccount>,
  documents: readonly LedgerDocument[],
  state: Pick<AccountState, 'disputedDocuments' | 'heldDocuments'>,
  asOfDate: CalendarDate,
  aging: AgingConfig,
): void {
  const disputedSet = state.disputedDocuments.size > 0 ? state.disputedDocuments : null;
  const heldSet = state.heldDocuments.size > 0 ? state.heldDocuments : null;
  let first: Totals | null = null;
  let others: Totals[] | null = null;
  let reference: LedgerDocument | null = null;
  let openInvoices = 0;
  let anyErpDispute = false;
  for (let i = 0; i < documents.length; i++) {
    const d = documents[i] as LedgerDocument;
    const open = d.open as number;
    if (d.status !== 'open' || open === 0 || d.issueDate > asOfDate) continue;
    let t: Totals;
    if (first === null) t = first = resetFirst(d.currency);
    else if (first.currency === d.currency) t = first;
    else {
      others ??= [];
      let found: Totals | undefined;
      for (const o of others) if (o.currency === d.currency) found = o;
      if (found === undefined) {
        found = totals(d.currency);
        others.push(found);
      }
      t = found;
    }
    t.total += open;
    if (d.erpDisputed || (disputedSet !== null && disputedSet.has(d.number))) {
      t.disputed += open;
      if (d.erpDisputed) anyErpDispute = true;
    } else if (heldSet !== null && heldSet.has(d.number)) t.held += open;
    else {
      t.balance += open;
      // ISO dates compare as strings: no parse per document.
      if (d.dueDate < asOfDate) t.pastDue += open;
      if (d.kind === 'invoice' && open > 0) {
        openInvoices++;
        if (reference === null || d.dueDate < reference.dueDate) reference = d;
      }
    }
  }
  let main = first;
  if (others !== null && main !== null)
    for (const o of others)
      if (o.balance > main.balance || (o.balance === main.balance && o.total > main.total)) main = o;

  let oldestDaysPastDue = 0;
  let bucketId: string | null = null;
  let bucketIndex = -1;
  let referenceDueDay = Number.NaN;
  if (reference !== null) {
    const asOfDay = dayOf(asOfDate);
    referenceDueDay = dayOf(reference.dueDate);
    oldestDaysPastDue = Math.max(0, asOfDay - referenceDueDay);
    const age = aging.basis === 'due' ? asOfDay - referenceDueDay : asOfDay - dayOf(reference.issueDate);
    bucketIndex = bucketOfDays(boundsOf(aging), age);
    bucketId = (aging.buckets[bucketIndex] as AgingBucket).id;
  }
  const currency = (main === null ? (documents[0]?.currency ?? NO_CURRENCY) : main.currency) as CurrencyCode;
  const balance = main === null ? ZERO : (main.balance as Minor);
  const pastDue = main === null ? ZERO : (main.pastDue as Minor);
  const disputedAmount = main === null ? ZERO : (main.disputed as Minor);
  const heldAmount = main === null ? ZERO : (main.held as Minor);
  // Two literals rather than a spread: this runs once per account per worklist build. Nothing open
  // (a quarter of the benchmark's accounts) gives the same metrics for every account of a currency:
  // one frozen object each.
  const metrics: AccountMetrics =
    main === null
      ? zeroMetrics(currency)
      : reference === null
        ? { currency, balance, pastDue, disputedAmount, heldAmount, oldestDaysPastDue, bucketId, bucketIndex, openInvoices }
        : { currency, balance, pastDue, disputedAmount, heldAmount, oldestDaysPastDue, bucketId, bucketIndex, openInvoices, oldestDueDate: reference.dueDate };
  out.metrics = metrics;
  out.referenceDueDay = referenceDueDay;
  out.exposure = main === null ? 0 : main.total;
  out.anyErpDispute = anyErpDispute;
}
