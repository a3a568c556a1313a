/**
 * The worklist: for every account, the next action (what, why, due when), whether compliance allows it
 * now, and a priority score whose components are shown, so a collector sees why an account ranks where
 * it does.
 *
 * How it works. Per account: fold its facts into a state (folds.ts), pick its strategy and evaluate it
 * (strategy.ts), check a contact action against the compliance pack (compliance.ts), then score. Each
 * account's entry depends only on its own ledger rows and facts, so a new fact or a ledger change
 * re-scores just the accounts it touches: `Worklist.applyFacts` / `applyLedger` recompute those entries
 * and move them within the sorted order by binary search instead of re-sorting the portfolio.
 */
import { z } from 'zod';
import type { AccountState } from './account-state';
import type { AgingConfig } from './aging';
import { defaultDueDateAging } from './aging';
import type { ActivityChannel, Fact, Instant } from './facts';
import { checkContact, type CompliancePack, type ComplianceVerdict, type ContactMethod } from './compliance';
import { foldRange } from './folds';
import type { Account, CollectionsContact, Ledger, LedgerDocument, Payment } from './ledger';
import { minorDigits, type CurrencyCode } from './money';
import { outcomeIndex, type Outcome } from './outcomes';
import { instantMs } from './time-zone';
import { IN_RUN, indexPortfolioRuns, runRows, type AccountSlice, type Runs, type RunSlice } from './portfolio-index';
import { copyRange, flat } from './retained';
import { evaluateFor } from './strategy-evaluate';
import {
  compileStrategy,
  selectStrategy,
  type CompiledStrategy,
  type NextAction,
  type Strategy,
  type StrategyConfig,
  type StrategyDecision,
} from './strategy';

/** Points per component; a team tunes these, so they are data. */
export const scoreWeightsSchema = z.object({
  /** × log10(1 + past-due amount in major units) × √(days past due, capped at 365). */
  amountByDaysPastDue: z.number().min(0).default(1),
  /** Points by aging bucket index (Current = 0 …). */
  bucket: z.array(z.number()).default([0, 4, 8, 12, 16, 20]),
  promiseDueToday: z.number().default(30),
  brokenPromise: z.number().default(40),
  /** Per day an open dispute has waited, capped at 60 days. */
  openDisputePerDay: z.number().default(0.5),
  callbackDue: z.number().default(50),
  /** Per day since the last contact, capped at 30 days. */
  perDaySinceContact: z.number().default(0.5),
  /** Per level of the strategy (the first level is 0): later levels are more urgent. */
  perStrategyLevel: z.number().default(3),
  /** Points by risk grade A…E. */
  risk: z.record(z.string(), z.number()).default({ A: 0, B: 2, C: 4, D: 7, E: 10 }),
});
export type ScoreWeights = z.infer<typeof scoreWeightsSchema>;
export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = scoreWeightsSchema.parse({});

export interface ScoreComponent {
  readonly id: 'amount-days-past-due' | 'bucket' | 'promise-due-today' | 'broken-promise' | 'open-dispute' | 'callback' | 'days-since-contact' | 'strategy-level' | 'risk';
  readonly points: number;
  readonly detail: string;
}

export interface WorklistEntry {
  readonly accountNumber: string;
  readonly accountName: string;
  readonly segment: string;
  readonly assignedTo: string | null;
  readonly claimedBy?: string;
  readonly decision: StrategyDecision;
  /** For a contact action: may we contact now? */
  readonly compliance?: ComplianceVerdict;
  /** When the next action is due (compliance may push it later); absent when there is nothing to do. */
  readonly dueAt?: Instant;
  readonly score: number;
  readonly components: readonly ScoreComponent[];
  readonly state: AccountState;
}

export interface WorklistConfig {
  readonly strategies: ReadonlyMap<string, Strategy>;
  readonly selection: StrategyConfig;
  readonly compliance: CompliancePack;
  readonly outcomes?: readonly Outcome[];
  readonly aging?: AgingConfig;
  readonly weights?: ScoreWeights;
}

export const WORKLIST_SCOPES = ['mine', 'team', 'unassigned'] as const;
export interface WorklistFilter {
  readonly scope?: (typeof WORKLIST_SCOPES)[number];
  /** The collector asking, for scope 'mine'. */
  readonly collector?: string;
  readonly bucket?: string;
  readonly actionKind?: NextAction['kind'];
  /** 'due': due by the end of the asOf day; 'overdue': due before the asOf day began. */
  readonly due?: 'due' | 'overdue';
  readonly limit?: number;
}

/** Activity channels that reach the debtor, as compliance names them (a note reaches nobody). */
const CONTACT_METHOD: Partial<Record<ActivityChannel, ContactMethod>> = { call: 'call', visit: 'visit', email: 'email', sms: 'sms', letter: 'letter' };
const DAY_MS = 86_400_000;

