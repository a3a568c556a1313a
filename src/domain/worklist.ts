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
import { foldAccount } from './folds';
import type { CollectionsContact, Ledger, LedgerDocument, Payment } from './ledger';
import { minorDigits, type CurrencyCode } from './money';
import { outcomeIndex, type Outcome } from './outcomes';
import { instantMs } from './time-zone';
import { indexPortfolio, type AccountSlice, type PortfolioIndex } from './portfolio-index';
import {
  compileStrategy,
  evaluateStrategy,
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

/** Whole days between two instants (b − a), floored. */
function daysBetweenInstants(a: Instant, b: Instant): number {
  return Math.floor((instantMs(b) - instantMs(a)) / DAY_MS);
}

export function scoreEntry(
  decision: StrategyDecision,
  state: AccountState,
  riskGrade: string | undefined,
  asOf: Instant,
  weights: ScoreWeights,
): { score: number; components: ScoreComponent[] } {
  const c: ScoreComponent[] = [];
  const m = decision.metrics;
  const today = asOf.slice(0, 10);
  if (m.pastDue > 0 && m.oldestDaysPastDue > 0) {
    const major = majorUnits(m.pastDue, m.currency);
    const points = weights.amountByDaysPastDue * Math.log10(1 + major) * Math.sqrt(Math.min(m.oldestDaysPastDue, 365));
    c.push({ id: 'amount-days-past-due', points, detail: `${m.oldestDaysPastDue} days past due on ${major.toFixed(2)} ${m.currency}` });
  }
  const bucketIndex = decision.metrics.bucketIndex;
  const bucketPoints = bucketIndex >= 0 ? (weights.bucket[bucketIndex] ?? weights.bucket[weights.bucket.length - 1] ?? 0) : 0;
  if (bucketPoints !== 0) c.push({ id: 'bucket', points: bucketPoints, detail: `aging bucket ${m.bucketId}` });
  const promise = state.currentPromise;
  if (promise?.status === 'open' && promise.nextDueDate === today) c.push({ id: 'promise-due-today', points: weights.promiseDueToday, detail: 'a promised payment falls due today' });
  if (promise && (promise.status === 'broken' || promise.status === 'partially-kept'))
    c.push({ id: 'broken-promise', points: weights.brokenPromise, detail: `promise ${promise.status} on ${promise.failedOn ?? '?'}` });
  let oldestDispute: Instant | undefined;
  for (const d of state.disputes) if (d.status === 'open' && (oldestDispute === undefined || d.openedAt < oldestDispute)) oldestDispute = d.openedAt;
  if (oldestDispute !== undefined) {
    const days = Math.min(60, Math.max(0, daysBetweenInstants(oldestDispute, asOf)));
    c.push({ id: 'open-dispute', points: weights.openDisputePerDay * days, detail: `dispute open ${days} days` });
  }
  if (state.callbackAt !== undefined && state.callbackAt.slice(0, 10) <= today)
    c.push({ id: 'callback', points: weights.callbackDue, detail: `callback requested for ${state.callbackAt}` });
  if (m.pastDue > 0) {
    const days = state.lastContactAt === undefined ? 30 : Math.min(30, Math.max(0, daysBetweenInstants(state.lastContactAt, asOf)));
    if (days > 0) c.push({ id: 'days-since-contact', points: weights.perDaySinceContact * days, detail: state.lastContactAt === undefined ? 'never contacted' : `${days} days since last contact` });
  }
  if (decision.levelIndex !== undefined && decision.levelIndex > 0)
    c.push({ id: 'strategy-level', points: weights.perStrategyLevel * decision.levelIndex, detail: `strategy level ${decision.level?.name ?? decision.levelIndex}` });
  const riskPoints = riskGrade === undefined ? 0 : (weights.risk[riskGrade] ?? 0);
  if (riskPoints !== 0) c.push({ id: 'risk', points: riskPoints, detail: `risk grade ${riskGrade ?? ''}` });
  let score = 0;
  for (const x of c) score += x.points;
  return { score: Math.round(score * 100) / 100, components: c };
}

/** Higher score first; ties: earlier due first, then account number, so the order is total and stable. */
function before(a: WorklistEntry, b: WorklistEntry): boolean {
  if (a.score !== b.score) return a.score > b.score;
  const ad = a.dueAt ?? '~';
  const bd = b.dueAt ?? '~';
  if (ad !== bd) return ad < bd;
  return a.accountNumber < b.accountNumber;
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

function openInvoiceNumbers(documents: readonly LedgerDocument[]): string[] {
  const out: string[] = [];
  for (const d of documents) if (d.status === 'open' && d.kind === 'invoice' && d.open > 0) out.push(d.number);
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
  const { account, documents, payments, facts, contacts } = slice;
  const state = foldAccount({ accountNumber: account.number, facts, documents, payments, asOf, outcomes: config.outcomes });
  const strategy = config.strategyFor?.(account.number) ?? selectStrategy(account, state, config.selection, config.compiled);
  const decision = evaluateStrategy({ account, documents, state, strategy, asOf, aging: config.aging, payments });
  const next = decision.next;
  const method = next?.channel === undefined ? undefined : CONTACT_METHOD[next.channel];
  if (!next) return { state, decision };
  if (method === undefined) return { state, decision, dueAt: next.dueAt };
  const at = next.dueAt > asOf ? next.dueAt : asOf;
  const compliance = checkContact(
    { channel: method, documentNumbers: [], openDocumentNumbers: openInvoiceNumbers(documents), at },
    { account, contacts, state, pack: config.compliance },
  );
  if (compliance.allowed) return { state, decision, compliance, dueAt: next.dueAt };
  return compliance.nextAllowedAt === undefined ? { state, decision, compliance } : { state, decision, compliance, dueAt: compliance.nextAllowedAt };
}

export function evaluateAccount(slice: AccountSlice, asOf: Instant, config: ResolvedWorklistConfig): WorklistEntry {
  const { account } = slice;
  const { state, decision, compliance, dueAt } = decideAccount(slice, asOf, config);
  const { score, components } = scoreEntry(decision, state, account.riskGrade, asOf, config.weights);
  const entry: Writable<WorklistEntry> = {
    accountNumber: account.number,
    accountName: account.name,
    segment: account.segment,
    assignedTo: state.assignedTo,
    decision,
    score,
    components,
    state,
  };
  if (state.claim !== undefined) entry.claimedBy = state.claim.by;
  if (compliance !== undefined) entry.compliance = compliance;
  if (dueAt !== undefined) entry.dueAt = dueAt;
  return entry;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

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

export function resolveWorklistConfig(config: WorklistConfig): ResolvedWorklistConfig {
  const compiled = new Map<string, CompiledStrategy>();
  for (const [id, s] of config.strategies) compiled.set(id, compileStrategy(s));
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
 * A portfolio's worklist at one instant, kept current incrementally. Not thread-safe and not
 * persistent: the device rebuilds it from Dexie on start and feeds it facts and ledger changes.
 */
export class Worklist {
  private readonly index: PortfolioIndex;
  private readonly config: ResolvedWorklistConfig;
  private readonly byAccount = new Map<string, WorklistEntry>();
  private order: WorklistEntry[] = [];
  private at: Instant;

  constructor(ledger: Ledger, facts: readonly Fact[], config: WorklistConfig, asOf: Instant) {
    this.index = indexPortfolio(ledger, facts, { openDocumentsOnly: true });
    this.config = resolveWorklistConfig(config);
    this.at = asOf;
    this.rebuild();
  }

  get asOf(): Instant {
    return this.at;
  }

  /** Every account, highest priority first. */
  all(): readonly WorklistEntry[] {
    return this.order;
  }

  entry(accountNumber: string): WorklistEntry | undefined {
    return this.byAccount.get(accountNumber);
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
      if (slice.facts.some((g) => g.id === f.id)) continue;
      slice.facts.push(f);
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
      upsertBy(slice.payments, p, (x) => x.id === p.id);
      touched.add(p.accountNumber);
    }
    for (const c of change.contacts ?? []) {
      const slice = this.index.accounts.get(c.accountNumber);
      if (!slice) continue;
      upsertBy(slice.contacts, c, (x) => x.id === c.id);
      touched.add(c.accountNumber);
    }
    for (const a of touched) this.refresh(a);
    return [...touched];
  }

  private rebuild(): void {
    this.byAccount.clear();
    const order: WorklistEntry[] = [];
    for (const slice of this.index.accounts.values()) {
      const e = evaluateAccount(slice, this.at, this.config);
      this.byAccount.set(e.accountNumber, e);
      order.push(e);
    }
    order.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    this.order = order;
  }

  private refresh(accountNumber: string): void {
    const slice = this.index.accounts.get(accountNumber);
    if (!slice) return;
    const old = this.byAccount.get(accountNumber);
    if (old) {
      const i = insertionPoint(this.order, old);
      // The old entry sits at its insertion point (the order is total), so remove it there.
      if (this.order[i] === old) this.order.splice(i, 1);
      else this.order.splice(this.order.indexOf(old), 1);
    }
    const e = evaluateAccount(slice, this.at, this.config);
    this.byAccount.set(accountNumber, e);
    this.order.splice(insertionPoint(this.order, e), 0, e);
  }
}
