/**
 * A seeded, realistic synthetic receivables ledger: the demo portfolio of `npm start` and the input of
 * every benchmark ("20k accounts / 100k open invoices / 300k historical invoices").
 *
 * How it works. Each account draws from its own PRNG stream (`Prng.stream(seed, i)`), so an account's
 * data does not depend on the draws of the accounts before it. An account gets, in order:
 *  1. a region (currency, city → IANA time zone, language, names, phones), a segment and a payment
 *     profile (early, on-time, late, chronic); the risk grade is drawn from the profile, so grades
 *     predict behaviour the way a real scorecard does, with noise;
 *  2. a size: invoices per month and a typical ticket, both log-normal per segment, so the billed
 *     amount is heavy-tailed (a few enterprise accounts bill most of the money and issue most invoices);
 *  3. a life: active for the whole window or onboarded during it, sometimes gone quiet before asOf;
 *     invoices arrive as a Poisson process over that life whose rate grows with the book (or on a fixed
 *     day of the month for subscriptions);
 *  4. for each invoice a settlement plan: days late = the account's own mean + noise + now and then an
 *     exponential straggle, snapped to the account's weekly AP run or the next business day; never-paid
 *     items; instalments (some short-paid, the rest months later or never); small deductions; ERP
 *     disputes, resolved after an exponential delay or never, the undisputed part often paid meanwhile.
 *     Instalments after asOf have not happened: dropping them decides `open`, `status` and `paidDate`,
 *     so the open items are the recent ones plus the stuck tail, as in a real aging;
 *  5. credit notes (open, or fully applied with open 0), then payments: the instalments grouped by day
 *     into one payment per remittance, each allocation pointing at the document it paid, so
 *     Σ allocations of an invoice = original − open exactly, and a payment is never allocated beyond
 *     its amount (a rare overpayment or unapplied receipt is cash on account).
 * Document and payment numbers are given last, by a counting sort on the day, so INV-/CN-/PAY- numbers
 * rise with their dates across the whole portfolio as an ERP's do.
 *
 * Calibration (RATE_SCALE, GROWTH and the behaviours): 18 months of 20,000 accounts give about 400k
 * documents, 100k of them open (a third current, a fifth over 180 days) and 300k settled, and 270k
 * payments. No zod in here: objects are built typed, and the tests parse every record against the
 * schemas instead.
 */
import { type CalendarDate, type EpochDay, addMonths, civilFromDays, dateOfDay, dayOf, daysFromCivil, isCalendarDate } from '../../src/domain/calendar';
import {
  type Account,
  type CollectionsContact,
  type ContactChannel,
  type Ledger,
  type LedgerDocument,
  type Payment,
  type PaymentMethod,
  type RiskGrade,
  portfolioIdSchema,
} from '../../src/domain/ledger';
import { type CurrencyCode, type Minor, minorDigits } from '../../src/domain/money';
import {
  type City,
  type NameStyle,
  type Region,
  PERSONAL_DOMAINS,
  REGIONS,
  alnum,
  asciiWords,
  businessName,
  companyDomain,
  digits,
  namesFor,
} from './locales';
import { Prng, type WeightedTable, weightedTable } from './prng';

export interface GeneratePortfolioOptions {
  readonly portfolioId: string;
  readonly accounts: number;
  readonly seed: number;
  /** The day the extract is taken: nothing is issued or paid after it. */
  readonly asOf: CalendarDate;
  /** Months of history before asOf; 18 by default. */
  readonly months?: number;
  readonly name?: string;
}

/**
 * The portfolio every benchmark measures against ("20k accounts / 100k open invoices / 300k historical
 * invoices"), fixed here so all figures describe the same data.
 */
export const BENCHMARK_PORTFOLIO: GeneratePortfolioOptions = {
  portfolioId: 'bench',
  accounts: 20_000,
  seed: 20_000,
  asOf: '2025-06-30' as CalendarDate,
};

export const SEGMENTS = ['consumer', 'smb', 'mid-market', 'enterprise'] as const;
export type Segment = (typeof SEGMENTS)[number];
export const PAYMENT_PROFILES = ['early', 'on-time', 'late', 'chronic'] as const;
export type PaymentProfile = (typeof PAYMENT_PROFILES)[number];

// ---------------------------------------------------------------------------------------------------
// The model's parameters. Rates are invoices per month, tickets US dollars (converted per region).

interface Behaviour {
  /** Mean days paid after the due date (negative: early), and its spread between accounts and invoices. */
  readonly delayMean: number;
  readonly accountSd: number;
  readonly invoiceSd: number;
  /** Share of invoices paid much later than the account's habit, and the mean of that extra delay. */
  readonly straggle: number;
  readonly straggleDays: number;
  readonly neverPay: number;
  readonly partial: number;
  readonly dispute: number;
  /** Share of disputes that are ever resolved (and then paid). */
  readonly disputeResolved: number;
  readonly deduction: number;
  readonly cease: number;
  readonly doNotContact: number;
  readonly grades: WeightedTable<RiskGrade>;
}

const grades = (a: number, b: number, c: number, d: number, e: number) =>
  weightedTable<RiskGrade>([
    ['A', a],
    ['B', b],
    ['C', c],
    ['D', d],
    ['E', e],
  ]);

