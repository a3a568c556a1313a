/**
 * Evaluating a strategy for one account at asOf: what to do next, when, and why.
 *
 * How it works (docs/strategy.md has the full rules):
 * 1. Metrics in one pass over the documents (strategy-metrics.ts); disputed and held documents leave
 *    the dunning flow. Derived escalations (strategy-escalations.ts) are computed whatever comes next.
 * 2. Level: when something is owed in the flow, the first level whose predicates all hold.
 * 3. The first rule that applies decides `next` and `waiting`: an account hold; nothing owed (or all
 *    of it disputed or held); a requested callback; the current promise (broken: follow up now; open:
 *    follow up on each instalment's due date, the dunning steps suspended); otherwise the level's steps.
 * 4. Steps run in order. A level is entered on its delinquency range's first day (reference due date +
 *    `daysPastDue.min`), or later if a step of another level was done later. The first step is due
 *    `afterDays` after entry, each later one `afterDays` after the previous was done. A step counts as
 *    done when `stepsDone` has it since the level's start; a non-manual contact step also when a contact
 *    on its channel was logged since it fell due (the collector called without picking the step), a
 *    hold step when an account hold was placed since. A manual step waits for its own done or skip.
 * 5. Contact actions are kept `minContactDelayDays` after the last contact (strategy steps only: a
 *    callback or a promise follow-up is an appointment) and moved past pause windows (all but callbacks).
 *
 * `next` is returned even when it is not yet due (the worklist shows "due in 3 days"); `waiting` is set
 * exactly when nothing is actionable now (`next` null, or due after asOf; a callback counts as due
 * CALLBACK_LEAD_HOURS ahead) and says why, with `until` when that is known.
 *
 * Cost: no zod, no Intl (the one money formatting call is cached per currency), a few instant parses by
 * char code, strings only for the one decision returned.
 */
import type { AccountState } from './account-state';
import { defaultDueDateAging, type AgingConfig } from './aging';
import { addDays, utcDateOf, type CalendarDate } from './calendar';
import type { Instant } from './facts';
import type { Account, LedgerDocument, Payment } from './ledger';
import { compileStrategy, describeMatched, predicatesHold, type CompiledLevel, type CompiledStrategy, type MatchedText, type PredicateInputs } from './strategy-compile';
import { CALLBACK_LEAD_MS, decide, type Frame, type NextAction, type StrategyDecision, type StrategyWaiting } from './strategy-decision';
import { deriveEscalations, paidSince } from './strategy-escalations';
import { brokenPromise, nothingOwed, openPromise } from './strategy-follow-ups';
import { measureInto, type AccountMetrics, type MeasuredAccount } from './strategy-metrics';
import { flat } from './retained';
import type { Strategy } from './strategy-schema';
import { levelStep } from './strategy-steps';
import { DAY_MS, dayStartInstant, dayStartMs, instantMs } from './strategy-time';

type Writable<T> = { -readonly [K in keyof T]: T[K] };

export interface EvaluateStrategyInput {
  readonly account: Account;
  /** This account's documents. */
  readonly documents: readonly LedgerDocument[];
  readonly state: AccountState;
  /** Compiled once per strategy (`compileStrategy`); a plain strategy is compiled and cached on first use. */
  readonly strategy: CompiledStrategy | Strategy;
  readonly asOf: Instant;
  readonly aging?: AgingConfig;
  /** This account's payments, if at hand: a payment after a broken promise de-escalates it (else paid-off invoices tell). */
  readonly payments?: readonly Pick<Payment, 'receivedDate'>[];
}

const compiledCache = new WeakMap<Strategy, CompiledStrategy>();

function compiledOf(s: CompiledStrategy | Strategy): CompiledStrategy {
  if ('compiled' in s) return s;
  let c = compiledCache.get(s);
  if (c === undefined) {
    c = compileStrategy(s);
    compiledCache.set(s, c);
  }
  return c;
}

const NO_MATCH: readonly string[] = Object.freeze([]);
const MATCHED_CACHE_SIZE = 4096;

