/**
 * A strategy turned into what the hot loop wants, once per strategy: predicate bounds as numbers with
 * open ends at ±Infinity (no `undefined` checks per account), step delays in milliseconds, labels
 * precomputed, pauses as sorted epoch-day ranges. `predicatesHold` then tests one level with no
 * allocation; `describeMatched` writes the human-readable "why" only for the level that matched.
 */
import { dayOf } from './calendar';
import type { ActivityChannel } from './facts';
import { toDecimalString, type CurrencyCode, type Minor } from './money';
import { copyRange } from './retained';
import {
  isContactKind,
  type ActionKind,
  type EscalationConfig,
  type Predicates,
  type Strategy,
  type StrategyAction,
  type StrategyLevel,
  type StrategyStep,
} from './strategy-schema';
import { DAY_MS } from './strategy-time';

export interface CompiledPredicates {
  readonly source: Predicates;
  readonly always: boolean;
  readonly dpd: boolean;
  readonly dpdMin: number;
  readonly dpdMax: number;
  readonly buckets: readonly string[] | null;
  readonly bal: boolean;
  readonly balMin: number;
  readonly balMax: number;
  readonly balCurrency: string | null;
  readonly oi: boolean;
  readonly oiMin: number;
  readonly oiMax: number;
  readonly openDispute: boolean | null;
  readonly brokenPromise: boolean | null;
  readonly promiseOpen: boolean | null;
  readonly dslc: boolean;
  readonly dslcMin: number;
  readonly dslcMax: number;
  readonly lastOutcome: readonly string[] | null;
  readonly segment: readonly string[] | null;
  readonly tagsAny: readonly string[] | null;
  readonly tagsAll: readonly string[] | null;
  readonly tagsNone: readonly string[] | null;
  readonly risk: readonly string[] | null;
  /** The constant ends of the "why" strings, e.g. " days past due (1–14 days)". */
  readonly dpdText: string;
  readonly oiText: string;
  readonly dslcText: string;
}

export interface CompiledStep {
  readonly id: string;
  readonly index: number;
  readonly levelIndex: number;
  readonly source: StrategyStep;
  readonly action: StrategyAction;
  readonly kind: ActionKind;
  readonly contact: boolean;
  /** The activity channel that carries a contact step out; null for escalate, hold, place. */
  readonly channel: ActivityChannel | null;
  readonly template: string | null;
  readonly manual: boolean;
  readonly afterDays: number;
  readonly afterMs: number;
  readonly label: string;
  /** The reason's opening: `Call: step 2 of 3 of "1–14 days"`. */
  readonly prefix: string;
  /**
   * Sentences about this step by day (strategy-steps.ts): thousands of accounts at one step share a
   * handful of dates, so each sentence is written once and shared. Bounded.
   */
  readonly texts: Map<number, StepTexts>;
}

/** What stepDecision writes about a step for one day (the day the timing is counted from). */
export interface StepTexts {
  readonly timing: string;
  /** Full reasons without a note, by the "because" part. */
  readonly reasons: Map<string, string>;
}

/** A level's "why" for one value of the inputs it depends on: shared by every account with that value. */
export interface MatchedText {
  readonly matched: readonly string[];
  /** ` (a, b)` as the step reasons quote it; empty with nothing matched. */
  readonly because: string;
}

export interface CompiledLevel {
  readonly id: string;
  readonly name: string;
  /** The `level` of a decision, shared by every decision at this level. */
  readonly ref: { readonly id: string; readonly name: string };
  readonly index: number;
  readonly when: CompiledPredicates;
  readonly steps: readonly CompiledStep[];
  /** A delinquency range's start: the level is entered that many days after the reference due date. */
  readonly entryOffsetMs: number;
  /** How far before entry the first step may fall (negative afterDays), ≤ 0. */
  readonly leadMs: number;
  /**
   * When `describeMatched` for this level reads nothing of the account but its days past due (or
   * nothing at all): its result by days past due, shared (frozen). Null for other levels. Bounded.
   */
  readonly matchedByDays: Map<number, MatchedText> | null;
}

