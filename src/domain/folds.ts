/**
 * The account fold: the current state of one account (account-state.ts) from its team facts and its
 * ledger, as of an instant. Every device runs it on the same inputs and must get the same answer, so the
 * result depends only on the *set* of facts, never on the order they arrived in.
 *
 * How it works.
 *  1. Keep the facts of this account dated at or before `asOf` (a later fact has not happened yet at
 *     asOf, so an "as of" replay or a what-if simulation sees exactly the facts of its moment). Put them
 *     in `compareFacts` order (by `at`, ties by id; a fact listed twice counts once); input already in
 *     that order, the common case, is used as is, without a copy or a sort.
 *  2. One pass over them: the last assignment, claim and strategy override win; activities become
 *     contact attempts; facts that name another fact (a resolution, a release, a closure, a cancellation)
 *     go into maps keyed by the id they name. Nothing in the pass depends on the named fact having been
 *     seen first, so a resolution whose `at` precedes its dispute's (two clocks) still applies.
 *  3. Promises are followed against the ledger's payments (see `followPromise`), then marked cancelled
 *     or superseded, newest to oldest.
 *
 * Decisions a reader must know:
 *  - Ledger payments received after asOf's UTC date are ignored, like facts after asOf. Each promise
 *    counts every payment from its own taken day on, so a payment can count toward two promises (the
 *    one it kept and a new one taken that same day).
 *  - Superseded: a promise is superseded when a later promise (by `compareFacts`) that is not itself
 *    cancelled was taken while it was still open, i.e. on a UTC day before the one it was kept on (the
 *    payment completing it) or failed on (its failing instalment's grace end + 1). A promise already kept
 *    or failed keeps that outcome: a new promise after a broken one does not erase the broken one from
 *    the promise-kept rate. Payments carry dates, not times, so a promise kept on the day the next one
 *    is taken counts as kept (the debtor's favour). A cancelled promise supersedes nothing: cancelling
 *    withdraws it from the record ("entered in error", "debtor withdrew"), and the promise it had
 *    replaced is again judged on its own. Cancellation wins over everything else.
 *  - When several facts close the same dispute or task (two devices offline), the first by
 *    `compareFacts` decides the outcome: closing is terminal, the later ones are duplicates.
 *  - Callback: the `callbackAt` of the last activity (any channel) with outcome `callback-requested`;
 *    it is pending until any contact attempt (not a note) whose `at` is strictly later than that
 *    request's `at`. A request without `callbackAt` leaves no pending callback.
 *  - Claim: only the last claim can be live ("a later claim ends it earlier", facts.ts); it is live while
 *    not released and `expiresAt` > asOf.
 *  - Empty results share frozen empty arrays and common empty Set/Map instances, for speed: readers must
 *    treat them as the read-only types they are declared as.
 *
 * Instants compare as strings: ISO UTC instants in one format order lexically (compareFacts does the
 * same, so the fold and the fact order agree). instantSchema allows the milliseconds to be left out, and
 * "…:05Z" sorts after "…:05.300Z": writers should always write milliseconds.
 */
import type {
  AccountState,
  ContactAttempt,
  DisputeState,
  EscalationState,
  HoldState,
  InstalmentState,
  InstalmentStatus,
  PromiseState,
  PromiseStatus,
  TaskState,
} from './account-state';
import { type CalendarDate, addDays } from './calendar';
import {
  type ActivityFact,
  type DisputeFact,
  type EscalationFact,
  type Fact,
  type FactOf,
  type HoldFact,
  type Instant,
  type PromiseFact,
  type TaskFact,
  compareFacts,
} from './facts';
import type { LedgerDocument, Payment } from './ledger';
import type { Minor } from './money';
import { type Outcome, outcomeIndex } from './outcomes';