function majorUnits(minorAmount: number, currency: CurrencyCode): number {
  // XXX (no currency) has no minor digits to look up; its amounts are zero anyway.
  return currency === 'XXX' ? minorAmount : minorAmount / 10 ** minorDigits(currency);
}

// Scoring reads the same asOf for every account: its parse is kept.
let lastAsOf = '';
let lastAsOfMs = 0;
let lastToday = '';

/** Whole days between an instant and asOf (asOf − a), floored. */
function daysBefore(a: Instant, asOf: Instant): number {
  if (asOf !== lastAsOf) parseAsOf(asOf);
  return Math.floor((lastAsOfMs - instantMs(a)) / DAY_MS);
}

function parseAsOf(asOf: Instant): void {
  lastAsOfMs = instantMs(asOf);
  lastToday = asOf.slice(0, 10);
  lastAsOf = asOf;
}

/**
 * Components that many accounts share (same id, points and detail: a bucket, a risk grade, a level, a
 * number of days) are built once and shared, frozen, instead of once per account: a worklist keeps
 * every entry, so each object saved is one the garbage collector no longer copies. A cached component
 * is reused only when its points are the same as computed now (another weights object may differ).
 * Bounded: a cache that grows past its size starts afresh.
 */
type ComponentCache = Map<string | number | null | undefined, ScoreComponent>;
const componentCaches = {
  bucket: new Map() as ComponentCache,
  risk: new Map() as ComponentCache,
  level: new Map() as ComponentCache,
  contact: new Map() as ComponentCache,
  dispute: new Map() as ComponentCache,
  broken: new Map() as ComponentCache,
  partly: new Map() as ComponentCache,
  promiseToday: new Map() as ComponentCache,
};
const COMPONENT_CACHE_SIZE = 4096;

function sharedComponent(cache: ComponentCache, key: string | number | null | undefined, points: number): ScoreComponent | undefined {
  const c = cache.get(key);
  return c !== undefined && Object.is(c.points, points) ? c : undefined;
}

function share(cache: ComponentCache, key: string | number | null | undefined, c: ScoreComponent): ScoreComponent {
  if (cache.size >= COMPONENT_CACHE_SIZE) cache.clear();
  flat(c.detail);
  cache.set(key, Object.freeze(c));
  return c;
}

// Components of the entry being scored: module scratch (scoring is synchronous), copied out at exact size.
const scratchComponents: ScoreComponent[] = [];

export function scoreEntry(
  decision: StrategyDecision,
  state: AccountState,
  riskGrade: string | undefined,
  asOf: Instant,
  weights: ScoreWeights,
): { score: number; components: ScoreComponent[] } {
  const score = scoreComponents(decision, state, riskGrade, asOf, weights);
  return { score, components: copyRange(scratchComponents, 0, componentCount) };
}

/**
 * Lists of components that are all shared ones (no amount, no callback: an account with nothing past
 * due), shared in turn: a trie by component, so a lookup is one map probe per component. Bounded.
 */
interface ComponentList {
  list: readonly ScoreComponent[] | undefined;
  next: Map<ScoreComponent, ComponentList> | undefined;
}
let componentLists: ComponentList = { list: undefined, next: undefined };
let componentListCount = 0;

function sharedComponentList(c: readonly ScoreComponent[], n: number): readonly ScoreComponent[] {
  if (componentListCount >= COMPONENT_CACHE_SIZE) {
    componentLists = { list: undefined, next: undefined };
    componentListCount = 0;
  }
  let node = componentLists;
  for (let i = 0; i < n; i++) {
    const x = c[i] as ScoreComponent;
    node.next ??= new Map();
    let n = node.next.get(x);
    if (n === undefined) {
      n = { list: undefined, next: undefined };
      node.next.set(x, n);
    }
    node = n;
  }
  if (node.list === undefined) {
    node.list = Object.freeze(copyRange(c, 0, n));
    componentListCount++;
  }
  return node.list;
}

/**
 * `${days} days past due on `, shared per number of days: the amount sentence is then this and a short
 * tail (one join), not a tree of five pieces per account.
 */
const pastDuePrefixes: (string | undefined)[] = new Array<string | undefined>(4096).fill(undefined);

function pastDuePrefix(days: number): string {
  if (!(days >= 0 && days < 4096 && Number.isInteger(days))) return `${days} days past due on `;
  return (pastDuePrefixes[days] ??= flat(`${days} days past due on `));
}

// What scoreComponents gathered: the first componentCount of scratchComponents (reused, never
// shrunk), and whether every one of them is a shared one.
let componentCount = 0;
let allShared = true;