export interface CompiledStrategy {
  readonly compiled: true;
  readonly id: string;
  readonly strategy: Strategy;
  readonly levels: readonly CompiledLevel[];
  readonly steps: readonly CompiledStep[];
  /** Sorted by start: [from0, to0, from1, to1, …] epoch days, inclusive. */
  readonly pauseDays: Int32Array;
  readonly pauseReasons: readonly string[];
  readonly minContactDelayDays: number;
  readonly minContactDelayMs: number;
  readonly escalation: EscalationConfig;
}

/** Per-account values the predicates read, computed once per evaluation. */
export interface PredicateInputs {
  readonly daysPastDue: number;
  readonly bucketId: string | null;
  readonly balance: number;
  readonly currency: string;
  readonly openInvoices: number;
  readonly openDispute: boolean;
  readonly brokenPromise: boolean;
  readonly promiseOpen: boolean;
  /** Infinity when never contacted. */
  readonly daysSinceLastContact: number;
  readonly lastOutcome: string | undefined;
  readonly segment: string;
  readonly tags: readonly string[];
  readonly risk: string | undefined;
}

const list = <T>(xs: readonly T[] | undefined): readonly T[] | null => (xs === undefined ? null : xs);
const tri = (b: boolean | undefined): boolean | null => (b === undefined ? null : b);

function compilePredicates(p: Predicates): CompiledPredicates {
  const dpd = p.daysPastDue;
  const oi = p.openInvoices;
  const dslc = p.daysSinceLastContact;
  return {
    dpdText: dpd === undefined ? '' : ` days past due (${rangeText(dpd.min ?? -Infinity, dpd.max ?? Infinity, ' days')})`,
    oiText: oi === undefined ? '' : ` open invoices (${rangeText(oi.min ?? -Infinity, oi.max ?? Infinity, '')})`,
    dslcText: dslc === undefined ? '' : ` days ago (${rangeText(dslc.min ?? -Infinity, dslc.max ?? Infinity, ' days')})`,
    source: p,
    always: Object.keys(p).length === 0,
    dpd: p.daysPastDue !== undefined,
    dpdMin: p.daysPastDue?.min ?? -Infinity,
    dpdMax: p.daysPastDue?.max ?? Infinity,
    buckets: list(p.bucket),
    bal: p.balance !== undefined,
    balMin: p.balance?.min ?? -Infinity,
    balMax: p.balance?.max ?? Infinity,
    balCurrency: p.balance?.currency ?? null,
    oi: p.openInvoices !== undefined,
    oiMin: p.openInvoices?.min ?? -Infinity,
    oiMax: p.openInvoices?.max ?? Infinity,
    openDispute: tri(p.openDispute),
    brokenPromise: tri(p.brokenPromise),
    promiseOpen: tri(p.promiseOpen),
    dslc: p.daysSinceLastContact !== undefined,
    dslcMin: p.daysSinceLastContact?.min ?? -Infinity,
    dslcMax: p.daysSinceLastContact?.max ?? Infinity,
    lastOutcome: list(p.lastOutcome),
    segment: list(p.segment),
    tagsAny: list(p.tags?.any),
    tagsAll: list(p.tags?.all),
    tagsNone: list(p.tags?.none),
    risk: list(p.risk),
  };
}

function channelOf(action: StrategyAction): ActivityChannel | null {
  switch (action.kind) {
    case 'call':
    case 'visit':
    case 'email':
    case 'sms':
    case 'letter':
      return action.kind;
    case 'statement':
      return action.channel;
    default:
      return null;
  }
}

