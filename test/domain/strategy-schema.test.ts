import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStrategy, strategySchema } from '../../src/domain/strategy';

type Obj = Record<string, unknown>;
interface Draft extends Obj {
  levels: (Obj & { when: Obj; steps: Obj[] })[];
  pauses: Obj[];
  escalation: { largeBalance: Obj };
}

const valid = (): Draft => ({
  schemaVersion: 1,
  id: 'demo',
  name: 'Demo',
  minContactDelayDays: 3,
  levels: [
    {
      id: 'early',
      name: 'Early',
      when: { daysPastDue: { min: 1, max: 30 } },
      steps: [
        { id: 'email-1', action: { kind: 'email', template: 'reminder' } },
        { id: 'call-1', action: { kind: 'call' }, afterDays: 7 },
      ],
    },
    { id: 'late', name: 'Late', when: { daysPastDue: { min: 31 } }, steps: [{ id: 'letter-1', action: { kind: 'letter', template: 'demand' }, manual: true }] },
  ],
  pauses: [{ from: '2025-12-24', to: '2026-01-01', reason: 'Holidays' }],
  escalation: { largeBalance: { amount: 1_000_000, currency: 'USD' } },
});

function level(s: Draft, i: number) {
  const l = s.levels[i];
  if (l === undefined) throw new Error(`no level ${i}`);
  return l;
}

function step(s: Draft, l: number, i: number): Obj {
  const st = level(s, l).steps[i];
  if (st === undefined) throw new Error(`no step ${l}.${i}`);
  return st;
}

/** The refusals of `valid()` changed by `edit` (which changes it in place or returns a replacement). */
function refusals(edit: (s: Draft) => unknown): string[] {
  const s = valid();
  const out = edit(s);
  const r = parseStrategy(out ?? s);
  return r.ok ? [] : r.errors;
}

describe('strategy schema', () => {
  it('accepts a valid strategy and fills the defaults', () => {
    const r = parseStrategy(valid());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.strategy.description).toBe('');
    expect(r.strategy.levels[0]?.steps[0]).toMatchObject({ afterDays: 0, manual: false });
    expect(r.strategy.escalation).toEqual({
      disputeOwnerRole: 'manager',
      brokenPromiseRole: 'manager',
      disputeReviewDays: 10,
      largeBalance: { amount: 1_000_000, currency: 'USD', role: 'manager' },
    });
    expect(strategySchema.parse({ schemaVersion: 1, id: 'x', name: 'X', levels: [{ id: 'l', name: 'L', steps: [] }] }).levels[0]?.when).toEqual({});
  });

  it.each<[string, (s: Draft) => unknown, RegExp]>([
    ['no levels', (s) => ({ ...s, levels: [] }), /^levels: a strategy needs at least one level/],
    ['a step id used twice across levels', (s) => void (step(s, 1, 0).id = 'call-1'), /^levels\.1\.steps\.0\.id: step id "call-1" is used twice \(also levels\.0\.steps\.1\.id\)/],
    ['a level id used twice', (s) => void (level(s, 1).id = 'early'), /^levels\.1\.id: level id "early" is used twice/],
    ['a wrong schema version', (s) => ({ ...s, schemaVersion: 2 }), /^schemaVersion: /],
    ['min above max', (s) => void (level(s, 0).when = { daysPastDue: { min: 40, max: 30 } }), /^levels\.0\.when\.daysPastDue\.max: min is above max/],
    ['an empty range', (s) => void (level(s, 0).when = { balance: {} }), /^levels\.0\.when\.balance: give min, max or both/],
    ['a misspelt predicate', (s) => void (level(s, 0).when = { daysPastdue: { min: 1 } }), /^levels\.0\.when: .*daysPastdue/],
    ['an unknown action', (s) => void (step(s, 0, 0).action = { kind: 'fax' }), /^levels\.0\.steps\.0\.action\.kind: /],
    ['an email without a template', (s) => void (step(s, 0, 0).action = { kind: 'email' }), /^levels\.0\.steps\.0\.action\.template: /],
    ['an unknown role', (s) => void (step(s, 0, 0).action = { kind: 'escalate', role: 'ceo' }), /^levels\.0\.steps\.0\.action\.role: /],
    ['a negative delay on a later step', (s) => void (step(s, 0, 1).afterDays = -2), /^levels\.0\.steps\.1\.afterDays: step "call-1": only a level's first step/],
    ['a pause ending before it starts', (s) => void (s.pauses[0] = { from: '2026-01-02', to: '2026-01-01', reason: 'x' }), /^pauses\.0\.to: the pause ends before it starts/],
    ['a pause with a bad date', (s) => void (s.pauses[0] = { from: '2026-02-30', to: '2026-03-01', reason: 'x' }), /^pauses\.0\.from: expected a calendar date/],
    ['an unknown risk grade', (s) => void (level(s, 0).when = { risk: ['F'] }), /^levels\.0\.when\.risk\.0: /],
    ['an empty list predicate', (s) => void (level(s, 0).when = { segment: [] }), /^levels\.0\.when\.segment: list at least one value/],
    ['a non-positive threshold', (s) => void (s.escalation.largeBalance.amount = 0), /^escalation\.largeBalance\.amount: a threshold is a positive amount/],
    ['an unknown currency', (s) => void (s.escalation.largeBalance.currency = 'XYZ'), /^escalation\.largeBalance\.currency: expected an ISO 4217/],
    ['a fractional delay', (s) => void (step(s, 0, 1).afterDays = 1.5), /^levels\.0\.steps\.1\.afterDays: /],
    ['a bad id', (s) => ({ ...s, id: 'Has Spaces' }), /^id: expected an id/],
  ])('refuses %s, naming the path', (_name, edit, message) => {
    const errors = refusals(edit);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.some((e) => message.test(e)), errors.join('\n')).toBe(true);
  });

  it('the example in docs/strategy.md parses', () => {
    const md = readFileSync(new URL('../../docs/strategy.md', import.meta.url), 'utf8');
    const json = /```json\n([\s\S]*?)```/.exec(md)?.[1];
    expect(json).toBeDefined();
    const r = parseStrategy(JSON.parse(json ?? 'null'));
    expect(r.ok ? [] : r.errors).toEqual([]);
  });
});
