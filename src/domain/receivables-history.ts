/**
 * Receivables at a past date: how much of each document was still open on any day up to the analysis
 * `asOf`, which DSO, CEI and roll rates need and the ledger (a picture of the present) does not say.
 *
 * How it works. A document's settlements are
 *  - its payment allocations, each dated by its payment's `receivedDate` (matched by account number +
 *    document number), and
 *  - the unexplained rest `original − open − Σ allocations` (when ≠ 0): dated `paidDate` when the ledger
 *    has one, otherwise "floating": settled at the analysis asOf, so still open on every earlier day.
 * openAt(doc, d) = 0 if issueDate > d, else original − Σ settlements dated ≤ d (− floating if d ≥ asOf).
 * At d = asOf (with no allocation dated after it) that is exactly the ledger's `open`.
 *
 * The index is built once per ledger and is independent of asOf (the floating part is kept apart), so an
 * analysis at several dates or a cache across requests reuses it. Everything a hot loop reads is a typed
 * array indexed by document position: epoch days instead of ISO strings, settlements in one CSR layout
 * (`settleStart[i] .. settleStart[i+1]` sorted by day), so asking "open at d" for 400k documents parses
 * no string and allocates nothing. `zeroDay` short-circuits the common case of a document paid long ago.
 */
import { dayOf, daysFromCivil, type CalendarDate, type EpochDay } from './calendar';
import type { LedgerDocument, Payment } from './ledger';
import type { CurrencyCode, Minor } from './money';

/** An epoch day later than any real date: "never" for `zeroDay`. */
export const NEVER: EpochDay = 0x7fffffff;

export interface ReceivablesSource {
  readonly documents: readonly LedgerDocument[];
  readonly payments: readonly Payment[];
}

export interface ReceivablesIndex {
  /** Number of documents; every per-document array below has this length (settleStart has one more). */
  readonly size: number;
  /** The source documents, in index order (position i is document i). */
  readonly documents: readonly LedgerDocument[];
  readonly currencies: readonly CurrencyCode[];
  /** Account numbers in first-seen order; `account[i]` points here. */
  readonly accounts: readonly string[];
  readonly currency: Uint16Array;
  readonly account: Int32Array;
  /** 1 for a credit note. */
  readonly credit: Uint8Array;
  readonly issueDay: Int32Array;
  readonly dueDay: Int32Array;
  /** year × 12 + (month − 1) of the issue date, for monthly sales without calendar arithmetic. */
  readonly issueMonth: Int32Array;
  /** Minor units; Float64 holds every safe integer exactly. */
  readonly original: Float64Array;
  readonly settleStart: Int32Array;
  readonly settleDay: Int32Array;
  readonly settleAmount: Float64Array;
  /** Unexplained settlement with no date: counted as settled on the analysis asOf. */
  readonly floating: Float64Array;
  /** First day from which the document is settled for good by dated settlements (NEVER if not). */
  readonly zeroDay: Int32Array;
  /** Documents grouped by account: `accountDocs[accountDocStart[a] .. accountDocStart[a+1]]`. */
  readonly accountDocStart: Int32Array;
  readonly accountDocs: Int32Array;
  /** (account, currency) pairs, contiguous per account: pair p of account a lies in accountPairStart[a]..[a+1]. */
  readonly pair: Int32Array;
  readonly pairCurrency: Uint16Array;
  readonly accountPairStart: Int32Array;
  /** Allocations naming a document the ledger does not have (cash on account, or data to fix at source). */
  readonly unmatchedAllocations: number;
  /** Per account (by position), document number → document position. */
  readonly documentIndex: readonly ReadonlyMap<string, number>[];
  /** Account number → position in `accounts`. */
  readonly accountIndex: ReadonlyMap<string, number>;
}

/** Epoch day and year×12+month of an ISO date by char codes (schemas guarantee the shape). */
function parseIso(s: string, out: Int32Array): void {
  const y = (s.charCodeAt(0) - 48) * 1000 + (s.charCodeAt(1) - 48) * 100 + (s.charCodeAt(2) - 48) * 10 + (s.charCodeAt(3) - 48);
  const m = (s.charCodeAt(5) - 48) * 10 + (s.charCodeAt(6) - 48);
  const d = (s.charCodeAt(8) - 48) * 10 + (s.charCodeAt(9) - 48);
  out[0] = daysFromCivil(y, m, d);
  out[1] = y * 12 + m - 1;
}

