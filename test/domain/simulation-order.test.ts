/**
 * simulate() runs each account through all its days at once (while its rows are in the processor's
 * cache) and puts the figures back in day-by-day order. These cases check it against the plain
 * day-by-day loop it replaced, kept below as the reference: same figures, same key order, same error.
 */
import { describe, expect, it } from 'vitest';
import { addDays, type CalendarDate } from '../../src/domain/calendar';
import { NO_COMPLIANCE, REGULATION_F } from '../../src/domain/compliance';
import type { Fact, Instant } from '../../src/domain/facts';
import { indexPortfolio, type AccountSlice } from '../../src/domain/portfolio-index';
import { simulate, type SimulationDay, type SimulationInput, type SimulationResult } from '../../src/domain/simulation';
import { compileStrategy, type NextAction } from '../../src/domain/strategy';
import { B2B_STANDARD, CONSUMER_FIELD, STRATEGY_PRESETS, strategyConfig } from '../../src/domain/strategy-presets';
import { instantMs } from '../../src/domain/time-zone';
import { ulidOf } from '../../src/domain/ulid';
import { decideAccount, resolveWorklistConfig, type WorklistConfig } from '../../src/domain/worklist';
import { generatePortfolio } from '../../sync-server/demo/synthetic';
import { generateFacts } from '../../sync-server/demo/synthetic-facts';
import { date } from '../helpers/ledger-fixtures';

const DAY_MS = 86_400_000;
const OUTCOME_OF: Record<string, string> = { call: 'no-answer', visit: 'left-message', email: 'sent', sms: 'sent', letter: 'sent', note: 'sent' };

function factsFor(slice: AccountSlice, next: NextAction, at: Instant, portfolioId: string, ids: () => string): Fact[] {
  const common = { v: 1 as const, by: 'simulation', at, deviceId: 'simulation', portfolioId, accountNumber: slice.account.number };
  const out: Fact[] = [];
  const channel = next.channel ?? 'note';
  const activity: Fact = { ...common, id: ids(), type: 'activity', channel, outcome: OUTCOME_OF[channel] ?? 'sent', documentNumbers: [] };
  if (next.stepId !== undefined) activity.stepId = next.stepId;
  out.push(activity);
  const action = next.action;
  if (action?.kind === 'escalate') out.push({ ...common, id: ids(), type: 'escalation', reason: next.reason.slice(0, 400), toRole: action.role });
  if (action?.kind === 'hold') out.push({ ...common, id: ids(), type: 'hold', until: addDays(at.slice(0, 10) as CalendarDate, action.days), reason: 'strategy hold' });
  return out;
}

/** The day-by-day loop: every account on day 1, then every account on day 2, … */
function dayByDay(input: SimulationInput): Omit<SimulationResult, 'assumptions'> {
  const config = resolveWorklistConfig(input.config);
  const forced = input.strategy === undefined ? undefined : compileStrategy(input.strategy);
  const resolved = forced === undefined ? config : { ...config, strategyFor: () => forced };
  const index = indexPortfolio(input.ledger, input.facts, { openDocumentsOnly: true });
  const portfolioId = input.ledger.portfolio.id;
  const startMs = instantMs(input.start);
  const perDay: SimulationDay[] = [];
  const totals: Record<string, number> = {};
  const reached = new Map<string, { strategyId: string; levelId: string; levelName: string; accounts: Set<string> }>();
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
      for (const f of factsFor(slice, next, at, portfolioId, () => ulidOf(dayMs, ++counter))) slice.facts.push(f);
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
  return { start: input.start, days: input.days, perDay, totals, levels, escalatedAccounts };
}

function same(input: SimulationInput): void {
  const { assumptions, ...fast } = simulate(input);
  const slow = dayByDay(input);
  expect(assumptions.length).toBeGreaterThan(0);
  // JSON as well as toEqual: the order of the keys (actions by kind, totals) must match too.
  expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
  expect(fast).toEqual(slow);
}

const config: WorklistConfig = { strategies: STRATEGY_PRESETS, selection: strategyConfig, compliance: REGULATION_F };
const ledger = generatePortfolio({ portfolioId: 'ord', accounts: 250, seed: 11, asOf: date('2025-06-30') });
const facts = generateFacts(ledger, { seed: 3, asOf: '2025-06-30T15:00:00.000Z' });

describe('simulation: account by account gives the day-by-day figures', () => {
  it('on a synthetic portfolio, starting at its "now" (a fact at the very start)', () => {
    same({ ledger, facts, config, start: '2025-06-30T15:00:00.000Z', days: 30 });
  });

  it('starting before many facts (their ids and times meet the simulated ones), facts out of order', () => {
    same({ ledger, facts: [...facts].reverse(), config, start: '2025-06-20T07:30:00.000Z', days: 25 });
  });

  it('with a fact exactly at the start whose id falls among the simulated ones', () => {
    const start = '2025-06-30T15:00:00.000Z';
    const startMs = Date.parse(start);
    const extra: Fact[] = ledger.accounts.slice(0, 40).map((a, i) => ({
      v: 1,
      id: ulidOf(startMs, 3 + i * 2),
      by: 'u-ana',
      at: start,
      deviceId: 'dev',
      portfolioId: ledger.portfolio.id,
      accountNumber: a.number,
      type: 'activity',
      channel: i % 2 === 0 ? 'call' : 'email',
      outcome: 'no-answer',
      documentNumbers: [],
    }));
    same({ ledger, facts: [...facts, ...extra], config, start, days: 12 });
  });

  it('numbers simulated facts as the day-by-day loop does where an id can meet an existing one', () => {
    // An account with a note at the start, its id a counter value the loop may give a simulated fact
    // of that account on the first day: equal ids collapse to one fact, so the numbering shows.
    const small = generatePortfolio({ portfolioId: 'ids', accounts: 40, seed: 5, asOf: date('2025-06-30') });
    const start = '2025-06-30T15:00:00.000Z';
    const startMs = Date.parse(start);
    // Accounts with a step overdue on the first day: a letter, an escalation (two facts).
    for (const target of ['C000032', 'C000029'])
      for (let n = 1; n <= 30; n++) {
        const existing: Fact = { v: 1, id: ulidOf(startMs, n), by: 'u-ana', at: start, deviceId: 'dev', portfolioId: small.portfolio.id, accountNumber: target, type: 'activity', channel: 'note', outcome: 'sent', documentNumbers: [] };
        same({ ledger: small, facts: [existing], config: { ...config, compliance: NO_COMPLIANCE }, start, days: 4 });
      }
  });

  it('trying one strategy on every account, without compliance', () => {
    same({ ledger, facts, config: { ...config, compliance: NO_COMPLIANCE }, start: '2025-07-01T09:00:00.000Z', days: 20, strategy: B2B_STANDARD });
    same({ ledger, facts, config, start: '2025-07-01T09:00:00.000Z', days: 9, strategy: CONSUMER_FIELD });
  });

  it('fails as the day-by-day loop does', () => {
    const broken: WorklistConfig = { ...config, selection: { default: 'missing', bySegment: {} } };
    const input = { ledger, facts, config: broken, start: '2025-06-30T15:00:00.000Z', days: 3 };
    expect(() => dayByDay(input)).toThrow(RangeError);
    expect(() => simulate(input)).toThrow(/the default strategy "missing" is not defined/);
  });
});