/** scoreEntry's work: the components into scratchComponents, the score returned. */
function scoreComponents(decision: StrategyDecision, state: AccountState, riskGrade: string | undefined, asOf: Instant, weights: ScoreWeights): number {
  const c = scratchComponents;
  let n = 0;
  allShared = true;
  const caches = componentCaches;
  const m = decision.metrics;
  if (asOf !== lastAsOf) parseAsOf(asOf);
  const today = lastToday;
  if (m.pastDue > 0 && m.oldestDaysPastDue > 0) {
    const major = majorUnits(m.pastDue, m.currency);
    const points = weights.amountByDaysPastDue * Math.log10(1 + major) * Math.sqrt(Math.min(m.oldestDaysPastDue, 365));
    c[n++] = { id: 'amount-days-past-due', points, detail: pastDuePrefix(m.oldestDaysPastDue) + `${major.toFixed(2)} ${m.currency}` };
    allShared = false;
  }
  const bucketIndex = decision.metrics.bucketIndex;
  const bucketPoints = bucketIndex >= 0 ? (weights.bucket[bucketIndex] ?? weights.bucket[weights.bucket.length - 1] ?? 0) : 0;
  if (bucketPoints !== 0)
    c[n++] = sharedComponent(caches.bucket, m.bucketId, bucketPoints) ?? share(caches.bucket, m.bucketId, { id: 'bucket', points: bucketPoints, detail: `aging bucket ${m.bucketId}` });
  const promise = state.currentPromise;
  if (promise?.status === 'open' && promise.nextDueDate === today) {
    const points = weights.promiseDueToday;
    c[n++] = sharedComponent(caches.promiseToday, 0, points) ?? share(caches.promiseToday, 0, { id: 'promise-due-today', points, detail: 'a promised payment falls due today' });
  }
  if (promise && (promise.status === 'broken' || promise.status === 'partially-kept')) {
    const cache = promise.status === 'broken' ? caches.broken : caches.partly;
    const points = weights.brokenPromise;
    c[n++] =
      sharedComponent(cache, promise.failedOn, points) ??
        share(cache, promise.failedOn, { id: 'broken-promise', points, detail: `promise ${promise.status} on ${promise.failedOn ?? '?'}` });
  }
  let oldestDispute: Instant | undefined;
  for (let i = 0; i < state.disputes.length; i++) {
    const d = state.disputes[i] as AccountState['disputes'][number];
    if (d.status === 'open' && (oldestDispute === undefined || d.openedAt < oldestDispute)) oldestDispute = d.openedAt;
  }
  if (oldestDispute !== undefined) {
    const days = Math.min(60, Math.max(0, daysBefore(oldestDispute, asOf)));
    const points = weights.openDisputePerDay * days;
    c[n++] = sharedComponent(caches.dispute, days, points) ?? share(caches.dispute, days, { id: 'open-dispute', points, detail: `dispute open ${days} days` });
  }
  if (state.callbackAt !== undefined && state.callbackAt.slice(0, 10) <= today) {
    c[n++] = { id: 'callback', points: weights.callbackDue, detail: flat(`callback requested for ${state.callbackAt}`) };
    allShared = false;
  }
  if (m.pastDue > 0) {
    const days = state.lastContactAt === undefined ? 30 : Math.min(30, Math.max(0, daysBefore(state.lastContactAt, asOf)));
    if (days > 0) {
      const points = weights.perDaySinceContact * days;
      // Keyed by days, and by undefined for "never contacted" (its days are 30).
      const key = state.lastContactAt === undefined ? undefined : days;
      c[n++] =
        sharedComponent(caches.contact, key, points) ??
          share(caches.contact, key, { id: 'days-since-contact', points, detail: key === undefined ? 'never contacted' : `${days} days since last contact` });
    }
  }
  if (decision.levelIndex !== undefined && decision.levelIndex > 0) {
    const points = weights.perStrategyLevel * decision.levelIndex;
    const name = decision.level?.name ?? decision.levelIndex;
    c[n++] = sharedComponent(caches.level, name, points) ?? share(caches.level, name, { id: 'strategy-level', points, detail: `strategy level ${name}` });
  }
  const riskPoints = riskGrade === undefined ? 0 : (weights.risk[riskGrade] ?? 0);
  if (riskPoints !== 0)
    c[n++] = sharedComponent(caches.risk, riskGrade, riskPoints) ?? share(caches.risk, riskGrade, { id: 'risk', points: riskPoints, detail: `risk grade ${riskGrade ?? ''}` });
  let score = 0;
  for (let i = 0; i < n; i++) score += (c[i] as ScoreComponent).points;
  componentCount = n;
  return Math.round(score * 100) / 100;
}

/** Higher score first; ties: earlier due first, then account number, so the order is total and stable. */
function before(a: WorklistEntry, b: WorklistEntry): boolean {
  if (a.score !== b.score) return a.score > b.score;
  const ad = a.dueAt ?? '~';
  const bd = b.dueAt ?? '~';
  if (ad !== bd) return ad < bd;
  return a.accountNumber < b.accountNumber;
}