const BEHAVIOURS: Record<PaymentProfile, Behaviour> = {
  early: { delayMean: -9, accountSd: 4, invoiceSd: 4, straggle: 0.005, straggleDays: 20, neverPay: 0.004, partial: 0.02, dispute: 0.01, disputeResolved: 0.9, deduction: 0.01, cease: 0.001, doNotContact: 0.0005, grades: grades(60, 30, 8, 2, 0) },
  'on-time': { delayMean: 1, accountSd: 4, invoiceSd: 5, straggle: 0.02, straggleDays: 30, neverPay: 0.012, partial: 0.04, dispute: 0.02, disputeResolved: 0.85, deduction: 0.025, cease: 0.003, doNotContact: 0.002, grades: grades(28, 42, 22, 6, 2) },
  late: { delayMean: 36, accountSd: 14, invoiceSd: 16, straggle: 0.08, straggleDays: 60, neverPay: 0.05, partial: 0.1, dispute: 0.04, disputeResolved: 0.8, deduction: 0.04, cease: 0.012, doNotContact: 0.008, grades: grades(4, 18, 42, 28, 8) },
  chronic: { delayMean: 75, accountSd: 30, invoiceSd: 35, straggle: 0.3, straggleDays: 150, neverPay: 0.22, partial: 0.2, dispute: 0.09, disputeResolved: 0.6, deduction: 0.03, cease: 0.045, doNotContact: 0.035, grades: grades(0, 3, 15, 40, 42) },
};

interface SegmentModel {
  readonly rateMedian: number;
  readonly rateSigma: number;
  readonly ticketUsd: number;
  readonly ticketSigma: number;
  /** Payment terms in days: net 30 mostly, net 15/45/60 some (due on receipt for some consumers). */
  readonly terms: WeightedTable<number>;
  readonly profiles: WeightedTable<PaymentProfile>;
  /** Share of accounts whose AP pays in a weekly run (one remittance for many invoices). */
  readonly weeklyRun: number;
  /** Share billed by subscription: one invoice on a fixed day each month, same amount. */
  readonly recurring: number;
  readonly methods: readonly (readonly [PaymentMethod, number])[];
  /** Contacts per account: weights of 1, 2 and 3. */
  readonly contacts: readonly [number, number, number];
}

const profiles = (early: number, onTime: number, late: number, chronic: number) =>
  weightedTable<PaymentProfile>([
    ['early', early],
    ['on-time', onTime],
    ['late', late],
    ['chronic', chronic],
  ]);

const terms = (rows: readonly (readonly [number, number])[]) => weightedTable(rows);

const SEGMENT_MODELS: Record<Segment, SegmentModel> = {
  consumer: {
    rateMedian: 0.5,
    rateSigma: 0.45,
    ticketUsd: 110,
    ticketSigma: 0.7,
    terms: terms([[0, 25], [15, 35], [30, 40]]),
    profiles: profiles(10, 38, 28, 24),
    weeklyRun: 0,
    recurring: 0.45,
    methods: [['card', 35], ['portal', 35], ['cheque', 12], ['cash', 6], ['transfer', 12]],
    contacts: [70, 25, 5],
  },
  smb: {
    rateMedian: 0.75,
    rateSigma: 0.85,
    ticketUsd: 650,
    ticketSigma: 0.75,
    terms: terms([[30, 75], [15, 12], [45, 8], [60, 3], [0, 2]]),
    profiles: profiles(13, 40, 29, 18),
    weeklyRun: 0.2,
    recurring: 0.25,
    methods: [['cheque', 34], ['transfer', 32], ['card', 14], ['portal', 18], ['cash', 2]],
    contacts: [35, 45, 20],
  },
  'mid-market': {
    rateMedian: 2,
    rateSigma: 0.75,
    ticketUsd: 2400,
    ticketSigma: 0.7,
    terms: terms([[30, 62], [45, 20], [60, 12], [15, 6]]),
    profiles: profiles(10, 38, 38, 14),
    weeklyRun: 0.6,
    recurring: 0.05,
    methods: [['transfer', 60], ['cheque', 28], ['portal', 10], ['card', 2]],
    contacts: [15, 45, 40],
  },
  enterprise: {
    rateMedian: 5.5,
    rateSigma: 0.85,
    ticketUsd: 8500,
    ticketSigma: 0.75,
    terms: terms([[30, 42], [45, 25], [60, 33]]),
    // Large buyers stretch their payables: mostly late, seldom never.
    profiles: profiles(6, 34, 50, 10),
    weeklyRun: 0.9,
    recurring: 0,
    methods: [['transfer', 75], ['cheque', 18], ['portal', 7]],
    contacts: [5, 35, 60],
  },
};

const SEGMENT_TABLE = weightedTable<Segment>([
  ['consumer', 14],
  ['smb', 58],
  ['mid-market', 22],
  ['enterprise', 6],
]);

/** Invoices per month are capped so one account cannot swallow a small portfolio. */
const MAX_RATE = 80;
/** Share of accounts already customers when the window opens; the others are onboarded during it. */
const EXISTING_SHARE = 0.62;
/** Share of accounts that stop buying before asOf (their old items may still be open). */
const CHURN_SHARE = 0.1;
const CREDIT_NOTE_RATE = 0.03;
/** Scales every segment's invoice rate: the one knob that sets documents per account (≈ 20 at 18 months). */
const RATE_SCALE = 0.58;
/**
 * The book grows: the invoice rate rises linearly to (1 + GROWTH)× its value at the window's start. More
 * recent invoices also means more open ones, as in a growing business.
 */
const GROWTH = 0.6;

const SUNDAY = 0;
const SATURDAY = 6;
/** 1970-01-01 was a Thursday: epoch day 0 has weekday 4 with Sunday = 0. */
function weekday(day: EpochDay): number {
  return (((day + 4) % 7) + 7) % 7;
}

// ---------------------------------------------------------------------------------------------------
// Generation. The ledger's own objects are built once, as each account is drawn; only the portfolio-wide
// numbers (INV-, CN-, PAY-) wait for the end. Half a million short-lived drafts would otherwise double
// the garbage collector's work, which dominates the cost at 20k accounts.

