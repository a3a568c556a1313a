import { describe, expect, it } from 'vitest';
import { NO_COMPLIANCE, REGULATION_F } from '../../src/domain/compliance';
import type { Ledger } from '../../src/domain/ledger';
import { simulate } from '../../src/domain/simulation';
import type { Strategy } from '../../src/domain/strategy';
import { strategyOf } from '../helpers/strategies';
import { B2B_STANDARD, STRATEGY_PRESETS, strategyConfig } from '../../src/domain/strategy-presets';
import type { WorklistConfig } from '../../src/domain/worklist';
import { generatePortfolio } from '../../sync-server/demo/synthetic';
import { generateFacts } from '../../sync-server/demo/synthetic-facts';
import { account, date, invoice } from '../helpers/ledger-fixtures';

const P = 'acme';
const strategy = strategyOf;

/** E-mail on the first day past due, a letter 10 days later. */
const TWO_STEPS = strategy({
  schemaVersion: 1,
  id: 'two-steps',
  name: 'Two steps',
  levels: [
    {
      id: 'late',
      name: 'Late',
      when: { daysPastDue: { min: 1 } },
      steps: [
        { id: 'mail', action: { kind: 'email', template: 'reminder' } },
        { id: 'post', action: { kind: 'letter', template: 'notice' }, afterDays: 10 },
      ],
    },
  ],
});

const cfg = (s: Strategy, compliance = NO_COMPLIANCE): WorklistConfig => ({ strategies: new Map([[s.id, s]]), selection: { default: s.id, bySegment: {} }, compliance });

const ledger: Ledger = {
  portfolio: { id: P, name: 'Acme' },
  accounts: [account(P, 'C1'), account(P, 'C2'), account(P, 'C3')],
  contacts: [],
  documents: [
    invoice(P, 'C1', 'I1', { dueDate: date('2026-11-10'), issueDate: date('2026-10-10') }),
    // Falls due during the simulation: reaches the level on 2026-11-26.
    invoice(P, 'C2', 'I2', { dueDate: date('2026-11-25'), issueDate: date('2026-10-25') }),
    invoice(P, 'C3', 'I3', { dueDate: date('2027-01-31'), issueDate: date('2026-11-01') }),
  ],
  payments: [],
};

describe('simulation', () => {
  it('takes each step once, on the day it falls due, as the strategy orders them', () => {
    const r = simulate({ ledger, facts: [], config: cfg(TWO_STEPS), start: '2026-11-20T09:00:00.000Z', days: 30 });
    expect(r.totals).toEqual({ email: 2, letter: 2 });
    const byDay = Object.fromEntries(r.perDay.filter((d) => d.total > 0).map((d) => [d.date, d.actions]));
    expect(byDay).toEqual({
      '2026-11-20': { email: 1 }, // C1, past due since 11-11
      '2026-11-26': { email: 1 }, // C2, 1 day past due
      '2026-11-30': { letter: 1 }, // C1, 10 days after its e-mail
      '2026-12-06': { letter: 1 }, // C2
    });
    expect(r.levels).toEqual([{ strategyId: 'two-steps', levelId: 'late', levelName: 'Late', accounts: 2 }]);
    expect(r.perDay.reduce((s, d) => s + d.total, 0)).toBe(4);
    expect(r.assumptions.length).toBeGreaterThan(0);
  });

  it('a pause window holds every contact back until it ends', () => {
    const paused = strategy({ ...TWO_STEPS, id: 'paused', pauses: [{ from: '2026-11-18', to: '2026-11-27', reason: 'Thanksgiving week' }] });
    const r = simulate({ ledger, facts: [], config: cfg(paused), start: '2026-11-20T09:00:00.000Z', days: 10 });
    const active = r.perDay.filter((d) => d.total > 0).map((d) => d.date);
    expect(active).toEqual(['2026-11-28']);
    expect(r.perDay.find((d) => d.date === '2026-11-28')?.actions).toEqual({ email: 2 });
  });

  it('tries a strategy on every account, whatever their own, and is deterministic', () => {
    const big = generatePortfolio({ portfolioId: 'syn', accounts: 200, seed: 4, asOf: date('2026-11-20') });
    const facts = generateFacts(big, { seed: 4, asOf: '2026-11-20T17:00:00.000Z' });
    const config: WorklistConfig = { strategies: STRATEGY_PRESETS, selection: strategyConfig, compliance: REGULATION_F };
    const input = { ledger: big, facts, config, start: '2026-11-21T15:00:00.000Z', days: 14, strategy: B2B_STANDARD };
    const a = simulate(input);
    expect(simulate(input)).toEqual(a);
    expect(new Set(a.levels.map((l) => l.strategyId))).toEqual(new Set(['b2b-standard']));
    expect(Object.values(a.totals).reduce((s, n) => s + n, 0)).toBe(a.perDay.reduce((s, d) => s + d.total, 0));
    expect(a.totals.letter ?? 0).toBeGreaterThan(0);
    // The input facts are not touched by the simulated ones.
    expect(facts.every((f) => f.by !== 'simulation')).toBe(true);
    const own = simulate({ ...input, strategy: undefined as never });
    expect(new Set(own.levels.map((l) => l.strategyId)).size).toBeGreaterThan(1);
  });

  it('refuses a day count out of range', () => {
    expect(() => simulate({ ledger, facts: [], config: cfg(TWO_STEPS), start: '2026-11-20T09:00:00.000Z', days: 0 })).toThrow(/days/);
  });
});