export function buildReceivablesIndex(source: ReceivablesSource): ReceivablesIndex {
  const documents = source.documents;
  const n = documents.length;
  const currencies: CurrencyCode[] = [];
  const currencyIds = new Map<string, number>();
  const accounts: string[] = [];
  const accountIds = new Map<string, number>();
  // One small map per account instead of one map of "account\0number" keys: no key strings to build
  // (400k concatenations cost more than the rest of the index).
  const documentIndex: Map<string, number>[] = [];

  const currency = new Uint16Array(n);
  const account = new Int32Array(n);
  const credit = new Uint8Array(n);
  const issueDay = new Int32Array(n);
  const dueDay = new Int32Array(n);
  const issueMonth = new Int32Array(n);
  const original = new Float64Array(n);
  const open = new Float64Array(n);
  const scratch = new Int32Array(2);

  let lastCurrency = '';
  let lastCurrencyId = -1;
  for (let i = 0; i < n; i++) {
    const d = documents[i] as LedgerDocument;
    // Ledgers come sorted by account more often than not, and nearly always in one currency.
    if (d.currency !== lastCurrency) {
      let c = currencyIds.get(d.currency);
      if (c === undefined) {
        c = currencies.length;
        currencies.push(d.currency);
        currencyIds.set(d.currency, c);
      }
      lastCurrency = d.currency;
      lastCurrencyId = c;
    }
    currency[i] = lastCurrencyId;
    let a = accountIds.get(d.accountNumber);
    if (a === undefined) {
      a = accounts.length;
      accounts.push(d.accountNumber);
      accountIds.set(d.accountNumber, a);
      documentIndex.push(new Map());
    }
    account[i] = a;
    credit[i] = d.kind === 'credit_note' ? 1 : 0;
    parseIso(d.issueDate, scratch);
    issueDay[i] = scratch[0] as number;
    issueMonth[i] = scratch[1] as number;
    parseIso(d.dueDate, scratch);
    dueDay[i] = scratch[0] as number;
    original[i] = d.original;
    open[i] = d.open;
    const numbers = documentIndex[a] as Map<string, number>;
    // A duplicated key is bad data; the first document keeps the allocations so the result is stable.
    if (!numbers.has(d.number)) numbers.set(d.number, i);
  }

  // Allocations → (document, day, amount), counted per document for the CSR layout.
  let allocations = 0;
  for (const p of source.payments) allocations += p.allocations.length;
  const allocDoc = new Int32Array(allocations);
  const allocDay = new Int32Array(allocations);
  const allocAmount = new Float64Array(allocations);
  const count = new Int32Array(n);
  const allocated = new Float64Array(n);
  let matched = 0;
  let unmatched = 0;
  for (const p of source.payments) {
    if (p.allocations.length === 0) continue;
    parseIso(p.receivedDate, scratch);
    const day = scratch[0] as number;
    const a = accountIds.get(p.accountNumber);
    for (const al of p.allocations) {
      const i = a === undefined ? undefined : (documentIndex[a] as Map<string, number>).get(al.documentNumber);
      if (i === undefined) {
        unmatched++;
        continue;
      }
      allocDoc[matched] = i;
      allocDay[matched] = day;
      allocAmount[matched] = al.amount;
      matched++;
      count[i] = (count[i] as number) + 1;
      allocated[i] = (allocated[i] as number) + al.amount;
    }
  }

  // The unexplained rest: dated by paidDate, else floating.
  const floating = new Float64Array(n);
  const restDay = new Int32Array(n).fill(NEVER);
  for (let i = 0; i < n; i++) {
    const rest = (original[i] as number) - (open[i] as number) - (allocated[i] as number);
    if (rest === 0) continue;
    const paid = (documents[i] as LedgerDocument).paidDate;
    if (paid === undefined) floating[i] = rest;
    else {
      parseIso(paid, scratch);
      restDay[i] = scratch[0] as number;
      count[i] = (count[i] as number) + 1;
    }
  }

  const settleStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) settleStart[i + 1] = (settleStart[i] as number) + (count[i] as number);
  const total = settleStart[n] as number;
  const settleDay = new Int32Array(total);
  const settleAmount = new Float64Array(total);
  const fill = settleStart.slice(0, n);
  for (let k = 0; k < matched; k++) {
    const i = allocDoc[k] as number;
    const at = fill[i] as number;
    settleDay[at] = allocDay[k] as number;
    settleAmount[at] = allocAmount[k] as number;
    fill[i] = at + 1;
  }
  for (let i = 0; i < n; i++) {
    if (restDay[i] === NEVER) continue;
    const at = fill[i] as number;
    settleDay[at] = restDay[i] as number;
    settleAmount[at] = (original[i] as number) - (open[i] as number) - (allocated[i] as number);
    fill[i] = at + 1;
  }

  // Sort each document's few settlements by day (insertion sort: slices hold one to three entries),
  // then find the day the dated settlements bring it to zero for good.
  const zeroDay = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = settleStart[i] as number;
    const e = settleStart[i + 1] as number;
    for (let k = s + 1; k < e; k++) {
      const day = settleDay[k] as number;
      const amount = settleAmount[k] as number;
      let j = k - 1;
      while (j >= s && (settleDay[j] as number) > day) {
        settleDay[j + 1] = settleDay[j] as number;
        settleAmount[j + 1] = settleAmount[j] as number;
        j--;
      }
      settleDay[j + 1] = day;
      settleAmount[j + 1] = amount;
    }
    let z = NEVER;
    if (floating[i] === 0) {
      let left = original[i] as number;
      z = left === 0 ? (issueDay[i] as number) : NEVER;
      for (let k = s; k < e; k++) {
        left -= settleAmount[k] as number;
        // Several settlements on one day count once, at the end of that day.
        if (k + 1 < e && settleDay[k + 1] === settleDay[k]) continue;
        if (left === 0) {
          if (z === NEVER) z = Math.max(settleDay[k] as number, issueDay[i] as number);
        } else z = NEVER;
      }
    }
    zeroDay[i] = z;
  }

  // Documents grouped by account (counting sort, stable), then (account, currency) pairs per account.
  const na = accounts.length;
  const accountDocStart = new Int32Array(na + 1);
  for (let i = 0; i < n; i++) {
    const at = (account[i] as number) + 1;
    accountDocStart[at] = (accountDocStart[at] as number) + 1;
  }
  for (let a = 0; a < na; a++) accountDocStart[a + 1] = (accountDocStart[a + 1] as number) + (accountDocStart[a] as number);
  const accountDocs = new Int32Array(n);
  const afill = accountDocStart.slice(0, na);
  for (let i = 0; i < n; i++) {
    const a = account[i] as number;
    accountDocs[afill[a] as number] = i;
    afill[a] = (afill[a] as number) + 1;
  }
  const pair = new Int32Array(n);
  const pairCurrencyList: number[] = [];
  const accountPairStart = new Int32Array(na + 1);
  const seen = new Int32Array(currencies.length).fill(-1);
  for (let a = 0; a < na; a++) {
    const first = pairCurrencyList.length;
    accountPairStart[a] = first;
    for (let k = accountDocStart[a] as number; k < (accountDocStart[a + 1] as number); k++) {
      const i = accountDocs[k] as number;
      const c = currency[i] as number;
      let p = seen[c] as number;
      if (p < first) {
        p = pairCurrencyList.length;
        pairCurrencyList.push(c);
        seen[c] = p;
      }
      pair[i] = p;
    }
  }
  accountPairStart[na] = pairCurrencyList.length;

  return {
    size: n,
    documents,
    currencies,
    accounts,
    currency,
    account,
    credit,
    issueDay,
    dueDay,
    issueMonth,
    original,
    settleStart,
    settleDay,
    settleAmount,
    floating,
    zeroDay,
    accountDocStart,
    accountDocs,
    pair,
    pairCurrency: Uint16Array.from(pairCurrencyList),
    accountPairStart,
    unmatchedAllocations: unmatched,
    documentIndex,
    accountIndex: accountIds,
  };
}