interface DraftAccount {
  readonly account: Account;
  readonly contacts: readonly CollectionsContact[];
  /** In issue-date order; `number` is '' until `numberDocuments`. */
  readonly documents: LedgerDocument[];
  /** In received-date order; `id` is '' until `numberPayments`. */
  readonly payments: Payment[];
  /** The document of each allocation, in payment then allocation order, to write its number in later. */
  readonly allocated: LedgerDocument[];
}

interface Context {
  readonly portfolioId: string;
  readonly asOf: EpochDay;
  readonly windowStart: EpochDay;
  /** Date strings by epoch day, made once each: every document needs two or three. */
  readonly dates: CalendarDate[];
  /** And back, for the numbering passes (a map hit on an interned string beats re-parsing it). */
  readonly days: Map<string, EpochDay>;
}

export function generatePortfolio(options: GeneratePortfolioOptions): Ledger {
  const { accounts: count, seed, asOf } = options;
  const months = options.months ?? 18;
  const portfolioId = portfolioIdSchema.parse(options.portfolioId);
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`accounts must be a natural number: ${count}`);
  if (!Number.isSafeInteger(months) || months < 1) throw new RangeError(`months must be a positive whole number: ${months}`);
  if (!isCalendarDate(asOf)) throw new RangeError(`asOf must be a calendar date YYYY-MM-DD: ${String(asOf)}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer: ${seed}`);

  const ctx: Context = { portfolioId, asOf: dayOf(asOf), windowStart: dayOf(addMonths(asOf, -months)), dates: [], days: new Map() };
  const drafts = new Array<DraftAccount>(count);
  for (let i = 0; i < count; i++) drafts[i] = draftAccount(ctx, Prng.stream(seed, i), i);

  numberDocuments(ctx, drafts);
  numberPayments(ctx, drafts);

  const accounts = new Array<Account>(count);
  const contacts: CollectionsContact[] = [];
  const documents: LedgerDocument[] = [];
  const payments: Payment[] = [];
  let i = 0;
  for (const d of drafts) {
    accounts[i++] = d.account;
    for (const c of d.contacts) contacts.push(c);
    for (const doc of d.documents) documents.push(doc);
    for (const p of d.payments) payments.push(p);
  }
  return { portfolio: { id: portfolioId, name: options.name ?? `Synthetic portfolio ${portfolioId}` }, accounts, contacts, documents, payments };
}

function dateAt(ctx: Context, day: EpochDay): CalendarDate {
  const i = day - ctx.windowStart;
  let s = ctx.dates[i];
  if (s === undefined) {
    s = dateOfDay(day);
    if (i >= 0) {
      ctx.dates[i] = s;
      ctx.days.set(s, day);
    }
  }
  return s;
}

/** The epoch day of a date made by `dateAt` within the window (issue and received dates all are). */
function dayIn(ctx: Context, date: CalendarDate): EpochDay {
  return ctx.days.get(date) ?? dayOf(date);
}

/**
 * Portfolio-wide numbers rising with the issue date, then the account, then the order within the
 * account, as an ERP's do: a counting sort on the day, linear in the number of documents.
 */
function numberDocuments(ctx: Context, drafts: readonly DraftAccount[]): void {
  const span = ctx.asOf - ctx.windowStart + 2;
  const nextInvoice = new Int32Array(span);
  const nextCredit = new Int32Array(span);
  for (const a of drafts)
    for (const d of a.documents) take(d.kind === 'invoice' ? nextInvoice : nextCredit, dayIn(ctx, d.issueDate) - ctx.windowStart + 1);
  runningSum(nextInvoice);
  runningSum(nextCredit);
  for (const a of drafts) {
    for (const d of a.documents) {
      const k = dayIn(ctx, d.issueDate) - ctx.windowStart;
      d.number = d.kind === 'invoice' ? `INV-${100001 + take(nextInvoice, k)}` : `CN-${20001 + take(nextCredit, k)}`;
    }
  }
}

function numberPayments(ctx: Context, drafts: readonly DraftAccount[]): void {
  const span = ctx.asOf - ctx.windowStart + 2;
  const next = new Int32Array(span);
  for (const a of drafts) for (const p of a.payments) take(next, dayIn(ctx, p.receivedDate) - ctx.windowStart + 1);
  runningSum(next);
  for (const a of drafts) {
    let j = 0;
    for (const p of a.payments) {
      p.id = `PAY-${String(1 + take(next, dayIn(ctx, p.receivedDate) - ctx.windowStart)).padStart(7, '0')}`;
      for (const alloc of p.allocations) alloc.documentNumber = at(a.allocated, j++).number;
    }
  }
}

/** Indexing that fails loudly: every index here is in range by construction, and a slip must not pass silently. */
function at<T>(items: ArrayLike<T>, i: number): T {
  const v = items[i];
  if (v === undefined) throw new RangeError(`index ${i} out of range 0..${items.length - 1}`);
  return v;
}

/** Returns counts[i] and increments it: the counting sort's "next free slot". */
function take(counts: Int32Array, i: number): number {
  const v = at(counts, i);
  counts[i] = v + 1;
  return v;
}

/** counts[k] becomes the sum of counts[0..k]. */
function runningSum(counts: Int32Array): void {
  for (let k = 1; k < counts.length; k++) counts[k] = at(counts, k) + at(counts, k - 1);
}

// Scratch buffers for one account's instalments (day, document, amount), reused across accounts so the
// hot loop allocates nothing but the ledger's own objects.
const instDay: number[] = [];
const instDoc: LedgerDocument[] = [];
const instAmount: number[] = [];
// One invoice's settlement plan before asOf filters it.
const planDay: number[] = [];
const planAmount: number[] = [];

// ---------------------------------------------------------------------------------------------------
// One account

