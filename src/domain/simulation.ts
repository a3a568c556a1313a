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
 *
 * Order of work. An account's days read and write only its own slice, so the loop runs account by
 * account, each through all its days while its rows are still in the processor's cache (day by day,
 * every day reread the whole portfolio from memory), and puts the figures back in the order the
 * day-by-day loop meets them: per-day and total counts by kind keyed in first-met order, levels in
 * first-reached order, the first failure (by day, then account) rethrown. Simulated fact ids follow
 * the day-by-day numbering wherever an id can matter (see needsDayByDayIds). The result is the same
 * as the day-by-day loop's (test/domain/simulation-order.test.ts keeps that loop as its reference).
 */
import { addDays, type CalendarDate } from './calendar';
import type { Fact, Instant } from './facts';
import type { Ledger } from './ledger';
import { indexPortfolio, type AccountSlice } from './portfolio-index';
import { compileStrategy, type NextAction, type Strategy } from './strategy';
import { instantMs } from './time-zone';
import { ulidOf } from './ulid';
import { decideAccount, resolveWorklistConfig, type ResolvedWorklistConfig, type WorklistConfig } from './worklist';

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
const simulatedId = ulidOf;

const OUTCOME_OF: Record<string, string> = { call: 'no-answer', visit: 'left-message', email: 'sent', sms: 'sent', letter: 'sent', note: 'sent' };

/** The facts a collector would log for carrying out `next` at `at`. */
function factsFor(slice: AccountSlice, next: NextAction, at: Instant, portfolioId: string, ids: () => string): Fact[] {
  const accountNumber = slice.account.number;
  const out: Fact[] = [];
  const channel = next.channel ?? 'note';
  const activity: Fact = { v: 1, by: 'simulation', at, deviceId: 'simulation', portfolioId, accountNumber, id: ids(), type: 'activity', channel, outcome: OUTCOME_OF[channel] ?? 'sent', documentNumbers: [] };
  if (next.stepId !== undefined) activity.stepId = next.stepId;
  out.push(activity);
  const action = next.action;
  if (action?.kind === 'escalate')
    out.push({ v: 1, by: 'simulation', at, deviceId: 'simulation', portfolioId, accountNumber, id: ids(), type: 'escalation', reason: next.reason.slice(0, 400), toRole: action.role });
  if (action?.kind === 'hold')
    out.push({ v: 1, by: 'simulation', at, deviceId: 'simulation', portfolioId, accountNumber, id: ids(), type: 'hold', until: addDays(at.slice(0, 10) as CalendarDate, action.days), reason: 'strategy hold' });
  return out;
}

/** One day's figures as they are gathered, account by account. */
interface DayTally {
  /** Actions by kind, and the position of the first account that took each (for the key order). */
  readonly counts: Map<string, number>;
  readonly firstAccount: Map<string, number>;
  total: number;
  blocked: number;
  escalated: number;
}

interface Reach {
  strategyId: string;
  levelId: string;
  levelName: string;
  accounts: number;
  /** The first (day, account position) at this level: the order the day-by-day loop meets the levels in. */
  firstDay: number;
  firstAccount: number;
}

/**
 * What a run shares across accounts. Each account's days only read and write its own slice; the
 * figures are sums and first occurrences, so accounts can be run one after the other, each through
 * all its days, and the figures put back in the order the day-by-day loop would have produced them.
 */
class Run {
  readonly tallies: DayTally[] = [];
  readonly reached = new Map<string, Reach>();
  /** Review and follow-up actions that no step id marks as done are counted once per account and subject. */
  readonly counted = new Set<string>();
  /** Facts made per (day, account position), when fact ids must follow the day-by-day numbering. */
  readonly made: Uint8Array | null;
  /** The first failure by (day, account position), rethrown at the end as the day-by-day loop would. */
  error: { readonly day: number; readonly account: number; readonly error: unknown } | undefined;
  readonly asOfs: readonly Instant[];
  readonly endsOfDay: readonly string[];
  readonly dayMs: readonly number[];
  readonly config: ResolvedWorklistConfig;
  readonly portfolioId: string;

