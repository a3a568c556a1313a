/**
 * The rules that come before a level's steps and suspend them: nothing owed in the flow (all of it
 * disputed or held), a broken or partially kept promise (follow it up now), an open promise (follow up
 * each instalment on its date). See strategy-evaluate.ts for their order.
 */
import type { AccountState, PromiseState } from './account-state';
import { addDays, type CalendarDate } from './calendar';
import { toDecimalString } from './money';
import { flat } from './retained';
import { decide, pauseContact, pauseWaiting, plural, type Frame, type NextAction, type StrategyDecision, type StrategyWaiting } from './strategy-decision';
import { isZeroMetrics, type AccountMetrics, type MeasuredAccount } from './strategy-metrics';
import { DAY_MS, dayStartInstant, dayStartMs, instantMs, instantOfMs } from './strategy-time';

export function nothingOwed(f: Frame, state: AccountState, measured: MeasuredAccount): StrategyDecision {
  const m = measured.metrics;
  if (m.disputedAmount > 0) {
    let oldest: AccountState['disputes'][number] | undefined;
    let oldestMs = Infinity;
    for (let i = 0; i < state.disputes.length; i++) {
      const d = state.disputes[i] as AccountState['disputes'][number];
      if (d.status === 'open' && instantMs(d.openedAt) < oldestMs) {
        oldest = d;
        oldestMs = instantMs(d.openedAt);
      }
    }
    const detail = flat(`Everything open is disputed (${toDecimalString(m.disputedAmount, m.currency)} ${m.currency}); dunning resumes when the disputes are resolved.`);
    if (oldest === undefined) return decide(f, null, { reason: 'all-disputed', detail });
    const dueMs = oldestMs + f.c.escalation.disputeReviewDays * DAY_MS;
    const next: NextAction = {
      kind: 'review-dispute',
      disputeId: oldest.id,
      manual: true,
      dueAt: instantOfMs(dueMs),
      reason: flat(`The dispute (${oldest.fact.reasonCode}) on ${oldest.fact.documentNumbers.join(', ')} opened on ${oldest.openedAt.slice(0, 10)} holds everything open; the ${f.c.escalation.disputeOwnerRole} resolves it within ${plural(f.c.escalation.disputeReviewDays, 'day')}.`),
    };
    return dueMs > f.asOfMs ? decide(f, next, { reason: 'all-disputed', until: next.dueAt, detail }) : decide(f, next);
  }
  if (m.heldAmount > 0) {
    let until: string | undefined;
    for (const h of state.holds) if (h.active && h.fact.documentNumbers !== undefined && (until === undefined || h.fact.until < until)) until = h.fact.until;
    const detail = flat(`Everything open is on hold${until === undefined ? '' : ` (the first hold ends ${until})`}.`);
    return until === undefined
      ? decide(f, null, { reason: 'hold', detail })
      : decide(f, null, { reason: 'hold', until: dayStartInstant(addDays(until as CalendarDate, 1)), detail });
  }
  // The account's whole decision is shared when its metrics are (nothing open: zeroMetrics) and nothing
  // escalates: a quarter of a portfolio can be such accounts, each with the same three objects.
  if (f.escalations.length === 0 && f.level === null && isZeroMetrics(m)) {
    let byMetrics = nothingOwedDecisions.get(f.c);
    if (byMetrics === undefined) {
      byMetrics = new Map();
      nothingOwedDecisions.set(f.c, byMetrics);
    }
    let d = byMetrics.get(m);
    if (d === undefined) {
      d = Object.freeze(decide(f, null, NOTHING_OWED));
      byMetrics.set(m, d);
    }
    return d;
  }
  return decide(f, null, NOTHING_OWED);
}

const NOTHING_OWED: StrategyWaiting = Object.freeze({ reason: 'nothing-owed', detail: 'Nothing is owed.' });
const nothingOwedDecisions = new WeakMap<Frame['c'], Map<AccountMetrics, StrategyDecision>>();

export function brokenPromise(f: Frame, p: PromiseState, failedMs: number): StrategyDecision {
  const moved = pauseContact(f.c, failedMs, f.asOfMs);
  const what = p.status === 'broken' ? 'was broken' : 'was only partly kept';
  const next: NextAction = {
    kind: 'broken-promise-follow-up',
    channel: 'call',
    promiseId: p.id,
    manual: false,
    dueAt: instantOfMs(moved.ms),
    reason: flat(`The promise taken on ${p.takenOn} ${what} on ${p.failedOn ?? ''} (${toDecimalString(p.paid, p.currency)} of ${toDecimalString(p.promised, p.currency)} ${p.currency} paid): call to find out why and agree what now.`),
  };
  return moved.ms > f.asOfMs ? decide(f, next, pauseWaiting(f.c, moved.pause, moved.ms, 'the follow-up')) : decide(f, next);
}

export function openPromise(f: Frame, p: PromiseState, lastContactMs: number): StrategyDecision {
  let firstPending: PromiseState['instalments'][number] | undefined;
  let n = 0;
  for (let i = 0; i < p.instalments.length; i++) {
    const inst = p.instalments[i] as PromiseState['instalments'][number];
    n++;
    if (inst.status !== 'pending') continue;
    firstPending ??= inst;
    const dueMs = dayStartMs(inst.dueDate);
    // A contact on or after the due date was the follow-up of this instalment.
    if (lastContactMs >= dueMs) continue;
    const moved = pauseContact(f.c, dueMs, f.asOfMs);
    const of = p.instalments.length > 1 ? ` (instalment ${n} of ${p.instalments.length})` : '';
    const next: NextAction = {
      kind: 'promise-follow-up',
      channel: 'call',
      promiseId: p.id,
      manual: false,
      dueAt: instantOfMs(moved.ms),
      reason: flat(`${toDecimalString(inst.amount, p.currency)} ${p.currency} promised for ${inst.dueDate}${of}: remind or confirm the payment; grace runs to ${inst.graceEnds}.`),
    };
    if (moved.ms <= f.asOfMs) return decide(f, next);
    if (moved.pause >= 0) return decide(f, next, pauseWaiting(f.c, moved.pause, moved.ms, 'the promise follow-up'));
    return decide(f, next, { reason: 'promise-open', until: next.dueAt, detail: flat(`A promise is open: dunning waits while it is kept; next instalment due ${inst.dueDate}.`) });
  }
  // Every pending instalment was followed up: the fold decides kept or broken when the grace ends.
  const graceEnd = firstPending === undefined ? undefined : addDays(firstPending.graceEnds, 1);
  const detail = flat(`A promise is open and followed up; ${graceEnd === undefined ? 'waiting for the payment' : `kept or broken on ${graceEnd}`}.`);
  return graceEnd === undefined
    ? decide(f, null, { reason: 'promise-open', detail })
    : decide(f, null, { reason: 'promise-open', until: dayStartInstant(graceEnd), detail });
}