/** The "why" of a level, shared per days past due when the level allows it (CompiledLevel.matchedByDays). */
function matchedText(level: CompiledLevel, x: PredicateInputs): MatchedText | undefined {
  const cache = level.matchedByDays;
  if (cache === null) return undefined;
  const days = x.daysPastDue;
  let t = cache.get(days);
  if (t === undefined) {
    const matched = describeMatched(level.when, x);
    for (let i = 0; i < matched.length; i++) matched[i] = flat(matched[i] as string);
    t = { matched: Object.freeze(matched), because: matched.length > 0 ? flat(` (${matched.join(', ')})`) : '' };
    if (cache.size >= MATCHED_CACHE_SIZE) cache.clear();
    cache.set(days, t);
  }
  return t;
}

// A worklist evaluates thousands of accounts at one instant: the last instant's parse is kept.
let lastAsOf = '';
let lastAsOfMs = 0;
let lastAsOfDate = '' as CalendarDate;

export function evaluateStrategy(input: EvaluateStrategyInput): StrategyDecision {
  return evaluateFor(input.account, input.documents, input.state, input.strategy, input.asOf, input.aging ?? defaultDueDateAging, input);
}

// The per-evaluation scratch objects (evaluation is synchronous and not reentrant): what the predicates
// read, and the fields every return shares. Neither is kept by a decision.
const x: Writable<PredicateInputs> = {
  daysPastDue: 0,
  bucketId: null,
  balance: 0,
  currency: '',
  openInvoices: 0,
  openDispute: false,
  brokenPromise: false,
  promiseOpen: false,
  daysSinceLastContact: 0,
  lastOutcome: undefined,
  segment: '',
  tags: [],
  risk: undefined,
};

// The measures and the frame of the evaluation under way: module scratch too (two objects per account
// less to allocate). The rules read them while deciding and keep only what they point to (the metrics,
// the escalations), never the objects themselves.
const measuredScratch: Writable<MeasuredAccount> = { metrics: undefined as unknown as AccountMetrics, referenceDueDay: 0, exposure: 0, anyErpDispute: false };
const frame: Writable<Frame> = {
  c: undefined as unknown as CompiledStrategy,
  level: null,
  matched: NO_MATCH,
  because: undefined,
  metrics: undefined as unknown as AccountMetrics,
  escalations: [],
  asOfMs: 0,
};

/**
 * evaluateStrategy with its input as arguments: the worklist's path, without an input object per
 * account. `paid.payments` is read only after a broken promise.
 */
export function evaluateFor(
  account: Account,
  documents: readonly LedgerDocument[],
  state: AccountState,
  strategy: CompiledStrategy | Strategy,
  asOf: Instant,
  aging: AgingConfig,
  paid: { readonly payments?: readonly Pick<Payment, 'receivedDate'>[] },
): StrategyDecision {
  const c = compiledOf(strategy);
  if (asOf !== lastAsOf) {
    lastAsOfMs = instantMs(asOf);
    lastAsOfDate = utcDateOf(asOf);
    lastAsOf = asOf;
  }
  const asOfMs = lastAsOfMs;
  const asOfDate = lastAsOfDate;
  const measured = measuredScratch;
  measureInto(measured, documents, state, asOfDate, aging);
  const m = measured.metrics;
  const p = state.currentPromise;
  const failed = p !== undefined && (p.status === 'broken' || p.status === 'partially-kept') && p.failedOn !== undefined;
  const paidSinceFailure = failed && paidSince(p.failedOn, documents, paid.payments);
  const escalations = deriveEscalations(c.escalation, state, measured, documents, paidSinceFailure, asOfDate);
  const lastContactMs = state.lastContactAt === undefined ? Number.NaN : instantMs(state.lastContactAt);

  let level: CompiledLevel | null = null;
  let matched = NO_MATCH;
  let because: string | undefined;
  if (m.balance > 0) {
    setPredicateInputs(account, state, measured, asOfMs, lastContactMs);
    const levels = c.levels;
    for (let i = 0; i < levels.length; i++) {
      const l = levels[i] as CompiledLevel;
      if (predicatesHold(l.when, x)) {
        level = l;
        break;
      }
    }
    if (level !== null) {
      const t = matchedText(level, x);
      if (t === undefined) matched = describeMatched(level.when, x);
      else {
        matched = t.matched;
        because = t.because;
      }
    }
  }
  const f = frame;
  f.c = c;
  f.level = level;
  f.matched = matched;
  f.because = because;
  f.metrics = m;
  f.escalations = escalations;
  f.asOfMs = asOfMs;

  const hold = state.accountHold;
  if (hold !== undefined && hold.active) {
    const until = addDays(hold.fact.until, 1);
    return decide(f, null, { reason: 'hold', until: dayStartInstant(until), detail: flat(`The account is on hold to ${hold.fact.until}: ${hold.fact.reason}.`) });
  }

  if (m.balance <= 0) return nothingOwed(f, state, measured);

  if (state.callbackAt !== undefined) {
    const at = state.callbackAt;
    const next: NextAction = {
      kind: 'callback',
      channel: 'call',
      manual: false,
      dueAt: at,
      reason: flat(`The debtor asked to be called back at ${at.slice(0, 16).replace('T', ' ')} UTC; the strategy's steps wait for that call.`),
    };
    if (instantMs(at) > asOfMs + CALLBACK_LEAD_MS)
      return decide(f, next, { reason: 'callback', until: at, detail: 'The debtor asked for a call then; nothing else goes out before it.' });
    return decide(f, next);
  }

  if (p !== undefined) {
    if (failed) {
      const failedMs = dayStartMs(p.failedOn);
      // Followed up once someone contacted the debtor since it failed, or the debtor paid since.
      if (!(lastContactMs >= failedMs) && !paidSinceFailure) return brokenPromise(f, p, failedMs);
    } else if (p.status === 'open') return openPromise(f, p, lastContactMs);
  }

  if (level === null) {
    if (m.oldestDaysPastDue === 0) return decide(f, null, notPastDue(c));
    return decide(f, null, noLevel(c, m.oldestDaysPastDue));
  }
  return levelStep(f, level, state, measured, lastContactMs);
}