export interface FoldInput {
  readonly accountNumber: string;
  /** Facts of this account; others' (and facts after asOf) are ignored, so a whole portfolio's list may be passed. */
  readonly facts: readonly Fact[];
  /** The account's documents. Not needed by today's rules; part of the input so rules that need them keep the signature. */
  readonly documents: readonly LedgerDocument[];
  /** The account's posted payments (others' are ignored): they keep promises, whoever took them. */
  readonly payments: readonly Payment[];
  readonly asOf: Instant;
  /** The team's outcome list by code; DEFAULT_OUTCOME_LIST when absent. */
  readonly outcomes?: ReadonlyMap<string, Outcome>;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

const DEFAULT_OUTCOMES_BY_CODE = outcomeIndex();
const NONE: readonly never[] = Object.freeze([]);
const NO_STRINGS: ReadonlySet<string> = new Set<string>();
const NO_STEPS: ReadonlyMap<string, Instant> = new Map<string, Instant>();

export function foldAccount(input: FoldInput): AccountState {
  const { accountNumber, asOf } = input;
  const asOfDate = asOf.slice(0, 10);
  const outcomes = input.outcomes ?? DEFAULT_OUTCOMES_BY_CODE;
  const facts = relevantFacts(input.facts, accountNumber, asOf);

  let promiseFacts: PromiseFact[] | undefined;
  let cancelledPromises: Set<string> | undefined;
  let disputeFacts: DisputeFact[] | undefined;
  let disputeResolutions: Map<string, FactOf<'dispute-resolved'>> | undefined;
  let escalationFacts: EscalationFact[] | undefined;
  let resolvedEscalations: Set<string> | undefined;
  let taskFacts: TaskFact[] | undefined;
  let taskClosures: FactOf<'task-closed'>[] | undefined;
  let holdFacts: HoldFact[] | undefined;
  let releasedHolds: Set<string> | undefined;
  let releasedClaims: Set<string> | undefined;
  let lastClaim: FactOf<'claim'> | undefined;
  let assignedTo: string | null = null;
  let strategyOverride: string | null = null;
  let attempts: ContactAttempt[] | undefined;
  let lastAttempt: ActivityFact | undefined;
  let lastConversationAt: Instant | undefined;
  let callbackRequest: ActivityFact | undefined;
  let stepsDone: Map<string, Instant> | undefined;

  for (const f of facts) {
    switch (f.type) {
      case 'activity': {
        if (f.channel !== 'note') {
          // A later contact attempt is the callback made (or at least tried).
          if (callbackRequest !== undefined && f.at > callbackRequest.at) callbackRequest = undefined;
          const conversation = outcomes.get(f.outcome)?.conversation === true;
          (attempts ??= []).push({ factId: f.id, at: f.at, channel: f.channel, outcome: f.outcome, documentNumbers: f.documentNumbers, conversation });
          lastAttempt = f;
          if (conversation) lastConversationAt = f.at;
        }
        if (f.outcome === 'callback-requested') callbackRequest = f;
        // In compareFacts order the latest `at` comes last, so a plain overwrite keeps the latest.
        if (f.stepId !== undefined) (stepsDone ??= new Map()).set(f.stepId, f.at);
        break;
      }
      case 'promise':
        (promiseFacts ??= []).push(f);
        break;
      case 'promise-cancelled':
        (cancelledPromises ??= new Set()).add(f.promiseId);
        break;
      case 'dispute':
        (disputeFacts ??= []).push(f);
        break;
      case 'dispute-resolved':
        disputeResolutions ??= new Map();
        if (!disputeResolutions.has(f.disputeId)) disputeResolutions.set(f.disputeId, f);
        break;
      case 'escalation':
        (escalationFacts ??= []).push(f);
        break;
      case 'escalation-resolved':
        (resolvedEscalations ??= new Set()).add(f.escalationId);
        break;
      case 'task':
        (taskFacts ??= []).push(f);
        break;
      case 'task-closed':
        (taskClosures ??= []).push(f);
        break;
      case 'hold':
        (holdFacts ??= []).push(f);
        break;
      case 'hold-released':
        (releasedHolds ??= new Set()).add(f.holdId);
        break;
      case 'assignment':
        assignedTo = f.collector;
        break;
      case 'claim':
        lastClaim = f;
        break;
      case 'claim-released':
        (releasedClaims ??= new Set()).add(f.claimId);
        break;
      case 'strategy-override':
        strategyOverride = f.strategyId;
        break;
    }
  }

  const state: Writable<AccountState> = {
    accountNumber,
    promises: NONE,
    disputes: NONE,
    disputedDocuments: NO_STRINGS,
    escalations: NONE,
    resolvedEscalations: resolvedEscalations ?? NO_STRINGS,
    tasks: NONE,
    holds: NONE,
    heldDocuments: NO_STRINGS,
    assignedTo,
    attempts: attempts ?? NONE,
    stepsDone: NO_STEPS,
  };

  if (promiseFacts !== undefined) {
    const payments = countablePayments(input.payments, accountNumber, (promiseFacts[0] as PromiseFact).at.slice(0, 10), asOfDate);
    const promises = followPromises(promiseFacts, payments, asOfDate, cancelledPromises);
    state.promises = promises;
    for (let i = promises.length - 1; i >= 0; i--) {
      const p = promises[i];
      if (p !== undefined && p.status !== 'cancelled' && p.status !== 'superseded') {
        state.currentPromise = p;
        break;
      }
    }
  }

  if (disputeFacts !== undefined) {
    const disputes: DisputeState[] = [];
    let disputed: Set<string> | undefined;
    for (const d of disputeFacts) {
      const resolution = disputeResolutions?.get(d.id);
      if (resolution === undefined) {
        disputes.push({ id: d.id, fact: d, status: 'open', openedAt: d.at });
        disputed ??= new Set();
        for (const n of d.documentNumbers) disputed.add(n);
      } else {
        disputes.push({ id: d.id, fact: d, status: resolution.outcome, openedAt: d.at, resolvedAt: resolution.at });
      }
    }
    state.disputes = disputes;
    if (disputed !== undefined) state.disputedDocuments = disputed;
  }

  if (escalationFacts !== undefined) {
    const open: EscalationState[] = [];
    for (const e of escalationFacts) {
      if (resolvedEscalations?.has(e.id) === true) continue;
      const s: Writable<EscalationState> = { id: e.id, source: 'manual', reason: e.reason, openedAt: e.at, fact: e };
      if (e.toRole !== undefined) s.toRole = e.toRole;
      if (e.toUser !== undefined) s.toUser = e.toUser;
      open.push(s);
    }
    if (open.length > 0) state.escalations = open;
  }

  if (taskFacts !== undefined) {
    // The first closure of a task (compareFacts order) decides; a task closed twice stays closed the first way.
    const closureOf = new Map<string, FactOf<'task-closed'>>();
    if (taskClosures !== undefined) for (const c of taskClosures) if (!closureOf.has(c.taskId)) closureOf.set(c.taskId, c);
    const tasks: TaskState[] = [];
    const stepOfTask = new Map<string, string>();
    for (const t of taskFacts) {
      const c = closureOf.get(t.id);
      tasks.push(c === undefined ? { id: t.id, fact: t, status: 'open', dueAt: t.dueAt } : { id: t.id, fact: t, status: c.outcome, dueAt: t.dueAt, closedAt: c.at });
      if (t.stepId !== undefined) stepOfTask.set(t.id, t.stepId);
    }
    state.tasks = tasks;
    // Every closure of a step's task (done or skipped) counts as the step carried out; the latest wins.
    if (taskClosures !== undefined && stepOfTask.size > 0) {
      for (const c of taskClosures) {
        const step = stepOfTask.get(c.taskId);
        if (step === undefined) continue;
        stepsDone ??= new Map();
        const seen = stepsDone.get(step);
        if (seen === undefined || seen < c.at) stepsDone.set(step, c.at);
      }
    }
  }
  if (stepsDone !== undefined) state.stepsDone = stepsDone;

  if (holdFacts !== undefined) {
    const holds: HoldState[] = [];
    let held: Set<string> | undefined;
    let accountHold: HoldState | undefined;
    for (const h of holdFacts) {
      const active = releasedHolds?.has(h.id) !== true && h.until >= asOfDate;
      const s: HoldState = { id: h.id, fact: h, active };
      holds.push(s);
      if (!active) continue;
      if (h.documentNumbers === undefined) {
        // Several account holds: the one lasting longest is the one that matters; ties go to the later fact.
        if (accountHold === undefined || h.until >= accountHold.fact.until) accountHold = s;
      } else {
        // An empty list holds no document: "present" means only the documents listed (facts.ts).
        held ??= new Set();
        for (const n of h.documentNumbers) held.add(n);
      }
    }
    state.holds = holds;
    if (accountHold !== undefined) state.accountHold = accountHold;
    if (held !== undefined) state.heldDocuments = held;
  }

  if (lastClaim !== undefined && releasedClaims?.has(lastClaim.id) !== true && lastClaim.expiresAt > asOf)
    state.claim = { by: lastClaim.by, expiresAt: lastClaim.expiresAt, id: lastClaim.id };
  if (strategyOverride !== null) state.strategyOverride = strategyOverride;
  if (lastAttempt !== undefined) {
    state.lastContactAt = lastAttempt.at;
    state.lastOutcome = lastAttempt.outcome;
  }
  if (lastConversationAt !== undefined) state.lastConversationAt = lastConversationAt;
  if (callbackRequest?.callbackAt !== undefined) state.callbackAt = callbackRequest.callbackAt;
  return state;
}

/**
 * This account's facts at or before asOf, in compareFacts order. The common case, a list of this
 * account's facts already in order, costs one string comparison per fact and returns the input itself.
 * Otherwise: this account's facts, sorted; then those after asOf are cut from the end (in order, they
 * are the last ones) and a fact listed twice (the same id, so adjacent) is kept once.
 */
function relevantFacts(all: readonly Fact[], accountNumber: string, asOf: Instant): readonly Fact[] {
  const n = all.length;
  if (n === 0) return all;
  let prev = all[0] as Fact;
  let own = prev.accountNumber === accountNumber;
  let sorted = true;
  for (let i = 1; own && i < n; i++) {
    const f = all[i] as Fact;
    if (f.accountNumber !== accountNumber) own = false;
    else if (sorted && !(prev.at < f.at || (prev.at === f.at && prev.id < f.id))) sorted = false;
    prev = f;
  }
  if (own && sorted && prev.at <= asOf) return all;
  const list = own ? all.slice() : all.filter((g) => g.accountNumber === accountNumber);
  if (!own || !sorted) sortFacts(list);
  let end = list.length;
  while (end > 0 && (list[end - 1] as Fact).at > asOf) end--;
  let w = 0;
  for (let r = 0; r < end; r++) {
    const f = list[r] as Fact;
    if (w === 0 || (list[w - 1] as Fact).id !== f.id) list[w++] = f;
  }
  list.length = w;
  return list;
}

/** compareFacts(a, b) < 0 without the call through the module: the insertion sort's inner test. */
function before(a: Fact, b: Fact): boolean {
  return a.at < b.at || (a.at === b.at && a.id < b.id);
}

/**
 * Sorts in place by compareFacts: a binary insertion sort. An account has a handful to a few dozen
 * facts, usually in runs already in order (one run per device that wrote them); a fact already after
 * its predecessor costs one comparison, any other a binary search, and comparisons of two strings are
 * what costs here, not moving references. Long lists go to the built-in sort.
 */
function sortFacts(list: Fact[]): Fact[] {
  if (list.length > 64) return list.sort(compareFacts);
  for (let i = 1; i < list.length; i++) {
    const f = list[i] as Fact;
    if (!before(f, list[i - 1] as Fact)) continue;
    let lo = 0;
    let hi = i - 1;
    // The slot is in [lo, hi]: the first fact f comes before (list[i - 1] is one).
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(f, list[mid] as Fact)) hi = mid;
      else lo = mid + 1;
    }
    for (let j = i; j > lo; j--) list[j] = list[j - 1] as Fact;
    list[lo] = f;
  }
  return list;
}

