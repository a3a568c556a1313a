/**
 * What a strategy would do to a portfolio over the next N days, so a manager can try it before
 * switching it on.
 *
 * How it works. Day by day from `start`, every account is decided as the worklist would (fold,
 * strategy, compliance); an action that falls due that day and that compliance allows is taken as
 * done: a fact is appended to the account's history (an activity carrying the step id, an escalation,
 * a hold), so the next day's decision moves on exactly as it would after a collector logged it.
 * The ledger is frozen: no payment arrives, no invoice is raised, so the figures are the strategy's
 * workload on today's receivables as they age. Calls reach nobody (outcome no-answer), letters, e-mails
 * and SMS are sent, visits leave a card; manual steps are done the day they fall due. These
 * assumptions are returned with the result.
 */
import { addDays, type CalendarDate } from './calendar';
import type { Fact, Instant } from './facts';
import type { Ledger } from './ledger';
import { indexPortfolio, type AccountSlice } from './portfolio-index';
import { compileStrategy, type NextAction, type Strategy } from './strategy';
import { instantMs } from './time-zone';
import { decideAccount, resolveWorklistConfig, type WorklistConfig } from './worklist';

export interface SimulationInput {
  readonly ledger: Ledger;
  readonly facts: readonly Fact[];
  readonly config: WorklistConfig;
  readonly start: Instant;
  readonly days: number;
  /** Put every account on this strategy (the one being tried); otherwise each keeps its own. */
  readonly strategy?: Strategy;
}

export interface SimulationDay {
  readonly date: CalendarDate;
  /** Actions taken that day, by kind. */
  readonly actions: Readonly<Record<string, number>>;
  readonly total: number;
  /** Actions due that day that compliance held back. */
  readonly blocked: number;
}

export interface LevelReach {
  readonly strategyId: string;
  readonly levelId: string;
  readonly levelName: string;
  /** Accounts that were at this level on at least one day. */
  readonly accounts: number;
}

export interface SimulationResult {
  readonly start: Instant;
  readonly days: number;
  readonly perDay: readonly SimulationDay[];
  readonly totals: Readonly<Record<string, number>>;
  readonly levels: readonly LevelReach[];
  /** Accounts with at least one derived escalation open on the last day. */
  readonly escalatedAccounts: number;
  readonly assumptions: readonly string[];
}

const ASSUMPTIONS = [
  'The ledger is frozen: no payments arrive and no invoices are raised during the simulation.',
  'Calls reach nobody (no answer); letters, e-mails and SMS are sent; visits leave a card.',
  'Manual steps are done on the day they fall due.',
  'Compliance (calling hours, call caps, quiet periods, opt-outs) holds actions back as it would in the field.',
];

const DAY_MS = 86_400_000;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A deterministic ULID for a simulated fact: the time part from `ms`, the rest from a counter. */
function simulatedId(ms: number, n: number): string {
  let time = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = (CROCKFORD[t % 32] ?? '0') + time;
    t = Math.floor(t / 32);
  }
  let rest = '';
  let r = n;
  for (let i = 0; i < 16; i++) {
    rest = (CROCKFORD[r % 32] ?? '0') + rest;
    r = Math.floor(r / 32);
  }
  return time + rest;
}

const OUTCOME_OF: Record<string, string> = { call: 'no-answer', visit: 'left-message', email: 'sent', sms: 'sent', letter: 'sent', note: 'sent' };

/** The facts a collector would log for carrying out `next` at `at`. */
function factsFor(slice: AccountSlice, next: NextAction, at: Instant, portfolioId: string, ids: () => string): Fact[] {
  const common = { v: 1 as const, by: 'simulation', at, deviceId: 'simulation', portfolioId, accountNumber: slice.account.number };
  const out: Fact[] = [];
  const channel = next.channel ?? 'note';
  const activity: Fact = { ...common, id: ids(), type: 'activity', channel, outcome: OUTCOME_OF[channel] ?? 'sent', documentNumbers: [] };
  if (next.stepId !== undefined) activity.stepId = next.stepId;
  out.push(activity);
  const action = next.action;
  if (action?.kind === 'escalate') out.push({ ...common, id: ids(), type: 'escalation', reason: next.reason.slice(0, 400), toRole: action.role });
  if (action?.kind === 'hold')
    out.push({ ...common, id: ids(), type: 'hold', until: addDays(at.slice(0, 10) as CalendarDate, action.days), reason: 'strategy hold' });
  return out;
}

export function simulate(input: SimulationInput): SimulationResult {
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > 366) throw new RangeError(`days must be a whole number from 1 to 366, not ${input.days}`);
  const config = resolveWorklistConfig(input.config);
  const forced = input.strategy === undefined ? undefined : compileStrategy(input.strategy);
  const resolved = forced === undefined ? config : { ...config, strategyFor: () => forced };
  const index = indexPortfolio(input.ledger, input.facts, { openDocumentsOnly: true });
  const portfolioId = input.ledger.portfolio.id;
  const startMs = instantMs(input.start);
  const perDay: SimulationDay[] = [];
  const totals: Record<string, number> = {};
  const reached = new Map<string, { strategyId: string; levelId: string; levelName: string; accounts: Set<string> }>();
  // Review and follow-up actions that no step id marks as done are counted once per account and subject.
  const counted = new Set<string>();
  let counter = 0;
  let escalatedAccounts = 0;

  for (let d = 0; d < input.days; d++) {
    const dayMs = startMs + d * DAY_MS;
    const asOf = new Date(dayMs).toISOString();
    const endOfDay = `${asOf.slice(0, 10)}T23:59:59.999Z`;
    const actions: Record<string, number> = {};
    let total = 0;
    let blocked = 0;
    let escalated = 0;
    for (const slice of index.accounts.values()) {
      const { decision, compliance, dueAt } = decideAccount(slice, asOf, resolved);
      if (decision.escalations.length > 0) escalated++;
      if (decision.level) {
        const key = `${decision.strategyId}\u0000${decision.level.id}`;
        let r = reached.get(key);
        if (!r) reached.set(key, (r = { strategyId: decision.strategyId, levelId: decision.level.id, levelName: decision.level.name, accounts: new Set() }));
        r.accounts.add(slice.account.number);
      }
      const next = decision.next;
      if (!next || next.dueAt > endOfDay) continue;
      if (compliance !== undefined && !compliance.allowed && (dueAt === undefined || dueAt > endOfDay)) {
        blocked++;
        continue;
      }
      if (next.stepId === undefined) {
        const key = `${slice.account.number}\u0000${next.kind}\u0000${next.promiseId ?? next.disputeId ?? next.dueAt}`;
        if (counted.has(key)) continue;
        counted.add(key);
      }
      const at = dueAt !== undefined && dueAt > asOf ? dueAt : asOf;
      for (const f of factsFor(slice, next, at, portfolioId, () => simulatedId(dayMs, ++counter))) slice.facts.push(f);
      actions[next.kind] = (actions[next.kind] ?? 0) + 1;
      totals[next.kind] = (totals[next.kind] ?? 0) + 1;
      total++;
    }
    escalatedAccounts = escalated;
    perDay.push({ date: asOf.slice(0, 10) as CalendarDate, actions, total, blocked });
  }
  const levels = [...reached.values()]
    .map((r) => ({ strategyId: r.strategyId, levelId: r.levelId, levelName: r.levelName, accounts: r.accounts.size }))
    .sort((a, b) => (a.strategyId === b.strategyId ? 0 : a.strategyId < b.strategyId ? -1 : 1));
  return { start: input.start, days: input.days, perDay, totals, levels, escalatedAccounts, assumptions: ASSUMPTIONS };
}