/**
 * The entries being sorted and their sort keys, by position: module scratch (building and sorting are
 * synchronous). `keyEntry` adds one. The worklist keys each entry as it is made, while its fields are
 * still in the processor's cache: reading 20k entries back afterwards, spread over the heap, cost more
 * than sorting them.
 */
const keyed = {
  entries: [] as WorklistEntry[],
  scores: new Float64Array(0),
  dues: [] as string[],
  accounts: [] as string[],
  count: 0,
  /** Every entry was keyed once, in the order of the index's accounts (see the Worklist constructor). */
  inOrder: true,
};

function startKeying(n: number): void {
  if (keyed.scores.length < n) {
    keyed.scores = new Float64Array(n);
    sortPacked = new Float64Array(n);
  }
  // Sized up front: grown by push, the three lists left ~1 MB of outgrown copies per build.
  keyed.entries = new Array<WorklistEntry>(n);
  keyed.dues = new Array<string>(n);
  keyed.accounts = new Array<string>(n);
  keyed.count = 0;
  keyed.inOrder = true;
}

function keyEntry(e: WorklistEntry, score: number, dueAt: Instant | undefined, accountNumber: string): void {
  const i = keyed.count++;
  if (i >= keyed.scores.length) {
    const grown = new Float64Array(Math.max(16, 2 * keyed.scores.length));
    grown.set(keyed.scores);
    keyed.scores = grown;
    sortPacked = new Float64Array(grown.length);
  }
  keyed.entries[i] = e;
  keyed.scores[i] = score;
  keyed.dues[i] = dueAt ?? '~';
  keyed.accounts[i] = accountNumber;
}

/** `before` as a comparator of positions into the sort keys. */
function compareKeys(i: number, j: number): number {
  const a = keyed.scores[i] as number;
  const b = keyed.scores[j] as number;
  // As `before`: NaN scores compare equal to everything, like the comparator built from it.
  if (a !== b) return a > b ? -1 : b > a ? 1 : 0;
  const x = keyed.dues[i] as string;
  const y = keyed.dues[j] as string;
  if (x !== y) return x < y ? -1 : 1;
  const p = keyed.accounts[i] as string;
  const q = keyed.accounts[j] as string;
  return p < q ? -1 : p > q ? 1 : 0;
}

const SCORE_LIMIT = 2 ** 30;
let sortPacked = new Float64Array(0);

/**
 * The entries in `before` order, keyed in one pass (the worklist keys them as they are made instead).
 * `ascending`: they are listed in strictly ascending account-number order.
 */
function sortEntries(entries: readonly WorklistEntry[], ascending: boolean): WorklistEntry[] {
  startKeying(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as WorklistEntry;
    keyEntry(e, e.score, e.dueAt, e.accountNumber);
  }
  return sortKeyed(ascending);
}

/**
 * The keyed entries in `before` order (and the scratch emptied). Entries come in several shapes
 * (claimedBy, compliance and dueAt are optional), so a comparator reading them directly hits
 * megamorphic property loads some 300k times for 20k accounts: their keys are flat arrays instead.
 *
 * Usually no comparator runs at all. Scores are rounded to cents (scoreComponents), so a score is a
 * whole number of cents k; due times are ranked among the distinct ones (a few thousand, sorted as
 * strings); and entries keyed in account-number order (the ledger's usual order, `ascending`, which
 * the index finds where comparing the numbers is cheap) have their position as account rank. `before` is then the order of the numbers ((kMax − k) · dues + due rank) · n +
 * position, sorted natively (a Float64Array, exact below 2^53) instead of by some 300k comparator
 * calls. Otherwise (a score that is no whole number of cents, NaN, the numbers beyond 2^53, or accounts
 * out of order) the positions are sorted with the comparator.
 */