function draftAccount(ctx: Context, rng: Prng, index: number): DraftAccount {
  const region = rng.weighted(REGIONS);
  const city = rng.weighted(region.cities);
  const language = rng.weighted(city.languages ?? region.languages);
  const names = namesFor(region, language);
  const segment = rng.weighted(SEGMENT_TABLE);
  const model = SEGMENT_MODELS[segment];
  const profile = rng.weighted(model.profiles);
  const behaviour = BEHAVIOURS[profile];
  const riskGrade = rng.weighted(behaviour.grades);
  const currency = region.currency;
  const unit = 10 ** minorDigits(currency);
  const portfolioId = ctx.portfolioId;
  const accountNumber = `C${String(index + 1).padStart(6, '0')}`;

  const consumer = segment === 'consumer';
  const person = personName(rng, names);
  const name = consumer ? `${person.first} ${person.last}` : businessName(rng, names);

  // Size: invoices per month and ticket, both log-normal, so billing (their product) is heavy-tailed.
  const rate = Math.min(MAX_RATE, rng.logNormal(model.rateMedian, model.rateSigma));
  const ticket = rng.logNormal(model.ticketUsd, model.ticketSigma) * region.perUsd;

  // Life within the window.
  const windowDays = ctx.asOf - ctx.windowStart;
  const start = rng.chance(EXISTING_SHARE) ? ctx.windowStart : ctx.windowStart + rng.int(windowDays + 1);
  const end = rng.chance(CHURN_SHARE) ? start + rng.int(ctx.asOf - start + 1) : ctx.asOf;

  const termDays = rng.weighted(model.terms);
  const accountDelay = behaviour.delayMean + behaviour.accountSd * rng.normal();
  // The weekday of the AP run (Thursdays most often), or −1 for an account paying invoice by invoice.
  const runDay = rng.chance(model.weeklyRun) ? (rng.chance(0.5) ? 4 : rng.between(1, 5)) : -1;
  const business = !consumer;

  const documents: LedgerDocument[] = [];
  instDay.length = 0;
  instDoc.length = 0;
  instAmount.length = 0;
  // One object of the account's terms instead of closures: tsx keeps function names, and a closure per
  // account costs a defineProperty each.
  const terms: InvoiceTerms = { ctx, rng, behaviour, model, termDays, accountDelay, runDay, business, portfolioId, accountNumber, currency, documents };

  const recurring = rng.chance(model.recurring) && rate > 0.5 && rate < 1.8;
  if (recurring) {
    const fixedAmount = toMinor(Math.round(ticket), unit);
    const dom = rng.chance(0.4) ? 1 : rng.between(1, 28);
    let day = firstDayOfMonthOnOrAfter(start, dom);
    while (day <= end) {
      if (rng.chance(0.97)) addInvoice(terms, day, fixedAmount);
      day = nextMonthDay(day, dom);
    }
  } else {
    const gap = 30.44 / (rate * RATE_SCALE);
    const growthPerDay = GROWTH / Math.max(1, windowDays);
    // The first invoice opens the relationship, so every account has at least one document.
    let day = start;
    while (day <= end) {
      const issue = business ? businessDay(day) : day;
      if (issue <= ctx.asOf) addInvoice(terms, issue, toMinor(ticket * Math.exp(0.55 * rng.normal()), unit));
      day += Math.max(0, Math.round(rng.exponential(gap / (1 + growthPerDay * (day - ctx.windowStart)))));
    }
  }

  // Credit notes: returns and price corrections, a few percent of invoices; simple on purpose: either
  // still open (unapplied credit) or fully applied (open 0). Invoices are settled by payments only, so an
  // applied credit note stands for a refund or an offset the extract does not itemize.
  const invoices = documents.length;
  const credits: LedgerDocument[] = [];
  for (let k = 0; k < invoices; k++) {
    if (!rng.chance(CREDIT_NOTE_RATE)) continue;
    const inv = at(documents, k);
    const issue = businessDay(dayIn(ctx, inv.issueDate) + rng.between(2, 40));
    if (issue > ctx.asOf) continue;
    const share = rng.chance(0.25) ? 1 : 0.05 + 0.45 * rng.float();
    const amount = -Math.max(1, Math.min(inv.original, Math.round(inv.original * share))) as Minor;
    const applied = rng.chance(ctx.asOf - issue < 45 ? 0.4 : 0.82) ? issue + rng.between(0, 30) : Number.POSITIVE_INFINITY;
    const issueDate = dateAt(ctx, issue);
    credits.push(
      applied <= ctx.asOf
        ? { portfolioId, accountNumber, number: '', kind: 'credit_note', issueDate, dueDate: issueDate, currency, original: amount, open: 0 as Minor, status: 'paid', paidDate: dateAt(ctx, applied), erpDisputed: false }
        : { portfolioId, accountNumber, number: '', kind: 'credit_note', issueDate, dueDate: issueDate, currency, original: amount, open: amount, status: 'open', erpDisputed: false },
    );
  }
  if (credits.length > 0) mergeByIssueDate(documents, credits);

  // Payments: one per remittance day, allocations in the order the documents were issued. Instalments are
  // sorted by (day, generation order) packed in one float: a typed-array sort needs no comparator.
  const methods = methodTable(segment, region);
  const preferred = rng.weighted(methods);
  const refs = new References(rng, region, currency, unit);
  const payments: Payment[] = [];
  const allocated: LedgerDocument[] = [];
  const n = instDay.length;
  const order = new Float64Array(n);
  for (let k = 0; k < n; k++) order[k] = at(instDay, k) * INDEX_SPAN + k;
  order.sort();
  for (let k = 0; k < n; ) {
    const day = Math.floor(at(order, k) / INDEX_SPAN);
    const allocations: Payment['allocations'] = [];
    let total = 0;
    for (; k < n && Math.floor(at(order, k) / INDEX_SPAN) === day; k++) {
      const j = at(order, k) % INDEX_SPAN;
      const amount = at(instAmount, j);
      allocations.push({ documentNumber: '', amount: amount as Minor });
      allocated.push(at(instDoc, j));
      total += amount;
    }
    // An occasional overpayment leaves cash on account.
    const amount = rng.chance(0.01) ? total + rng.between(1, Math.max(1, Math.round(total * 0.05))) : total;
    const method = rng.chance(0.82) ? preferred : rng.weighted(methods);
    payments.push({ portfolioId, id: '', accountNumber, receivedDate: dateAt(ctx, day), currency, amount: amount as Minor, method, reference: refs.next(method, amount), allocations });
  }
  // An unapplied receipt: money arrived without a remittance advice and sits on account. Only from a
  // customer we have billed: an account without documents has no currency of its own in the ledger, so
  // its receipt is drawn (keeping every other account's draws as they were) but not kept.
  if (rng.chance(0.02)) {
    const day = postDay(start + rng.int(ctx.asOf - start + 1), runDay);
    if (day <= ctx.asOf) {
      const amount = toMinor(ticket * (0.1 + 0.9 * rng.float()), unit);
      const receivedDate = dateAt(ctx, day);
      let before = payments.length;
      while (before > 0 && at(payments, before - 1).receivedDate > receivedDate) before--;
      const receipt: Payment = { portfolioId, id: '', accountNumber, receivedDate, currency, amount: amount as Minor, method: preferred, reference: refs.next(preferred, amount), allocations: [] };
      if (documents.length > 0) payments.splice(before, 0, receipt);
    }
  }

  // Restrictions, tags, limit.
  const cease = rng.chance(behaviour.cease);
  const dnc = rng.chance(behaviour.doNotContact);
  const restrictions: Account['restrictions'] = { cease, doNotContact: dnc };
  let counsel = false;
  if (dnc) {
    const reason = rng.pick(consumer ? DNC_REASONS_CONSUMER : DNC_REASONS_BUSINESS);
    restrictions.reason = reason;
    counsel = reason.includes('attorney') || reason.includes('counsel');
  } else if (cease) restrictions.reason = rng.pick(CEASE_REASONS);

  const monthlyUsd = (rate * RATE_SCALE * ticket) / region.perUsd;
  const tags = accountTags(rng, segment, profile, riskGrade, monthlyUsd, preferred, ctx.asOf - start < 90, end < ctx.asOf - 120);

  const account: Account = {
    portfolioId,
    number: accountNumber,
    name,
    segment,
    tags,
    riskGrade,
    timeZone: city.timeZone,
    language,
    restrictions,
  };
  if (!consumer || rng.chance(0.4)) {
    const limit = niceCeil(Math.max(500 * region.perUsd, rate * RATE_SCALE * ticket * (1.5 + 2.5 * rng.float()) * GRADE_LIMIT[riskGrade]));
    account.creditLimit = { amount: Math.round(limit * unit) as Minor, currency };
  }

  const contacts = accountContacts(rng, portfolioId, accountNumber, name, consumer, model.contacts, person, region, city, names, profile, counsel);
  return { account, contacts, documents, payments, allocated };
}

