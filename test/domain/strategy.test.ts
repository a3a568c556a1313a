import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AccountState, ContactAttempt, DisputeState, HoldState, InstalmentState, PromiseState, StepDone, TaskState } from '../../src/domain/account-state';
import type { CalendarDate } from '../../src/domain/calendar';
import type { ActivityChannel, Instant } from '../../src/domain/facts';
import type { Account, LedgerDocument } from '../../src/domain/ledger';
import type { CurrencyCode, Minor } from '../../src/domain/money';
import {
  compileStrategy,
  evaluateStrategy,
  selectStrategy,
  strategyConfigProblems,
  strategySchema,
  type EvaluateStrategyInput,
  type PredicatesInput,
  type Strategy,
  type StrategyAction,
  type StrategyDecision,
  type StrategyInput,
} from '../../src/domain/strategy';
import { STRATEGY_PRESETS, strategyConfig } from '../../src/domain/strategy-presets';
import { instantMs, instantOfMs } from '../../src/domain/strategy-time';

// ---------------------------------------------------------------------------------------------------
// Hand-made accounts: AccountState is the fold's output (folds.ts); here it is built directly.

const d = (s: string) => s as CalendarDate;
const USD = 'USD' as CurrencyCode;
const mn = (n: number) => n as Minor;
/** asOf for every test: 2025-06-30 at noon UTC. */
const ASOF: Instant = '2025-06-30T12:00:00.000Z';
const at = (date: string, time = '10:00:00') => `${date}T${time}.000Z`;
let ulidSeq = 0;
const ulid = () => `01JY${String(++ulidSeq).padStart(22, '0')}`;

const base = (at0: string) => ({ v: 1 as const, id: ulid(), by: 'ann', at: at0, deviceId: 'dev', portfolioId: 'p1', accountNumber: 'A1' });

function account(over: Partial<Account> = {}): Account {
  return {
    portfolioId: 'p1',
    number: 'A1',
    name: 'Acme',
    segment: 'smb',
    tags: [],
    timeZone: 'UTC',
    language: 'en',
    restrictions: { cease: false, doNotContact: false },
    ...over,
  };
}

/** An open invoice due on `due` (issued 30 days before), 1,000.00 USD unless told. */
function inv(number: string, due: string, open = 100_000, over: Partial<LedgerDocument> = {}): LedgerDocument {
  const issue = new Date(Date.parse(`${due}T00:00:00Z`) - 30 * 86_400_000).toISOString().slice(0, 10);
  return {
    portfolioId: 'p1',
    accountNumber: 'A1',
    number,
    kind: 'invoice',
    issueDate: d(issue),
    dueDate: d(due),
    currency: USD,
    original: mn(open),
    open: mn(open),
    status: 'open',
    erpDisputed: false,
    ...over,
  };
}

function state(over: Partial<AccountState> = {}): AccountState {
  return {
    accountNumber: 'A1',
    promises: [],
    disputes: [],
    disputedDocuments: new Set(),
    escalations: [],
    resolvedEscalations: new Set(),
    tasks: [],
    holds: [],
    fieldReceipts: [],
    heldDocuments: new Set(),
    assignedTo: null,
    attempts: [],
    conversations: [],
    stepsDone: [],
    ...over,
  };
}

/** AccountState.stepsDone from [stepId, at] pairs. */
function steps(...done: [string, string][]): StepDone[] {
  return done.map(([stepId, when]) => ({ stepId, at: when }));
}

function contacts(...list: [string, ActivityChannel][]): Partial<AccountState> {
  const attempts: ContactAttempt[] = list.map(([when, channel]) => ({ id: ulid(), at: when, channel, outcome: 'no-answer', documentNumbers: [] }));
  const last = attempts[attempts.length - 1];
  return last === undefined ? {} : { attempts, lastContactAt: last.at, lastOutcome: last.outcome };
}

function dispute(docs: string[], opened = at('2025-06-20'), status: DisputeState['status'] = 'open'): DisputeState {
  const f = { ...base(opened), type: 'dispute' as const, documentNumbers: docs, reasonCode: 'pricing', currency: USD, amount: mn(100_000) };
  return { id: f.id, fact: f, status, openedAt: opened };
}

function hold(until: string, documentNumbers?: string[], placed = at('2025-06-25')): HoldState {
  const f = { ...base(placed), type: 'hold' as const, until: d(until), reason: 'customer in audit', ...(documentNumbers === undefined ? {} : { documentNumbers }) };
  return { id: f.id, fact: f, active: true };
}

