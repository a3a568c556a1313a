import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NO_COMPLIANCE, REGULATION_F } from '../../src/domain/compliance';
import type { Fact } from '../../src/domain/facts';
import type { Ledger } from '../../src/domain/ledger';
import { strategyOf } from '../helpers/strategies';
import { STRATEGY_PRESETS, strategyConfig } from '../../src/domain/strategy-presets';
import { DEFAULT_SCORE_WEIGHTS, Worklist, type WorklistConfig, type WorklistEntry } from '../../src/domain/worklist';
import { generatePortfolio } from '../../sync-server/demo/synthetic';
import { generateFacts } from '../../sync-server/demo/synthetic-facts';
import { fact } from '../helpers/facts';
import { account, cents, date, invoice, payment } from '../helpers/ledger-fixtures';

const P = 'acme';
const strategy = strategyOf;

/** One level from 1 day past due: e-mail at once, call 3 days later. */
const SIMPLE = strategy({
  schemaVersion: 1,
  id: 'simple',
  name: 'Simple',
  levels: [
    {
      id: 'late',
      name: 'Late',
      when: { daysPastDue: { min: 1 } },
      steps: [
        { id: 'mail', action: { kind: 'email', template: 'reminder' } },
        { id: 'ring', action: { kind: 'call' }, afterDays: 3 },
      ],
    },
  ],
});

const config = (over: Partial<WorklistConfig> = {}): WorklistConfig => ({
  strategies: new Map([[SIMPLE.id, SIMPLE]]),
  selection: { default: 'simple', bySegment: {} },
  compliance: NO_COMPLIANCE,
  ...over,
});

function ledger(): Ledger {
  return {
    portfolio: { id: P, name: 'Acme' },
    accounts: [
      account(P, 'C1', { riskGrade: 'E' }),
      account(P, 'C2'),
      account(P, 'C3'),
      account(P, 'C4', { timeZone: 'America/New_York' }),
    ],
    contacts: [
      { portfolioId: P, id: 'k4', accountNumber: 'C4', name: 'AP desk', role: 'ap', primary: true, channels: [{ kind: 'phone', value: '+1 212 555 0100', consent: true, optedOut: false, atWork: false }] },
    ],
    documents: [
      // C1: 100 days past due, large.
      invoice(P, 'C1', 'I1', { issueDate: date('2026-07-13'), dueDate: date('2026-08-12'), original: cents(500_000), open: cents(500_000) }),
      // C2: 10 days past due, small.
      invoice(P, 'C2', 'I2', { issueDate: date('2026-10-21'), dueDate: date('2026-11-10'), original: cents(10_000), open: cents(10_000) }),
      // C3: not yet due.
      invoice(P, 'C3', 'I3', { issueDate: date('2026-11-10'), dueDate: date('2026-12-10') }),
      // C4: 40 days past due.
      invoice(P, 'C4', 'I4', { issueDate: date('2026-09-11'), dueDate: date('2026-10-11'), original: cents(50_000), open: cents(50_000) }),
    ],
    payments: [],
  };
}

const AS_OF = '2026-11-20T15:00:00.000Z';

const summary = (entries: readonly WorklistEntry[]) => entries.map((e) => [e.accountNumber, e.score, e.decision.next?.kind ?? null, e.dueAt ?? null]);