export function actionLabel(action: StrategyAction): string {
  switch (action.kind) {
    case 'call':
      return 'Call';
    case 'visit':
      return 'Field visit';
    case 'email':
      return `Email (${action.template})`;
    case 'sms':
      return `SMS (${action.template})`;
    case 'letter':
      return `Letter (${action.template})`;
    case 'statement':
      return action.channel === 'letter' ? 'Statement of account by post' : 'Statement of account by email';
    case 'escalate':
      return `Escalate to the ${action.role}`;
    case 'hold':
      return `Hold the account for ${action.days} days`;
    case 'place':
      return action.with === 'agency' ? 'Place with a collection agency' : 'Place with legal';
  }
}

function compileLevel(level: StrategyLevel, index: number): CompiledLevel {
  const steps = level.steps.map((s, i): CompiledStep => {
    const a = s.action;
    return {
      id: s.id,
      index: i,
      levelIndex: index,
      source: s,
      action: a,
      kind: a.kind,
      contact: isContactKind(a.kind),
      channel: channelOf(a),
      template: 'template' in a && a.template !== undefined ? a.template : null,
      manual: s.manual,
      afterDays: s.afterDays,
      afterMs: s.afterDays * DAY_MS,
      label: s.name ?? actionLabel(a),
      prefix: `${s.name ?? actionLabel(a)}: step ${i + 1} of ${level.steps.length} of "${level.name}"`,
      texts: new Map(),
    };
  });
  const dpdMin = level.when.daysPastDue?.min ?? 0;
  const when = compilePredicates(level.when);
  return {
    id: level.id,
    name: level.name,
    ref: Object.freeze({ id: level.id, name: level.name }),
    index,
    when,
    steps,
    entryOffsetMs: dpdMin * DAY_MS,
    leadMs: Math.min(0, steps[0]?.afterMs ?? 0),
    matchedByDays: describedByDaysOnly(when) ? new Map() : null,
  };
}

/**
 * True when describeMatched's sentences for these predicates depend on the inputs through
 * `daysPastDue` at most: the other predicates that may be present print only their own bounds.
 */
function describedByDaysOnly(w: CompiledPredicates): boolean {
  if (w.always) return true;
  return w.buckets === null && !w.bal && !w.oi && !w.dslc && w.lastOutcome === null && w.segment === null && w.tagsAny === null && w.risk === null;
}

/** Precomputes a parsed strategy for evaluation; keep the result per strategy, not per account. */
export function compileStrategy(strategy: Strategy): CompiledStrategy {
  const levels = strategy.levels.map(compileLevel);
  const pauses = [...strategy.pauses].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const pauseDays = new Int32Array(pauses.length * 2);
  pauses.forEach((p, i) => {
    pauseDays[2 * i] = dayOf(p.from);
    pauseDays[2 * i + 1] = dayOf(p.to);
  });
  return {
    compiled: true,
    id: strategy.id,
    strategy,
    levels,
    steps: levels.flatMap((l) => l.steps),
    pauseDays,
    pauseReasons: pauses.map((p) => p.reason),
    minContactDelayDays: strategy.minContactDelayDays,
    minContactDelayMs: strategy.minContactDelayDays * DAY_MS,
    escalation: strategy.escalation,
  };
}

function hasAll(have: readonly string[], want: readonly string[]): boolean {
  for (const w of want) if (!have.includes(w)) return false;
  return true;
}

function hasAny(have: readonly string[], want: readonly string[]): boolean {
  for (const w of want) if (have.includes(w)) return true;
  return false;
}