function sortKeyed(ascending: boolean): WorklistEntry[] {
  const n = keyed.count;
  const { entries, scores, dues } = keyed;
  const packed = sortPacked.subarray(0, n);
  let numeric = n > 0 && ascending;
  let kMin = Infinity;
  let kMax = -Infinity;
  // Scores in cents (in `packed` for now); distinct due times by first appearance, and each entry's index among them.
  const dueIndex = new Map<string, number>();
  const distinct: string[] = [];
  const dueOf = new Int32Array(n);
  for (let i = 0; i < n && numeric; i++) {
    const score = scores[i] as number;
    const k = Math.round(score * 100);
    if (k / 100 !== score || !(k > -SCORE_LIMIT && k < SCORE_LIMIT)) numeric = false;
    if (k < kMin) kMin = k;
    if (k > kMax) kMax = k;
    packed[i] = k;
    const due = dues[i] as string;
    let d = dueIndex.get(due);
    if (d === undefined) {
      d = distinct.length;
      distinct.push(due);
      dueIndex.set(due, d);
    }
    dueOf[i] = d;
  }
  const order = new Array<WorklistEntry>(n);
  const dueCount = distinct.length;
  if (numeric && (kMax - kMin + 1) * dueCount * n < 2 ** 53) {
    // Each distinct due time's rank: code-unit order, as `<` compares strings.
    const sorted = distinct.slice().sort();
    const rankOf = new Int32Array(dueCount);
    for (let r = 0; r < dueCount; r++) rankOf[dueIndex.get(sorted[r] as string) as number] = r;
    for (let i = 0; i < n; i++) packed[i] = ((kMax - (packed[i] as number)) * dueCount + (rankOf[dueOf[i] as number] as number)) * n + i;
    packed.sort();
    for (let i = 0; i < n; i++) order[i] = entries[(packed[i] as number) % n] as WorklistEntry;
  } else {
    const positions: number[] = [];
    for (let i = 0; i < n; i++) positions.push(i);
    positions.sort(compareKeys);
    for (let i = 0; i < n; i++) order[i] = entries[positions[i] as number] as WorklistEntry;
  }
  // Let go of the entries (the scratch would otherwise keep a worklist alive).
  startKeying(0);
  return order;
}

function insertionPoint(order: readonly WorklistEntry[], e: WorklistEntry): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(order[mid] as WorklistEntry, e)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const NO_DOCUMENT_NUMBERS: readonly string[] = Object.freeze([]);

function openInvoiceNumbers(documents: readonly LedgerDocument[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < documents.length; i++) {
    const d = documents[i] as LedgerDocument;
    if (d.status === 'open' && d.kind === 'invoice' && d.open > 0) out.push(d.number);
  }
  return out;
}

/** What the engine decides for one account at an instant, before any scoring. */
export interface AccountDecision {
  readonly state: AccountState;
  readonly decision: StrategyDecision;
  readonly compliance?: ComplianceVerdict;
  /** When the next action can be carried out: its due time, or later if compliance says so. */
  readonly dueAt?: Instant;
}

/**
 * Fold, strategy and compliance for one account from its slice alone. Exported for the simulation,
 * which evaluates accounts day by day without keeping a sorted worklist.
 */
export function decideAccount(slice: AccountSlice, asOf: Instant, config: ResolvedWorklistConfig): AccountDecision {
  const facts = slice.facts;
  decideInto(slice, asOf, config, facts, 0, facts.length, null);
  const state = decided.state as AccountState;
  const decision = decided.decision as StrategyDecision;
  const { compliance, dueAt } = decided;
  if (compliance === undefined) return dueAt === undefined ? { state, decision } : { state, decision, dueAt };
  return dueAt === undefined ? { state, decision, compliance } : { state, decision, compliance, dueAt };
}

/** What decideInto found for the last account: module scratch, read at once by its caller. */
const decided: { state: AccountState | undefined; decision: StrategyDecision | undefined; compliance: ComplianceVerdict | undefined; dueAt: Instant | undefined } = {
  state: undefined,
  decision: undefined,
  compliance: undefined,
  dueAt: undefined,
};

/**
 * decideAccount's work, into `decided` (no result object per account on the worklist's path), with the
 * account's facts as facts[from, to). With `runs`, the slice is a kept one (RunSlice) whose contacts
 * and payments may still be runs of those lists.
 */
function decideInto(slice: AccountSlice, asOf: Instant, config: ResolvedWorklistConfig, facts: readonly Fact[], from: number, to: number, runs: Runs | null): void {
  const account = slice.account;
  const documents = slice.documents;
  // The slice stands for its payments (a kept one through keptPayments): the fold and the strategy read
  // them only when a promise needs them.
  const paid = runs === null ? slice : keptPayments;
  // A kept slice's payments still a run: the fold reads them where they lie (see foldRange).
  const state =
    runs !== null && slice.payments === IN_RUN
      ? foldRange(account.number, facts, from, to, paid, asOf, config.outcomes, runs.payments, (slice as KeptSlice).paymentFrom, (slice as KeptSlice).paymentTo)
      : foldRange(account.number, facts, from, to, paid, asOf, config.outcomes);
  const strategy = config.strategyFor?.(account.number) ?? selectStrategy(account, state, config.selection, config.compiled);
  const decision = evaluateFor(account, documents, state, strategy, asOf, config.aging, paid);
  decided.state = state;
  decided.decision = decision;
  decided.compliance = undefined;
  decided.dueAt = undefined;
  const next = decision.next;
  if (!next) return;
  const method = next.channel === undefined ? undefined : CONTACT_METHOD[next.channel];
  if (method === undefined) {
    decided.dueAt = next.dueAt;
    return;
  }
  const at = next.dueAt > asOf ? next.dueAt : asOf;
  // The open invoices name the debts a call is about; compliance reads them only to place calls and
  // conversations already logged, so an account with neither skips building the list.
  const openDocumentNumbers = method === 'call' && (state.attempts.length > 0 || state.lastConversationAt !== undefined) ? openInvoiceNumbers(documents) : NO_DOCUMENT_NUMBERS;
  const compliance = checkContact(
    { channel: method, documentNumbers: NO_DOCUMENT_NUMBERS, openDocumentNumbers, at },
    { account, contacts: runs === null ? slice.contacts : runRows(runs, slice as KeptSlice, 'contacts'), state, pack: config.compliance },
  );
  decided.compliance = compliance;
  if (compliance.allowed) decided.dueAt = next.dueAt;
  else if (compliance.nextAllowedAt !== undefined) decided.dueAt = compliance.nextAllowedAt;
}