describe('worklist', () => {
  it('ranks by score, and the score is the sum of its shown components', () => {
    const wl = new Worklist(ledger(), [], config(), AS_OF);
    expect(wl.all().map((e) => e.accountNumber)).toEqual(['C1', 'C4', 'C2', 'C3']);
    for (const e of wl.all()) {
      const sum = e.components.reduce((s, c) => s + c.points, 0);
      expect(e.score).toBeCloseTo(sum, 2);
    }
    const c1 = wl.entry('C1');
    expect(c1?.components.map((c) => c.id)).toEqual(['amount-days-past-due', 'bucket', 'days-since-contact', 'risk']);
    expect(c1?.components.find((c) => c.id === 'amount-days-past-due')?.detail).toBe('100 days past due on 5000.00 USD');
    expect(c1?.components.find((c) => c.id === 'risk')?.points).toBe(DEFAULT_SCORE_WEIGHTS.risk.E);
    // Not yet due: no next action, no points for lateness.
    expect(wl.entry('C3')?.decision.next).toBeNull();
    expect(wl.entry('C3')?.score).toBe(0);
  });

  it('gives the next action with what, why and when', () => {
    const wl = new Worklist(ledger(), [], config(), AS_OF);
    const next = wl.entry('C2')?.decision.next;
    expect(next).toMatchObject({ kind: 'email', template: 'reminder', stepId: 'mail', manual: false });
    expect(next?.reason).toMatch(/E-?mail|email/i);
  });

  it('scores a promise due today, a broken promise and a requested callback', () => {
    const facts: Fact[] = [
      fact('promise', { accountNumber: 'C2', currency: 'USD' as never, instalments: [{ dueDate: date('2026-11-20'), amount: cents(10_000) }], graceDays: 3, documentNumbers: [], at: '2026-11-15T10:00:00.000Z' }),
      fact('promise', { accountNumber: 'C4', currency: 'USD' as never, instalments: [{ dueDate: date('2026-11-01'), amount: cents(50_000) }], graceDays: 3, documentNumbers: [], at: '2026-10-20T10:00:00.000Z' }),
      fact('activity', { accountNumber: 'C1', channel: 'call', outcome: 'callback-requested', documentNumbers: [], callbackAt: '2026-11-20T14:00:00.000Z', at: '2026-11-19T16:00:00.000Z' }),
    ];
    const wl = new Worklist(ledger(), facts, config(), AS_OF);
    const ids = (n: string) => wl.entry(n)?.components.map((c) => c.id);
    expect(ids('C2')).toContain('promise-due-today');
    expect(ids('C4')).toContain('broken-promise');
    expect(ids('C1')).toContain('callback');
    expect(wl.entry('C1')?.decision.next?.kind).toBe('callback');
    expect(wl.entry('C4')?.decision.next?.kind).toBe('broken-promise-follow-up');
  });

  it('shows a compliance block with the rule and when contact is next allowed', () => {
    // 23:00 in New York: a call is outside calling hours until 08:00 local (13:00 UTC in winter).
    const lateNight = '2026-11-21T04:00:00.000Z';
    const s = strategy({ ...SIMPLE, id: 'call-first', levels: [{ id: 'l', name: 'L', when: { daysPastDue: { min: 1 } }, steps: [{ id: 'ring', action: { kind: 'call' } }] }] });
    const wl = new Worklist(ledger(), [], config({ strategies: new Map([[s.id, s]]), selection: { default: s.id, bySegment: {} }, compliance: REGULATION_F }), lateNight);
    const c4 = wl.entry('C4');
    expect(c4?.compliance).toMatchObject({ allowed: false, rule: 'calling-hours', nextAllowedAt: '2026-11-21T13:00:00.000Z' });
    expect(c4?.dueAt).toBe('2026-11-21T13:00:00.000Z');
  });

  it('an invoice the ERP flags disputed leaves dunning and escalates to the dispute owner, once', () => {
    const l = ledger();
    const disputed = invoice(P, 'C2', 'I2', { issueDate: date('2026-10-21'), dueDate: date('2026-11-10'), original: cents(10_000), open: cents(10_000), erpDisputed: true });
    const wl = new Worklist({ ...l, documents: l.documents.map((d) => (d.number === 'I2' ? disputed : d)) }, [], config(), AS_OF);
    const c2 = wl.entry('C2');
    expect(c2?.decision.metrics.disputedAmount).toBe(10_000);
    expect(c2?.decision.metrics.pastDue).toBe(0);
    expect(c2?.decision.escalations.map((e) => [e.id, e.toRole])).toEqual([['derived:erp-dispute:I2', 'manager']]);
    // A team's dispute fact on the same invoice speaks for it: one escalation, not two.
    const f = fact('dispute', { accountNumber: 'C2', documentNumbers: ['I2'], reasonCode: 'pricing', currency: 'USD' as never, amount: cents(10_000), at: '2026-11-12T10:00:00.000Z' });
    wl.applyFacts([f]);
    expect(wl.entry('C2')?.decision.escalations.map((e) => e.id)).toEqual([`derived:dispute:${f.id}`]);
  });

  it('filters: mine, team, unassigned, bucket, action kind, due and overdue', () => {
    const facts = [fact('assignment', { accountNumber: 'C1', collector: 'u-ana' }), fact('assignment', { accountNumber: 'C2', collector: 'u-ben' })];
    const wl = new Worklist(ledger(), facts, config(), AS_OF);
    const nums = (e: readonly WorklistEntry[]) => e.map((x) => x.accountNumber);
    expect(nums(wl.query({ scope: 'mine', collector: 'u-ana' }))).toEqual(['C1']);
    expect(nums(wl.query({ scope: 'mine' }))).toEqual([]);
    expect(nums(wl.query({ scope: 'unassigned' }))).toEqual(['C4', 'C3']);
    expect(nums(wl.query({ scope: 'team' }))).toEqual(['C1', 'C4', 'C2', 'C3']);
    expect(nums(wl.query({ bucket: '31-60' }))).toEqual(['C4']);
    expect(nums(wl.query({ actionKind: 'email' }))).toEqual(['C1', 'C4', 'C2']);
    expect(nums(wl.query({ due: 'due' }))).toEqual(['C1', 'C4', 'C2']);
    // Entered their level before today: the e-mail has been due since then.
    expect(nums(wl.query({ due: 'overdue' }))).toEqual(['C1', 'C4', 'C2']);
    expect(nums(wl.query({ limit: 2 }))).toEqual(['C1', 'C4']);
  });

  it('a logged step moves the account on: the call is next, 3 days after the e-mail', () => {
    const wl = new Worklist(ledger(), [], config(), AS_OF);
    const touched = wl.applyFacts([fact('activity', { accountNumber: 'C2', channel: 'email', outcome: 'sent', documentNumbers: [], stepId: 'mail', at: '2026-11-20T14:00:00.000Z' })]);
    expect(touched).toEqual(['C2']);
    expect(wl.entry('C2')?.decision.next).toMatchObject({ kind: 'call', stepId: 'ring', dueAt: '2026-11-23T14:00:00.000Z' });
    expect(wl.query({ due: 'due' }).map((e) => e.accountNumber)).not.toContain('C2');
  });

  it('a posted payment re-scores the account: paid in full, nothing to do', () => {
    const wl = new Worklist(ledger(), [], config(), AS_OF);
    const paid = invoice(P, 'C1', 'I1', { issueDate: date('2026-07-13'), dueDate: date('2026-08-12'), original: cents(500_000), open: cents(0), status: 'paid', paidDate: date('2026-11-19') });
    const touched = wl.applyLedger({ documents: [paid], payments: [payment(P, 'C1', 'pay-1', { amount: cents(500_000), receivedDate: date('2026-11-19'), allocations: [{ documentNumber: 'I1', amount: cents(500_000) }] })] });
    expect(touched).toEqual(['C1']);
    expect(wl.entry('C1')?.decision.next).toBeNull();
    expect(wl.all()[0]?.accountNumber).toBe('C4');
  });

  it('incremental updates give exactly the worklist a full rebuild gives (synthetic portfolio, any split of the facts)', () => {
    const big = generatePortfolio({ portfolioId: 'syn', accounts: 150, seed: 5, asOf: date('2026-11-20') });
    const facts = generateFacts(big, { seed: 5, asOf: AS_OF });
    const cfg: WorklistConfig = { strategies: STRATEGY_PRESETS, selection: strategyConfig, compliance: REGULATION_F };
    const full = summary(new Worklist(big, facts, cfg, AS_OF).all());
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: facts.length, maxLength: facts.length }), (later) => {
        const first = facts.filter((_, i) => !later[i]);
        const rest = facts.filter((_, i) => later[i]);
        const wl = new Worklist(big, first, cfg, AS_OF);
        for (let i = 0; i < rest.length; i += 7) wl.applyFacts(rest.slice(i, i + 7));
        expect(summary(wl.all())).toEqual(full);
      }),
      { numRuns: 8 },
    );
  });

  it('reads the lists it was built from as they were, while they grow by appending (the facts list, as an app keeps it)', () => {
    const big = generatePortfolio({ portfolioId: 'syn', accounts: 150, seed: 5, asOf: date('2026-11-20') });
    const all = generateFacts(big, { seed: 5, asOf: AS_OF });
    const cfg: WorklistConfig = { strategies: STRATEGY_PRESETS, selection: strategyConfig, compliance: REGULATION_F };
    const kept = all.filter((_, i) => i % 3 !== 0);
    const later = all.filter((_, i) => i % 3 === 0);
    const facts = [...kept];
    const wl = new Worklist(big, facts, cfg, AS_OF);
    for (let i = 0; i < later.length; i += 5) {
      const batch = later.slice(i, i + 5);
      facts.push(...batch);
      wl.applyFacts(batch);
    }
    expect(summary(wl.all())).toEqual(summary(new Worklist(big, all, cfg, AS_OF).all()));
  });

  it('orders by score (highest first), then due time, then account number, whatever the scores', () => {
    const big = generatePortfolio({ portfolioId: 'syn', accounts: 400, seed: 9, asOf: date('2026-11-20') });
    const facts = generateFacts(big, { seed: 9, asOf: AS_OF });
    // Accounts listed out of number order, and weights whose points reach far beyond the sort's packed
    // range (2^30 cents) or are not whole cents before rounding.
    const shuffled = { ...big, accounts: [...big.accounts].reverse() };
    const weightsList = [DEFAULT_SCORE_WEIGHTS, { ...DEFAULT_SCORE_WEIGHTS, amountByDaysPastDue: 1e9 }, { ...DEFAULT_SCORE_WEIGHTS, amountByDaysPastDue: 0.001, perDaySinceContact: 1 / 3 }];
    const ordered = (all: readonly WorklistEntry[]) =>
      [...all].sort((a, b) => {
        if (a.score !== b.score) return b.score - a.score;
        const ad = a.dueAt ?? '~';
        const bd = b.dueAt ?? '~';
        if (ad !== bd) return ad < bd ? -1 : 1;
        return a.accountNumber < b.accountNumber ? -1 : 1;
      });
    for (const weights of weightsList) {
      const cfg: WorklistConfig = { strategies: STRATEGY_PRESETS, selection: strategyConfig, compliance: REGULATION_F, weights };
      // Facts in reverse: the index's walk falls back to grouping and visits some accounts again.
      for (const [l, f] of [[big, facts], [shuffled, facts], [big, [...facts].reverse()]] as const) {
        const wl = new Worklist(l, f, cfg, AS_OF);
        expect(wl.all().map((e) => e.accountNumber)).toEqual(ordered(wl.all()).map((e) => e.accountNumber));
        // Moved to another instant, every account is evaluated again and sorted again: as a new worklist.
        wl.setAsOf('2026-12-04T09:00:00.000Z');
        expect(summary(wl.all())).toEqual(summary(new Worklist(l, f, cfg, '2026-12-04T09:00:00.000Z').all()));
        expect(wl.all().map((e) => e.accountNumber)).toEqual(ordered(wl.all()).map((e) => e.accountNumber));
      }
    }
  });

  it('the presets give a sensible worklist on a synthetic portfolio', () => {
    const big = generatePortfolio({ portfolioId: 'syn', accounts: 400, seed: 9, asOf: date('2026-11-20') });
    const facts = generateFacts(big, { seed: 9, asOf: AS_OF });
    const wl = new Worklist(big, facts, { strategies: STRATEGY_PRESETS, selection: strategyConfig, compliance: REGULATION_F }, AS_OF);
    for (const e of wl.all()) {
      const m = e.decision.metrics;
      // Something to do only where something is owed (or a dispute waits for review).
      if (e.decision.next && e.decision.next.kind !== 'review-dispute') expect(m.balance + m.disputedAmount + m.heldAmount).toBeGreaterThan(0);
      // Every account without a next action says why it waits.
      if (!e.decision.next) expect(e.decision.waiting?.detail.length).toBeGreaterThan(0);
    }
    const top = wl.query({ limit: 20 });
    expect(top.every((e) => e.decision.metrics.pastDue > 0)).toBe(true);
    const consumer = wl.all().find((e) => e.segment === 'consumer' && e.decision.level);
    expect(consumer?.decision.strategyId).toBe('consumer-field');
    const kinds = new Set(wl.all().map((e) => e.decision.next?.kind).filter(Boolean));
    expect(kinds.size).toBeGreaterThanOrEqual(4);
  });
});
