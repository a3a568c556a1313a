/**
 * The ledger and the facts grouped by account, built once per portfolio so the per-account engine
 * (fold → strategy → compliance → score) reads only its own rows. Grouping is one pass over each list.
 */
import type { Fact } from './facts';
import type { Account, CollectionsContact, Ledger, LedgerDocument, Payment } from './ledger';
import { copyRange } from './retained';

export interface AccountSlice {
  readonly account: Account;
  contacts: CollectionsContact[];
  documents: LedgerDocument[];
  payments: Payment[];
  facts: Fact[];
}

export interface PortfolioIndex {
  readonly portfolioId: string;
  /** In the ledger's account order. */
  readonly accounts: Map<string, AccountSlice>;
  /** Facts naming an account the ledger does not have (yet): kept, not shown, never dropped. */
  readonly orphanFacts: Fact[];
}

/**
 * A slice whose contacts, payments and facts may be runs of the index's lists instead of arrays of
 * their own (the worklist's: its evaluation reads most accounts' contacts and payments never, and folds
 * facts where they lie). A list that is `IN_RUN` is rows[…From, …To) of the list it came from
 * (`IndexOf.runs`); `runRows` makes it an array when it is needed. Plain data, so that slices are
 * object literals (which V8 allocates where they will stay, see retained.ts).
 */
export interface RunSlice extends AccountSlice {
  contactFrom: number;
  contactTo: number;
  paymentFrom: number;
  paymentTo: number;
  factFrom: number;
  factTo: number;
}

/** The lists a RunSlice may hold as runs. */
export type RunList = 'contacts' | 'payments' | 'facts';

/** The placeholder of a list that is a run (see RunSlice): empty and frozen, never an account's array. */
export const IN_RUN: never[] = Object.freeze([]) as unknown as never[];

/** The lists the runs of an index's RunSlices lie in: the ledger's and the facts given to it. */
export interface Runs {
  readonly contacts: readonly CollectionsContact[];
  readonly payments: readonly Payment[];
  readonly facts: readonly Fact[];
}

/** The slice's list, made an array of its own first if it is a run. */
export function runRows<K extends RunList>(runs: Runs, slice: RunSlice, list: K): AccountSlice[K] {
  const have = slice[list];
  if (have !== IN_RUN) return have;
  const s = slice as AccountSlice;
  if (list === 'contacts') return (s.contacts = copyRange(runs.contacts, slice.contactFrom, slice.contactTo)) as AccountSlice[K];
  if (list === 'payments') return (s.payments = copyRange(runs.payments, slice.paymentFrom, slice.paymentTo)) as AccountSlice[K];
  return (s.facts = copyRange(runs.facts, slice.factFrom, slice.factTo)) as AccountSlice[K];
}

/** A slice's list before any row arrived; replaced by a fresh array before the index is returned. */
const PENDING: never[] = [];

type ListName = 'contacts' | 'payments' | 'facts';

/**
 * Appends rows[from, to), all of one account, to its slice's list. The first rows of a list are a copy
 * of the range (exact size, no growth by push); later ones, when the account's rows come in several
 * runs, are pushed.
 */
function appendRun(slice: AccountSlice, list: ListName, rows: readonly unknown[], from: number, to: number): void {
  const lists = slice as unknown as Record<ListName, unknown[]>;
  const have = lists[list];
  if (have === PENDING) lists[list] = copyRange(rows, from, to);
  else for (let k = from; k < to; k++) have.push(rows[k]);
}

/**
 * Groups rows[start..] by account in runs: rows usually come grouped by account (ERP extracts, Dexie's
 * account index, the generators), so a run costs one map lookup and one copy, and each row one string
 * comparison. Rows of an account the ledger does not have go to `orphans`, or are dropped without it.
 * Slices that get rows are added to `touched` when given.
 */
function groupRuns<T extends { readonly accountNumber: string }, S extends AccountSlice>(
  accounts: ReadonlyMap<string, S>,
  list: ListName,
  rows: readonly T[],
  orphans: T[] | null,
  start = 0,
  touched: Set<S> | null = null,
): void {
  const n = rows.length;
  let from = start;
  while (from < n) {
    const key = (rows[from] as T).accountNumber;
    let to = from + 1;
    while (to < n && (rows[to] as T).accountNumber === key) to++;
    const slice = accounts.get(key);
    if (slice !== undefined) {
      appendRun(slice, list, rows, from, to);
      touched?.add(slice);
    } else if (orphans !== null) for (let k = from; k < to; k++) orphans.push(rows[k] as T);
    from = to;
  }
}