export function evaluateAccount(slice: AccountSlice, asOf: Instant, config: ResolvedWorklistConfig): WorklistEntry {
  const facts = slice.facts;
  return entryOf(slice, asOf, config, facts, 0, facts.length, null);
}

/** evaluateAccount with the account's facts as facts[from, to) (and `runs` as decideInto has it). */
function entryOf(slice: AccountSlice, asOf: Instant, config: ResolvedWorklistConfig, facts: readonly Fact[], from: number, to: number, runs: Runs | null): WorklistEntry {
  const { account } = slice;
  decideInto(slice, asOf, config, facts, from, to, runs);
  const state = decided.state as AccountState;
  const decision = decided.decision as StrategyDecision;
  const { compliance, dueAt } = decided;
  const score = scoreComponents(decision, state, account.riskGrade, asOf, config.weights);
  lastScore = score;
  lastDueAt = dueAt;
  // Entries keep their components read-only: a list of shared components can be shared too.
  const components = allShared ? sharedComponentList(scratchComponents, componentCount) : copyRange(scratchComponents, 0, componentCount);
  const accountNumber = account.number;
  const accountName = account.name;
  const segment = account.segment;
  const assignedTo = state.assignedTo;
  // One literal per common set of optional fields, in the same key order as adding them one by one:
  // no out-of-object property store per entry. A claim (rare) takes the general path.
  if (state.claim === undefined) {
    if (compliance === undefined)
      return dueAt === undefined
        ? { accountNumber, accountName, segment, assignedTo, decision, score, components, state }
        : { accountNumber, accountName, segment, assignedTo, decision, score, components, state, dueAt };
    return dueAt === undefined
      ? { accountNumber, accountName, segment, assignedTo, decision, score, components, state, compliance }
      : { accountNumber, accountName, segment, assignedTo, decision, score, components, state, compliance, dueAt };
  }
  const entry: Writable<WorklistEntry> = { accountNumber, accountName, segment, assignedTo, decision, score, components, state };
  entry.claimedBy = state.claim.by;
  if (compliance !== undefined) entry.compliance = compliance;
  if (dueAt !== undefined) entry.dueAt = dueAt;
  return entry;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

// The score and due time of the entry evaluateAccount made last, for its caller to key it without
// reading the entry back.
let lastScore = 0;
let lastDueAt: Instant | undefined;

export interface ResolvedWorklistConfig {
  readonly compiled: ReadonlyMap<string, CompiledStrategy>;
  readonly selection: StrategyConfig;
  readonly compliance: CompliancePack;
  readonly outcomes: ReadonlyMap<string, Outcome>;
  readonly aging: AgingConfig;
  readonly weights: ScoreWeights;
  /** A strategy forced on accounts (the simulation's "what if"); otherwise selectStrategy decides. */
  readonly strategyFor?: (accountNumber: string) => CompiledStrategy | undefined;
}

/**
 * Strategies compiled before, by the strategy object (immutable data): a worklist built again with the
 * same configuration (the app rebuilds on a reset of facts, a ledger pull, loaded payments) reuses
 * them, and with them the sentences they keep per level, step and day (strategy-compile.ts), instead
 * of writing them all again; evaluateStrategy keeps its compiled strategies the same way.
 */
const compiledStrategies = new WeakMap<Strategy, CompiledStrategy>();

export function resolveWorklistConfig(config: WorklistConfig): ResolvedWorklistConfig {
  const compiled = new Map<string, CompiledStrategy>();
  for (const [id, s] of config.strategies) {
    let c = compiledStrategies.get(s);
    if (c === undefined) {
      c = compileStrategy(s);
      compiledStrategies.set(s, c);
    }
    compiled.set(id, c);
  }
  return {
    compiled,
    selection: config.selection,
    compliance: config.compliance,
    outcomes: outcomeIndex(config.outcomes),
    aging: config.aging ?? defaultDueDateAging,
    weights: config.weights ?? DEFAULT_SCORE_WEIGHTS,
  };
}

/** Ledger rows that changed (a pull from the server), applied to the worklist's copy. */
export interface LedgerChange {
  readonly documents?: readonly LedgerDocument[];
  readonly payments?: readonly Payment[];
  readonly contacts?: readonly CollectionsContact[];
}

function upsertBy<T>(list: T[], row: T, same: (a: T) => boolean): void {
  const i = list.findIndex(same);
  if (i >= 0) list[i] = row;
  else list.push(row);
}

/**
 * An account's slice as the worklist keeps it: with its current entry, so that looking an entry up by
 * account is the index's one map lookup (no second map of 20k entries to build per worklist).
 *
 * Its contacts, payments and facts start as runs of the lists the worklist was built from (RunSlice):
 * an array is made of a run only when it is needed (compliance reads contacts for contact actions, the
 * fold and the strategy payments for promises; applyFacts and applyLedger change lists), and the
 * build folds facts where they lie. Copying every run was 55k arrays (~6 MB) per build of the
 * benchmark portfolio.
 */
interface KeptSlice extends RunSlice {
  entry: WorklistEntry | undefined;
}

interface WorklistIndex {
  readonly accounts: Map<string, KeptSlice>;
  readonly orphanFacts: Fact[];
  readonly runs: Runs;
  /** The accounts are in strictly ascending number order (see IndexOf). */
  readonly ascending?: boolean;
}

function keptSlice(account: Account, pending: never[]): KeptSlice {
  return { account, contacts: pending, documents: pending, payments: pending, facts: pending, entry: undefined, contactFrom: 0, contactTo: 0, paymentFrom: 0, paymentTo: 0, factFrom: 0, factTo: 0 };
}

/**
 * What the fold and the strategy read a kept slice's payments through (`paid.payments`, read only for
 * a promise): one object for every account, its getter making the run of the slice being decided an
 * array. Set by keptEntry around each evaluation (synchronous).
 */
let paidSlice: KeptSlice | undefined;
let paidRuns: Runs | undefined;
const keptPayments = {
  get payments(): readonly Payment[] {
    return runRows(paidRuns as Runs, paidSlice as KeptSlice, 'payments');
  },
};

/** Evaluates the slice's account and keys its entry for the sort (a slice evaluated twice spoils the keys' order). */
function evaluateInto(slice: KeptSlice, runs: Runs, asOf: Instant, config: ResolvedWorklistConfig): void {
  if (slice.entry !== undefined) keyed.inOrder = false;
  const e = keptEntry(slice, runs, asOf, config);
  slice.entry = e;
  keyEntry(e, lastScore, lastDueAt, slice.account.number);
}

/** The slice's entry, its facts read where they lie while they are a run (see KeptSlice). */
function keptEntry(slice: KeptSlice, runs: Runs, asOf: Instant, config: ResolvedWorklistConfig): WorklistEntry {
  paidSlice = slice;
  paidRuns = runs;
  const facts = slice.facts;
  const e = facts === IN_RUN ? entryOf(slice, asOf, config, runs.facts, slice.factFrom, slice.factTo, runs) : entryOf(slice, asOf, config, facts, 0, facts.length, runs);
  // Not to keep a worklist's lists alive past it.
  paidSlice = undefined;
  paidRuns = undefined;
  return e;
}

function isEvaluated(slice: KeptSlice): boolean {
  return slice.entry !== undefined;
}

/**
 * A portfolio's worklist at one instant, kept current incrementally. Not thread-safe and not
 * persistent: the device rebuilds it from Dexie on start and feeds it facts and ledger changes.
 *
 * It keeps the ledger's contacts and payments lists and the facts list it is built from, and reads an
 * account's rows from them when it first needs them (KeptSlice): after the constructor those lists
 * may only be appended to (changes reach the worklist through applyFacts and applyLedger).
 */
export class Worklist {
  private readonly index: WorklistIndex;
  private readonly config: ResolvedWorklistConfig;
  private order: WorklistEntry[] = [];
  private at: Instant;

  constructor(ledger: Ledger, facts: readonly Fact[], config: WorklistConfig, asOf: Instant) {
    const resolved = resolveWorklistConfig(config);
    this.config = resolved;
    this.at = asOf;
    // Each account is evaluated as soon as its rows are gathered (see indexPortfolioVisiting), and its
    // entry keyed for the sort. Visited once each, in the index's order (the usual case), the keyed
    // entries are the index's; otherwise they are keyed again from the index.
    startKeying(ledger.accounts.length);
    this.index = indexPortfolioRuns(ledger, facts, keptSlice, (slice, runs) => evaluateInto(slice, runs, asOf, resolved), isEvaluated);
    const ascending = this.index.ascending === true;
    if (keyed.inOrder && keyed.count === this.index.accounts.size) this.order = sortKeyed(ascending);
    else {
      const entries: WorklistEntry[] = [];
      this.index.accounts.forEach((slice) => entries.push(slice.entry as WorklistEntry));
      this.order = sortEntries(entries, ascending);
    }
  }

  get asOf(): Instant {
    return this.at;
  }

  /** Every account, highest priority first. */
  all(): readonly WorklistEntry[] {
    return this.order;
  }

  entry(accountNumber: string): WorklistEntry | undefined {
    return this.index.accounts.get(accountNumber)?.entry;
  }

  query(filter: WorklistFilter = {}): WorklistEntry[] {
    const today = this.at.slice(0, 10);
    const endOfToday = `${today}T23:59:59.999Z`;
    const out: WorklistEntry[] = [];
    const limit = filter.limit ?? Number.POSITIVE_INFINITY;
    for (const e of this.order) {
      if (out.length >= limit) break;
      if (filter.scope === 'mine' && (filter.collector === undefined || e.assignedTo !== filter.collector)) continue;
      if (filter.scope === 'unassigned' && e.assignedTo !== null) continue;
      if (filter.bucket !== undefined && e.decision.metrics.bucketId !== filter.bucket) continue;
      if (filter.actionKind !== undefined && e.decision.next?.kind !== filter.actionKind) continue;
      if (filter.due === 'due' && (e.dueAt === undefined || e.dueAt > endOfToday)) continue;
      if (filter.due === 'overdue' && (e.dueAt === undefined || e.dueAt.slice(0, 10) >= today)) continue;
      out.push(e);
    }
    return out;
  }

  /** Moves the worklist to another instant: every account is re-evaluated (days past due move). */
  setAsOf(asOf: Instant): void {
    this.at = asOf;
    this.rebuild();
  }

  /** New facts (from this device or merged from teammates): only their accounts are re-scored. */
  applyFacts(facts: readonly Fact[]): string[] {
    const touched = new Set<string>();
    for (const f of facts) {
      const slice = this.index.accounts.get(f.accountNumber);
      if (!slice) {
        this.index.orphanFacts.push(f);
        continue;
      }
      const list = runRows(this.index.runs, slice, 'facts');
      if (list.some((g) => g.id === f.id)) continue;
      list.push(f);
      touched.add(f.accountNumber);
    }
    for (const a of touched) this.refresh(a);
    return [...touched];
  }

  /** Changed ledger rows from a pull: only their accounts are re-scored. */
  applyLedger(change: LedgerChange): string[] {
    const touched = new Set<string>();
    for (const d of change.documents ?? []) {
      const slice = this.index.accounts.get(d.accountNumber);
      if (!slice) continue;
      // Only open documents are kept (see indexPortfolio): a settled one leaves the slice.
      const i = slice.documents.findIndex((x) => x.number === d.number);
      if (d.status === 'open') {
        if (i >= 0) slice.documents[i] = d;
        else slice.documents.push(d);
      } else if (i >= 0) slice.documents.splice(i, 1);
      touched.add(d.accountNumber);
    }
    for (const p of change.payments ?? []) {
      const slice = this.index.accounts.get(p.accountNumber);
      if (!slice) continue;
      upsertBy(runRows(this.index.runs, slice, 'payments'), p, (x) => x.id === p.id);
      touched.add(p.accountNumber);
    }
    for (const c of change.contacts ?? []) {
      const slice = this.index.accounts.get(c.accountNumber);
      if (!slice) continue;
      upsertBy(runRows(this.index.runs, slice, 'contacts'), c, (x) => x.id === c.id);
      touched.add(c.accountNumber);
    }
    for (const a of touched) this.refresh(a);
    return [...touched];
  }

  private rebuild(): void {
    startKeying(this.index.accounts.size);
    for (const slice of this.index.accounts.values()) {
      const e = keptEntry(slice, this.index.runs, this.at, this.config);
      slice.entry = e;
      keyEntry(e, lastScore, lastDueAt, slice.account.number);
    }
    this.order = sortKeyed(this.index.ascending === true);
  }

  private refresh(accountNumber: string): void {
    const slice = this.index.accounts.get(accountNumber);
    if (!slice) return;
    const old = slice.entry;
    if (old) {
      const i = insertionPoint(this.order, old);
      // The old entry sits at its insertion point (the order is total), so remove it there.
      if (this.order[i] === old) this.order.splice(i, 1);
      else this.order.splice(this.order.indexOf(old), 1);
    }
    const e = keptEntry(slice, this.index.runs, this.at, this.config);
    slice.entry = e;
    this.order.splice(insertionPoint(this.order, e), 0, e);
  }
}
