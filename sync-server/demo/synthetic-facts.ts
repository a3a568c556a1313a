/**
 * Seeded synthetic team facts for a synthetic ledger (synthetic.ts): what a team of collectors did on
 * the portfolio over the ~90 days before asOf, for the demo, the worklist benchmarks and the fold tests.
 *
 * How it works. Each account draws from its own PRNG stream, so its facts do not depend on the accounts
 * before it. Two passes:
 *  1. Per account, the days of the window on which it had an overdue invoice (due before that day, not
 *     yet paid in full by it, per the ledger's `paidDate`), and how far past due it is at asOf. Its weight
 *     grows with both; accounts never overdue in the window weigh little. The fact budget
 *     (`perAccount` × accounts) is shared out by weight, so collectors work where the money is late.
 *  2. Per account: most overdue accounts are assigned to a collector by the team lead; then a Poisson
 *     number of events on business days the account was overdue, in time order. An event is mostly a
 *     contact attempt (calls: mostly no answer or a message; some conversations; promises, disputes,
 *     callbacks), and now and then a task, a claim, a hold, an escalation, an override. Outcomes bring
 *     their follow-up facts: a promise after `promise-taken`, a dispute after `dispute-raised`; later
 *     facts (a resolution, a closure, a release, a cancellation) are written only if they fall by asOf.
 * Promises are drawn against the ledger, so folding them gives a realistic mix: most are made to match a
 * payment the ledger shows coming (kept, or broken when it came after the grace days), the rest hope for
 * money that may never come (broken, or open when due after asOf). A promise never exceeds the invoices'
 * balance on the day it is taken; a dispute names invoices still open at asOf and issued by then.
 *
 * Ids are ULIDs made from the fact's time and the account's stream, so the same seed gives the same ids.
 * No zod in here: facts are built typed and the tests parse every one with `factSchema`.
 */
import { type CalendarDate, dateOfDay, dayOf } from '../../src/domain/calendar';
import { FACT_VERSION, type Fact, type FactOf, type FactType, type Instant, compareFacts } from '../../src/domain/facts';
import type { CollectionsContact, Ledger, LedgerDocument, Payment } from '../../src/domain/ledger';
import { type CurrencyCode, type Minor, splitProportionally } from '../../src/domain/money';
import { Prng, weightedTable } from './prng';

export interface GenerateFactsOptions {
  readonly seed: number;
  /** Nothing happens after it: every fact's `at` is at or before asOf. */
  readonly asOf: Instant;
  /** Average facts per account over the portfolio; 10 by default. */
  readonly perAccount?: number;
  /** The team's collector user ids; DEFAULT_COLLECTORS by default. */
  readonly collectors?: readonly string[];
}

export const DEFAULT_COLLECTORS: readonly string[] = ['ana', 'ben', 'cai', 'dee', 'eli', 'fay', 'gus', 'hal'];
/** The team lead: assigns accounts, places holds, resolves escalations and disputes. */
export const TEAM_LEAD = 'maria';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const WINDOW_DAYS = 90;
/** Offsets the stream index so a portfolio and its facts made with the same seed draw unrelated numbers. */
const FACTS_STREAM = 2 ** 40;
/**
 * Facts per event, on average (follow-ups and the assignment included), measured on the benchmark
 * portfolio: it turns the fact budget into a number of events.
 */
const FACTS_PER_EVENT = 1.26;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID for `ms` (48-bit time, 10 Crockford characters) with its 80 random bits from `rng` (16
 * characters, five bits each from three 32-bit draws): time-ordered and reproducible from the seed.
 */
export function ulidAt(ms: number, rng: Prng): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= 2 ** 48) throw new RangeError(`time out of the ULID range: ${ms}`);
  let time = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD.charAt(t % 32) + time;
    t = Math.floor(t / 32);
  }
  let rest = '';
  for (let w = 0; w < 3; w++) {
    let x = rng.nextUint32();
    for (let c = w < 2 ? 6 : 4; c > 0; c--) {
      rest += CROCKFORD.charAt(x & 31);
      x >>>= 5;
    }
  }
  return time + rest;
}

// ---------------------------------------------------------------------------------------------------
// What collectors do, as weights