// Open documents of the run being grouped: the first `scratchCount` of a module scratch (indexing is
// synchronous). A count, not `scratch.length = 0`: V8 drops an array's storage when its length is set
// to 0, so every account's first push would allocate a new one (3 MB of garbage per build).
const scratch: LedgerDocument[] = [];
let scratchCount = 0;

function flushDocuments<S extends AccountSlice>(slice: S | undefined, touched: Set<S> | null): void {
  if (slice !== undefined && scratchCount > 0) {
    if (slice.documents === PENDING) slice.documents = copyRange(scratch, 0, scratchCount);
    else for (let i = 0; i < scratchCount; i++) slice.documents.push(scratch[i] as LedgerDocument);
    touched?.add(slice);
  }
  scratchCount = 0;
}

/** Groups documents[start..] (only open ones with `openOnly`) by account, like groupRuns. */
function groupDocuments<S extends AccountSlice>(accounts: ReadonlyMap<string, S>, documents: readonly LedgerDocument[], openOnly: boolean, start: number, touched: Set<S> | null): void {
  let key = '';
  let slice: S | undefined;
  let first = true;
  scratchCount = 0;
  for (let i = start; i < documents.length; i++) {
    const d = documents[i] as LedgerDocument;
    if (openOnly && d.status !== 'open') continue;
    if (first || d.accountNumber !== key) {
      first = false;
      flushDocuments(slice, touched);
      key = d.accountNumber;
      slice = accounts.get(key);
    }
    scratch[scratchCount++] = d;
  }
  flushDocuments(slice, touched);
}

/** Lists still waiting for rows get a fresh empty array each. */
function settle(s: AccountSlice): void {
  if (s.contacts === PENDING) s.contacts = [];
  if (s.documents === PENDING) s.documents = [];
  if (s.payments === PENDING) s.payments = [];
  if (s.facts === PENDING) s.facts = [];
}

/**
 * `openDocumentsOnly`: keep only open documents. The worklist needs nothing else (settled history is
 * the KPIs' business), and skipping the three settled documents in four is most of its cost: their
 * status is the only field read.
 */
export function indexPortfolio(ledger: Ledger, facts: readonly Fact[], options: { openDocumentsOnly?: boolean } = {}): PortfolioIndex {
  return indexPortfolioOf(ledger, facts, options, plainSlice);
}

function plainSlice(account: Account, pending: never[]): AccountSlice {
  return { account, contacts: pending, documents: pending, payments: pending, facts: pending };
}

/**
 * `indexPortfolio` with slices made by `makeSlice`, for a caller that keeps more per account (the
 * worklist keeps its entry there). `makeSlice` gets the account and the placeholder to put in each of
 * the four lists, and must return a new object.
 */
function indexPortfolioOf<S extends AccountSlice>(
  ledger: Ledger,
  facts: readonly Fact[],
  options: { openDocumentsOnly?: boolean },
  makeSlice: (account: Account, pending: never[]) => S,
): IndexOf<S> {
  const accounts = new Map<string, S>();
  for (const account of ledger.accounts) accounts.set(account.number, makeSlice(account, PENDING));
  return groupAll(ledger, facts, options.openDocumentsOnly === true, accounts);
}

function groupAll<S extends AccountSlice>(ledger: Ledger, facts: readonly Fact[], openOnly: boolean, accounts: Map<string, S>): IndexOf<S> {
  groupRuns(accounts, 'contacts', ledger.contacts, null);
  groupDocuments(accounts, ledger.documents, openOnly, 0, null);
  groupRuns(accounts, 'payments', ledger.payments, null);
  const orphanFacts: Fact[] = [];
  groupRuns(accounts, 'facts', facts, orphanFacts);
  for (const s of accounts.values()) settle(s);
  return { portfolioId: ledger.portfolio.id, accounts, orphanFacts };
}

export interface IndexOf<S extends AccountSlice> {
  readonly portfolioId: string;
  readonly accounts: Map<string, S>;
  readonly orphanFacts: Fact[];
  /**
   * Set by the visiting index: whether `accounts` holds the accounts in strictly ascending number order
   * (found while hashing the numbers, when each is in cache: a sort can then rank accounts by position).
   */
  readonly ascending?: boolean;
}

