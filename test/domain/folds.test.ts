import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AccountState } from '../../src/domain/account-state';
import { type CalendarDate, dateOfDay, dayOf } from '../../src/domain/calendar';
import { ACTIVITY_CHANNELS, DEFAULT_OUTCOMES, type Fact, type FactType, factSchema } from '../../src/domain/facts';
import { foldAccount } from '../../src/domain/folds';
import type { Payment } from '../../src/domain/ledger';
import type { CurrencyCode, Minor } from '../../src/domain/money';
import { outcomeIndex } from '../../src/domain/outcomes';
import { stepDoneAt } from '../../src/domain/strategy-steps';
import { fact, testUlid } from '../helpers/facts';

const ACCOUNT = 'C1';
const USD = 'USD' as CurrencyCode;
const ASOF = '2026-11-20T12:00:00.000Z';

function fold(facts: readonly Fact[], asOf = ASOF, payments: readonly Payment[] = []): AccountState {
  return foldAccount({ accountNumber: ACCOUNT, facts, documents: [], payments, asOf });
}

/** Sets and Maps as sorted arrays, so two states compare by content whatever their insertion order. */
function canonical(state: AccountState): string {
  return JSON.stringify(state, (_key, value: unknown) => {
    if (value instanceof Set) return [...(value as Set<string>)].sort();
    if (value instanceof Map) return [...(value as Map<string, unknown>).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return value;
  });
}

// ---------------------------------------------------------------------------------------------------
// Arbitrary fact sets of one account: a few hours apart over a few days, so equal `at`s are common and
// the id tie-break is exercised; references name facts of the set most of the time, unknown ids sometimes;
// some facts belong to another account or lie after asOf.

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ulidArb = fc.string({ unit: fc.constantFrom(...CROCKFORD.split('')), minLength: 16, maxLength: 16 }).map((rest) => `01J${'0'.repeat(7)}${rest}`);
const T0 = Date.parse('2026-11-15T08:00:00.000Z');
const instantArb = fc.integer({ min: 0, max: 160 }).map((h) => new Date(T0 + h * 3_600_000).toISOString());
const dateArb = fc.integer({ min: -10, max: 30 }).map((n) => dateOfDay(dayOf('2026-11-15') + n));

const TYPES: readonly FactType[] = [
  'activity',
  'activity',
  'activity',
  'promise',
  'promise',
  'promise-cancelled',
  'dispute',
  'dispute-resolved',
  'escalation',
  'escalation-resolved',
  'task',
  'task-closed',
  'hold',
  'hold-released',
  'assignment',
  'claim',
  'claim-released',
  'strategy-override',
  'field-receipt',
];
/** The type a referencing fact names. */
const NAMES: Partial<Record<FactType, FactType>> = {
  'promise-cancelled': 'promise',
  'dispute-resolved': 'dispute',
  'escalation-resolved': 'escalation',
  'task-closed': 'task',
  'hold-released': 'hold',
  'claim-released': 'claim',
};

const specArb = fc.record({
  type: fc.constantFrom(...TYPES),
  at: instantArb,
  later: instantArb,
  date: dateArb,
  n: fc.nat({ max: 1000 }),
  m: fc.nat({ max: 1000 }),
  pick: fc.nat({ max: 3 }),
  otherAccount: fc.integer({ min: 0, max: 9 }).map((k) => k === 0),
});
type Spec = typeof specArb extends fc.Arbitrary<infer T> ? T : never;

function build(specs: readonly Spec[], ids: readonly string[]): Fact[] {
  const out: Fact[] = [];
  const byType = new Map<FactType, string[]>();
  specs.forEach((s, i) => {
    const id = ids[i] ?? testUlid(0, i);
    const common = { id, at: s.at, by: s.n % 2 === 0 ? 'u-ana' : 'u-ben', ...(s.otherAccount ? { accountNumber: 'C2' } : {}) };
    const named = NAMES[s.type];
    let ref = testUlid(1, 900 + i);
    if (named !== undefined) {
      const pool = byType.get(named) ?? [];
      if (pool.length > 0 && s.pick !== 0) ref = pool[s.n % pool.length] ?? ref;
    }
    const docs = ['INV-1', 'INV-2', 'INV-3'].slice(0, 1 + (s.m % 3));
    let f: Fact;
    switch (s.type) {
      case 'activity': {
        const outcome = DEFAULT_OUTCOMES[s.n % DEFAULT_OUTCOMES.length] ?? 'no-answer';
        f = fact('activity', {
          ...common,
          channel: ACTIVITY_CHANNELS[s.m % ACTIVITY_CHANNELS.length] ?? 'call',
          outcome,
          documentNumbers: s.pick === 0 ? docs : [],
          ...(outcome === 'callback-requested' ? { callbackAt: s.later } : {}),
          ...(s.m % 4 === 0 ? { stepId: `step-${s.pick}` } : {}),
        });
        break;
      }
      case 'promise':
        f = fact('promise', {
          ...common,
          currency: USD,
          instalments: [{ dueDate: s.date, amount: (1 + (s.m % 300)) as Minor }],
          graceDays: s.pick,
          documentNumbers: [],
        });
        break;
      case 'promise-cancelled':
        f = fact('promise-cancelled', { ...common, promiseId: ref, reason: 'x' });
        break;
      case 'dispute':
        f = fact('dispute', { ...common, documentNumbers: docs, reasonCode: 'pricing', currency: USD, amount: 100 as Minor });
        break;
      case 'dispute-resolved':
        f = fact('dispute-resolved', { ...common, disputeId: ref, outcome: (['upheld', 'rejected', 'withdrawn'] as const)[s.m % 3] ?? 'upheld' });
        break;
      case 'escalation':
        f = fact('escalation', { ...common, reason: 'big balance', ...(s.pick === 1 ? { toRole: 'manager' as const } : {}) });
        break;
      case 'escalation-resolved':
        f = fact('escalation-resolved', { ...common, escalationId: s.pick === 3 ? `derived:large-balance:${ACCOUNT}` : ref });
        break;
      case 'task':
        f = fact('task', { ...common, dueAt: s.later, assignee: 'u-ana', note: '', ...(s.m % 2 === 0 ? { stepId: `step-${s.pick}` } : {}) });
        break;
      case 'task-closed':
        f = fact('task-closed', { ...common, taskId: ref, outcome: s.m % 2 === 0 ? 'done' : 'skipped' });
        break;
      case 'hold':
        f = fact('hold', { ...common, until: s.date, reason: 'payment plan review', ...(s.pick < 2 ? {} : { documentNumbers: docs }) });
        break;
      case 'hold-released':
        f = fact('hold-released', { ...common, holdId: ref });
        break;
      case 'assignment':
        f = fact('assignment', { ...common, collector: s.pick === 0 ? null : `u-${s.m % 3}` });
        break;
      case 'claim':
        f = fact('claim', { ...common, expiresAt: s.later });
        break;
      case 'claim-released':
        f = fact('claim-released', { ...common, claimId: ref });
        break;
      case 'strategy-override':
        f = fact('strategy-override', { ...common, strategyId: s.pick === 0 ? null : `strategy-${s.m % 3}`, reason: '' });
        break;
      case 'field-receipt':
        // Few receipt numbers, so duplicates (and their order-independence) are exercised too.
        f = fact('field-receipt', { ...common, receiptNumber: `R-${s.m % 4}`, receivedDate: s.date, currency: USD, amount: (1 + (s.m % 300)) as Minor, method: 'cash', reference: '', allocations: [] });
        break;
    }
    out.push(f);
    const list = byType.get(s.type) ?? [];
    list.push(id);
    byType.set(s.type, list);
  });
  return out;
}

const paymentsArb = fc.array(
  fc.record({ day: fc.integer({ min: -5, max: 12 }), amount: fc.integer({ min: 1, max: 300 }), eur: fc.integer({ min: 0, max: 5 }).map((k) => k === 0) }),
  { maxLength: 6 },
).map((rows) =>
  rows.map(
    (r, i): Payment => ({
      portfolioId: 'acme',
      id: `PAY-${i}`,
      accountNumber: ACCOUNT,
      receivedDate: dateOfDay(dayOf('2026-11-15') + r.day),
      currency: (r.eur ? 'EUR' : 'USD') as CurrencyCode,
      amount: r.amount as Minor,
      method: 'transfer',
      // Some payments post a field receipt (receipt numbers R-0…R-3 in the generated facts).
      reference: i % 3 === 0 ? `R-${r.day & 3}` : '',
      allocations: [],
    }),
  ),
);

const casesArb = (minLength: number, maxLength: number) => fc
  .record({
    specs: fc.array(specArb, { minLength, maxLength }),
    payments: paymentsArb,
    asOfHour: fc.integer({ min: 0, max: 170 }),
  })
  .chain(({ specs, payments, asOfHour }) =>
    fc.uniqueArray(ulidArb, { minLength: specs.length, maxLength: specs.length }).chain((ids) => {
      const facts = build(specs, ids);
      return fc
        .record({
          shuffledFacts: fc.shuffledSubarray(facts, { minLength: facts.length, maxLength: facts.length }),
          shuffledPayments: fc.shuffledSubarray(payments, { minLength: payments.length, maxLength: payments.length }),
        })
        .map((s) => ({ facts, payments, asOf: new Date(T0 + asOfHour * 3_600_000).toISOString(), ...s }));
    }),
  );
const caseArb = casesArb(0, 40);

describe('foldAccount is a function of the set of facts', () => {
  it('builds valid facts for the property (the arbitrary is not testing nothing)', () => {
    fc.assert(
      fc.property(caseArb, ({ facts }) => {
        for (const f of facts) expect(factSchema.safeParse(f).success).toBe(true);
      }),
      { numRuns: 100, seed: 1 },
    );
  });

  it('gives the same state for any order of the same facts and payments', () => {
    fc.assert(
      fc.property(caseArb, ({ facts, payments, shuffledFacts, shuffledPayments, asOf }) => {
        const a = fold(facts, asOf, payments);
        const b = fold(shuffledFacts, asOf, shuffledPayments);
        expect(canonical(b)).toBe(canonical(a));
      }),
      { numRuns: 1500, seed: 2026 },
    );
  });

  it('also for accounts with a long history (past the short-list sort)', () => {
    fc.assert(
      fc.property(casesArb(70, 200), ({ facts, payments, shuffledFacts, shuffledPayments, asOf }) => {
        expect(canonical(fold(shuffledFacts, asOf, shuffledPayments))).toBe(canonical(fold(facts, asOf, payments)));
      }),
      { numRuns: 60, seed: 3 },
    );
  });

  it('ignores facts of other accounts and facts after asOf: the same as folding only the rest', () => {
    fc.assert(
      fc.property(caseArb, ({ shuffledFacts, payments, asOf }) => {
        const own = shuffledFacts.filter((f) => f.accountNumber === ACCOUNT && f.at <= asOf);
        expect(canonical(fold(shuffledFacts, asOf, payments))).toBe(canonical(fold(own, asOf, payments)));
      }),
      { numRuns: 500, seed: 99 },
    );
  });

  it('counts a fact listed twice once', () => {
    fc.assert(
      fc.property(caseArb, fc.nat(), ({ facts, payments, asOf }, k) => {
        fc.pre(facts.length > 0);
        const twice = [...facts, facts[k % facts.length] as Fact];
        expect(canonical(fold(twice, asOf, payments))).toBe(canonical(fold(facts, asOf, payments)));
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('does not modify its input', () => {
    fc.assert(
      fc.property(caseArb, ({ shuffledFacts, payments, asOf }) => {
        const before = JSON.stringify(shuffledFacts);
        const order = shuffledFacts.map((f) => f.id);
        fold(shuffledFacts, asOf, payments);
        expect(shuffledFacts.map((f) => f.id)).toEqual(order);
        expect(JSON.stringify(shuffledFacts)).toBe(before);
      }),
      { numRuns: 200, seed: 5 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// The rules one by one

const at = (day: number, hour = 10) => `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
const date = (day: number) => `2026-11-${String(day).padStart(2, '0')}` as CalendarDate;

describe('an empty account', () => {
  it('has nothing open, nobody assigned, no contact', () => {
    const s = fold([]);
    expect(s).toMatchObject({ accountNumber: ACCOUNT, promises: [], disputes: [], escalations: [], tasks: [], holds: [], attempts: [], conversations: [], assignedTo: null });
    expect(s.disputedDocuments.size).toBe(0);
    expect(s.heldDocuments.size).toBe(0);
    expect(s.stepsDone).toEqual([]);
    expect(s.resolvedEscalations.size).toBe(0);
    for (const k of ['currentPromise', 'accountHold', 'claim', 'strategyOverride', 'lastContactAt', 'lastOutcome', 'lastConversationAt', 'callbackAt'])
      expect(Object.hasOwn(s, k)).toBe(false);
  });
});

describe('disputes', () => {
  const dispute = fact('dispute', { at: at(10), documentNumbers: ['INV-1', 'INV-2'], reasonCode: 'pricing', currency: USD, amount: 500 as Minor });
  const other = fact('dispute', { at: at(11), documentNumbers: ['INV-3'], reasonCode: 'quality', currency: USD, amount: 50 as Minor });

  it('are open until resolved, and their documents are disputed while open', () => {
    const s = fold([dispute, other]);
    expect(s.disputes.map((d) => d.status)).toEqual(['open', 'open']);
    expect([...s.disputedDocuments].sort()).toEqual(['INV-1', 'INV-2', 'INV-3']);
    expect(s.disputes[0]).toMatchObject({ id: dispute.id, openedAt: at(10), fact: dispute });
  });

  it('take the outcome and time of their resolution', () => {
    const resolved = fact('dispute-resolved', { at: at(15), disputeId: dispute.id, outcome: 'rejected' });
    const s = fold([dispute, resolved, other]);
    expect(s.disputes[0]).toMatchObject({ status: 'rejected', resolvedAt: at(15) });
    expect([...s.disputedDocuments]).toEqual(['INV-3']);
  });

  it('apply a resolution dated before the dispute (two clocks) or listed before it', () => {
    const early = fact('dispute-resolved', { at: at(9), disputeId: dispute.id, outcome: 'withdrawn' });
    expect(fold([early, dispute]).disputes[0]?.status).toBe('withdrawn');
    expect(fold([dispute, early]).disputes[0]?.status).toBe('withdrawn');
  });

  it('ignore a resolution of an unknown dispute until the dispute arrives', () => {
    const resolved = fact('dispute-resolved', { at: at(15), disputeId: dispute.id, outcome: 'upheld' });
    const s = fold([resolved, other]);
    expect(s.disputes.map((d) => d.id)).toEqual([other.id]);
    expect(fold([resolved, other, dispute]).disputes.find((d) => d.id === dispute.id)?.status).toBe('upheld');
  });

  it('take the first of two resolutions (by at, then id)', () => {
    const r1 = fact('dispute-resolved', { at: at(15), disputeId: dispute.id, outcome: 'rejected' });
    const r2 = fact('dispute-resolved', { at: at(14), disputeId: dispute.id, outcome: 'upheld' });
    expect(fold([dispute, r1, r2]).disputes[0]).toMatchObject({ status: 'upheld', resolvedAt: at(14) });
  });

  it('stay open when the resolution is after asOf', () => {
    const resolved = fact('dispute-resolved', { at: at(25), disputeId: dispute.id, outcome: 'upheld' });
    expect(fold([dispute, resolved]).disputes[0]?.status).toBe('open');
  });
});

describe('escalations', () => {
  const e1 = fact('escalation', { at: at(10), reason: 'refuses to pay', toRole: 'manager' });
  const e2 = fact('escalation', { at: at(11), reason: 'asks for the owner', toUser: 'u-lead' });

  it('are open until an escalation-resolved names them', () => {
    const r = fact('escalation-resolved', { at: at(12), escalationId: e1.id });
    const s = fold([e1, e2, r]);
    expect(s.escalations).toEqual([{ id: e2.id, source: 'manual', reason: 'asks for the owner', toUser: 'u-lead', openedAt: at(11), fact: e2 }]);
    expect([...s.resolvedEscalations]).toEqual([e1.id]);
    expect(fold([e1]).escalations[0]).toMatchObject({ toRole: 'manager' });
    expect(Object.hasOwn(fold([e1]).escalations[0] ?? {}, 'toUser')).toBe(false);
  });

  it('record resolutions of derived escalations by their id', () => {
    const r = fact('escalation-resolved', { at: at(12), escalationId: 'derived:broken-promise:C1' });
    expect([...fold([r]).resolvedEscalations]).toEqual(['derived:broken-promise:C1']);
  });
});

describe('tasks', () => {
  const t1 = fact('task', { at: at(10), dueAt: at(12), assignee: 'u-ana', note: 'send statement', stepId: 'statement' });
  const t2 = fact('task', { at: at(11), dueAt: at(13), assignee: 'u-ben', note: '' });

  it('are open until closed done or skipped', () => {
    const c1 = fact('task-closed', { at: at(14), taskId: t1.id, outcome: 'done' });
    const c2 = fact('task-closed', { at: at(15), taskId: t2.id, outcome: 'skipped' });
    expect(fold([t1, t2]).tasks.map((t) => t.status)).toEqual(['open', 'open']);
    const s = fold([c2, t2, c1, t1]);
    expect(s.tasks).toEqual([
      { id: t1.id, fact: t1, status: 'done', dueAt: at(12), closedAt: at(14) },
      { id: t2.id, fact: t2, status: 'skipped', dueAt: at(13), closedAt: at(15) },
    ]);
  });

  it('closed twice keep the first closure', () => {
    const a = fact('task-closed', { at: at(14), taskId: t1.id, outcome: 'skipped' });
    const b = fact('task-closed', { at: at(16), taskId: t1.id, outcome: 'done' });
    expect(fold([t1, b, a]).tasks[0]).toMatchObject({ status: 'skipped', closedAt: at(14) });
  });
});

describe('holds', () => {
  const whole = fact('hold', { at: at(10), until: date(20), reason: 'owner in hospital' });
  const longer = fact('hold', { at: at(11), until: date(30), reason: 'payment plan being drawn up' });
  const docs = fact('hold', { at: at(12), until: date(25), reason: 'credit note pending', documentNumbers: ['INV-7'] });

  it('are active through their until day and inactive after it', () => {
    expect(fold([whole], at(20, 23)).accountHold?.id).toBe(whole.id);
    const after = fold([whole], at(21, 0));
    expect(after.holds[0]?.active).toBe(false);
    expect(after.accountHold).toBeUndefined();
  });

  it('end when released', () => {
    const released = fact('hold-released', { at: at(15), holdId: whole.id });
    const s = fold([whole, released]);
    expect(s.holds).toEqual([{ id: whole.id, fact: whole, active: false }]);
    expect(s.accountHold).toBeUndefined();
    expect(fold([whole, fact('hold-released', { at: at(21), holdId: whole.id })]).accountHold?.id).toBe(whole.id);
  });

  it('pick the account hold lasting longest, and hold only named documents otherwise', () => {
    const s = fold([docs, longer, whole]);
    expect(s.accountHold?.id).toBe(longer.id);
    expect([...s.heldDocuments]).toEqual(['INV-7']);
    expect(s.holds.map((h) => h.id)).toEqual([whole.id, longer.id, docs.id]);
    expect(fold([docs], at(26)).heldDocuments.size).toBe(0);
  });
});

describe('assignment, claim and strategy override', () => {
  it('the last assignment wins, ties by id; null unassigns', () => {
    const a = fact('assignment', { at: at(10), collector: 'u-ana', id: testUlid(1, 2) });
    const b = fact('assignment', { at: at(10), collector: 'u-ben', id: testUlid(1, 1) });
    expect(fold([a, b]).assignedTo).toBe('u-ana');
    expect(fold([b, a]).assignedTo).toBe('u-ana');
    const c = fact('assignment', { at: at(12), collector: null });
    expect(fold([c, a, b]).assignedTo).toBeNull();
    expect(fold([c, a, b], at(11)).assignedTo).toBe('u-ana');
  });

  it('a claim lives until it expires or is released, and a later claim ends an earlier one', () => {
    const claim = fact('claim', { at: at(20, 9), by: 'u-ben', expiresAt: at(20, 11) });
    expect(fold([claim], at(20, 10)).claim).toEqual({ by: 'u-ben', expiresAt: at(20, 11), id: claim.id });
    expect(fold([claim], at(20, 11)).claim).toBeUndefined();
    const released = fact('claim-released', { at: at(20, 9), claimId: claim.id });
    expect(fold([claim, released], at(20, 10)).claim).toBeUndefined();
    const older = fact('claim', { at: at(20, 8), by: 'u-ana', expiresAt: at(20, 18) });
    expect(fold([claim, older], at(20, 10)).claim?.by).toBe('u-ben');
    // The later claim has ended the older one: its expiry does not bring the older one back.
    expect(fold([claim, older], at(20, 12)).claim).toBeUndefined();
  });

  it('the last strategy override wins; null goes back to the segment strategy', () => {
    const o1 = fact('strategy-override', { at: at(10), strategyId: 'legal-track', reason: 'fraud' });
    const o2 = fact('strategy-override', { at: at(12), strategyId: null, reason: '' });
    expect(fold([o1]).strategyOverride).toBe('legal-track');
    const call = fact('activity', { at: at(13), channel: 'call', outcome: 'no-answer', documentNumbers: [] });
    expect(Object.hasOwn(fold([o2, call, o1]), 'strategyOverride')).toBe(false);
    expect(fold([o2, o1], at(11)).strategyOverride).toBe('legal-track');
  });
});

describe('contact attempts', () => {
  const call = (day: number, outcome: string, extra: Partial<Fact> = {}) =>
    fact('activity', { at: at(day), channel: 'call', outcome, documentNumbers: [], ...extra } as Parameters<typeof fact<'activity'>>[1]);

  it('are the activities that are not notes (the facts themselves), oldest first, with the conversations among them from the outcome list', () => {
    const a = call(12, 'right-party-contact', { documentNumbers: ['INV-1'] });
    const b = call(10, 'no-answer');
    const note = fact('activity', { at: at(14), channel: 'note', outcome: 'right-party-contact', documentNumbers: [] });
    const s = fold([note, a, b]);
    expect(s.attempts).toEqual([b, a]);
    expect(s.attempts[0]).toBe(b);
    expect(s.attempts[1]).toMatchObject({ id: a.id, at: at(12), channel: 'call', outcome: 'right-party-contact', documentNumbers: ['INV-1'] });
    expect(s.conversations).toEqual([a]);
    expect(s.conversations[0]).toBe(s.attempts[1]);
    expect(s).toMatchObject({ lastContactAt: at(12), lastOutcome: 'right-party-contact', lastConversationAt: at(12) });
  });

  it('take the conversations from the team outcome list, unknown codes being no conversation', () => {
    const a = call(12, 'spoke-to-owner');
    expect(fold([a]).conversations).toEqual([]);
    const outcomes = outcomeIndex([{ code: 'spoke-to-owner', label: 'Spoke to the owner', conversation: true, noContact: false }]);
    const s = foldAccount({ accountNumber: ACCOUNT, facts: [a], documents: [], payments: [], asOf: ASOF, outcomes });
    expect(s.conversations).toEqual([a]);
    expect(s.lastConversationAt).toBe(at(12));
  });

  it('keep the last conversation apart from the last contact', () => {
    const s = fold([call(10, 'promise-taken'), call(12, 'no-answer')]);
    expect(s).toMatchObject({ lastContactAt: at(12), lastOutcome: 'no-answer', lastConversationAt: at(10) });
  });
});

describe('callbacks', () => {
  const request = fact('activity', { at: at(10), channel: 'call', outcome: 'callback-requested', callbackAt: at(13, 15), documentNumbers: [] });

  it('are pending after the request', () => {
    expect(fold([request]).callbackAt).toBe(at(13, 15));
  });

  it('are cleared by any later attempt, not by a note, nor by an attempt at the same instant', () => {
    const tried = fact('activity', { at: at(13, 15), channel: 'call', outcome: 'no-answer', documentNumbers: [] });
    expect(fold([tried, request]).callbackAt).toBeUndefined();
    // An attempt before asOf only: a replay at the 12th still sees the callback pending.
    expect(fold([tried, request], at(12)).callbackAt).toBe(at(13, 15));
    const note = fact('activity', { at: at(11), channel: 'note', outcome: 'left-message', documentNumbers: [] });
    expect(fold([request, note]).callbackAt).toBe(at(13, 15));
    const same = fact('activity', { at: at(10), channel: 'email', outcome: 'sent', documentNumbers: [], id: 'ZZZZZZZZZZZZZZZZZZZZZZZZZZ' });
    expect(fold([request, same]).callbackAt).toBe(at(13, 15));
  });

  it('follow the last request', () => {
    const again = fact('activity', { at: at(14), channel: 'visit', outcome: 'callback-requested', callbackAt: at(16, 9), documentNumbers: [] });
    expect(fold([again, request]).callbackAt).toBe(at(16, 9));
    const noTime = fact('activity', { at: at(14), channel: 'call', outcome: 'callback-requested', documentNumbers: [] });
    expect(fold([request, noTime]).callbackAt).toBeUndefined();
  });

  it('may be requested in a note (an inbound message), which is no attempt', () => {
    const noted = fact('activity', { at: at(11), channel: 'note', outcome: 'callback-requested', callbackAt: at(12, 9), documentNumbers: [] });
    const s = fold([noted]);
    expect(s.callbackAt).toBe(at(12, 9));
    expect(s.attempts).toEqual([]);
  });
});

describe('steps done', () => {
  it('records the latest activity or task closure of each step', () => {
    const a1 = fact('activity', { at: at(10), channel: 'letter', outcome: 'sent', documentNumbers: [], stepId: 'first-letter' });
    const a2 = fact('activity', { at: at(12), channel: 'letter', outcome: 'sent', documentNumbers: [], stepId: 'first-letter' });
    const task = fact('task', { at: at(10), dueAt: at(11), assignee: 'u-ana', note: '', stepId: 'review' });
    const open = fact('task', { at: at(10), dueAt: at(11), assignee: 'u-ana', note: '', stepId: 'visit' });
    const skipped = fact('task-closed', { at: at(15), taskId: task.id, outcome: 'skipped' });
    const s = fold([skipped, a2, open, a1, task]);
    expect(s.stepsDone.map((d) => [d.stepId, d.at]).sort()).toEqual([
      ['first-letter', at(12)],
      ['review', at(15)],
    ]);
    // An activity's entry is the activity itself; each step is listed once.
    expect(s.stepsDone.find((d) => d.stepId === 'first-letter')).toBe(a2);
  });

  it('takes the later of an activity and a task closure for the same step', () => {
    const task = fact('task', { at: at(10), dueAt: at(11), assignee: 'u-ana', note: '', stepId: 'call-1' });
    const done = fact('task-closed', { at: at(11), taskId: task.id, outcome: 'done' });
    const call = fact('activity', { at: at(13), channel: 'call', outcome: 'no-answer', documentNumbers: [], stepId: 'call-1' });
    expect(stepDoneAt(fold([task, done, call]).stepsDone, 'call-1')).toBe(at(13));
    expect(stepDoneAt(fold([task, done, call], at(12)).stepsDone, 'call-1')).toBe(at(11));
    const earlyCall = fact('activity', { at: at(9), channel: 'call', outcome: 'no-answer', documentNumbers: [], stepId: 'call-1' });
    expect(stepDoneAt(fold([done, earlyCall, task]).stepsDone, 'call-1')).toBe(at(11));
    // Closed twice: the first closure decides the task's status, the latest counts as the step's time.
    const again = fact('task-closed', { at: at(16), taskId: task.id, outcome: 'skipped' });
    const s = fold([again, task, done]);
    expect(stepDoneAt(s.stepsDone, 'call-1')).toBe(at(16));
    expect(s.stepsDone).toHaveLength(1);
    expect(s.tasks[0]).toMatchObject({ status: 'done', closedAt: at(11) });
  });
});

describe('time and scope', () => {
  it('ignores every kind of fact dated after asOf', () => {
    const future = [
      fact('activity', { at: at(25), channel: 'call', outcome: 'right-party-contact', documentNumbers: [], stepId: 's' }),
      fact('dispute', { at: at(25), documentNumbers: ['INV-1'], reasonCode: 'pricing', currency: USD, amount: 5 as Minor }),
      fact('assignment', { at: at(25), collector: 'u-ana' }),
      fact('hold', { at: at(25), until: date(29), reason: 'x' }),
      fact('promise', { at: at(25), currency: USD, instalments: [{ dueDate: date(28), amount: 5 as Minor }], graceDays: 3, documentNumbers: [] }),
    ];
    expect(canonical(fold(future))).toBe(canonical(fold([])));
  });

  it('ignores facts of other accounts', () => {
    const f = fact('dispute', { at: at(10), accountNumber: 'C2', documentNumbers: ['INV-1'], reasonCode: 'pricing', currency: USD, amount: 5 as Minor });
    const g = fact('assignment', { at: at(10), accountNumber: 'C10', collector: 'u-ana' });
    expect(canonical(fold([f, g]))).toBe(canonical(fold([])));
  });
});