type EventKind = 'contact' | 'note' | 'task' | 'claim' | 'hold' | 'escalation' | 'override' | 'derived-resolved';
const EVENTS = weightedTable<EventKind>([
  ['contact', 80],
  ['note', 6],
  ['task', 5],
  ['claim', 4],
  ['hold', 1.4],
  ['escalation', 1.4],
  ['override', 0.5],
  ['derived-resolved', 0.6],
]);

type Channel = 'call' | 'email' | 'sms' | 'visit' | 'letter';
const CHANNELS = weightedTable<Channel>([
  ['call', 62],
  ['email', 21],
  ['sms', 5],
  ['visit', 5],
  ['letter', 7],
]);

const CALL_OUTCOMES = weightedTable<string>([
  ['no-answer', 36],
  ['left-message', 27],
  ['wrong-number', 2],
  ['right-party-contact', 9],
  ['promise-taken', 12],
  ['dispute-raised', 2.5],
  ['refused', 3],
  ['says-paid', 3],
  ['callback-requested', 5],
  ['third-party-contact', 2.5],
]);
const VISIT_OUTCOMES = weightedTable<string>([
  ['no-answer', 30],
  ['right-party-contact', 20],
  ['promise-taken', 25],
  ['refused', 8],
  ['says-paid', 7],
  ['callback-requested', 5],
  ['dispute-raised', 5],
]);
/** Written channels: mostly just sent; a reply now and then brings a promise or a dispute. */
const WRITTEN_OUTCOMES = weightedTable<string>([
  ['sent', 92],
  ['promise-taken', 5],
  ['dispute-raised', 3],
]);
const NOTE_OUTCOMES = weightedTable<string>([
  ['says-paid', 40],
  ['right-party-contact', 35],
  ['third-party-contact', 25],
]);

const STEP_OF_CHANNEL: Record<Channel, string> = {
  call: 'reminder-call',
  email: 'reminder-email',
  sms: 'reminder-sms',
  visit: 'field-visit',
  letter: 'demand-letter',
};

const GRACE = weightedTable<number>([
  [3, 70],
  [0, 10],
  [5, 12],
  [7, 8],
]);
const DISPUTE_REASONS = weightedTable<string>([
  ['pricing', 25],
  ['quantity', 12],
  ['quality', 15],
  ['not-received', 12],
  ['duplicate-billing', 8],
  ['already-paid', 14],
  ['terms', 6],
  ['other', 8],
]);
const DISPUTE_OUTCOMES = weightedTable<'upheld' | 'rejected' | 'withdrawn'>([
  ['upheld', 35],
  ['rejected', 45],
  ['withdrawn', 20],
]);

const CONVERSATION_NOTES = [
  'Cheque in the post, per AP clerk.',
  'Waiting on approval from the owner.',
  'Cash flow tight until month end.',
  'Asked for a copy of the invoice.',
  'Will pay after their customer pays them.',
  'Confirmed the amount; payment run is Thursday.',
] as const;
const TASK_NOTES = ['Send statement copy', 'Check remittance advice', 'Call back about the credit note', 'Confirm plan with the owner', 'Chase proof of delivery'] as const;
const HOLD_REASONS = ['Owner in hospital', 'Payment plan being drawn up', 'Credit note pending', 'Proof of delivery requested', 'Insolvency adviser appointed'] as const;
const ESCALATION_REASONS = ['Refuses to pay', 'Large balance past 90 days', 'Asks for a manager', 'Possible fraud', 'Bankruptcy rumour', 'Repeated broken promises'] as const;
const CANCEL_REASONS = ['Entered in error', 'Debtor withdrew the promise', 'Replaced by a plan agreed with the lead'] as const;
const OVERRIDE_STRATEGIES = ['gentle', 'legal-track', 'field-first'] as const;
const DERIVED_REASONS = ['broken-promise', 'large-balance', 'open-dispute'] as const;

// ---------------------------------------------------------------------------------------------------

interface AccountLedger {
  readonly number: string;
  readonly documents: LedgerDocument[];
  readonly payments: Payment[];
  readonly contacts: CollectionsContact[];
  /** Epoch days of each document's issue, due and paid dates (paid: +∞ while unpaid), parsed once. */
  readonly issueDay: number[];
  readonly dueDay: number[];
  readonly paidDay: number[];
  readonly receivedDay: number[];
}