/**
 * The open-documents index of `indexPortfolioOf`, calling `visit` on each slice as soon as it is
 * complete, while its rows are still in the processor's cache: the worklist evaluates an account right
 * after gathering it, instead of gathering 20k accounts and then reading every row a second time from
 * memory. Every slice is visited once it holds all its rows (some may be visited more than once).
 *
 * How it works. When every list is grouped by account in the ledger's account order (the usual case,
 * see groupRuns), one cursor per list walks along with the accounts: each account takes the run at each
 * cursor, and is visited. A run of an account the ledger does not have is skipped (facts: to the
 * orphans) when met. A run of an account already visited means a list in another order: from there on,
 * the remaining rows are grouped as indexPortfolioOf groups them, and every slice that got rows after
 * its visit is visited again, with the accounts not visited yet. `visited` tells a visited slice.
 */
export function indexPortfolioVisiting<S extends AccountSlice>(
  ledger: Ledger,
  facts: readonly Fact[],
  makeSlice: (account: Account, pending: never[]) => S,
  visit: (slice: S) => void,
  visited: (slice: S) => boolean,
): IndexOf<S> {
  return visiting(ledger, facts, makeSlice, visit, visited, null);
}

/**
 * indexPortfolioVisiting for RunSlices: on the walk, an account's contacts, payments and facts are not
 * copied (a third of the index's allocations), its slice holds their runs (`IN_RUN`, with the range)
 * instead. Where the walk falls back to grouping, the runs taken so far are made arrays first and
 * rows are appended as usual. The index keeps the lists the runs lie in (`runs`): they must not change
 * afterwards but by appending.
 */
export function indexPortfolioRuns<S extends RunSlice>(
  ledger: Ledger,
  facts: readonly Fact[],
  makeSlice: (account: Account, pending: never[]) => S,
  visit: (slice: S, runs: Runs) => void,
  visited: (slice: S) => boolean,
): IndexOf<S> & { readonly runs: Runs } {
  const runs: Runs = { contacts: ledger.contacts, payments: ledger.payments, facts };
  return { ...visiting(ledger, facts, makeSlice, (slice) => visit(slice, runs), visited, runs), runs };
}