function promise(status: PromiseState['status'], instalments: { due: string; amount?: number; status?: InstalmentState['status']; paid?: number }[], failedOn?: string): PromiseState {
  const f = {
    ...base(at('2025-06-20')),
    type: 'promise' as const,
    currency: USD,
    instalments: instalments.map((i) => ({ dueDate: d(i.due), amount: mn(i.amount ?? 50_000) })),
    graceDays: 3,
    documentNumbers: [],
  };
  const states: InstalmentState[] = instalments.map((i) => {
    const due = d(i.due);
    const grace = new Date(Date.parse(`${i.due}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
    return { dueDate: due, amount: mn(i.amount ?? 50_000), paid: mn(i.paid ?? 0), graceEnds: d(grace), status: i.status ?? 'pending' };
  });
  const pending = states.find((s) => s.status === 'pending');
  return {
    id: f.id,
    fact: f,
    currency: USD,
    status,
    takenOn: d('2025-06-20'),
    instalments: states,
    promised: mn(states.reduce((s, i) => s + i.amount, 0)),
    paid: mn(states.reduce((s, i) => s + i.paid, 0)),
    ...(status === 'open' && pending !== undefined ? { nextDueDate: pending.dueDate } : {}),
    ...(failedOn === undefined ? {} : { failedOn: d(failedOn) }),
  };
}

function task(stepId: string, dueAt: string, status: TaskState['status'] = 'open', created = at('2025-06-29')): TaskState {
  const f = { ...base(created), type: 'task' as const, dueAt, assignee: 'ann', note: '', stepId };
  return { id: f.id, fact: f, status, dueAt };
}

type StepIn = { id: string; action: StrategyAction | { kind: 'statement'; channel?: 'email' | 'letter'; template?: string }; afterDays?: number; manual?: boolean };
type LevelIn = { id: string; when?: PredicatesInput; steps?: StepIn[] };

function strategy(levels: LevelIn[], over: Partial<StrategyInput> = {}): Strategy {
  return strategySchema.parse({
    schemaVersion: 1,
    id: 's',
    name: 'Test',
    levels: levels.map((l) => ({ id: l.id, name: `Level ${l.id}`, when: l.when ?? {}, steps: l.steps ?? [{ id: `${l.id}-call`, action: { kind: 'call' } }] })),
    ...over,
  });
}

function run(
  s: Strategy,
  o: { docs?: LedgerDocument[]; state?: Partial<AccountState>; account?: Partial<Account>; asOf?: Instant } & Pick<Partial<EvaluateStrategyInput>, 'payments'> = {},
): StrategyDecision {
  return evaluateStrategy({
    account: account(o.account),
    documents: o.docs ?? [inv('I1', '2025-05-31')],
    state: state(o.state),
    strategy: compileStrategy(s),
    asOf: o.asOf ?? ASOF,
    ...(o.payments === undefined ? {} : { payments: o.payments }),
  });
}

/** An always-matching single-step strategy, for the rules that come before the steps. */
const plain = strategy([{ id: 'l1', when: { daysPastDue: { min: 1 } }, steps: [{ id: 'call-1', action: { kind: 'call' } }] }]);

// ---------------------------------------------------------------------------------------------------

describe('predicates', () => {
  /** Does a level with only this `when` match? The default document is 30 days past due, 1,000.00 USD. */
  const holds = (when: PredicatesInput, o: Parameters<typeof run>[1] = {}) => run(strategy([{ id: 'only', when }]), o).level !== null;
  const twoInvoices = [inv('I1', '2025-05-31'), inv('I2', '2025-06-20', 50_000)];

  it.each<[string, PredicatesInput, Parameters<typeof run>[1], boolean]>([
    ['daysPastDue min inclusive', { daysPastDue: { min: 30 } }, {}, true],
    ['daysPastDue min above', { daysPastDue: { min: 31 } }, {}, false],
    ['daysPastDue max inclusive', { daysPastDue: { max: 30 } }, {}, true],
    ['daysPastDue max below', { daysPastDue: { max: 29 } }, {}, false],
    ['daysPastDue of a not-yet-due account is 0', { daysPastDue: { max: 0 } }, { docs: [inv('I1', '2025-07-10')] }, true],
    ['daysPastDue ignores a disputed older invoice', { daysPastDue: { max: 10 } }, { docs: twoInvoices, state: { disputedDocuments: new Set(['I1']), disputes: [dispute(['I1'])] } }, true],
    ['daysPastDue ignores a held older invoice', { daysPastDue: { max: 10 } }, { docs: twoInvoices, state: { heldDocuments: new Set(['I1']) } }, true],
    ['bucket holds', { bucket: ['1-30'] }, {}, true],
    ['bucket does not hold', { bucket: ['31-60'] }, {}, false],
    ['bucket at 31 days', { bucket: ['31-60'] }, { docs: [inv('I1', '2025-05-30')] }, true],
    ['balance min inclusive', { balance: { min: 100_000 } }, {}, true],
    ['balance min above', { balance: { min: 100_001 } }, {}, false],
    ['balance max inclusive', { balance: { max: 100_000 } }, {}, true],
    ['balance max below', { balance: { max: 99_999 } }, {}, false],
    ['balance in another currency', { balance: { min: 1, currency: 'EUR' } }, {}, false],
    ['balance in its currency', { balance: { min: 1, currency: 'USD' } }, {}, true],
    ['balance excludes disputed', { balance: { max: 50_000 } }, { docs: twoInvoices, state: { disputedDocuments: new Set(['I1']), disputes: [dispute(['I1'])] } }, true],
    ['openInvoices min inclusive', { openInvoices: { min: 2 } }, { docs: twoInvoices }, true],
    ['openInvoices min above', { openInvoices: { min: 3 } }, { docs: twoInvoices }, false],
    ['openInvoices max inclusive', { openInvoices: { max: 2 } }, { docs: twoInvoices }, true],
    ['openInvoices max below', { openInvoices: { max: 1 } }, { docs: twoInvoices }, false],
    ['openInvoices excludes held', { openInvoices: { max: 1 } }, { docs: twoInvoices, state: { heldDocuments: new Set(['I2']) } }, true],
    ['openDispute true holds', { openDispute: true }, { docs: twoInvoices, state: { disputedDocuments: new Set(['I2']), disputes: [dispute(['I2'])] } }, true],
    ['openDispute true without one', { openDispute: true }, {}, false],
    ['openDispute false without one', { openDispute: false }, {}, true],
    ['openDispute from the ERP flag', { openDispute: true }, { docs: [...twoInvoices, inv('I3', '2025-06-01', 100, { erpDisputed: true })] }, true],
    ['openDispute ignores a resolved one', { openDispute: true }, { state: { disputes: [dispute(['I9'], at('2025-06-01'), 'rejected')] } }, false],
    ['brokenPromise true on broken', { brokenPromise: true }, { state: { currentPromise: promise('broken', [{ due: '2025-06-20', status: 'broken' }], '2025-06-24') } }, true],
    ['brokenPromise true on partially kept', { brokenPromise: true }, { state: { currentPromise: promise('partially-kept', [{ due: '2025-06-20', status: 'partially-kept', paid: 100 }], '2025-06-24') } }, true],
    ['brokenPromise false on open', { brokenPromise: true }, { state: { currentPromise: promise('open', [{ due: '2025-07-05' }]) } }, false],
    ['brokenPromise false holds with none', { brokenPromise: false }, {}, true],
    ['promiseOpen true', { promiseOpen: true }, { state: { currentPromise: promise('open', [{ due: '2025-07-05' }]) } }, true],
    ['promiseOpen true on kept', { promiseOpen: true }, { state: { currentPromise: promise('kept', [{ due: '2025-06-20', status: 'kept', paid: 50_000 }]) } }, false],
    ['daysSinceLastContact min inclusive', { daysSinceLastContact: { min: 5 } }, { state: contacts([at('2025-06-25', '12:00:00'), 'call']) }, true],
    ['daysSinceLastContact min above', { daysSinceLastContact: { min: 6 } }, { state: contacts([at('2025-06-25', '12:00:00'), 'call']) }, false],
    ['daysSinceLastContact max inclusive', { daysSinceLastContact: { max: 5 } }, { state: contacts([at('2025-06-25', '12:00:00'), 'call']) }, true],
    ['daysSinceLastContact max below', { daysSinceLastContact: { max: 4 } }, { state: contacts([at('2025-06-25', '12:00:00'), 'call']) }, false],
    ['never contacted is infinitely long: min holds', { daysSinceLastContact: { min: 365 } }, {}, true],
    ['never contacted is infinitely long: max fails', { daysSinceLastContact: { max: 365 } }, {}, false],
    ['lastOutcome holds', { lastOutcome: ['no-answer', 'refused'] }, { state: contacts([at('2025-06-25'), 'call']) }, true],
    ['lastOutcome does not hold', { lastOutcome: ['refused'] }, { state: contacts([at('2025-06-25'), 'call']) }, false],
    ['lastOutcome without any contact', { lastOutcome: ['no-answer'] }, {}, false],
    ['segment holds', { segment: ['smb', 'enterprise'] }, {}, true],
    ['segment does not hold', { segment: ['consumer'] }, {}, false],
    ['tags any holds', { tags: { any: ['vip', 'key-account'] } }, { account: { tags: ['key-account'] } }, true],
    ['tags any fails', { tags: { any: ['vip'] } }, { account: { tags: ['key-account'] } }, false],
    ['tags all holds', { tags: { all: ['a', 'b'] } }, { account: { tags: ['b', 'a', 'c'] } }, true],
    ['tags all fails', { tags: { all: ['a', 'b'] } }, { account: { tags: ['a'] } }, false],
    ['tags none holds', { tags: { none: ['government'] } }, { account: { tags: ['a'] } }, true],
    ['tags none fails', { tags: { none: ['government'] } }, { account: { tags: ['government'] } }, false],
    ['risk holds', { risk: ['D', 'E'] }, { account: { riskGrade: 'E' } }, true],
    ['risk does not hold', { risk: ['D', 'E'] }, { account: { riskGrade: 'A' } }, false],
    ['risk without a grade', { risk: ['A'] }, {}, false],
    ['empty when always holds', {}, {}, true],
    ['AND: one failing predicate fails the level', { daysPastDue: { min: 1 }, segment: ['consumer'] }, {}, false],
  ])('%s', (_name, when, o, expected) => {
    expect(holds(when, o)).toBe(expected);
  });

  it('says which predicates held', () => {
    const s = strategy([{ id: 'l', when: { daysPastDue: { min: 1, max: 30 }, balance: { min: 50_000 }, segment: ['smb'], daysSinceLastContact: { min: 7 } } }]);
    expect(run(s).matched).toEqual(['30 days past due (1–30 days)', 'balance 1000.00 USD (at least 500.00)', 'never contacted', 'segment smb']);
  });
});

describe('actions', () => {
  it.each<[string, StepIn['action'], { kind: string; channel?: string; template?: string }]>([
    ['call', { kind: 'call' }, { kind: 'call', channel: 'call' }],
    ['call with a script', { kind: 'call', template: 'script-1' }, { kind: 'call', channel: 'call', template: 'script-1' }],
    ['visit', { kind: 'visit', template: 'visit-report' }, { kind: 'visit', channel: 'visit', template: 'visit-report' }],
    ['email', { kind: 'email', template: 'reminder' }, { kind: 'email', channel: 'email', template: 'reminder' }],
    ['sms', { kind: 'sms', template: 'nudge' }, { kind: 'sms', channel: 'sms', template: 'nudge' }],
    ['letter', { kind: 'letter', template: 'final-demand' }, { kind: 'letter', channel: 'letter', template: 'final-demand' }],
    ['statement by email (default)', { kind: 'statement' }, { kind: 'statement', channel: 'email' }],
    ['statement by post', { kind: 'statement', channel: 'letter' }, { kind: 'statement', channel: 'letter' }],
    ['escalate', { kind: 'escalate', role: 'manager' }, { kind: 'escalate' }],
    ['hold', { kind: 'hold', days: 14 }, { kind: 'hold' }],
    ['place with agency', { kind: 'place', with: 'agency' }, { kind: 'place' }],
    ['place with legal', { kind: 'place', with: 'legal' }, { kind: 'place' }],
  ])('%s', (_name, action, expected) => {
    for (const manual of [false, true]) {
      const next = run(strategy([{ id: 'l', steps: [{ id: 'st', action, manual }] }])).next;
      expect(next).not.toBeNull();
      expect(next?.kind).toBe(expected.kind);
      expect(next?.channel).toBe(expected.channel);
      expect(next?.template).toBe(expected.template);
      expect(next?.manual).toBe(manual);
      expect(next?.stepId).toBe('st');
      expect(next?.levelId).toBe('l');
      expect(next?.action).toMatchObject(action);
    }
  });
});

describe('levels and steps', () => {
  it('first matching level wins, in order', () => {
    const s = strategy([
      { id: 'never', when: { segment: ['consumer'] } },
      { id: 'first', when: { daysPastDue: { min: 1 } } },
      { id: 'second', when: { daysPastDue: { min: 1 } } },
    ]);
    const r = run(s);
    expect(r.level).toEqual({ id: 'first', name: 'Level first' });
    expect(r.levelIndex).toBe(1);
    expect(r.next?.stepId).toBe('first-call');
  });

  it('no level: not past due, or past due with nothing matching', () => {
    const s = strategy([{ id: 'late', when: { daysPastDue: { min: 60 } } }]);
    expect(run(s, { docs: [inv('I1', '2025-07-10')] }).waiting?.reason).toBe('not-past-due');
    const r = run(s);
    expect(r).toMatchObject({ level: null, next: null, waiting: { reason: 'no-level' } });
  });

  const ladder = strategy([
    {
      id: 'l1',
      when: { daysPastDue: { min: 1, max: 30 } },
      steps: [
        { id: 'email-1', action: { kind: 'email', template: 'reminder' } },
        { id: 'call-1', action: { kind: 'call' }, afterDays: 7 },
      ],
    },
    { id: 'l2', when: { daysPastDue: { min: 31 } }, steps: [{ id: 'letter-2', action: { kind: 'letter', template: 'demand' }, afterDays: 2 }] },
  ]);

  it('the first step is due afterDays after the level was entered (its range start)', () => {
    // Due 2025-05-31, so l1 is entered 2025-06-01; the email was due then.
    const r = run(ladder);
    expect(r.next).toMatchObject({ stepId: 'email-1', dueAt: '2025-06-01T00:00:00.000Z' });
    expect(r.waiting).toBeUndefined();
    expect(r.next?.reason).toContain('step 1 of 2');
  });

  it('a later step is due afterDays after the previous one was done; in the future it is still next, with waiting', () => {
    const r = run(ladder, { state: { stepsDone: steps(['email-1', at('2025-06-28')]) } });
    expect(r.next).toMatchObject({ stepId: 'call-1', dueAt: '2025-07-05T10:00:00.000Z' });
    expect(r.waiting).toEqual({ reason: 'step-not-due', until: '2025-07-05T10:00:00.000Z', detail: expect.stringContaining('2025-07-05') as string });
  });

  it('all steps done: nothing until the account moves on', () => {
    const r = run(ladder, { state: { stepsDone: steps(['email-1', at('2025-06-02')], ['call-1', at('2025-06-09')]) } });
    expect(r.next).toBeNull();
    expect(r.waiting?.reason).toBe('step-not-due');
  });

  it('a step done before the level was entered (an earlier cycle) does not count', () => {
    const r = run(ladder, { state: { stepsDone: steps(['email-1', at('2025-03-02')]) } });
    expect(r.next?.stepId).toBe('email-1');
  });

  it('entering a level: its range start, or later when a step of another level was done later', () => {
    const docs = [inv('I1', '2025-05-20')]; // 41 days past due: l2, whose range starts at 31 days, on 2025-06-20
    expect(run(ladder, { docs }).next).toMatchObject({ stepId: 'letter-2', dueAt: '2025-06-22T00:00:00.000Z' });
    const r = run(ladder, { docs, state: { stepsDone: steps(['call-1', at('2025-06-27')]) } });
    expect(r.next).toMatchObject({ stepId: 'letter-2', dueAt: '2025-06-29T10:00:00.000Z' });
  });

  it('a contact on the step channel since it fell due carries out a non-manual step', () => {
    const r = run(ladder, { state: contacts([at('2025-06-03'), 'email']) });
    expect(r.next).toMatchObject({ stepId: 'call-1', dueAt: '2025-06-10T10:00:00.000Z' });
    // Another channel does not.
    expect(run(ladder, { state: contacts([at('2025-06-03'), 'sms']) }).next?.stepId).toBe('email-1');
  });

  it('one contact carries out one step: the next step on the same channel needs another', () => {
    const s = strategy([
      {
        id: 'l',
        steps: [
          { id: 'email-a', action: { kind: 'email', template: 'a' } },
          { id: 'email-b', action: { kind: 'email', template: 'b' } },
        ],
      },
    ]);
    const r = run(s, { state: contacts([at('2025-06-03'), 'email']) });
    expect(r.next).toMatchObject({ stepId: 'email-b', dueAt: '2025-06-03T10:00:00.000Z' });
    expect(run(s, { state: contacts([at('2025-06-03'), 'email'], [at('2025-06-04'), 'email']) }).next).toBeNull();
  });

  it('a step with a negative delay falls before the level date (a pre-due reminder), and counts as done then', () => {
    const s = strategy([
      {
        id: 'pre',
        when: { daysPastDue: { max: 0 } },
        steps: [
          { id: 'pre-email', action: { kind: 'email', template: 'courtesy' }, afterDays: -5 },
          { id: 'due-email', action: { kind: 'email', template: 'due' }, afterDays: 5 },
        ],
      },
    ]);
    const docs = [inv('I1', '2025-07-03')];
    expect(run(s, { docs }).next).toMatchObject({ stepId: 'pre-email', dueAt: '2025-06-28T00:00:00.000Z' });
    const r = run(s, { docs, state: { stepsDone: steps(['pre-email', at('2025-06-28')]) } });
    expect(r.next).toMatchObject({ stepId: 'due-email', dueAt: '2025-07-03T10:00:00.000Z' });
  });

  it('a hold step is carried out by an account hold placed since it fell due', () => {
    const s = strategy([
      {
        id: 'l',
        steps: [
          { id: 'quiet', action: { kind: 'hold', days: 10 } },
          { id: 'after', action: { kind: 'letter', template: 'x' }, afterDays: 1 },
        ],
      },
    ]);
    expect(run(s).next?.stepId).toBe('quiet');
    const expired = { ...hold('2025-06-20', undefined, at('2025-06-10')), active: false };
    expect(run(s, { state: { holds: [expired] } }).next).toMatchObject({ stepId: 'after', dueAt: '2025-06-11T10:00:00.000Z' });
    // A document hold is not the account hold the step asks for.
    expect(run(s, { docs: [inv('I1', '2025-05-31'), inv('I2', '2025-06-01')], state: { holds: [hold('2025-07-20', ['I2'], at('2025-06-10'))], heldDocuments: new Set(['I2']) } }).next?.stepId).toBe('quiet');
  });

  it('a level without steps holds the account still', () => {
    const s = strategy([{ id: 'quiet', when: { tags: { any: ['vip'] } }, steps: [] }, { id: 'l' }]);
    expect(run(s, { account: { tags: ['vip'] } })).toMatchObject({ level: { id: 'quiet' }, next: null, waiting: { reason: 'step-not-due' } });
  });
});

describe('minimum contact delay', () => {
  const s = strategy(
    [
      {
        id: 'l',
        steps: [
          { id: 'call-a', action: { kind: 'call' } },
          { id: 'esc', action: { kind: 'escalate', role: 'manager' } },
        ],
      },
    ],
    { minContactDelayDays: 5 },
  );

  it('a contact step waits minContactDelayDays after the last contact, whatever channel', () => {
    const r = run(s, { state: contacts([at('2025-06-28'), 'email']) });
    expect(r.next).toMatchObject({ stepId: 'call-a', dueAt: '2025-07-03T10:00:00.000Z' });
    expect(r.waiting).toMatchObject({ reason: 'min-contact-delay', until: '2025-07-03T10:00:00.000Z' });
  });

  it('exactly the delay later it is due', () => {
    const r = run(s, { state: contacts([at('2025-06-25', '12:00:00'), 'sms']) });
    expect(r.next?.dueAt).toBe('2025-06-30T12:00:00.000Z');
    expect(r.waiting).toBeUndefined();
  });

  it('a non-contact step does not wait', () => {
    const r = run(s, { state: { ...contacts([at('2025-06-29'), 'call']), stepsDone: steps(['call-a', at('2025-06-29')]) } });
    expect(r.next).toMatchObject({ stepId: 'esc', kind: 'escalate' });
    expect(r.waiting).toBeUndefined();
  });
});

describe('manual steps', () => {
  const s = strategy([
    {
      id: 'l',
      steps: [
        { id: 'review', action: { kind: 'letter', template: 'second' }, manual: true },
        { id: 'call-after', action: { kind: 'call' }, afterDays: 3 },
      ],
    },
  ]);

  it('blocks the later steps until done', () => {
    const r = run(s, { state: contacts([at('2025-06-20'), 'letter']) });
    // A letter logged without naming the step does not carry out a manual step.
    expect(r.next).toMatchObject({ stepId: 'review', manual: true });
    expect(r.next?.reason).toContain('Later steps wait');
    const done = run(s, { state: { stepsDone: steps(['review', at('2025-06-29')]) } });
    expect(done.next).toMatchObject({ stepId: 'call-after', dueAt: '2025-07-02T10:00:00.000Z' });
  });

  it('skipped (its task closed as skipped, in stepsDone as well) moves on too', () => {
    const r = run(s, { state: { tasks: [task('review', at('2025-06-29'), 'skipped')], stepsDone: steps(['review', at('2025-06-29', '11:00:00')]) } });
    expect(r.next?.stepId).toBe('call-after');
  });

  it('an open task for the step sets its date; a closed one does not', () => {
    const r = run(s, { state: { tasks: [task('review', at('2025-07-02'))] } });
    expect(r.next).toMatchObject({ stepId: 'review', dueAt: '2025-07-02T10:00:00.000Z' });
    expect(r.waiting?.reason).toBe('manual-step');
    const closed = run(s, { state: { tasks: [task('review', at('2025-07-02'), 'done')] } });
    expect(closed.next).toMatchObject({ stepId: 'review', dueAt: '2025-05-31T00:00:00.000Z' });
    expect(closed.waiting).toBeUndefined();
  });
});

describe('pauses', () => {
  const paused = (from: string, to: string) =>
    strategy(
      [
        { id: 'l', steps: [{ id: 'call-p', action: { kind: 'call' } }] },
      ],
      { pauses: [{ from, to, reason: 'Festival' }] },
    );

  it.each([
    ['asOf on the first day', '2025-06-30', '2025-07-02', true],
    ['asOf on the last day', '2025-06-25', '2025-06-30', true],
    ['asOf the day after', '2025-06-20', '2025-06-29', false],
    ['asOf the day before', '2025-07-01', '2025-07-05', false],
  ])('%s', (_name, from, to, inPause) => {
    const r = run(paused(from, to));
    if (inPause) {
      const resume = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString();
      expect(r.waiting).toMatchObject({ reason: 'pause', until: resume });
      expect(r.next?.dueAt).toBe(resume);
    } else expect(r.waiting).toBeUndefined();
  });

  it('a future contact step that falls in a pause moves past it; a non-contact step does not', () => {
    const s = strategy(
      [
        { id: 'l', steps: [{ id: 'e', action: { kind: 'email', template: 'x' } }, { id: 'c', action: { kind: 'call' }, afterDays: 3 }] },
      ],
      { pauses: [{ from: '2025-07-02', to: '2025-07-04', reason: 'Holiday' }] },
    );
    const r = run(s, { state: { stepsDone: steps(['e', at('2025-06-29')]) } });
    expect(r.next?.dueAt).toBe('2025-07-05T00:00:00.000Z');
    expect(r.waiting?.reason).toBe('pause');
    const esc = strategy([{ id: 'l', steps: [{ id: 'x', action: { kind: 'escalate', role: 'manager' } }] }], { pauses: [{ from: '2025-06-30', to: '2025-07-04', reason: 'Holiday' }] });
    expect(run(esc).waiting).toBeUndefined();
  });
});

describe('holds and disputes', () => {
  it('an account hold: no next action, waiting until the day after it ends', () => {
    const h = hold('2025-07-10');
    const r = run(plain, { state: { holds: [h], accountHold: h } });
    expect(r.next).toBeNull();
    expect(r.waiting).toMatchObject({ reason: 'hold', until: '2025-07-11T00:00:00.000Z' });
  });

  it('held and disputed documents leave the flow and the metrics', () => {
    const docs = [inv('I1', '2025-04-01', 100_000), inv('I2', '2025-05-01', 30_000), inv('I3', '2025-06-10', 20_000), inv('C1', '2025-06-15', -5_000, { kind: 'credit_note', original: mn(-5_000) })];
    const r = run(plain, { docs, state: { disputedDocuments: new Set(['I1']), disputes: [dispute(['I1'])], heldDocuments: new Set(['I2']) } });
    expect(r.metrics).toEqual({
      currency: 'USD',
      balance: 15_000,
      pastDue: 15_000,
      disputedAmount: 100_000,
      heldAmount: 30_000,
      oldestDaysPastDue: 20,
      bucketId: '1-30',
      bucketIndex: 1,
      openInvoices: 1,
      oldestDueDate: '2025-06-10',
    });
  });

  it('paid, closed and not-yet-issued documents do not count; the main currency is the largest balance', () => {
    const docs = [
      inv('P1', '2025-01-01', 0, { status: 'paid', original: mn(500) }),
      inv('X1', '2025-01-01', 900, { status: 'closed' }),
      inv('F1', '2025-08-30', 900), // issued 2025-07-31, after asOf
      inv('E1', '2025-06-01', 10_000, { currency: 'EUR' as CurrencyCode }),
      inv('U1', '2025-06-20', 20_000),
    ];
    const m = run(plain, { docs }).metrics;
    expect(m).toMatchObject({ currency: 'USD', balance: 20_000, openInvoices: 2, oldestDaysPastDue: 29, oldestDueDate: '2025-06-01' });
  });

  it('everything disputed: the dispute owner reviews it, dunning waits', () => {
    const disp = dispute(['I1'], at('2025-06-25'));
    const r = run(plain, { state: { disputedDocuments: new Set(['I1']), disputes: [disp] } });
    expect(r.level).toBeNull();
    expect(r.next).toMatchObject({ kind: 'review-dispute', disputeId: disp.id, manual: true, dueAt: '2025-07-05T10:00:00.000Z' });
    expect(r.waiting).toMatchObject({ reason: 'all-disputed', until: '2025-07-05T10:00:00.000Z' });
    const old = dispute(['I1'], at('2025-06-01'));
    const overdue = run(plain, { state: { disputedDocuments: new Set(['I1']), disputes: [old] } });
    expect(overdue.next?.kind).toBe('review-dispute');
    expect(overdue.waiting).toBeUndefined();
  });

  it('everything held by document holds: waiting until the first ends', () => {
    const r = run(plain, { state: { heldDocuments: new Set(['I1']), holds: [hold('2025-07-20', ['I1']), hold('2025-07-05', ['I1'])] } });
    expect(r.waiting).toMatchObject({ reason: 'hold', until: '2025-07-06T00:00:00.000Z' });
  });

  it('nothing owed', () => {
    expect(run(plain, { docs: [] })).toMatchObject({ next: null, waiting: { reason: 'nothing-owed' }, level: null });
    // Not even a level that always applies: there is nothing to collect.
    expect(run(strategy([{ id: 'always' }]), { docs: [] }).level).toBeNull();
    expect(run(plain, { docs: [inv('I1', '2025-05-01', 100), inv('C1', '2025-05-01', -200, { kind: 'credit_note', original: mn(-200) })] }).waiting?.reason).toBe('nothing-owed');
  });
});

describe('callbacks and promises', () => {
  it('a callback due within a few hours comes before any step', () => {
    const r = run(plain, { state: { callbackAt: '2025-06-30T15:00:00.000Z' } });
    expect(r.next).toMatchObject({ kind: 'callback', channel: 'call', dueAt: '2025-06-30T15:00:00.000Z' });
    expect(r.waiting).toBeUndefined();
  });

  it('a later callback holds the steps back until then', () => {
    const r = run(plain, { state: { callbackAt: '2025-07-02T09:00:00.000Z' } });
    expect(r.next?.kind).toBe('callback');
    expect(r.waiting).toMatchObject({ reason: 'callback', until: '2025-07-02T09:00:00.000Z' });
  });

  it('a callback comes before a promise follow-up', () => {
    const r = run(plain, { state: { callbackAt: '2025-06-30T13:00:00.000Z', currentPromise: promise('open', [{ due: '2025-06-30' }]) } });
    expect(r.next?.kind).toBe('callback');
  });

  it('an open promise suspends the steps: follow-up on the instalment date', () => {
    const p = promise('open', [{ due: '2025-07-05' }, { due: '2025-08-05' }]);
    const r = run(plain, { state: { currentPromise: p, promises: [p] } });
    expect(r.next).toMatchObject({ kind: 'promise-follow-up', promiseId: p.id, dueAt: '2025-07-05T00:00:00.000Z', channel: 'call' });
    expect(r.waiting).toMatchObject({ reason: 'promise-open', until: '2025-07-05T00:00:00.000Z' });
    expect(r.level?.id).toBe('l1');
  });

  it('an instalment due today: follow up now; once followed up, wait for the grace end', () => {
    const p = promise('open', [{ due: '2025-06-30' }]);
    const r = run(plain, { state: { currentPromise: p } });
    expect(r.next).toMatchObject({ kind: 'promise-follow-up', dueAt: '2025-06-30T00:00:00.000Z' });
    expect(r.waiting).toBeUndefined();
    const followed = run(plain, { state: { currentPromise: p, ...contacts([at('2025-06-30', '09:00:00'), 'call']) } });
    expect(followed.next).toBeNull();
    expect(followed.waiting).toMatchObject({ reason: 'promise-open', until: '2025-07-04T00:00:00.000Z' });
  });

  it('a kept promise no longer holds the steps', () => {
    const p = promise('kept', [{ due: '2025-06-20', status: 'kept', paid: 50_000 }]);
    expect(run(plain, { state: { currentPromise: p } }).next?.kind).toBe('call');
  });

  it('a broken or partially kept promise: follow up now, until someone contacted the debtor or they paid', () => {
    for (const status of ['broken', 'partially-kept'] as const) {
      const p = promise(status, [{ due: '2025-06-20', status, paid: status === 'broken' ? 0 : 100 }], '2025-06-24');
      const r = run(plain, { state: { currentPromise: p } });
      expect(r.next).toMatchObject({ kind: 'broken-promise-follow-up', promiseId: p.id, dueAt: '2025-06-24T00:00:00.000Z', channel: 'call' });
      // (An email, so that it does not also carry out the plain strategy's call step.)
      expect(run(plain, { state: { currentPromise: p, ...contacts([at('2025-06-25'), 'email']) } }).next?.kind).toBe('call');
      expect(run(plain, { state: { currentPromise: p }, payments: [{ receivedDate: d('2025-06-26') }] }).next?.kind).toBe('call');
      // A contact before it failed is not the follow-up.
      expect(run(plain, { state: { currentPromise: p, ...contacts([at('2025-06-23'), 'call']) } }).next?.kind).toBe('broken-promise-follow-up');
    }
  });
});

describe('derived escalations', () => {
  const withLarge = strategy([{ id: 'l' }], { escalation: { disputeOwnerRole: 'admin', brokenPromiseRole: 'manager', largeBalance: { amount: 100_000, currency: 'USD', role: 'manager' } } });

  it('an open dispute escalates to the dispute owner, until resolved by its id', () => {
    const disp = dispute(['I2']);
    const docs = [inv('I1', '2025-05-31'), inv('I2', '2025-06-01')];
    const r = run(withLarge, { docs: docs.slice(), state: { disputes: [disp], disputedDocuments: new Set(['I2']) } });
    const esc = r.escalations.find((e) => e.id === `derived:dispute:${disp.id}`);
    expect(esc).toMatchObject({ source: 'derived', toRole: 'admin', openedAt: disp.openedAt });
    const resolved = run(withLarge, { docs, state: { disputes: [disp], disputedDocuments: new Set(['I2']), resolvedEscalations: new Set([`derived:dispute:${disp.id}`]) } });
    expect(resolved.escalations.some((e) => e.id.startsWith('derived:dispute:'))).toBe(false);
  });

  it('a broken promise escalates unless paid since it failed; a partial keep too', () => {
    for (const status of ['broken', 'partially-kept'] as const) {
      const p = promise(status, [{ due: '2025-06-20', status }], '2025-06-24');
      const id = `derived:broken-promise:${p.id}`;
      const r = run(plain, { state: { currentPromise: p } });
      expect(r.escalations).toEqual([expect.objectContaining({ id, toRole: 'manager', openedAt: '2025-06-24T00:00:00.000Z', source: 'derived' })]);
      expect(run(plain, { state: { currentPromise: p }, payments: [{ receivedDate: d('2025-06-24') }] }).escalations).toEqual([]);
      expect(run(plain, { state: { currentPromise: p }, payments: [{ receivedDate: d('2025-06-23') }] }).escalations).toHaveLength(1);
      // An invoice paid off after the break tells the same without payments at hand.
      const paidOff = inv('I0', '2025-05-01', 0, { status: 'paid', paidDate: d('2025-06-27'), original: mn(100) });
      expect(run(plain, { docs: [inv('I1', '2025-05-31'), paidOff], state: { currentPromise: p } }).escalations).toEqual([]);
      expect(run(plain, { state: { currentPromise: p, resolvedEscalations: new Set([id]) } }).escalations).toEqual([]);
    }
  });

  it('a large balance escalates from the day the open balance reached the threshold; resolving holds until it is rebuilt', () => {
    const docs = [inv('I1', '2025-04-01', 60_000), inv('I2', '2025-05-01', 60_000), inv('I3', '2025-06-01', 10_000)];
    const r = run(withLarge, { docs });
    // I1 + I2 reach 100,000: I2 was issued 2025-04-01.
    expect(r.escalations).toEqual([expect.objectContaining({ id: 'derived:large-balance:2025-04-01', toRole: 'manager', openedAt: '2025-04-01T00:00:00.000Z' })]);
    const resolved = new Set(['derived:large-balance:2025-04-01']);
    expect(run(withLarge, { docs, state: { resolvedEscalations: resolved } }).escalations).toEqual([]);
    // Paid down below, then billed up again: a new occurrence.
    const rebuilt = [inv('I3', '2025-06-01', 10_000), inv('I4', '2025-06-25', 95_000)];
    expect(run(withLarge, { docs: rebuilt, state: { resolvedEscalations: resolved } }).escalations.map((e) => e.id)).toEqual(['derived:large-balance:2025-05-26']);
    // Below the threshold, or in another currency: none.
    expect(run(withLarge, { docs: [inv('I1', '2025-04-01', 99_999)] }).escalations).toEqual([]);
    expect(run(withLarge, { docs: [inv('I1', '2025-04-01', 500_000, { currency: 'EUR' as CurrencyCode })] }).escalations).toEqual([]);
  });

  it('the documents of one issue date count together, whatever their order', () => {
    // Over the threshold since 2025-03-02; on 2025-04-01 a credit note and an invoice net to −10,000.
    const docs = [inv('I1', '2025-04-01', 120_000), inv('C1', '2025-05-01', -30_000, { kind: 'credit_note', original: mn(-30_000) }), inv('I2', '2025-05-01', 20_000)];
    expect(run(withLarge, { docs }).escalations.map((e) => e.id)).toEqual(['derived:large-balance:2025-03-02']);
    expect(run(withLarge, { docs: [docs[0], docs[2], docs[1]] as LedgerDocument[] }).escalations.map((e) => e.id)).toEqual(['derived:large-balance:2025-03-02']);
  });

  it('the large balance date is where the running total by issue date last rose to the threshold, in any document order', () => {
    // The rule written plainly (filter, sort by issue date, decide at the end of each date): the
    // engine's one pass over documents already in order, and its fallback, must agree with it.
    const reference = (docs: readonly LedgerDocument[]): string | undefined => {
      const open = docs.filter((x) => x.status === 'open' && x.open !== 0 && x.currency === USD && x.issueDate <= '2025-06-30');
      const exposure = open.reduce((sum, x) => sum + x.open, 0);
      if (exposure < 100_000) return undefined;
      open.sort((a, b) => (a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : 0));
      let running = 0;
      let since: string | null = null;
      for (let i = 0; i < open.length; i++) {
        const x = open[i] as LedgerDocument;
        running += x.open;
        if (open[i + 1]?.issueDate === x.issueDate) continue;
        if (running >= 100_000) since ??= x.issueDate;
        else since = null;
      }
      return `derived:large-balance:${since ?? '2025-06-30'}`;
    };
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: -40_000, max: 90_000 }), fc.constantFrom('open', 'paid', 'eur')), { maxLength: 12 }),
        fc.boolean(),
        (rows, sortFirst) => {
          let docs = rows.map(([day, amount, kind], i) =>
            inv(`I${i}`, `2025-0${4 + Math.floor(day / 4)}-1${day % 4}`, amount, kind === 'paid' ? { status: 'paid', open: mn(0) } : kind === 'eur' ? { currency: 'EUR' as CurrencyCode } : {}),
          );
          if (sortFirst) docs = [...docs].sort((a, b) => (a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : 0));
          const expected = reference(docs);
          const got = run(withLarge, { docs }).escalations.find((e) => e.id.startsWith('derived:large-balance:'))?.id;
          // The escalation needs the account's main currency to be the threshold's: compare where it is.
          if (got !== undefined || run(withLarge, { docs }).metrics.currency === USD) expect(got).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('disputed amounts count toward the large balance (exposure)', () => {
    const docs = [inv('I1', '2025-04-01', 60_000), inv('I2', '2025-05-01', 60_000)];
    const r = run(withLarge, { docs, state: { disputedDocuments: new Set(['I1']), disputes: [dispute(['I1'])] } });
    expect(r.escalations.map((e) => e.id.split(':')[1])).toEqual(['dispute', 'large-balance']);
  });
});

describe('strategy selection', () => {
  const mk = (id: string) => ({ id });
  const all = new Map(['a', 'b', 'c'].map((id) => [id, mk(id)]));
  const config = { default: 'a', bySegment: { consumer: 'b' } };

  it('override > segment > default', () => {
    expect(selectStrategy({ segment: 'consumer' }, { strategyOverride: 'c' }, config, all).id).toBe('c');
    expect(selectStrategy({ segment: 'consumer' }, {}, config, all).id).toBe('b');
    expect(selectStrategy({ segment: 'smb' }, {}, config, all).id).toBe('a');
  });

  it('an unknown id falls through; a missing default is refused', () => {
    expect(selectStrategy({ segment: 'consumer' }, { strategyOverride: 'gone' }, config, all).id).toBe('b');
    expect(selectStrategy({ segment: 'consumer' }, {}, { default: 'a', bySegment: { consumer: 'gone' } }, all).id).toBe('a');
    expect(() => selectStrategy({ segment: 'x' }, {}, { default: 'nope', bySegment: {} }, all)).toThrow(/nope/);
    expect(strategyConfigProblems({ default: 'nope', bySegment: { smb: 'zz' } }, all)).toEqual(['default: no strategy "nope"', 'bySegment.smb: no strategy "zz"']);
  });

  it('the shipped config maps every demo segment to a preset', () => {
    expect(strategyConfigProblems(strategyConfig, STRATEGY_PRESETS)).toEqual([]);
    const pick = (segment: string) => selectStrategy({ segment }, {}, strategyConfig, STRATEGY_PRESETS).id;
    expect(['consumer', 'smb', 'mid-market', 'enterprise', 'other'].map(pick)).toEqual(['consumer-field', 'b2b-standard', 'b2b-standard', 'b2b-gentle', 'b2b-standard']);
  });
});

describe('presets', () => {
  const get = (id: string) => {
    const s = STRATEGY_PRESETS.get(id);
    if (s === undefined) throw new Error(id);
    return s;
  };
  const late = (days: number, open = 100_000) => [inv('I1', new Date(Date.parse('2025-06-30T00:00:00Z') - days * 86_400_000).toISOString().slice(0, 10), open)];

  it('each parses again from its JSON', () => {
    for (const s of STRATEGY_PRESETS.values()) expect(strategySchema.parse(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });

  it.each<[string, string, Parameters<typeof run>[1], { level: string | null; kind: string | null; manual?: boolean; template?: string }]>([
    ['b2b-standard', 'current', { docs: late(-10) }, { level: null, kind: null }],
    ['b2b-standard', '10 days late', { docs: late(10) }, { level: 'std-reminder', kind: 'email', template: 'payment-reminder' }],
    ['b2b-standard', '10 days late, reminder sent', { docs: late(10), state: { stepsDone: steps(['std-reminder-email', at('2025-06-21')]) } }, { level: 'std-reminder', kind: 'call' }],
    ['b2b-standard', '45 days late', { docs: late(45) }, { level: 'std-second-letter', kind: 'letter', manual: true, template: 'second-notice' }],
    ['b2b-standard', '100 days late', { docs: late(100) }, { level: 'std-placement', kind: 'place', manual: true }],
    ['b2b-gentle', 'current', { docs: late(-5) }, { level: 'gentle-before-due', kind: 'email', template: 'courtesy-reminder' }],
    ['b2b-gentle', '10 days late', { docs: late(10) }, { level: 'gentle-early', kind: 'email', template: 'past-due-notice' }],
    ['b2b-gentle', '45 days late', { docs: late(45) }, { level: 'gentle-follow-up', kind: 'call' }],
    ['b2b-gentle', '100 days late', { docs: late(100) }, { level: 'gentle-manager', kind: 'escalate' }],
    ['consumer-field', 'current', { docs: late(-10) }, { level: null, kind: null }],
    ['consumer-field', '10 days late', { docs: late(10) }, { level: 'consumer-early', kind: 'sms', template: 'missed-payment' }],
    ['consumer-field', '45 days late', { docs: late(45) }, { level: 'consumer-field', kind: 'call' }],
    ['consumer-field', '45 days late, called', { docs: late(45), state: contacts([at('2025-06-20'), 'call']) }, { level: 'consumer-field', kind: 'visit', manual: true, template: 'visit-report' }],
    ['consumer-field', '100 days late', { docs: late(100) }, { level: 'consumer-letters', kind: 'letter', template: 'formal-demand' }],
    ['consumer-field', '130 days late, 1,000.00', { docs: late(130) }, { level: 'consumer-legal', kind: 'place', manual: true }],
    ['consumer-field', '130 days late, 80.00', { docs: late(130, 8_000) }, { level: 'consumer-small-balance', kind: 'place', manual: true }],
    ['consumer-field', 'bankruptcy watch', { docs: late(20), account: { tags: ['bankruptcy-watch'] } }, { level: 'consumer-bankruptcy-watch', kind: 'escalate' }],
  ])('%s, %s', (id, _name, o, expected) => {
    const r = run(get(id), o);
    expect(r.level?.id ?? null).toBe(expected.level);
    expect(r.next?.kind ?? null).toBe(expected.kind);
    if (expected.manual !== undefined) expect(r.next?.manual).toBe(expected.manual);
    if (expected.template !== undefined) expect(r.next?.template).toBe(expected.template);
    if (r.next !== null) expect(r.next.reason.length).toBeGreaterThan(20);
  });

  it.each(['b2b-standard', 'b2b-gentle', 'consumer-field'])('%s: disputed and promised accounts', (id) => {
    const s = get(id);
    const disp = dispute(['I1'], at('2025-06-01'));
    const disputed = run(s, { docs: late(40), state: { disputes: [disp], disputedDocuments: new Set(['I1']) } });
    expect(disputed.next?.kind).toBe('review-dispute');
    expect(disputed.escalations.map((e) => e.id)).toContain(`derived:dispute:${disp.id}`);
    const p = promise('open', [{ due: '2025-07-10' }, { due: '2025-08-10' }]);
    const promised = run(s, { docs: late(40), state: { currentPromise: p, promises: [p] } });
    expect(promised.next).toMatchObject({ kind: 'promise-follow-up', dueAt: '2025-07-10T00:00:00.000Z' });
    expect(promised.waiting?.reason).toBe('promise-open');
  });
});

describe('invariants (property)', () => {
  it('instants parse and print like Date, milliseconds included', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('1970-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') }), fc.constantFrom(0, 1, 2, 3), (ms, digits) => {
        const iso = new Date(ms).toISOString();
        const text = digits === 3 ? iso : digits === 0 ? `${iso.slice(0, 19)}Z` : `${iso.slice(0, 20 + digits)}Z`;
        expect(instantMs(text)).toBe(Date.parse(text));
        expect(instantOfMs(Date.parse(text))).toBe(new Date(Date.parse(text)).toISOString());
      }),
    );
  });

  const dateArb = fc.integer({ min: -200, max: 60 }).map((n) => new Date(Date.parse('2025-06-30T00:00:00Z') + n * 86_400_000).toISOString().slice(0, 10));
  const docArb = fc.record({ due: dateArb, open: fc.integer({ min: -50_000, max: 500_000 }), cur: fc.constantFrom('USD', 'EUR'), disputed: fc.boolean(), held: fc.boolean() });
  const instantArb = fc.integer({ min: -100 * 24, max: 10 * 24 }).map((h) => new Date(Date.parse(ASOF) + h * 3_600_000).toISOString());

  it('waiting is set exactly when nothing is actionable now; amounts partition the open total', () => {
    fc.assert(
      fc.property(
        fc.array(docArb, { maxLength: 8 }),
        fc.constantFrom(...STRATEGY_PRESETS.keys()),
        fc.option(instantArb, { nil: undefined }),
        fc.option(instantArb, { nil: undefined }),
        fc.subarray(['std-reminder-email', 'std-call-7', 'consumer-sms-reminder', 'consumer-call-31', 'gentle-escalate']),
        (docs, id, lastContact, callback, done) => {
          const documents = docs.map((x, i) =>
            inv(`D${i}`, x.due, x.open, { currency: x.cur as CurrencyCode, kind: x.open < 0 ? 'credit_note' : 'invoice', original: mn(x.open) }),
          );
          const st: Partial<AccountState> = {
            disputedDocuments: new Set(docs.flatMap((x, i) => (x.disputed ? [`D${i}`] : []))),
            heldDocuments: new Set(docs.flatMap((x, i) => (x.held ? [`D${i}`] : []))),
            stepsDone: done.map((s) => ({ stepId: s, at: at('2025-06-01') })),
            ...(lastContact === undefined ? {} : contacts([lastContact, 'call'])),
            ...(callback === undefined ? {} : { callbackAt: callback }),
          };
          const r = run(STRATEGY_PRESETS.get(id) as Strategy, { docs: documents, state: st });
          const actionable = r.next !== null && Date.parse(r.next.dueAt) <= Date.parse(ASOF) + (r.next.kind === 'callback' ? 4 * 3_600_000 : 0);
          expect(r.waiting === undefined).toBe(actionable);
          const m = r.metrics;
          const total = documents.filter((x) => x.currency === m.currency && x.issueDate <= '2025-06-30' && x.open !== 0).reduce((s, x) => s + x.open, 0);
          expect(m.balance + m.disputedAmount + m.heldAmount).toBe(total);
          if (r.next !== null) expect(new Date(r.next.dueAt).toISOString()).toBe(r.next.dueAt);
        },
      ),
      { numRuns: 300 },
    );
  });
});