  constructor(days: { asOfs: Instant[]; endsOfDay: string[]; dayMs: number[] }, accounts: number, config: ResolvedWorklistConfig, portfolioId: string, numbered: boolean) {
    this.asOfs = days.asOfs;
    this.endsOfDay = days.endsOfDay;
    this.dayMs = days.dayMs;
    this.config = config;
    this.portfolioId = portfolioId;
    for (let d = 0; d < days.asOfs.length; d++) this.tallies.push({ counts: new Map(), firstAccount: new Map(), total: 0, blocked: 0, escalated: 0 });
    this.made = numbered ? new Uint8Array(days.asOfs.length * accounts) : null;
  }

  fail(day: number, account: number, error: unknown): void {
    const e = this.error;
    if (e === undefined || day < e.day || (day === e.day && account < e.account)) this.error = { day, account, error };
  }
}

/** Per account, across its days: the level it was last counted at, and every level it reached. */
interface AccountRun {
  lastLevel: object | null;
  lastStrategy: string;
  levels: string[];
}

/**
 * One account on one day: decide, count, and carry out what falls due (facts appended to its slice).
 * `ids` numbers the facts made. Returns how many facts were made.
 */
function simulateDay(run: Run, k: number, slice: AccountSlice, d: number, acc: AccountRun, ids: (dayMs: number) => string): number {
  const asOf = run.asOfs[d] as Instant;
  const endOfDay = run.endsOfDay[d] as string;
  const tally = run.tallies[d] as DayTally;
  const { decision, compliance, dueAt } = decideAccount(slice, asOf, run.config);
  if (decision.escalations.length > 0) tally.escalated++;
  const level = decision.level;
  if (level && (level !== acc.lastLevel || decision.strategyId !== acc.lastStrategy)) {
    acc.lastLevel = level;
    acc.lastStrategy = decision.strategyId;
    const key = `${decision.strategyId}\u0000${level.id}`;
    if (!acc.levels.includes(key)) {
      acc.levels.push(key);
      const r = run.reached.get(key);
      if (!r) run.reached.set(key, { strategyId: decision.strategyId, levelId: level.id, levelName: level.name, accounts: 1, firstDay: d, firstAccount: k });
      else {
        r.accounts++;
        if (d < r.firstDay || (d === r.firstDay && k < r.firstAccount)) {
          r.strategyId = decision.strategyId;
          r.levelId = level.id;
          r.levelName = level.name;
          r.firstDay = d;
          r.firstAccount = k;
        }
      }
    }
  }
  const next = decision.next;
  if (!next || next.dueAt > endOfDay) return 0;
  if (compliance !== undefined && !compliance.allowed && (dueAt === undefined || dueAt > endOfDay)) {
    tally.blocked++;
    return 0;
  }
  if (next.stepId === undefined) {
    const key = `${slice.account.number}\u0000${next.kind}\u0000${next.promiseId ?? next.disputeId ?? next.dueAt}`;
    if (run.counted.has(key)) return 0;
    run.counted.add(key);
  }
  const at = dueAt !== undefined && dueAt > asOf ? dueAt : asOf;
  const dayMs = run.dayMs[d] as number;
  const made = factsFor(slice, next, at, run.portfolioId, () => ids(dayMs));
  for (const f of made) slice.facts.push(f);
  const kind = next.kind;
  tally.counts.set(kind, (tally.counts.get(kind) ?? 0) + 1);
  const first = tally.firstAccount.get(kind);
  if (first === undefined || k < first) tally.firstAccount.set(kind, k);
  tally.total++;
  return made.length;
}

/**
 * Simulated fact ids are a counter in day-by-day order (account after account, day after day). An id
 * matters to an account's fold only against a fact with the same `at` or the same id: with every one of
 * its facts before the start, and every id below the first simulated one, no simulated fact can meet
 * either, and its own simulated facts keep their order whatever the numbers. Such an account can run
 * through all its days at once; the others (a fact at or after the start, as a benchmark's "now" fact)
 * are run day by day with the exact day-by-day numbers.
 */
function needsDayByDayIds(slice: AccountSlice, firstAsOf: Instant, firstId: string): boolean {
  for (const f of slice.facts) if (f.at >= firstAsOf || f.id >= firstId) return true;
  return false;
}