function visiting<S extends AccountSlice>(
  ledger: Ledger,
  facts: readonly Fact[],
  makeSlice: (account: Account, pending: never[]) => S,
  visit: (slice: S) => void,
  visited: (slice: S) => boolean,
  runs: Runs | null,
): IndexOf<S> {
  const accounts = new Map<string, S>();
  const list = ledger.accounts;
  const n = list.length;
  // The account numbers first, in a loop of their own: the loads are independent of each other, so
  // the processor has many of these cache misses in flight at once (each account lies elsewhere in the
  // heap) instead of one per slice made and hashed; the map and the walk below read them from here.
  const keys = new Array<string>(n);
  for (let i = 0; i < n; i++) keys[i] = (list[i] as Account).number;
  // Sized up front (not grown by push, which leaves outgrown copies behind).
  const order = new Array<S>(n);
  let ascending = true;
  for (let i = 0; i < n; i++) {
    const slice = makeSlice(list[i] as Account, PENDING);
    const key = keys[i] as string;
    accounts.set(key, slice);
    if (ascending && i > 0 && !((keys[i - 1] as string) < key)) ascending = false;
    order[i] = slice;
  }
  if (accounts.size !== order.length) {
    // An account number listed twice: the map keeps the last slice, in the first one's place.
    const index = groupAll(ledger, facts, true, accounts);
    for (const slice of accounts.values()) visit(slice);
    return index;
  }
  const { contacts, documents, payments } = ledger;
  const orphanFacts: Fact[] = [];
  let c = 0;
  let d = 0;
  let p = 0;
  let f = 0;
  let k = 0;
  let inOrder = true;
  for (; k < order.length && inOrder; k++) {
    const slice = order[k] as S;
    const key = keys[k] as string;
    c = skipUnknown(contacts, c, key, accounts, null);
    d = skipUnknown(documents, d, key, accounts, null, true);
    p = skipUnknown(payments, p, key, accounts, null);
    f = skipUnknown(facts, f, key, accounts, orphanFacts);
    let e = c;
    while (e < contacts.length && (contacts[e] as CollectionsContact).accountNumber === key) e++;
    if (runs === null) slice.contacts = e > c ? copyRange(contacts, c, e) : [];
    else {
      const r = slice as unknown as RunSlice;
      r.contacts = IN_RUN;
      r.contactFrom = c;
      r.contactTo = e;
    }
    c = e;
    let n = 0;
    for (; d < documents.length; d++) {
      const doc = documents[d] as LedgerDocument;
      if (doc.status !== 'open') continue;
      if (doc.accountNumber !== key) break;
      scratch[n++] = doc;
    }
    slice.documents = n > 0 ? copyRange(scratch, 0, n) : [];
    e = p;
    while (e < payments.length && (payments[e] as Payment).accountNumber === key) e++;
    if (runs === null) slice.payments = e > p ? copyRange(payments, p, e) : [];
    else {
      const r = slice as unknown as RunSlice;
      r.payments = IN_RUN;
      r.paymentFrom = p;
      r.paymentTo = e;
    }
    p = e;
    e = f;
    while (e < facts.length && (facts[e] as Fact).accountNumber === key) e++;
    if (runs === null) slice.facts = e > f ? copyRange(facts, f, e) : [];
    else {
      const r = slice as unknown as RunSlice;
      r.facts = IN_RUN;
      r.factFrom = f;
      r.factTo = e;
    }
    f = e;
    visit(slice);
    // The rows at the cursors belong to a later account (usually the next), to none (skipped on the
    // next turn), or to one already visited: another order, the walk stops.
    const nextKey = k + 1 < order.length ? keys[k + 1] : undefined;
    inOrder =
      headLater(contacts, c, nextKey, accounts, visited) &&
      headLater(documents, d, nextKey, accounts, visited) &&
      headLater(payments, p, nextKey, accounts, visited) &&
      headLater(facts, f, nextKey, accounts, visited);
  }
  if (k === order.length && c === contacts.length && d === documents.length && p === payments.length && f === facts.length) return { portfolioId: ledger.portfolio.id, accounts, orphanFacts, ascending };
  // The rest as indexPortfolioOf groups it; slices visited before that get rows are visited again.
  // Runs taken so far become arrays first: grouping appends to a slice's lists.
  if (runs !== null)
    for (let j = 0; j < k; j++) {
      const slice = order[j] as unknown as RunSlice;
      runRows(runs, slice, 'contacts');
      runRows(runs, slice, 'payments');
      runRows(runs, slice, 'facts');
    }
  const touched = new Set<S>();
  groupRuns(accounts, 'contacts', contacts, null, c, touched);
  groupDocuments(accounts, documents, true, d, touched);
  groupRuns(accounts, 'payments', payments, null, p, touched);
  groupRuns(accounts, 'facts', facts, orphanFacts, f, touched);
  for (let j = 0; j < order.length; j++) {
    const slice = order[j] as S;
    settle(slice);
    if (j >= k || touched.has(slice)) visit(slice);
  }
  return { portfolioId: ledger.portfolio.id, accounts, orphanFacts, ascending };
}

/**
 * Skips, from rows[at], runs of accounts the index does not have (to `orphans` when given; with
 * `openOnly`, closed documents are passed over too): the row returned belongs to a known account, or
 * there is none. Cheap when it belongs to `key`.
 */
function skipUnknown<T extends { readonly accountNumber: string }>(
  rows: readonly T[],
  at: number,
  key: string,
  accounts: ReadonlyMap<string, AccountSlice>,
  orphans: T[] | null,
  openOnly = false,
): number {
  let i = at;
  for (;;) {
    if (openOnly) while (i < rows.length && (rows[i] as unknown as LedgerDocument).status !== 'open') i++;
    if (i >= rows.length) return i;
    const other = (rows[i] as T).accountNumber;
    if (other === key || accounts.has(other)) return i;
    for (; i < rows.length; i++) {
      const r = rows[i] as T;
      if (openOnly && (r as unknown as LedgerDocument).status !== 'open') continue;
      if (r.accountNumber !== other) break;
      orphans?.push(r);
    }
  }
}

/** Whether rows[at] (if any) belongs to an account not visited yet, or to none. */
function headLater<S extends AccountSlice>(
  rows: readonly { readonly accountNumber: string }[],
  at: number,
  nextKey: string | undefined,
  accounts: ReadonlyMap<string, S>,
  visited: (slice: S) => boolean,
): boolean {
  if (at >= rows.length) return true;
  const key = (rows[at] as { readonly accountNumber: string }).accountNumber;
  if (key === nextKey) return true;
  const slice = accounts.get(key);
  return slice === undefined || !visited(slice);
}