/** Every present predicate holds (AND); written as early exits, cheapest first. */
export function predicatesHold(w: CompiledPredicates, x: PredicateInputs): boolean {
  if (w.always) return true;
  if (w.dpd && (x.daysPastDue < w.dpdMin || x.daysPastDue > w.dpdMax)) return false;
  if (w.oi && (x.openInvoices < w.oiMin || x.openInvoices > w.oiMax)) return false;
  if (w.bal && (x.balance < w.balMin || x.balance > w.balMax || (w.balCurrency !== null && w.balCurrency !== x.currency))) return false;
  if (w.openDispute !== null && w.openDispute !== x.openDispute) return false;
  if (w.brokenPromise !== null && w.brokenPromise !== x.brokenPromise) return false;
  if (w.promiseOpen !== null && w.promiseOpen !== x.promiseOpen) return false;
  if (w.dslc && (x.daysSinceLastContact < w.dslcMin || x.daysSinceLastContact > w.dslcMax)) return false;
  if (w.buckets !== null && (x.bucketId === null || !w.buckets.includes(x.bucketId))) return false;
  if (w.lastOutcome !== null && (x.lastOutcome === undefined || !w.lastOutcome.includes(x.lastOutcome))) return false;
  if (w.segment !== null && !w.segment.includes(x.segment)) return false;
  if (w.risk !== null && (x.risk === undefined || !w.risk.includes(x.risk))) return false;
  if (w.tagsAny !== null && !hasAny(x.tags, w.tagsAny)) return false;
  if (w.tagsAll !== null && !hasAll(x.tags, w.tagsAll)) return false;
  if (w.tagsNone !== null && hasAny(x.tags, w.tagsNone)) return false;
  return true;
}

function rangeText(min: number, max: number, unit: string): string {
  if (min === -Infinity) return `at most ${max}${unit}`;
  if (max === Infinity) return `at least ${min}${unit}`;
  return min === max ? `exactly ${min}${unit}` : `${min}–${max}${unit}`;
}

function moneyRange(min: number, max: number, currency: string): string {
  const f = (n: number) => toDecimalString(n as Minor, currency as CurrencyCode);
  if (min === -Infinity) return `at most ${f(max)}`;
  if (max === Infinity) return `at least ${f(min)}`;
  return `${f(min)}–${f(max)}`;
}

/** The predicates of a level that held, as a collector reads them ("45 days past due (31–60 days)"). */
export function describeMatched(w: CompiledPredicates, x: PredicateInputs): string[] {
  if (w.always) return ['applies to every account'];
  const out: string[] = [];
  if (w.dpd) out.push(`${x.daysPastDue}${w.dpdText}`);
  if (w.buckets !== null) out.push(`oldest invoice in bucket ${x.bucketId ?? ''}`);
  if (w.bal) {
    const cur = x.currency;
    out.push(`balance ${toDecimalString(x.balance as Minor, cur as CurrencyCode)} ${cur} (${moneyRange(w.balMin, w.balMax, cur)})`);
  }
  if (w.oi) out.push(`${x.openInvoices}${w.oiText}`);
  if (w.openDispute !== null) out.push(w.openDispute ? 'a dispute is open' : 'no open dispute');
  if (w.brokenPromise !== null) out.push(w.brokenPromise ? 'the last promise was broken' : 'no broken promise');
  if (w.promiseOpen !== null) out.push(w.promiseOpen ? 'a promise is open' : 'no open promise');
  if (w.dslc)
    out.push(
      x.daysSinceLastContact === Infinity
        ? 'never contacted'
        : `last contact ${x.daysSinceLastContact}${w.dslcText}`,
    );
  if (w.lastOutcome !== null) out.push(`last outcome ${x.lastOutcome ?? ''}`);
  if (w.segment !== null) out.push(`segment ${x.segment}`);
  if (w.tagsAny !== null) out.push(`tagged ${w.tagsAny.filter((t) => x.tags.includes(t)).join(', ')}`);
  if (w.tagsAll !== null) out.push(`tagged ${w.tagsAll.join(' and ')}`);
  if (w.tagsNone !== null) out.push(`not tagged ${w.tagsNone.join(' or ')}`);
  if (w.risk !== null) out.push(`risk grade ${x.risk ?? ''}`);
  // A decision keeps it: exact size (see retained.ts).
  return copyRange(out, 0, out.length);
}