/**
 * Open amount of document i at the end of `day`, for an analysis as of `asOfDay` (minor units; negative
 * for an unapplied credit). The hot-loop form: no strings, no allocation.
 */
export function openAtDay(ix: ReceivablesIndex, i: number, day: EpochDay, asOfDay: EpochDay): number {
  if ((ix.issueDay[i] as number) > day || day >= (ix.zeroDay[i] as number)) return 0;
  let open = ix.original[i] as number;
  const e = ix.settleStart[i + 1] as number;
  for (let k = ix.settleStart[i] as number; k < e && (ix.settleDay[k] as number) <= day; k++) open -= ix.settleAmount[k] as number;
  if (day >= asOfDay) open -= ix.floating[i] as number;
  return open;
}

/** Position of a document in the index, by account number + document number. */
export function documentPosition(ix: ReceivablesIndex, doc: { accountNumber: string; number: string }): number | undefined {
  const a = ix.accountIndex.get(doc.accountNumber);
  return a === undefined ? undefined : ix.documentIndex[a]?.get(doc.number);
}

/** Open amount of one document on `date`, for an analysis as of `asOf`; undefined for an unknown document. */
export function openAt(
  ix: ReceivablesIndex,
  doc: { accountNumber: string; number: string },
  date: CalendarDate,
  asOf: CalendarDate,
): Minor | undefined {
  const i = documentPosition(ix, doc);
  if (i === undefined) return undefined;
  return openAtDay(ix, i, dayOf(date), dayOf(asOf)) as Minor;
}

/** Total receivables per currency at the end of `date` (credit notes net), for an analysis as of `asOf`. */
export function receivablesAt(ix: ReceivablesIndex, date: CalendarDate, asOf: CalendarDate): Record<CurrencyCode, Minor> {
  const day = dayOf(date);
  const asOfDay = dayOf(asOf);
  const sums = new Float64Array(ix.currencies.length);
  for (let i = 0; i < ix.size; i++) sums[ix.currency[i] as number] = (sums[ix.currency[i] as number] as number) + openAtDay(ix, i, day, asOfDay);
  const out = {} as Record<CurrencyCode, Minor>;
  ix.currencies.forEach((c, k) => {
    out[c] = (sums[k] as number) as Minor;
  });
  return out;
}

/**
 * The day document i was settled for good, when that day is known and on or before asOf: what "paid
 * date" means for payment behaviour. Undefined while open, or when the last settlement is the floating
 * one (the ledger does not say when).
 */
export function settledDay(ix: ReceivablesIndex, i: number, asOfDay: EpochDay): EpochDay | undefined {
  const z = ix.zeroDay[i] as number;
  return z <= asOfDay ? z : undefined;
}