/**
 * The account's payments that can count toward a promise: received from the day the oldest promise was
 * taken through asOf's date, in received-date order (ties need no order: only sums by day matter). An
 * account's history holds thousands of payments; a promise looks at the last few weeks.
 */
function countablePayments(all: readonly Payment[], accountNumber: string, from: string, asOfDate: string): readonly Payment[] {
  const list: Payment[] = [];
  let sorted = true;
  for (const p of all) {
    if (p.receivedDate < from || p.receivedDate > asOfDate || p.accountNumber !== accountNumber) continue;
    if (sorted && list.length > 0 && (list[list.length - 1] as Payment).receivedDate > p.receivedDate) sorted = false;
    list.push(p);
  }
  if (!sorted) list.sort((a, b) => (a.receivedDate < b.receivedDate ? -1 : a.receivedDate > b.receivedDate ? 1 : 0));
  return list;
}

/**
 * `date` + `days` for 0 ≤ days: a string edit while the day of the month stays ≤ 28, the calendar
 * otherwise. Grace ends are computed for every instalment on every fold, and the general conversion
 * through epoch days cost a fifth of the whole fold.
 */
function plusDays(date: CalendarDate, days: number): CalendarDate {
  const d = (date.charCodeAt(8) - 48) * 10 + (date.charCodeAt(9) - 48) + days;
  if (d <= 28 && days >= 0) return `${date.slice(0, 8)}${d < 10 ? '0' : ''}${d}` as CalendarDate;
  return addDays(date, days);
}