export function simulate(input: SimulationInput): SimulationResult {
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > 366) throw new RangeError(`days must be a whole number from 1 to 366, not ${input.days}`);
  const config = resolveWorklistConfig(input.config);
  const forced = input.strategy === undefined ? undefined : compileStrategy(input.strategy);
  const resolved = forced === undefined ? config : { ...config, strategyFor: () => forced };
  const index = indexPortfolio(input.ledger, input.facts, { openDocumentsOnly: true });
  const portfolioId = input.ledger.portfolio.id;
  const startMs = instantMs(input.start);
  const days = input.days;
  const asOfs: Instant[] = [];
  const endsOfDay: string[] = [];
  const dayStarts: number[] = [];
  for (let d = 0; d < days; d++) {
    const dayMs = startMs + d * DAY_MS;
    const asOf = new Date(dayMs).toISOString();
    dayStarts.push(dayMs);
    asOfs.push(asOf);
    endsOfDay.push(`${asOf.slice(0, 10)}T23:59:59.999Z`);
  }
  const slices = [...index.accounts.values()];
  const n = slices.length;
  const firstId = simulatedId(startMs, 0);
  const numbered: number[] = [];
  for (let k = 0; k < n; k++) if (needsDayByDayIds(slices[k] as AccountSlice, asOfs[0] as Instant, firstId)) numbered.push(k);
  const run = new Run({ asOfs, endsOfDay, dayMs: dayStarts }, n, resolved, portfolioId, numbered.length > 0);
  const made = run.made;

  // Accounts whose fact ids do not matter: each through all its days while its rows are in the cache.
  let counter = 0;
  const freeIds = (dayMs: number) => simulatedId(dayMs, ++counter);
  let nextNumbered = 0;
  for (let k = 0; k < n; k++) {
    if (numbered[nextNumbered] === k) {
      nextNumbered++;
      continue;
    }
    const slice = slices[k] as AccountSlice;
    const acc: AccountRun = { lastLevel: null, lastStrategy: '', levels: [] };
    for (let d = 0; d < days; d++) {
      let m: number;
      try {
        m = simulateDay(run, k, slice, d, acc, freeIds);
      } catch (error) {
        run.fail(d, k, error);
        break;
      }
      if (made !== null) made[d * n + k] = m;
    }
  }

  // The others day by day, numbered as the day-by-day loop numbers them: every fact made before theirs.
  if (numbered.length > 0 && made !== null) {
    const accs = numbered.map((): AccountRun => ({ lastLevel: null, lastStrategy: '', levels: [] }));
    const stopped = new Set<number>();
    let before = 0;
    for (let d = 0; d < days; d++) {
      let j = 0;
      for (let k = 0; k < n; k++) {
        if (numbered[j] !== k) {
          before += made[d * n + k] as number;
          continue;
        }
        const acc = accs[j] as AccountRun;
        j++;
        if (stopped.has(k)) continue;
        let used = 0;
        const exactIds = (dayMs: number) => simulatedId(dayMs, before + ++used);
        try {
          made[d * n + k] = simulateDay(run, k, slices[k] as AccountSlice, d, acc, exactIds);
        } catch (error) {
          run.fail(d, k, error);
          stopped.add(k);
        }
        before += made[d * n + k] as number;
      }
    }
  }
  if (run.error !== undefined) throw run.error.error;

  // The figures, with keys in the order the day-by-day loop would have first met them.
  const perDay: SimulationDay[] = [];
  const totals: Record<string, number> = {};
  for (let d = 0; d < days; d++) {
    const t = run.tallies[d] as DayTally;
    const kinds = [...t.counts.keys()].sort((a, b) => (t.firstAccount.get(a) as number) - (t.firstAccount.get(b) as number));
    const actions: Record<string, number> = {};
    for (const kind of kinds) {
      const count = t.counts.get(kind) as number;
      actions[kind] = count;
      totals[kind] = (totals[kind] ?? 0) + count;
    }
    perDay.push({ date: (asOfs[d] as Instant).slice(0, 10) as CalendarDate, actions, total: t.total, blocked: t.blocked });
  }
  const levels = [...run.reached.values()]
    .sort((a, b) => a.firstDay - b.firstDay || a.firstAccount - b.firstAccount)
    .map((r) => ({ strategyId: r.strategyId, levelId: r.levelId, levelName: r.levelName, accounts: r.accounts }))
    .sort((a, b) => (a.strategyId === b.strategyId ? 0 : a.strategyId < b.strategyId ? -1 : 1));
  const escalatedAccounts = (run.tallies[days - 1] as DayTally).escalated;
  return { start: input.start, days: input.days, perDay, totals, levels, escalatedAccounts, assumptions: ASSUMPTIONS };
}
