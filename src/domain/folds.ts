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
  FieldReceiptState,
  HoldState,
  InstalmentState,
  InstalmentStatus,
  PromiseState,
  PromiseStatus,
  StepDone,
  TaskState,
} from './account-state';
import { type CalendarDate, addDays } from './calendar';
import {
  type ActivityFact,
  type DisputeFact,
  type EscalationFact,
  type Fact,
  type FieldReceiptFact,
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
import { copyRange } from './retained';

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

/**
 * What one pass over the facts collects (step 2 of the file header). One instance, reset per fold
 * (folds are synchronous): no per-account allocation for the bookkeeping, and a pass that finds the
 * input out of order can start again on the sorted list. Each list is the first `…Count` entries of an
 * array kept from fold to fold (reused, never shrunk): a fresh array per list and account, grown by
 * push, was 3.5 MB of garbage per worklist build. The lists are short: they are searched linearly.
 */
class Scan {
  promiseFacts: PromiseFact[] = [];
  promiseCount = 0;
  /** Ids named by cancellations and releases. */
  cancelledPromises: string[] = [];
  cancelledCount = 0;
  disputeFacts: DisputeFact[] = [];
  disputeCount = 0;
  disputeResolutions: FactOf<'dispute-resolved'>[] = [];
  resolutionCount = 0;
  escalationFacts: EscalationFact[] = [];
  escalationCount = 0;
  /** Kept by the state when there is one (a new Set per fold that has any). */
  resolvedEscalations: Set<string> | undefined;
  taskFacts: TaskFact[] = [];
  taskCount = 0;
  taskClosures: FactOf<'task-closed'>[] = [];
  closureCount = 0;
  holdFacts: HoldFact[] = [];
  holdCount = 0;
  releasedHolds: string[] = [];
  releasedHoldCount = 0;
  releasedClaims: string[] = [];
  releasedClaimCount = 0;
  lastClaim: FactOf<'claim'> | undefined;
  assignedTo: string | null = null;
  strategyOverride: string | null = null;
  /** Contact attempts of this fold (the activity facts), and those that were conversations, copied out at exact size. */
  attempts: ContactAttempt[] = [];
  attemptCount = 0;
  conversations: ContactAttempt[] = [];
  conversationCount = 0;
  lastAttempt: ActivityFact | undefined;
  lastConversationAt: Instant | undefined;
  callbackRequest: ActivityFact | undefined;
  /** Steps carried out: the first `stepCount`, one per step (the activity facts themselves, or closures' entries). */
  stepsDone: StepDone[] = [];
  stepCount = 0;
  fieldReceipts: FieldReceiptFact[] | undefined;

  reset(): void {
    this.fieldReceipts = undefined;
    this.promiseCount = 0;
    this.cancelledCount = 0;
    this.disputeCount = 0;
    this.resolutionCount = 0;
    this.escalationCount = 0;
    this.resolvedEscalations = undefined;
    this.taskCount = 0;
    this.closureCount = 0;
    this.holdCount = 0;
    this.releasedHoldCount = 0;
    this.releasedClaimCount = 0;
    this.lastClaim = undefined;
    this.assignedTo = null;
    this.strategyOverride = null;
    this.attemptCount = 0;
    this.conversationCount = 0;
    this.lastAttempt = undefined;
    this.lastConversationAt = undefined;
    this.callbackRequest = undefined;
    this.stepCount = 0;
  }
}

/** The step of the task `taskId` among the first `n` tasks, if it has one. */
function stepOfTask(tasks: readonly TaskFact[], n: number, taskId: string): string | undefined {
  for (let i = 0; i < n; i++) {
    const t = tasks[i] as TaskFact;
    if (t.id === taskId) return t.stepId;
  }
  return undefined;
}

/** The time of `stepId` among the first `n` steps done, if there. */
function stepDoneAt(steps: readonly StepDone[], n: number, stepId: string): Instant | undefined {
  for (let i = 0; i < n; i++) {
    const s = steps[i] as StepDone;
    if (s.stepId === stepId) return s.at;
  }
  return undefined;
}

/** Records `entry` as its step's, in place of an earlier entry of the step (which keeps its position). */
function setStepDone(sc: Scan, stepId: string, entry: StepDone): void {
  const steps = sc.stepsDone;
  for (let i = 0; i < sc.stepCount; i++)
    if ((steps[i] as StepDone).stepId === stepId) {
      steps[i] = entry;
      return;
    }
  steps[sc.stepCount++] = entry;
}

/** Whether the first `n` ids of `list` include `id`. */
function listed(list: readonly string[], n: number, id: string): boolean {
  for (let i = 0; i < n; i++) if (list[i] === id) return true;
  return false;
}

const scan = new Scan();

/** Where the fold gathers a list it keeps, before copying it out at exact size (see retained.ts). */
const scratchList: unknown[] = [];

/**
 * Step 2 over facts[from, to). With `check`, the facts are also verified to be this account's, in
 * strict compareFacts order and at or before asOf (what `relevantFacts` returns as is): the first fact
 * that is not stops the pass and returns false, and the caller starts again on `relevantFacts`.
 * Checking in the same pass reads each fact once.
 */
function scanFacts(facts: readonly Fact[], from: number, to: number, accountNumber: string, asOf: Instant, outcomes: ReadonlyMap<string, Outcome>, check: boolean): boolean {
  const sc = scan;
  sc.reset();
  // Facts come in some twenty shapes, so every property read of one is a megamorphic load (a call
  // into V8's stub cache that the compiler cannot merge with another): each field is read once per
  // fact, into a local, and the previous fact's `at` and the pending callback's are kept in locals.
  let prev: Fact | undefined;
  let prevAt = '';
  let callbackRequestAt = '';
  for (let i = from; i < to; i++) {
    const f = facts[i] as Fact;
    const at = f.at;
    if (check) {
      if (f.accountNumber !== accountNumber) return false;
      if (prev !== undefined && !(prevAt < at || (prevAt === at && prev.id < f.id))) return false;
      prev = f;
      prevAt = at;
    }
    switch (f.type) {
      case 'activity': {
        const outcome = f.outcome;
        const channel = f.channel;
        if (channel !== 'note') {
          // A later contact attempt is the callback made (or at least tried).
          if (sc.callbackRequest !== undefined && at > callbackRequestAt) sc.callbackRequest = undefined;
          // The fact is the attempt (account-state.ts): no object per attempt, and its other fields are not read.
          sc.attempts[sc.attemptCount++] = f;
          sc.lastAttempt = f;
          if (outcomes.get(outcome)?.conversation === true) {
            sc.conversations[sc.conversationCount++] = f;
            sc.lastConversationAt = at;
          }
        }
        if (outcome === 'callback-requested') {
          sc.callbackRequest = f;
          callbackRequestAt = at;
        }
        // In compareFacts order the latest `at` comes last, so a plain overwrite keeps the latest.
        const stepId = f.stepId;
        if (stepId !== undefined) setStepDone(sc, stepId, f as StepDone);
        break;
      }
      case 'promise':
        sc.promiseFacts[sc.promiseCount++] = f;
        break;
      case 'promise-cancelled':
        sc.cancelledPromises[sc.cancelledCount++] = f.promiseId;
        break;
      case 'dispute':
        sc.disputeFacts[sc.disputeCount++] = f;
        break;
      case 'dispute-resolved':
        sc.disputeResolutions[sc.resolutionCount++] = f;
        break;
      case 'escalation':
        sc.escalationFacts[sc.escalationCount++] = f;
        break;
      case 'escalation-resolved':
        (sc.resolvedEscalations ??= new Set()).add(f.escalationId);
        break;
      case 'task':
        sc.taskFacts[sc.taskCount++] = f;
        break;
      case 'task-closed':
        sc.taskClosures[sc.closureCount++] = f;
        break;
      case 'hold':
        sc.holdFacts[sc.holdCount++] = f;
        break;
      case 'hold-released':
        sc.releasedHolds[sc.releasedHoldCount++] = f.holdId;
        break;
      case 'assignment':
        sc.assignedTo = f.collector;
        break;
      case 'claim':
        sc.lastClaim = f;
        break;
      case 'claim-released':
        sc.releasedClaims[sc.releasedClaimCount++] = f.claimId;
        break;
      case 'strategy-override':
        sc.strategyOverride = f.strategyId;
        break;
      case 'field-receipt':
        (sc.fieldReceipts ??= []).push(f);
        break;
    }
  }
  return !check || prev === undefined || prevAt <= asOf;
}

export function foldAccount(input: FoldInput): AccountState {
  return foldFacts(input.accountNumber, input.facts, input, input.asOf, input.outcomes);
}

/**
 * foldAccount with its input as arguments: the worklist's path, without an input object per account.
 * The payments are read from `paid.payments` only when a promise needs them.
 */
export function foldFacts(
  accountNumber: string,
  facts: readonly Fact[],
  paid: { readonly payments: readonly Payment[] },
  asOf: Instant,
  outcomeList: ReadonlyMap<string, Outcome> | undefined,
): AccountState {
  return foldRange(accountNumber, facts, 0, facts.length, paid, asOf, outcomeList);
}

/**
 * foldFacts over facts[from, to): the worklist folds an account's run of the portfolio's fact list
 * where it lies, without a copy of it per account. Likewise, with `paymentRows`, the promises count
 * paymentRows[paymentFrom, paymentTo) as the account's payments (`paid` is then read only for field
 * receipts): the fold picks the payments a promise can count into a list of its own anyway.
 */
export function foldRange(
  accountNumber: string,
  facts: readonly Fact[],
  from: number,
  to: number,
  paid: { readonly payments: readonly Payment[] },
  asOf: Instant,
  outcomeList: ReadonlyMap<string, Outcome> | undefined,
  paymentRows?: readonly Payment[],
  paymentFrom = 0,
  paymentTo = 0,
): AccountState {
  const asOfDate = dateOfInstant(asOf);
  const outcomes = outcomeList ?? DEFAULT_OUTCOMES_BY_CODE;
  if (!scanFacts(facts, from, to, accountNumber, asOf, outcomes, true)) {
    const relevant = relevantFacts(from === 0 && to === facts.length ? facts : facts.slice(from, to), accountNumber, asOf);
    scanFacts(relevant, 0, relevant.length, accountNumber, asOf, outcomes, false);
  }
  const sc = scan;
  const { resolvedEscalations, lastClaim, assignedTo, strategyOverride, lastAttempt, lastConversationAt, callbackRequest } = sc;
  const attempts: readonly ContactAttempt[] = sc.attemptCount > 0 ? copyRange(sc.attempts, 0, sc.attemptCount) : NONE;
  const conversations: readonly ContactAttempt[] = sc.conversationCount > 0 ? copyRange(sc.conversations, 0, sc.conversationCount) : NONE;

  let fieldReceipts: readonly FieldReceiptState[] = NONE;
  let unposted: Payment[] | undefined;
  if (sc.fieldReceipts !== undefined) {
    const receipts = receiptStates(sc.fieldReceipts, paid.payments, accountNumber);
    fieldReceipts = receipts;
    for (const r of receipts) if (r.status === 'unposted') (unposted ??= []).push(receiptAsPayment(r.fact));
  }

  let promises: readonly PromiseState[] = NONE;
  let currentPromise: PromiseState | undefined;
  if (sc.promiseCount > 0) {
    const promiseFacts = sc.promiseFacts;
    const since = dateOfInstant((promiseFacts[0] as PromiseFact).at);
    const payments =
      unposted !== undefined
        ? countablePayments([...paid.payments, ...unposted], 0, paid.payments.length + unposted.length, accountNumber, since, asOfDate)
        : paymentRows !== undefined
          ? countablePayments(paymentRows, paymentFrom, paymentTo, accountNumber, since, asOfDate)
          : countablePayments(paid.payments, 0, paid.payments.length, accountNumber, since, asOfDate);
    const followed = followPromises(promiseFacts, sc.promiseCount, payments, asOfDate, sc.cancelledPromises, sc.cancelledCount);
    promises = followed;
    for (let i = followed.length - 1; i >= 0; i--) {
      const p = followed[i];
      if (p !== undefined && p.status !== 'cancelled' && p.status !== 'superseded') {
        currentPromise = p;
        break;
      }
    }
  }

  // The lists below are gathered in scratchList (indexed writes, no reallocation) and copied out.
  let disputes: readonly DisputeState[] = NONE;
  let disputedDocuments: ReadonlySet<string> = NO_STRINGS;
  if (sc.disputeCount > 0) {
    const list = scratchList as DisputeState[];
    let n = 0;
    let disputed: Set<string> | undefined;
    for (let i = 0; i < sc.disputeCount; i++) {
      const d = sc.disputeFacts[i] as DisputeFact;
      // The first resolution (compareFacts order) decides; a later one is a duplicate.
      let resolution: FactOf<'dispute-resolved'> | undefined;
      for (let j = 0; j < sc.resolutionCount && resolution === undefined; j++) {
        const r = sc.disputeResolutions[j] as FactOf<'dispute-resolved'>;
        if (r.disputeId === d.id) resolution = r;
      }
      if (resolution === undefined) {
        list[n++] = { id: d.id, fact: d, status: 'open', openedAt: d.at };
        disputed ??= new Set();
        for (let j = 0; j < d.documentNumbers.length; j++) disputed.add(d.documentNumbers[j] as string);
      } else {
        list[n++] = { id: d.id, fact: d, status: resolution.outcome, openedAt: d.at, resolvedAt: resolution.at };
      }
    }
    disputes = copyRange(list, 0, n);
    if (disputed !== undefined) disputedDocuments = disputed;
  }

  let escalations: readonly EscalationState[] = NONE;
  if (sc.escalationCount > 0) {
    const open = scratchList as EscalationState[];
    let n = 0;
    for (let i = 0; i < sc.escalationCount; i++) {
      const e = sc.escalationFacts[i] as EscalationFact;
      if (resolvedEscalations?.has(e.id) === true) continue;
      const s: Writable<EscalationState> = { id: e.id, source: 'manual', reason: e.reason, openedAt: e.at, fact: e };
      if (e.toRole !== undefined) s.toRole = e.toRole;
      if (e.toUser !== undefined) s.toUser = e.toUser;
      open[n++] = s;
    }
    if (n > 0) escalations = copyRange(open, 0, n);
  }

  let tasks: readonly TaskState[] = NONE;
  if (sc.taskCount > 0) {
    const { taskFacts, taskClosures, closureCount } = sc;
    const list = scratchList as TaskState[];
    let n = 0;
    for (let i = 0; i < sc.taskCount; i++) {
      const t = taskFacts[i] as TaskFact;
      // The first closure of a task (compareFacts order) decides; a task closed twice stays closed the first way.
      let c: FactOf<'task-closed'> | undefined;
      for (let j = 0; j < closureCount && c === undefined; j++) if ((taskClosures[j] as FactOf<'task-closed'>).taskId === t.id) c = taskClosures[j];
      list[n++] = c === undefined ? { id: t.id, fact: t, status: 'open', dueAt: t.dueAt } : { id: t.id, fact: t, status: c.outcome, dueAt: t.dueAt, closedAt: c.at };
    }
    tasks = copyRange(list, 0, n);
    // Every closure of a step's task (done or skipped) counts as the step carried out; the latest wins.
    for (let i = 0; i < closureCount; i++) {
      const c = taskClosures[i] as FactOf<'task-closed'>;
      const step = stepOfTask(taskFacts, sc.taskCount, c.taskId);
      if (step === undefined) continue;
      const seen = stepDoneAt(sc.stepsDone, sc.stepCount, step);
      if (seen === undefined || seen < c.at) setStepDone(sc, step, { stepId: step, at: c.at });
    }
  }

  let holds: readonly HoldState[] = NONE;
  let accountHold: HoldState | undefined;
  let heldDocuments: ReadonlySet<string> = NO_STRINGS;
  if (sc.holdCount > 0) {
    const list = scratchList as HoldState[];
    let n = 0;
    let held: Set<string> | undefined;
    for (let i = 0; i < sc.holdCount; i++) {
      const h = sc.holdFacts[i] as HoldFact;
      const active = !listed(sc.releasedHolds, sc.releasedHoldCount, h.id) && h.until >= asOfDate;
      const s: HoldState = { id: h.id, fact: h, active };
      list[n++] = s;
      if (!active) continue;
      if (h.documentNumbers === undefined) {
        // Several account holds: the one lasting longest is the one that matters; ties go to the later fact.
        if (accountHold === undefined || h.until >= accountHold.fact.until) accountHold = s;
      } else {
        // An empty list holds no document: "present" means only the documents listed (facts.ts).
        held ??= new Set();
        for (let j = 0; j < h.documentNumbers.length; j++) held.add(h.documentNumbers[j] as string);
      }
    }
    holds = copyRange(list, 0, n);
    if (held !== undefined) heldDocuments = held;
  }

  const claimLive = lastClaim !== undefined && !listed(sc.releasedClaims, sc.releasedClaimCount, lastClaim.id) && lastClaim.expiresAt > asOf;
  const callbackAt = callbackRequest?.callbackAt;
  const stepsMap: readonly StepDone[] = sc.stepCount > 0 ? copyRange(sc.stepsDone, 0, sc.stepCount) : NONE;
  const resolved: ReadonlySet<string> = resolvedEscalations ?? NO_STRINGS;

  // The common sets of optional fields get one literal each, written in the key order of the general
  // path below (which adds them one by one): no out-of-object property store for most states. A
  // conversation is a contact attempt, so lastConversationAt comes with lastContactAt.
  if (accountHold === undefined && !claimLive && strategyOverride === null && callbackAt === undefined) {
    if (lastAttempt === undefined) {
      if (currentPromise === undefined)
        return { accountNumber, promises, disputes, disputedDocuments, escalations, resolvedEscalations: resolved, tasks, holds, heldDocuments, assignedTo, fieldReceipts, attempts, conversations, stepsDone: stepsMap };
    } else {
      const lastContactAt = lastAttempt.at;
      const lastOutcome = lastAttempt.outcome;
      if (currentPromise === undefined) {
        if (lastConversationAt === undefined)
          return { accountNumber, promises, disputes, disputedDocuments, escalations, resolvedEscalations: resolved, tasks, holds, heldDocuments, assignedTo, fieldReceipts, attempts, conversations, stepsDone: stepsMap, lastContactAt, lastOutcome };
        return { accountNumber, promises, disputes, disputedDocuments, escalations, resolvedEscalations: resolved, tasks, holds, heldDocuments, assignedTo, fieldReceipts, attempts, conversations, stepsDone: stepsMap, lastContactAt, lastOutcome, lastConversationAt };
      }
      if (lastConversationAt !== undefined)
        return { accountNumber, promises, disputes, disputedDocuments, escalations, resolvedEscalations: resolved, tasks, holds, heldDocuments, assignedTo, fieldReceipts, attempts, conversations, stepsDone: stepsMap, currentPromise, lastContactAt, lastOutcome, lastConversationAt };
    }
  }

  const state: Writable<AccountState> = { accountNumber, promises, disputes, disputedDocuments, escalations, resolvedEscalations: resolved, tasks, holds, heldDocuments, assignedTo, fieldReceipts, attempts, conversations, stepsDone: stepsMap };
  if (currentPromise !== undefined) state.currentPromise = currentPromise;
  if (accountHold !== undefined) state.accountHold = accountHold;
  if (claimLive) state.claim = { by: lastClaim.by, expiresAt: lastClaim.expiresAt, id: lastClaim.id };
  if (strategyOverride !== null) state.strategyOverride = strategyOverride;
  if (lastAttempt !== undefined) {
    state.lastContactAt = lastAttempt.at;
    state.lastOutcome = lastAttempt.outcome;
  }
  if (lastConversationAt !== undefined) state.lastConversationAt = lastConversationAt;
  if (callbackAt !== undefined) state.callbackAt = callbackAt;
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
 * Each receipt with whether the ledger has posted it: a payment of the account in the same currency whose
 * reference is the receipt number (facts.ts). The first receipt with a number counts; a later one with the
 * same number is a duplicate the collector sees, never counted twice.
 */
function receiptStates(receipts: readonly FieldReceiptFact[], payments: readonly Payment[], accountNumber: string): FieldReceiptState[] {
  const out: FieldReceiptState[] = [];
  const seen = new Set<string>();
  for (const fact of receipts) {
    const posted = payments.some((p) => p.accountNumber === accountNumber && p.reference === fact.receiptNumber && p.currency === fact.currency);
    const duplicate = seen.has(fact.receiptNumber);
    seen.add(fact.receiptNumber);
    out.push({ id: fact.id, fact, status: duplicate ? 'duplicate' : posted ? 'posted' : 'unposted' });
  }
  return out;
}

function receiptAsPayment(r: FieldReceiptFact): Payment {
  return {
    portfolioId: r.portfolioId,
    id: `field:${r.id}`,
    accountNumber: r.accountNumber,
    receivedDate: r.receivedDate,
    currency: r.currency,
    amount: r.amount,
    method: r.method,
    reference: r.receiptNumber,
    allocations: r.allocations,
  };
}

/**
 * The account's payments among all[start, end) that can count toward a promise: received from the day
 * the oldest promise was taken through asOf's date, in received-date order (ties need no order: only sums by day matter). An
 * account's history holds thousands of payments; a promise looks at the last few weeks.
 */
function countablePayments(all: readonly Payment[], start: number, end: number, accountNumber: string, from: string, asOfDate: string): readonly Payment[] {
  const list: Payment[] = [];
  let sorted = true;
  for (let i = start; i < end; i++) {
    const p = all[i] as Payment;
    if (p.receivedDate < from || p.receivedDate > asOfDate || p.accountNumber !== accountNumber) continue;
    if (sorted && list.length > 0 && (list[list.length - 1] as Payment).receivedDate > p.receivedDate) sorted = false;
    list.push(p);
  }
  if (!sorted) list.sort((a, b) => (a.receivedDate < b.receivedDate ? -1 : a.receivedDate > b.receivedDate ? 1 : 0));
  return list;
}

/**
 * YYYYMMDD as a number when `s` starts with `DDDD-DD-DD` (ASCII digits and dashes), else -1: a key
 * that names the first ten characters exactly, read without making a substring.
 */
function dateKey(s: string): number {
  if (s.length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return -1;
  const y0 = s.charCodeAt(0) - 48;
  const y1 = s.charCodeAt(1) - 48;
  const y2 = s.charCodeAt(2) - 48;
  const y3 = s.charCodeAt(3) - 48;
  const m0 = s.charCodeAt(5) - 48;
  const m1 = s.charCodeAt(6) - 48;
  const d0 = s.charCodeAt(8) - 48;
  const d1 = s.charCodeAt(9) - 48;
  // A character below '0' gives a negative digit, above '9' a digit over 9: either fails the test.
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0 || y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9 || m0 > 9 || m1 > 9 || d0 > 9 || d1 > 9) return -1;
  return ((((((y0 * 10 + y1) * 10 + y2) * 10 + y3) * 10 + m0) * 10 + m1) * 10 + d0) * 10 + d1;
}

/**
 * Strings the fold keeps in the state (the day a promise was taken, grace ends, failure days) are
 * shared, one per date, instead of one new string per promise or instalment: a worklist keeps every
 * state. Bounded.
 */
const MEMO_SIZE = 20_000;
const dateMemo = new Map<number, CalendarDate>();

/** `instant.slice(0, 10)`, shared per date. */
function dateOfInstant(instant: string): CalendarDate {
  const key = dateKey(instant);
  if (key < 0) return instant.slice(0, 10) as CalendarDate;
  let d = dateMemo.get(key);
  if (d === undefined) {
    if (dateMemo.size >= MEMO_SIZE) dateMemo.clear();
    d = instant.slice(0, 10) as CalendarDate;
    dateMemo.set(key, d);
  }
  return d;
}

/** plusDays results by days, then by the date's key. */
const plusDaysMemo = new Map<number, Map<number, CalendarDate>>();

/**
 * `date` + `days` for 0 ≤ days: a string edit while the day of the month stays ≤ 28, the calendar
 * otherwise. Grace ends are computed for every instalment on every fold, and the general conversion
 * through epoch days cost a fifth of the whole fold. Results are shared per (date, days).
 */
function plusDays(date: CalendarDate, days: number): CalendarDate {
  const key = date.length === 10 ? dateKey(date) : -1;
  if (key < 0 || !Number.isInteger(days)) return computePlusDays(date, days);
  let byDate = plusDaysMemo.get(days);
  if (byDate === undefined) {
    if (plusDaysMemo.size >= 64) plusDaysMemo.clear();
    byDate = new Map();
    plusDaysMemo.set(days, byDate);
  }
  let r = byDate.get(key);
  if (r === undefined) {
    if (byDate.size >= MEMO_SIZE) byDate.clear();
    r = computePlusDays(date, days);
    byDate.set(key, r);
  }
  return r;
}

function computePlusDays(date: CalendarDate, days: number): CalendarDate {
  const d = (date.charCodeAt(8) - 48) * 10 + (date.charCodeAt(9) - 48) + days;
  if (d <= 28 && days >= 0) return `${date.slice(0, 8)}${d < 10 ? '0' : ''}${d}` as CalendarDate;
  return addDays(date, days);
}

/** What followPromise finds: module scratch, read by followPromises before the next promise is followed. */
interface Followed {
  instalments: readonly InstalmentState[];
  promised: Minor;
  paid: Minor;
  /** kept, broken, partially-kept or open: what the payments alone say. */
  status: PromiseStatus;
  nextDueDate: CalendarDate | undefined;
  failedOn: CalendarDate | undefined;
  /** The day the promise stopped being open (kept or failed); undefined while open. */
  resolvedOn: string | undefined;
}

const followed: Followed = { instalments: [], promised: 0 as Minor, paid: 0 as Minor, status: 'open', nextDueDate: undefined, failedOn: undefined, resolvedOn: undefined };

/**
 * Promises oldest first (the facts are in compareFacts order), each followed against the payments, then
 * cancelled or superseded from the newest down: only the nearest later promise that is not cancelled
 * matters, since every later one was taken on the same day or after it.
 */
function followPromises(facts: readonly PromiseFact[], count: number, payments: readonly Payment[], asOfDate: string, cancelled: readonly string[], cancelledCount: number): PromiseState[] {
  const out = scratchPromises;
  // Filled from the end: grow the scratch first so no write lands past its end.
  while (out.length < count) out.push(undefined as unknown as PromiseState);
  let nextTakenOn: string | undefined;
  for (let i = count - 1; i >= 0; i--) {
    const fact = facts[i] as PromiseFact;
    const takenOn = dateOfInstant(fact.at);
    const result = followPromise(fact, takenOn, payments, asOfDate);
    let status = result.status;
    if (listed(cancelled, cancelledCount, fact.id)) status = 'cancelled';
    else {
      if (nextTakenOn !== undefined && (result.resolvedOn === undefined || nextTakenOn < result.resolvedOn)) status = 'superseded';
      nextTakenOn = takenOn;
    }
    const { instalments, promised, paid, nextDueDate, failedOn } = result;
    const currency = fact.currency;
    const id = fact.id;
    // A literal per case (nextDueDate only while open, failedOn only once failed): no out-of-object store.
    out[i] =
      status === 'open' && nextDueDate !== undefined
        ? { id, fact, currency, status, takenOn, instalments, promised, paid, nextDueDate }
        : (status === 'broken' || status === 'partially-kept') && failedOn !== undefined
          ? { id, fact, currency, status, takenOn, instalments, promised, paid, failedOn }
          : { id, fact, currency, status, takenOn, instalments, promised, paid };
  }
  return copyRange(out, 0, count);
}

const scratchPromises: PromiseState[] = [];
const scratchGraceEnds: CalendarDate[] = [];
const scratchStatuses: InstalmentStatus[] = [];
const scratchInstalments: InstalmentState[] = [];

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
  for (let i = 0; i < plan.length; i++) promised += (plan[i] as PromiseFact['instalments'][number]).amount;

  const n = plan.length;
  const graceEnds = scratchGraceEnds;
  const statuses = scratchStatuses;
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

  const kept = scratchInstalments;
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
    kept[i] = { dueDate: inst.dueDate, amount: inst.amount, paid: paid as Minor, graceEnds: ends, status: st };
    if (status !== 'kept') continue;
    if (st === 'broken' || st === 'partially-kept') {
      status = st;
      failedOn = plusDays(ends, 1);
    } else if (st === 'pending') {
      status = 'open';
      nextDueDate = inst.dueDate;
    }
  }

  const out = followed;
  out.instalments = copyRange(kept, 0, n);
  out.promised = promised as Minor;
  out.paid = paidTotal as Minor;
  out.status = status;
  out.nextDueDate = nextDueDate;
  out.failedOn = failedOn;
  out.resolvedOn = failedOn !== undefined ? failedOn : status === 'kept' ? keptOn : undefined;
  return out;
}