/** Instalment indices within one account stay below this (80 invoices a month × 18 months × 3 parts). */
const INDEX_SPAN = 1 << 20;

interface InvoiceTerms {
  readonly ctx: Context;
  readonly rng: Prng;
  readonly behaviour: Behaviour;
  readonly model: SegmentModel;
  readonly termDays: number;
  readonly accountDelay: number;
  readonly runDay: number;
  readonly business: boolean;
  readonly portfolioId: string;
  readonly accountNumber: string;
  readonly currency: CurrencyCode;
  readonly documents: LedgerDocument[];
}

/** Issues one invoice, settles it and queues its instalments for the account's payments. */
function addInvoice(t: InvoiceTerms, issue: EpochDay, amount: number): void {
  const { ctx, rng, portfolioId, accountNumber, currency } = t;
  const due = issue + (rng.chance(0.05) ? rng.weighted(t.model.terms) : t.termDays);
  const disputed = rng.chance(t.behaviour.dispute);
  const n = settle(ctx, rng, t.behaviour, t.accountDelay, issue, due, amount, disputed, t.runDay, t.business);
  let open = amount;
  let last = -1;
  for (let k = 0; k < n; k++) {
    open -= at(planAmount, k);
    last = Math.max(last, at(planDay, k));
  }
  const issueDate = dateAt(ctx, issue);
  const dueDate = dateAt(ctx, due);
  const doc: LedgerDocument =
    open === 0
      ? { portfolioId, accountNumber, number: '', kind: 'invoice', issueDate, dueDate, currency, original: amount as Minor, open: 0 as Minor, status: 'paid', paidDate: dateAt(ctx, last), erpDisputed: disputed }
      : { portfolioId, accountNumber, number: '', kind: 'invoice', issueDate, dueDate, currency, original: amount as Minor, open: open as Minor, status: 'open', erpDisputed: disputed };
  t.documents.push(doc);
  for (let k = 0; k < n; k++) {
    instDay.push(at(planDay, k));
    instDoc.push(doc);
    instAmount.push(at(planAmount, k));
  }
}

function toMinor(major: number, unit: number): number {
  return Math.max(unit, Math.round(major * unit));
}

/** The day a payment planned for `day` is posted: the next AP run, or the next business day. */
function postDay(day: EpochDay, runDay: number): EpochDay {
  return runDay >= 0 ? day + ((runDay - weekday(day) + 7) % 7) : businessDay(day);
}