interface Followed {
  readonly instalments: readonly InstalmentState[];
  readonly promised: Minor;
  readonly paid: Minor;
  /** kept, broken, partially-kept or open: what the payments alone say. */
  readonly status: PromiseStatus;
  readonly nextDueDate?: CalendarDate;
  readonly failedOn?: CalendarDate;
  /** The day the promise stopped being open (kept or failed); absent while open. */
  readonly resolvedOn?: string;
}

/**
 * Promises oldest first (the facts are in compareFacts order), each followed against the payments, then
 * cancelled or superseded from the newest down: only the nearest later promise that is not cancelled
 * matters, since every later one was taken on the same day or after it.
 */
function followPromises(facts: readonly PromiseFact[], payments: readonly Payment[], asOfDate: string, cancelled: ReadonlySet<string> | undefined): PromiseState[] {
  const out = new Array<PromiseState>(facts.length);
  let nextTakenOn: string | undefined;
  for (let i = facts.length - 1; i >= 0; i--) {
    const fact = facts[i] as PromiseFact;
    const takenOn = fact.at.slice(0, 10) as CalendarDate;
    const followed = followPromise(fact, takenOn, payments, asOfDate);
    let status = followed.status;
    if (cancelled?.has(fact.id) === true) status = 'cancelled';
    else {
      if (nextTakenOn !== undefined && (followed.resolvedOn === undefined || nextTakenOn < followed.resolvedOn)) status = 'superseded';
      nextTakenOn = takenOn;
    }
    const s: Writable<PromiseState> = {
      id: fact.id,
      fact,
      currency: fact.currency,
      status,
      takenOn,
      instalments: followed.instalments,
      promised: followed.promised,
      paid: followed.paid,
    };
    if (status === 'open' && followed.nextDueDate !== undefined) s.nextDueDate = followed.nextDueDate;
    if ((status === 'broken' || status === 'partially-kept') && followed.failedOn !== undefined) s.failedOn = followed.failedOn;
    out[i] = s;
  }
  return out;
}