// Per strategy: the waits that name only the strategy (and a number of days), made once and shared
// (frozen) by every account they apply to.
const notPastDueWaits = new WeakMap<CompiledStrategy, StrategyWaiting>();
const noLevelWaits = new WeakMap<CompiledStrategy, Map<number, StrategyWaiting>>();

function notPastDue(c: CompiledStrategy): StrategyWaiting {
  let w = notPastDueWaits.get(c);
  if (w === undefined) {
    w = Object.freeze({ reason: 'not-past-due', detail: flat(`Nothing is past due and no level of "${c.strategy.name}" applies before the due date.`) });
    notPastDueWaits.set(c, w);
  }
  return w;
}

function noLevel(c: CompiledStrategy, days: number): StrategyWaiting {
  let byDays = noLevelWaits.get(c);
  if (byDays === undefined) {
    byDays = new Map();
    noLevelWaits.set(c, byDays);
  }
  let w = byDays.get(days);
  if (w === undefined) {
    w = Object.freeze({ reason: 'no-level', detail: flat(`No level of "${c.strategy.name}" applies to this account (${days} days past due).`) });
    if (byDays.size >= MATCHED_CACHE_SIZE) byDays.clear();
    byDays.set(days, w);
  }
  return w;
}

function setPredicateInputs(account: Account, state: AccountState, measured: MeasuredAccount, asOfMs: number, lastContactMs: number): void {
  const m = measured.metrics;
  const ps = state.currentPromise?.status;
  let openDispute = measured.anyErpDispute;
  if (!openDispute) for (let i = 0; i < state.disputes.length; i++) if ((state.disputes[i] as AccountState['disputes'][number]).status === 'open') openDispute = true;
  x.daysPastDue = m.oldestDaysPastDue;
  x.bucketId = m.bucketId;
  x.balance = m.balance;
  x.currency = m.currency;
  x.openInvoices = m.openInvoices;
  x.openDispute = openDispute;
  x.brokenPromise = ps === 'broken' || ps === 'partially-kept';
  x.promiseOpen = ps === 'open';
  x.daysSinceLastContact = Number.isNaN(lastContactMs) ? Infinity : Math.max(0, Math.floor((asOfMs - lastContactMs) / DAY_MS));
  x.lastOutcome = state.lastOutcome;
  x.segment = account.segment;
  x.tags = account.tags;
  x.risk = account.riskGrade;
}