/** Merges credit notes into invoices already in issue order; a credit note goes after same-day invoices. */
function mergeByIssueDate(documents: LedgerDocument[], credits: LedgerDocument[]): void {
  credits.sort((a, b) => (a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : 0));
  const invoices = documents.slice();
  documents.length = 0;
  let i = 0;
  let c = 0;
  for (;;) {
    const inv = invoices[i];
    const cn = credits[c];
    if (inv !== undefined && (cn === undefined || inv.issueDate <= cn.issueDate)) {
      documents.push(inv);
      i++;
    } else if (cn !== undefined) {
      documents.push(cn);
      c++;
    } else return;
  }
}

/**
 * The settlement plan of one invoice, written to `planDay`/`planAmount`; returns how many instalments
 * happened by asOf. Each becomes one allocation of a payment.
 */
function settle(
  ctx: Context,
  rng: Prng,
  b: Behaviour,
  accountDelay: number,
  issue: EpochDay,
  due: EpochDay,
  original: number,
  disputed: boolean,
  runDay: number,
  business: boolean,
): number {
  planCount = 0;
  planAsOf = ctx.asOf;
  // Days late: the account's habit, noise, and now and then a straggler (the exponential tail is what
  // fills the 91–180 bucket between "late" and "never").
  let late = accountDelay + b.invoiceSd * rng.normal();
  if (rng.chance(b.straggle)) late += rng.exponential(b.straggleDays);
  const payDay = postDay(Math.max(issue, due + Math.round(late)), runDay);

  if (disputed) {
    // A dispute takes months to resolve and some never are, so the open ones are mostly recent and the
    // old ones the stuck few. Meanwhile the undisputed part is often paid on the usual day. The ERP keeps
    // the dispute code after resolution.
    const resolved = rng.chance(b.disputeResolved) ? postDay(payDay + 20 + Math.round(rng.exponential(90)), runDay) : NEVER;
    if (original >= 4 && rng.chance(0.35)) {
      const part = Math.round(original * (0.3 + 0.5 * rng.float()));
      plan(payDay, part);
      plan(resolved, original - part);
    } else plan(resolved, original);
  } else if (rng.chance(b.neverPay)) {
    // Nothing: written off in all but name, the collector's long tail.
  } else if (original >= 6 && rng.chance(b.partial)) {
    const parts = rng.chance(0.7) ? 2 : 3;
    const w0 = rng.between(2, 9);
    const w1 = rng.between(2, 9);
    const w2 = parts === 3 ? rng.between(2, 9) : 0;
    const wsum = w0 + w1 + w2;
    const a0 = Math.max(1, Math.floor((original * w0) / wsum));
    // a0 ≤ 9/13 of the original, so with original ≥ 6 the parts stay ≥ 1 and add up exactly.
    const a1 = parts === 3 ? Math.min(original - a0 - 1, Math.max(1, Math.floor((original * w1) / wsum))) : original - a0;
    const a2 = original - a0 - a1;
    // A short-pay: the last instalment comes months later, or never, and leaves a balance meanwhile.
    const shortPay = rng.chance(0.35);
    let day = payDay;
    plan(day, a0);
    day = postDay(day + (parts === 2 ? lastGap(rng, shortPay) : rng.between(10, 35)), runDay);
    plan(day, a1);
    if (parts === 3) plan(postDay(day + lastGap(rng, shortPay), runDay), a2);
  } else if (business && original >= 100 && rng.chance(b.deduction)) {
    // A deduction (bank fee, unauthorized discount, short shipment): paid less a few percent; some are
    // cleared weeks later, the rest linger as small open balances, as they do in every real AR ledger.
    const deduction = Math.max(1, Math.round(original * (0.005 + 0.03 * rng.float())));
    plan(payDay, original - deduction);
    if (rng.chance(0.45)) plan(postDay(payDay + 20 + Math.round(rng.exponential(60)), runDay), deduction);
  } else {
    plan(payDay, original);
  }
  return planCount;
}

/** Days before an instalment plan's last payment: weeks, or for a short-pay months or never. */
function lastGap(rng: Prng, shortPay: boolean): number {
  if (!shortPay) return rng.between(10, 35);
  return rng.chance(0.4) ? NEVER : 30 + Math.round(rng.exponential(120));
}

/** A day that never comes: an instalment planned for it is never made. */
const NEVER = 1e9;
let planCount = 0;
let planAsOf = 0;
/** Records one instalment of the current plan, unless it falls after asOf (it has not happened yet). */
function plan(day: EpochDay, amount: number): void {
  if (day > planAsOf || amount <= 0) return;
  planDay[planCount] = day;
  planAmount[planCount] = amount;
  planCount++;
}

// ---------------------------------------------------------------------------------------------------
// Calendar helpers on epoch days

function businessDay(day: EpochDay): EpochDay {
  const w = weekday(day);
  return w === SATURDAY ? day + 2 : w === SUNDAY ? day + 1 : day;
}

/** The first day `dom` of a month on or after `day` (dom ≤ 28 exists in every month). */
function firstDayOfMonthOnOrAfter(day: EpochDay, dom: number): EpochDay {
  const { y, m } = civilFromDays(day);
  const candidate = daysFromCivil(y, m, dom);
  return candidate >= day ? candidate : nextMonthDay(candidate, dom);
}

function nextMonthDay(day: EpochDay, dom: number): EpochDay {
  const { y, m } = civilFromDays(day);
  return m === 12 ? daysFromCivil(y + 1, 1, dom) : daysFromCivil(y, m + 1, dom);
}

// ---------------------------------------------------------------------------------------------------
// Account attributes

const GRADE_LIMIT: Record<RiskGrade, number> = { A: 1.5, B: 1.2, C: 1, D: 0.7, E: 0.4 };