interface Profile {
  /** Window day indices (0 = asOf − 90 days) on which an invoice was overdue. */
  readonly overdueDays: number[];
  readonly weight: number;
}

interface Team {
  readonly portfolioId: string;
  readonly collectors: readonly string[];
  readonly asOfMs: number;
  readonly asOfDay: number;
  readonly windowStart: number;
}

export function generateFacts(ledger: Ledger, options: GenerateFactsOptions): Fact[] {
  const { seed } = options;
  const perAccount = options.perAccount ?? 10;
  const collectors = options.collectors ?? DEFAULT_COLLECTORS;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer: ${seed}`);
  if (!(perAccount >= 0) || !Number.isFinite(perAccount)) throw new RangeError(`perAccount must be a non-negative number: ${perAccount}`);
  if (collectors.length === 0 || collectors.some((c) => c.length === 0 || c.length > 120)) throw new RangeError('collectors must be non-empty user ids');
  const asOfMs = Date.parse(options.asOf);
  if (Number.isNaN(asOfMs)) throw new RangeError(`asOf must be an instant: ${options.asOf}`);
  const asOfDay = Math.floor(asOfMs / DAY_MS);
  const team: Team = { portfolioId: ledger.portfolio.id, collectors, asOfMs, asOfDay, windowStart: asOfDay - WINDOW_DAYS };

  const byNumber = new Map<string, AccountLedger>();
  const accounts: AccountLedger[] = [];
  for (const a of ledger.accounts) {
    const entry: AccountLedger = { number: a.number, documents: [], payments: [], contacts: [], issueDay: [], dueDay: [], paidDay: [], receivedDay: [] };
    byNumber.set(a.number, entry);
    accounts.push(entry);
  }
  for (const d of ledger.documents) {
    const a = byNumber.get(d.accountNumber);
    if (a === undefined) continue;
    a.documents.push(d);
    a.issueDay.push(dayOf(d.issueDate));
    a.dueDay.push(dayOf(d.dueDate));
    a.paidDay.push(d.paidDate === undefined ? Number.POSITIVE_INFINITY : dayOf(d.paidDate));
  }
  for (const p of ledger.payments) {
    const a = byNumber.get(p.accountNumber);
    if (a === undefined) continue;
    a.payments.push(p);
    a.receivedDay.push(dayOf(p.receivedDate));
  }
  for (const c of ledger.contacts) byNumber.get(c.accountNumber)?.contacts.push(c);

  const marks = new Uint8Array(WINDOW_DAYS + 1);
  const profiles = accounts.map((a) => profile(team, a, marks));
  let totalWeight = 0;
  for (const p of profiles) totalWeight += p.weight;
  const budget = totalWeight > 0 ? (perAccount * accounts.length) / totalWeight : 0;

  const out: Fact[] = [];
  for (let i = 0; i < accounts.length; i++) {
    const a = accounts[i] as AccountLedger;
    const p = profiles[i] as Profile;
    if (a.documents.length === 0) continue;
    const rng = Prng.stream(seed, FACTS_STREAM + i);
    const facts = accountFacts(team, a, p, rng, rng.poisson((budget * p.weight) / FACTS_PER_EVENT));
    facts.sort(compareFacts);
    for (const f of facts) out.push(f);
  }
  return out;
}

/** Fact counts by type, for reports and benchmarks. */
export function countFactsByType(facts: readonly Fact[]): Record<FactType, number> {
  const counts: Record<FactType, number> = {
    activity: 0,
    promise: 0,
    'promise-cancelled': 0,
    dispute: 0,
    'dispute-resolved': 0,
    escalation: 0,
    'escalation-resolved': 0,
    task: 0,
    'task-closed': 0,
    hold: 0,
    'hold-released': 0,
    assignment: 0,
    claim: 0,
    'claim-released': 0,
    'strategy-override': 0,
    'field-receipt': 0,
  };
  for (const f of facts) counts[f.type]++;
  return counts;
}

function profile(team: Team, a: AccountLedger, marks: Uint8Array): Profile {
  marks.fill(0);
  let maxDpd = 0;
  for (let i = 0; i < a.documents.length; i++) {
    const d = a.documents[i] as LedgerDocument;
    if (d.kind !== 'invoice') continue;
    const due = a.dueDay[i] as number;
    // Overdue from the day after the due date until the day before it was paid in full (or asOf).
    const last = Math.min(team.asOfDay, (a.paidDay[i] as number) - 1);
    const from = Math.max(due + 1, team.windowStart) - team.windowStart;
    const to = last - team.windowStart;
    for (let k = from; k <= to; k++) marks[k] = 1;
    if (d.status === 'open' && d.open > 0 && due < team.asOfDay) maxDpd = Math.max(maxDpd, team.asOfDay - due);
  }
  const overdueDays: number[] = [];
  for (let k = 0; k <= WINDOW_DAYS; k++) if (marks[k] === 1) overdueDays.push(k);
  // Collectors work late money; the longer and the later, the more.
  const weight = a.documents.length === 0 ? 0 : (overdueDays.length / WINDOW_DAYS) * (1 + Math.min(2, maxDpd / 90)) + 0.03;
  return { overdueDays, weight };
}

/** Saturday and Sunday move to the Friday before (or the Monday after, at the window's start). */
function businessDay(day: number, windowStart: number): number {
  const wd = (((day + 4) % 7) + 7) % 7;
  if (wd === 6) return day - 1 >= windowStart ? day - 1 : day + 2;
  if (wd === 0) return day - 2 >= windowStart ? day - 2 : day + 1;
  return day;
}

const deviceOf = (user: string, channel?: Channel) =>
  user === TEAM_LEAD ? 'dev-lead-laptop' : `dev-${user.startsWith('u-') ? user.slice(2) : user}-${channel === 'visit' ? 'phone' : 'tablet'}`;

/** One account's facts: a small writer object instead of closures (tsx names every inner function). */
class AccountWriter {
  readonly facts: Fact[] = [];
  readonly currency: CurrencyCode;
  /** Invoices under a generated dispute still open, so a second dispute picks others. */
  readonly disputed = new Set<string>();
  private readonly dates = new Map<number, CalendarDate>();
  readonly team: Team;
  readonly account: AccountLedger;
  readonly rng: Prng;

  constructor(team: Team, account: AccountLedger, rng: Prng) {
    this.team = team;
    this.account = account;
    this.rng = rng;
    this.currency = (account.documents[0] as LedgerDocument).currency;
  }

  date(day: number): CalendarDate {
    let s = this.dates.get(day);
    if (s === undefined) {
      s = dateOfDay(day);
      this.dates.set(day, s);
    }
    return s;
  }

  /**
   * A fact of `type` at `ms` (at or before asOf: callers check) by `by`. The common fields are written
   * first and the rest assigned after, in a fixed order per type, so facts of a type share V8 hidden
   * classes; spreading a shared base into each literal gave nearly every fact a map of its own, and
   * reading them in the fold was then four times slower than reading decoded facts.
   */
  make<T extends FactType>(type: T, ms: number, by: string, rest: Omit<FactOf<T>, BaseKey>, channel?: Channel): FactOf<T> {
    const common = {
      v: FACT_VERSION,
      id: ulidAt(ms, this.rng),
      by,
      at: new Date(ms).toISOString(),
      deviceId: deviceOf(by, channel),
      portfolioId: this.team.portfolioId,
      accountNumber: this.account.number,
      type,
    };
    // The cast joins what TypeScript cannot for a generic T: common fields + the type's own = FactOf<T>.
    return Object.assign(common, rest) as unknown as FactOf<T>;
  }

  push(f: Fact): void {
    this.facts.push(f);
  }

  /** A time `minutes` after `ms` if it falls by asOf. */
  later(ms: number, minMinutes: number, maxMinutes: number): number | undefined {
    const t = ms + this.rng.between(minMinutes, maxMinutes) * MINUTE_MS + this.rng.int(MINUTE_MS);
    return t <= this.team.asOfMs ? t : undefined;
  }

  /** Σ invoices issued by `day` − Σ allocations of payments received before it: what was owed that morning. */
  balanceOn(day: number): number {
    const a = this.account;
    let owed = 0;
    for (let i = 0; i < a.documents.length; i++) {
      const d = a.documents[i] as LedgerDocument;
      if (d.kind === 'invoice' && (a.issueDay[i] as number) <= day) owed += d.original;
    }
    for (let i = 0; i < a.payments.length; i++) {
      if ((a.receivedDay[i] as number) >= day) continue;
      for (const x of (a.payments[i] as Payment).allocations) owed -= x.amount;
    }
    return owed;
  }

  /** Invoices overdue on `day` (due before it, not paid in full before it). */
  overdueOn(day: number): LedgerDocument[] {
    const a = this.account;
    const out: LedgerDocument[] = [];
    for (let i = 0; i < a.documents.length; i++) {
      const d = a.documents[i] as LedgerDocument;
      if (d.kind === 'invoice' && (a.dueDay[i] as number) < day && (a.paidDay[i] as number) >= day) out.push(d);
    }
    return out;
  }
}

function accountFacts(team: Team, account: AccountLedger, prof: Profile, rng: Prng, events: number): Fact[] {
  const w = new AccountWriter(team, account, rng);
  const worked = prof.overdueDays.length > 0;

  // Event times: business days the account was overdue (any day of the window if it never was).
  const times: number[] = [];
  for (let k = 0; k < events; k++) {
    const offset = worked ? (prof.overdueDays[rng.int(prof.overdueDays.length)] as number) : rng.int(WINDOW_DAYS + 1);
    const day = businessDay(team.windowStart + offset, team.windowStart);
    const ms = day * DAY_MS + 8 * HOUR_MS + rng.int(11 * HOUR_MS);
    if (ms <= team.asOfMs) times.push(ms);
  }
  times.sort((x, y) => x - y);

  // Assignment by the lead, a few days before the work starts; a few accounts change hands later.
  let owner: string | null = null;
  let handover: { ms: number; to: string | null } | undefined;
  if (rng.chance(worked ? 0.92 : 0.25)) {
    owner = rng.pick(team.collectors);
    const first = times[0] ?? team.asOfMs;
    const day = Math.max(team.windowStart, Math.floor(first / DAY_MS) - rng.between(0, 7));
    const ms = Math.min(first - MINUTE_MS, day * DAY_MS + 7 * HOUR_MS + rng.int(HOUR_MS));
    if (ms >= 0 && ms <= team.asOfMs) w.push(w.make('assignment', ms, TEAM_LEAD, { collector: owner }));
    else owner = null;
    if (owner !== null && times.length > 3 && rng.chance(0.08)) {
      const mid = times[rng.between(1, times.length - 2)] as number;
      const others = team.collectors.filter((c) => c !== owner);
      // After the first assignment, or the last assignment by `at` would not be the handover.
      handover = { ms: Math.max(ms + MINUTE_MS, mid - HOUR_MS), to: others.length > 0 && rng.chance(0.8) ? rng.pick(others) : null };
      w.push(w.make('assignment', handover.ms, TEAM_LEAD, { collector: handover.to }));
    }
  }

  for (const ms of times) {
    const current = handover !== undefined && ms > handover.ms ? handover.to : owner;
    // Mostly the account's collector; a teammate covers now and then.
    const by = current !== null && rng.chance(0.85) ? current : rng.pick(team.collectors);
    switch (rng.weighted(EVENTS)) {
      case 'contact':
        contact(w, ms, by);
        break;
      case 'note':
        note(w, ms, by);
        break;
      case 'task':
        task(w, ms, by, current);
        break;
      case 'claim':
        claim(w, ms, by);
        break;
      case 'hold':
        hold(w, ms);
        break;
      case 'escalation':
        escalation(w, ms, by);
        break;
      case 'override':
        w.push(w.make('strategy-override', ms, TEAM_LEAD, { strategyId: rng.chance(0.2) ? null : rng.pick(OVERRIDE_STRATEGIES), reason: 'Reviewed with the credit manager' }));
        break;
      case 'derived-resolved':
        w.push(w.make('escalation-resolved', ms, TEAM_LEAD, { escalationId: `derived:${rng.pick(DERIVED_REASONS)}:${account.number}`, note: 'Reviewed' }));
        break;
    }
  }
  return w.facts;
}

function pickOutcome(rng: Prng, channel: Channel): string {
  return rng.weighted(channel === 'call' ? CALL_OUTCOMES : channel === 'visit' ? VISIT_OUTCOMES : WRITTEN_OUTCOMES);
}

function contact(w: AccountWriter, ms: number, by: string): void {
  const { rng, account } = w;
  const channel = rng.weighted(CHANNELS);
  const day = Math.floor(ms / DAY_MS);
  let outcome = pickOutcome(rng, channel);
  const overdue = w.overdueOn(day);

  // Follow-ups decide first whether the outcome can stand: no promise without a balance, no dispute
  // without an open invoice to dispute.
  let promiseDraft: PromiseDraft | undefined;
  let disputeDocs: LedgerDocument[] | undefined;
  if (outcome === 'promise-taken') {
    promiseDraft = draftPromise(w, day);
    if (promiseDraft === undefined) outcome = 'right-party-contact';
  } else if (outcome === 'dispute-raised') {
    disputeDocs = disputable(w, day);
    if (disputeDocs === undefined) outcome = 'refused';
  }

  const documentNumbers = overdue.length > 0 && rng.chance(0.4) ? overdue.slice(0, 3).map((d) => d.number) : [];
  const activity = w.make('activity', ms, by, { channel, outcome, documentNumbers }, channel);
  const contactPerson = account.contacts.length === 0 ? undefined : rng.chance(0.7) ? account.contacts[0] : rng.pick(account.contacts);
  if (contactPerson !== undefined) activity.contactId = contactPerson.id;
  if (outcome === 'callback-requested') {
    const callDay = businessDay(day + rng.between(1, 5), day);
    activity.callbackAt = new Date(callDay * DAY_MS + 9 * HOUR_MS + rng.between(0, 16) * 30 * MINUTE_MS).toISOString();
  }
  if (rng.chance(0.25)) activity.stepId = STEP_OF_CHANNEL[channel];
  if ((outcome === 'right-party-contact' || outcome === 'promise-taken' || outcome === 'refused') && rng.chance(0.35)) activity.note = rng.pick(CONVERSATION_NOTES);
  w.push(activity);

  if (promiseDraft !== undefined) writePromise(w, ms, by, promiseDraft);
  if (disputeDocs !== undefined) writeDispute(w, ms, by, disputeDocs);
  if (channel === 'visit' && outcome !== 'no-answer') fieldReceipt(w, ms, by, day);
}

/**
 * A visit on a day the ledger shows a cash or cheque payment received: the collector took it and wrote
 * a receipt, whose number the ERP later posted as the payment's reference (so the receipt is posted).
 * A visit in the last days before asOf with money owed sometimes takes a payment the ERP has not
 * posted yet: an unposted receipt.
 */
function fieldReceipt(w: AccountWriter, ms: number, by: string, day: number): void {
  const { rng, account } = w;
  for (let i = 0; i < account.payments.length; i++) {
    const p = account.payments[i] as Payment;
    if (account.receivedDay[i] !== day || (p.method !== 'cash' && p.method !== 'cheque') || p.reference === '') continue;
    const at = Math.min(w.team.asOfMs, ms + rng.between(1, 10) * MINUTE_MS);
    w.push(w.make('field-receipt', at, by, { receiptNumber: p.reference, receivedDate: p.receivedDate, currency: p.currency, amount: p.amount, method: p.method, reference: '', allocations: [] }));
    return;
  }
  const balance = w.balanceOn(day);
  if (balance <= 0 || w.team.asOfMs - ms > 3 * DAY_MS || !rng.chance(0.5)) return;
  const amount = Math.max(1, Math.round(balance * (0.2 + 0.5 * rng.float())));
  const receiptNumber = `FR-${by.toUpperCase()}-${String(Math.floor(ms / 1000) % 1_000_000).padStart(6, '0')}`;
  w.push(w.make('field-receipt', ms + MINUTE_MS, by, { receiptNumber, receivedDate: w.date(day), currency: w.currency, amount: amount as Minor, method: 'cash', reference: '', allocations: [] }));
}

type BaseKey = 'v' | 'id' | 'by' | 'at' | 'deviceId' | 'portfolioId' | 'accountNumber' | 'type';

interface PromiseDraft {
  readonly instalments: { dueDate: CalendarDate; amount: Minor }[];
  readonly graceDays: number;
  readonly documentNumbers: string[];
}

/**
 * A promise taken on `day`, within what was owed that day. Mostly shaped on payments the ledger shows
 * coming in the next weeks (the debtor knew their payment run), otherwise a hope for part of the balance.
 */
function draftPromise(w: AccountWriter, day: number): PromiseDraft | undefined {
  const { rng } = w;
  const balance = w.balanceOn(day);
  if (balance <= 0) return undefined;
  const graceDays = rng.weighted(GRACE);
  const overdue = w.overdueOn(day);
  const documentNumbers = overdue.length > 0 && rng.chance(0.5) ? overdue.slice(0, 2).map((d) => d.number) : [];

  const coming: { payment: Payment; day: number }[] = [];
  const { payments, receivedDay } = w.account;
  for (let i = 0; i < payments.length; i++) {
    const p = payments[i] as Payment;
    const d = receivedDay[i] as number;
    if (d >= day && d <= day + 45 && p.currency === w.currency) coming.push({ payment: p, day: d });
  }
  // The ledger lists an account's payments by date; sorting keeps this true for any ledger.
  coming.sort((x, y) => x.day - y.day);
  if (coming.length > 0 && rng.chance(0.7)) {
    const plan = coming.length > 1 && rng.chance(0.2) ? coming.slice(0, rng.between(2, Math.min(4, coming.length))) : coming.slice(0, 1);
    const instalments: { dueDate: CalendarDate; amount: Minor }[] = [];
    let left = balance;
    let lastDue = day - 1;
    for (const { payment, day: received } of plan) {
      if (left <= 0) break;
      const amount = Math.min(left, payment.amount);
      // Due about when the money came: some of it a few days late, past the grace, and so broken.
      const due = Math.max(lastDue + 1, day, received + rng.between(-6, 2));
      instalments.push({ dueDate: w.date(due), amount: amount as Minor });
      left -= amount;
      lastDue = due;
    }
    return { instalments, graceDays, documentNumbers };
  }

  const total = Math.max(1, Math.round(balance * (0.25 + 0.75 * rng.float())));
  // Equal parts of at least one minor unit each.
  const parts = rng.chance(0.25) ? Math.min(rng.between(2, 4), total) : 1;
  const first = day + rng.between(2, 21);
  const gap = rng.chance(0.5) ? 14 : 30;
  const amounts = splitProportionally(total as Minor, new Array<number>(parts).fill(1));
  return { instalments: amounts.map((amount, k) => ({ dueDate: w.date(first + k * gap), amount })), graceDays, documentNumbers };
}

function writePromise(w: AccountWriter, activityMs: number, by: string, draft: PromiseDraft): void {
  const { rng } = w;
  const ms = Math.min(w.team.asOfMs, activityMs + rng.between(2, 8) * MINUTE_MS);
  const promise = w.make('promise', ms, by, { currency: w.currency, instalments: draft.instalments, graceDays: draft.graceDays, documentNumbers: draft.documentNumbers });
  w.push(promise);
  if (rng.chance(0.04)) {
    const at = w.later(ms, 60, 5 * 24 * 60);
    if (at !== undefined) w.push(w.make('promise-cancelled', at, by, { promiseId: promise.id, reason: rng.pick(CANCEL_REASONS) }));
  }
}

/** One to three invoices still open at asOf, issued by `day`, not already under a generated dispute. */
function disputable(w: AccountWriter, day: number): LedgerDocument[] | undefined {
  const a = w.account;
  const open = a.documents.filter((d, i) => d.kind === 'invoice' && d.status === 'open' && d.open > 0 && (a.issueDay[i] as number) <= day && !w.disputed.has(d.number));
  if (open.length === 0) return undefined;
  const n = Math.min(open.length, w.rng.chance(0.7) ? 1 : w.rng.between(2, 3));
  const start = w.rng.int(open.length - n + 1);
  return open.slice(start, start + n);
}

function writeDispute(w: AccountWriter, activityMs: number, by: string, docs: readonly LedgerDocument[]): void {
  const { rng } = w;
  const ms = Math.min(w.team.asOfMs, activityMs + rng.between(3, 10) * MINUTE_MS);
  let open = 0;
  for (const d of docs) open += d.open;
  const amount = rng.chance(0.5) ? open : rng.between(1, open);
  const dispute = w.make('dispute', ms, by, { documentNumbers: docs.map((d) => d.number), reasonCode: rng.weighted(DISPUTE_REASONS), currency: w.currency, amount: amount as Minor });
  w.push(dispute);
  const resolvedAt = rng.chance(0.45) ? w.later(ms, 3 * 24 * 60, 40 * 24 * 60) : undefined;
  if (resolvedAt !== undefined) w.push(w.make('dispute-resolved', resolvedAt, rng.chance(0.6) ? TEAM_LEAD : by, { disputeId: dispute.id, outcome: rng.weighted(DISPUTE_OUTCOMES) }));
  else for (const d of docs) w.disputed.add(d.number);
}

function note(w: AccountWriter, ms: number, by: string): void {
  w.push(w.make('activity', ms, by, { channel: 'note', outcome: w.rng.weighted(NOTE_OUTCOMES), documentNumbers: [], note: w.rng.pick(CONVERSATION_NOTES) }));
}

function task(w: AccountWriter, ms: number, by: string, owner: string | null): void {
  const { rng } = w;
  const dueDay = businessDay(Math.floor(ms / DAY_MS) + rng.between(1, 10), 0);
  const dueAt = dueDay * DAY_MS + 9 * HOUR_MS + rng.between(0, 16) * 30 * MINUTE_MS;
  const t = w.make('task', ms, by, { dueAt: new Date(dueAt).toISOString(), assignee: owner ?? by, note: rng.pick(TASK_NOTES) });
  if (rng.chance(0.2)) t.stepId = 'manual-review';
  w.push(t);
  if (rng.chance(0.6)) {
    const span = Math.max(60, Math.round((dueAt - ms) / MINUTE_MS) + 2 * 24 * 60);
    const closedAt = w.later(ms, 60, span);
    if (closedAt !== undefined) w.push(w.make('task-closed', closedAt, t.assignee, { taskId: t.id, outcome: rng.chance(0.8) ? 'done' : 'skipped' }));
  }
}

function claim(w: AccountWriter, ms: number, by: string): void {
  const { rng } = w;
  const minutes = rng.between(30, 240);
  const c = w.make('claim', ms, by, { expiresAt: new Date(ms + minutes * MINUTE_MS).toISOString() });
  w.push(c);
  if (rng.chance(0.35)) {
    const at = w.later(ms, 5, minutes);
    if (at !== undefined) w.push(w.make('claim-released', at, by, { claimId: c.id }));
  }
}

function hold(w: AccountWriter, ms: number): void {
  const { rng } = w;
  const day = Math.floor(ms / DAY_MS);
  const until = day + rng.between(7, 45);
  const overdue = w.overdueOn(day);
  const h = w.make('hold', ms, TEAM_LEAD, { until: w.date(until), reason: rng.pick(HOLD_REASONS) });
  if (overdue.length > 0 && rng.chance(0.45)) h.documentNumbers = overdue.slice(0, rng.between(1, 2)).map((d) => d.number);
  w.push(h);
  if (rng.chance(0.25)) {
    const at = w.later(ms, 2 * 24 * 60, (until - day) * 24 * 60);
    if (at !== undefined) w.push(w.make('hold-released', at, TEAM_LEAD, { holdId: h.id }));
  }
}

function escalation(w: AccountWriter, ms: number, by: string): void {
  const { rng } = w;
  const e = w.make('escalation', ms, by, { reason: rng.pick(ESCALATION_REASONS) });
  if (rng.chance(0.7)) e.toRole = 'manager';
  else e.toUser = TEAM_LEAD;
  w.push(e);
  if (rng.chance(0.4)) {
    const at = w.later(ms, 24 * 60, 15 * 24 * 60);
    if (at !== undefined) w.push(w.make('escalation-resolved', at, TEAM_LEAD, { escalationId: e.id, note: 'Spoke with the debtor' }));
  }
}