/**
 * One promise against the payments. Counted: payments in the promise's currency received on or after the
 * day it was taken. They fill the instalments in order, cumulatively (money beyond one instalment goes to
 * the next), so instalment i is kept when the counted payments received by its grace end add up to the
 * amounts of instalments 1..i. One walk over the payments serves every instalment because grace ends
 * increase with the due dates.
 */
function followPromise(fact: PromiseFact, takenOn: string, payments: readonly Payment[], asOfDate: string): Followed {
  const plan = fact.instalments;
  const currency = fact.currency;
  let promised = 0;
  for (const inst of plan) promised += inst.amount;

  const n = plan.length;
  const graceEnds = new Array<CalendarDate>(n);
  const statuses = new Array<InstalmentStatus>(n);
  let k = 0;
  let cum = 0;
  let keptOn: string | undefined;
  let before = 0; // amounts of the instalments before this one
  for (let i = 0; i < n; i++) {
    const inst = plan[i] as PromiseFact['instalments'][number];
    const ends = plusDays(inst.dueDate, fact.graceDays);
    graceEnds[i] = ends;
    for (; k < payments.length; k++) {
      const p = payments[k] as Payment;
      if (p.receivedDate > ends) break;
      if (p.currency !== currency || p.receivedDate < takenOn) continue;
      cum += p.amount;
      if (keptOn === undefined && cum >= promised) keptOn = p.receivedDate;
    }
    const upTo = before + inst.amount;
    statuses[i] = cum >= upTo ? 'kept' : asOfDate > ends ? (cum > before ? 'partially-kept' : 'broken') : 'pending';
    before = upTo;
  }
  for (; k < payments.length; k++) {
    const p = payments[k] as Payment;
    if (p.currency !== currency || p.receivedDate < takenOn) continue;
    cum += p.amount;
    if (keptOn === undefined && cum >= promised) keptOn = p.receivedDate;
  }

  const instalments = new Array<InstalmentState>(n);
  let status: PromiseStatus = 'kept';
  let nextDueDate: CalendarDate | undefined;
  let failedOn: CalendarDate | undefined;
  let paidTotal = 0;
  before = 0;
  for (let i = 0; i < n; i++) {
    const inst = plan[i] as PromiseFact['instalments'][number];
    const st = statuses[i] as InstalmentStatus;
    const ends = graceEnds[i] as CalendarDate;
    const paid = Math.min(inst.amount, Math.max(0, cum - before));
    paidTotal += paid;
    before += inst.amount;
    instalments[i] = { dueDate: inst.dueDate, amount: inst.amount, paid: paid as Minor, graceEnds: ends, status: st };
    if (status !== 'kept') continue;
    if (st === 'broken' || st === 'partially-kept') {
      status = st;
      failedOn = plusDays(ends, 1);
    } else if (st === 'pending') {
      status = 'open';
      nextDueDate = inst.dueDate;
    }
  }

  const out: Writable<Followed> = { instalments, promised: promised as Minor, paid: paidTotal as Minor, status };
  if (nextDueDate !== undefined) out.nextDueDate = nextDueDate;
  if (failedOn !== undefined) {
    out.failedOn = failedOn;
    out.resolvedOn = failedOn;
  } else if (status === 'kept' && keptOn !== undefined) out.resolvedOn = keptOn;
  return out;
}