/** Rounds up to 1, 2, 2.5 or 5 times a power of ten, as credit limits are set. */
function niceCeil(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

const DNC_REASONS_CONSUMER = ['represented by attorney', 'bankruptcy filing', 'deceased'] as const;
const DNC_REASONS_BUSINESS = ['represented by counsel', 'insolvency proceedings', 'bankruptcy filing'] as const;
const CEASE_REASONS = ['written cease request', 'requested written communication only', 'disputes the debt in writing'] as const;

function accountTags(
  rng: Prng,
  segment: Segment,
  profile: PaymentProfile,
  grade: RiskGrade,
  monthlyUsd: number,
  method: PaymentMethod,
  isNew: boolean,
  inactive: boolean,
): string[] {
  const tags: string[] = [];
  if (segment === 'enterprise' || monthlyUsd > 50_000) tags.push('key-account');
  if (isNew) tags.push('new-customer');
  if (inactive) tags.push('inactive');
  if (profile === 'early' && (method === 'card' || method === 'portal') && rng.chance(0.5)) tags.push('autopay');
  if (profile === 'chronic' && rng.chance(0.25)) tags.push('payment-plan');
  if (segment !== 'consumer' && rng.chance(0.03)) tags.push('government');
  if ((segment === 'enterprise' || segment === 'mid-market') && rng.chance(0.3)) tags.push('po-required');
  if ((segment === 'smb' || segment === 'mid-market') && rng.chance(0.08)) tags.push('reseller');
  if (grade === 'E' && rng.chance(0.2)) tags.push('bankruptcy-watch');
  if (rng.chance(0.1)) tags.push('paper-statements');
  if (rng.chance(0.05)) tags.push('seasonal');
  return tags;
}

const methodTables = new Map<string, WeightedTable<PaymentMethod>>();
/** Payment methods of a segment in a region (cheques fade outside North America and France); built once each. */
function methodTable(segment: Segment, region: Region): WeightedTable<PaymentMethod> {
  const key = `${segment}/${region.id}`;
  let table = methodTables.get(key);
  if (table === undefined) {
    table = weightedTable(SEGMENT_MODELS[segment].methods.map(([m, w]) => [m, m === 'cheque' ? w * region.chequeShare : w] as const));
    methodTables.set(key, table);
  }
  return table;
}

interface PersonName {
  readonly first: string;
  readonly last: string;
}

function personName(rng: Prng, names: NameStyle): PersonName {
  return { first: rng.pick(names.firstNames), last: rng.pick(names.surnames) };
}

function emailLocal(p: PersonName): string {
  return `${asciiWords(p.first).join('')}.${asciiWords(p.last).join('')}`;
}

/** Payment references as a bank or a cashier prints them; cheque numbers rise per account. */
class References {
  private readonly rng: Prng;
  private readonly region: Region;
  private readonly currency: CurrencyCode;
  private readonly unit: number;
  private cheque: number;
  private readonly card: string;
  private readonly brand: string;

  constructor(rng: Prng, region: Region, currency: CurrencyCode, unit: number) {
    this.rng = rng;
    this.region = region;
    this.currency = currency;
    this.unit = unit;
    this.cheque = rng.between(1001, 8999);
    this.card = digits(rng, 4);
    this.brand = rng.pick(['VISA', 'VISA', 'MC', 'AMEX']);
  }

  next(method: PaymentMethod, amount: number): string {
    const rng = this.rng;
    switch (method) {
      case 'cheque':
        return `CHQ ${this.cheque++}`;
      case 'card':
        return `${this.brand} x${this.card} AUTH ${alnum(rng, 6)}`;
      case 'portal':
        return `PORTAL-${alnum(rng, 10)}`;
      case 'cash':
        return `RCPT-${digits(rng, 6)}`;
      case 'transfer':
        switch (this.region.rail) {
          case 'ach':
            return amount >= 10_000 * this.unit ? `WIRE ${alnum(rng, 12)}` : `ACH ${digits(rng, 15)}`;
          case 'sepa':
            return `SEPA ${alnum(rng, 12)}`;
          case 'bacs':
            return `${rng.chance(0.6) ? 'FPS' : 'BACS'} ${alnum(rng, 10)}`;
          case 'eft':
            return `EFT ${digits(rng, 10)}`;
          case 'furikomi':
            return `FURIKOMI ${digits(rng, 10)} ${this.currency}`;
        }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Contacts

function accountContacts(
  rng: Prng,
  portfolioId: string,
  accountNumber: string,
  accountName: string,
  consumer: boolean,
  weights: SegmentModel['contacts'],
  debtor: PersonName,
  region: Region,
  city: City,
  names: NameStyle,
  profile: PaymentProfile,
  counsel: boolean,
): CollectionsContact[] {
  const [w1, w2, w3] = weights;
  const x = rng.float() * (w1 + w2 + w3);
  const n = x < w1 ? 1 : x < w1 + w2 ? 2 : 3;
  const domain = companyDomain(accountName);
  const address = region.address(rng, city, names);
  // Slow payers have more often told us to stop on some channel.
  const optOut = profile === 'chronic' ? 0.12 : profile === 'late' ? 0.06 : 0.03;

  const roles: CollectionsContact['role'][] = [];
  if (consumer) {
    roles.push('billing');
    if (n >= 2) roles.push('guarantor');
    if (n >= 3) roles.push('field');
  } else {
    const first = rng.chance(0.7) ? 'ap' : 'billing';
    roles.push(first);
    if (n >= 2) roles.push(first === 'ap' ? 'billing' : 'ap');
    if (n >= 3) roles.push(rng.weighted(THIRD_ROLE));
  }
  if (counsel) {
    if (roles.length >= 3) roles[2] = 'legal';
    else roles.push('legal');
  }

  const contacts: CollectionsContact[] = [];
  for (let k = 0; k < roles.length; k++) {
    const role = at(roles, k);
    const person = k === 0 && consumer ? debtor : personName(rng, names);
    const channels: ContactChannel[] = [];
    if (consumer && role === 'billing') {
      const mobile = region.phone(rng, city, true);
      channels.push(makeChannel(rng, optOut, 'mobile', mobile, rng.chance(0.6), false));
      if (rng.chance(0.7)) channels.push(makeChannel(rng, optOut, 'sms', mobile, rng.chance(0.45), false));
      if (rng.chance(0.7)) channels.push(makeChannel(rng, optOut, 'email', `${emailLocal(person)}@${rng.pick(PERSONAL_DOMAINS)}`, true, false));
      if (rng.chance(0.3)) channels.push(makeChannel(rng, optOut, 'phone', region.phone(rng, city, false), rng.chance(0.5), false));
      channels.push(makeChannel(rng, optOut, 'letter', address, true, false));
      if (rng.chance(0.1)) channels.push(makeChannel(rng, optOut, 'visit', address, true, false));
    } else if (role === 'ap' || role === 'billing') {
      const mailbox = rng.chance(0.5) ? (role === 'ap' ? rng.pick(['ap', 'accounts.payable', 'payables']) : rng.pick(['billing', 'accounts', 'finance'])) : emailLocal(person);
      channels.push(makeChannel(rng, optOut, 'email', `${mailbox}@${domain}`, true, true));
      channels.push(makeChannel(rng, optOut, 'phone', region.phone(rng, city, false), rng.chance(0.4), true));
      if (rng.chance(0.3)) channels.push(makeChannel(rng, optOut, 'mobile', region.phone(rng, city, true), rng.chance(0.5), true));
      if (rng.chance(0.5)) channels.push(makeChannel(rng, optOut, 'letter', address, true, true));
    } else if (role === 'guarantor') {
      channels.push(makeChannel(rng, optOut, 'mobile', region.phone(rng, city, true), rng.chance(0.5), false));
      channels.push(makeChannel(rng, optOut, 'letter', region.address(rng, city, names), true, false));
      if (rng.chance(0.5)) channels.push(makeChannel(rng, optOut, 'email', `${emailLocal(person)}@${rng.pick(PERSONAL_DOMAINS)}`, true, false));
    } else if (role === 'legal') {
      const firm = `${asciiWords(person.last).join('')}-law.example`;
      channels.push(makeChannel(rng, optOut, 'phone', region.phone(rng, city, false), true, true));
      channels.push(makeChannel(rng, optOut, 'email', `${emailLocal(person)}@${firm}`, true, true));
      channels.push(makeChannel(rng, optOut, 'letter', region.address(rng, city, names), true, true));
    } else {
      // field: the site contact a field collector meets.
      channels.push(makeChannel(rng, optOut, 'visit', address, true, true));
      channels.push(makeChannel(rng, optOut, 'mobile', region.phone(rng, city, true), rng.chance(0.5), true));
    }
    contacts.push({
      portfolioId,
      id: `${accountNumber}-${k + 1}`,
      accountNumber,
      name: `${person.first} ${person.last}`,
      role,
      primary: k === 0,
      channels,
    });
  }
  return contacts;
}

function makeChannel(rng: Prng, optOut: number, kind: ContactChannel['kind'], value: string, consent: boolean, atWork: boolean): ContactChannel {
  // Nobody opts out of the post: written notices are the one channel a cease request still leaves open.
  return { kind, value, consent, optedOut: kind !== 'letter' && rng.chance(optOut), atWork };
}

const THIRD_ROLE = weightedTable<CollectionsContact['role']>([
  ['field', 45],
  ['guarantor', 40],
  ['legal', 15],
]);

// ---------------------------------------------------------------------------------------------------
// Counts, for reports, benchmarks and the demo's start-up line

export interface PortfolioCounts {
  readonly accounts: number;
  readonly contacts: number;
  readonly documents: number;
  /** Documents with status 'open' (invoices with a balance and unapplied credit notes). */
  readonly open: number;
  /** Settled history: status 'paid' or 'closed'. */
  readonly historical: number;
  readonly invoices: number;
  readonly creditNotes: number;
  readonly disputed: number;
  /** Invoices with some but not all of their amount paid. */
  readonly partiallyPaid: number;
  readonly payments: number;
  readonly allocations: number;
  readonly restrictedAccounts: number;
  readonly currencies: Readonly<Record<string, number>>;
}

export function countPortfolio(ledger: Ledger): PortfolioCounts {
  let open = 0;
  let invoices = 0;
  let disputed = 0;
  let partiallyPaid = 0;
  for (const d of ledger.documents) {
    if (d.status === 'open') open++;
    if (d.kind === 'invoice') {
      invoices++;
      if (d.open > 0 && d.open < d.original) partiallyPaid++;
    }
    if (d.erpDisputed) disputed++;
  }
  let allocations = 0;
  for (const p of ledger.payments) allocations += p.allocations.length;
  const currencies: Record<string, number> = {};
  let restrictedAccounts = 0;
  for (const a of ledger.accounts) {
    if (a.restrictions.cease || a.restrictions.doNotContact) restrictedAccounts++;
  }
  const currencyOfAccount = new Map<string, string>();
  for (const d of ledger.documents) currencyOfAccount.set(d.accountNumber, d.currency);
  for (const c of currencyOfAccount.values()) currencies[c] = (currencies[c] ?? 0) + 1;
  return {
    accounts: ledger.accounts.length,
    contacts: ledger.contacts.length,
    documents: ledger.documents.length,
    open,
    historical: ledger.documents.length - open,
    invoices,
    creditNotes: ledger.documents.length - invoices,
    disputed,
    partiallyPaid,
    payments: ledger.payments.length,
    allocations,
    restrictedAccounts,
    currencies,
  };
}
