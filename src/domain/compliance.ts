/**
 * The compliance rule pack: may a collector contact this debtor now, on this channel, about these debts?
 * Evaluated before every contact action, on the device, offline too (DESIGN.md §4). A blocked action
 * says which rule blocks it, in a sentence a collector reads, and when contact is next allowed.
 *
 * How it works. A pack is data (zod, versioned); `REGULATION_F` and `NO_COMPLIANCE` are presets. The
 * rules, in the order `checkContact` reports them (the first that blocks is the verdict's rule):
 *   1. do-not-contact    account.restrictions.doNotContact: nothing, on any channel, ever (no next time).
 *   2. cease             account.restrictions.cease: no collection contact on any channel, letters
 *                        included; the few notices the law still allows go out outside this flow.
 *   3. channel-opt-out   every contact channel that could carry the request is opted out.
 *   4. at-work           (calls) the only phone numbers left are work numbers.
 *   5. no-consent        (SMS) no text-capable number left has prior consent (a TCPA matter, not Reg F).
 *   6. quiet-period      (calls) a telephone conversation about a requested debt in the last N days.
 *   7. call-cap          (calls) a requested debt already has the cap of calls in a window of D days.
 *   8. calling-hours     the debtor's local time is outside the pack's hours (calls, visits, SMS, e-mail).
 * 1–5 hold until the data changes: the verdict has no `nextAllowedAt`. 3–5 block only when channels of
 * the kind exist and none is usable: a missing channel (no phone on file) is a data gap the worklist
 * shows, not a rule. Opt-out is peeled first, so "at-work" means the numbers left are work numbers.
 *
 * Time rules (6–8) become forbidden intervals plus a periodic predicate, and the next allowed instant is
 * a fixpoint: jump past any interval containing t, then to the next local start of calling hours if t is
 * outside them, until nothing moves. Each rule's own "next allowed ≥ t" is the least instant it allows,
 * so the fixpoint is the least instant ALL rules allow (the cap lifting at 02:00 local rolls to 08:00).
 *
 * The cap, exactly. A window is any D-day span (s − D, s]. A call at t is allowed when no window that
 * contains t would then hold more than `attempts` calls about a requested debt. In sorted calls a₁…aₙ,
 * `attempts` consecutive calls aᵢ…aⱼ with aⱼ − aᵢ < D fit in one window, and adding t makes a violation
 * exactly when t ∈ (aⱼ − D, aᵢ + D); the union of those intervals is the cap's forbidden set. With every
 * call in the past this is the familiar "blocked until the oldest counting call is D days old"; calls
 * after t (another device's clock, a merge) are counted too, so a checked call never breaks any window.
 * A rolling D×24 h window is at least as strict as Regulation F's count of 7 consecutive days.
 */
import { z } from 'zod';
import type { AccountState, ContactAttempt } from './account-state';
import type { ActivityChannel, Instant } from './facts';
import type { Account, ChannelKind, CollectionsContact, ContactChannel } from './ledger';
import { flat } from './retained';
import { formatLocal, instantMs, instantOf, msOfLocal, parseMinutes, zoneOffsetMs } from './time-zone';

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

/** The activity channels that contact the debtor ('note' does not). A statement goes as a letter or e-mail. */
export const CONTACT_METHODS = ['call', 'visit', 'email', 'sms', 'letter'] as const satisfies readonly ActivityChannel[];
export type ContactMethod = (typeof CONTACT_METHODS)[number];

/** Which contact channels (ledger.ts) can carry each method: a mobile takes calls and texts. */
export const CHANNEL_KINDS_OF: Readonly<Record<ContactMethod, readonly ChannelKind[]>> = {
  call: ['phone', 'mobile'],
  sms: ['sms', 'mobile'],
  email: ['email'],
  letter: ['letter'],
  visit: ['visit'],
};

const hhmmSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a local time HH:MM' });

export const callingHoursSchema = z
  .object({
    /** Inclusive, debtor local time. */
    start: hhmmSchema,
    /** Exclusive: 21:00 means 20:59 is the last allowed minute. An end before the start wraps past midnight. */
    end: hhmmSchema,
    /**
     * The methods the hours apply to. Regulation F's inconvenient-time rule covers every communication,
     * electronic ones by when they are sent, so calls, visits, SMS and e-mail; a letter's delivery time
     * is the post's, not ours.
     */
    channels: z.array(z.enum(CONTACT_METHODS)).default(['call', 'visit', 'sms', 'email']),
  })
  .refine((h) => h.start !== h.end, { message: 'calling hours need an end different from the start' });

export const callCapSchema = z.object({
  /** At most this many calls per debt in any window of `days` days (Reg F: 7 in 7). */
  attempts: z.number().int().min(1).max(1000),
  days: z.number().int().min(1).max(365),
});
export type CallCap = z.infer<typeof callCapSchema>;

/**
 * A compliance rule pack. Caps and the quiet period count telephone calls only, as Regulation F does
 * (texts and e-mails are not "telephone calls" there); the debtor may still be written to.
 */
export const compliancePackSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  /** Bumped on every change, so a verdict can be traced to the rules it was made under. */
  version: z.number().int().min(1),
  name: z.string().min(1),
  callingHours: callingHoursSchema.nullable(),
  callCap: callCapSchema.nullable(),
  /** No calls about a debt for this many days after a telephone conversation about it (Reg F: 7). */
  quietDaysAfterConversation: z.number().int().min(1).max(365).nullable(),
  honourCease: z.boolean(),
  honourDoNotContact: z.boolean(),
  honourChannelOptOut: z.boolean(),
  /** SMS only to a number with prior express consent. Consent is asked of SMS alone: calls by hand need none. */
  smsRequiresConsent: z.boolean().default(false),
  /** Work numbers (channel.atWork) may not be called. */
  noCallsAtWork: z.boolean(),
});
export type CompliancePack = z.infer<typeof compliancePackSchema>;

export const REGULATION_F: CompliancePack = {
  id: 'regulation-f',
  version: 1,
  name: 'Regulation F (US FDCPA)',
  callingHours: { start: '08:00', end: '21:00', channels: ['call', 'visit', 'sms', 'email'] },
  callCap: { attempts: 7, days: 7 },
  quietDaysAfterConversation: 7,
  honourCease: true,
  honourDoNotContact: true,
  honourChannelOptOut: true,
  smsRequiresConsent: true,
  noCallsAtWork: true,
};

/** Nothing blocks: for portfolios outside any contact regulation (B2B in most countries). */
export const NO_COMPLIANCE: CompliancePack = {
  id: 'none',
  version: 1,
  name: 'No contact rules',
  callingHours: null,
  callCap: null,
  quietDaysAfterConversation: null,
  honourCease: false,
  honourDoNotContact: false,
  honourChannelOptOut: false,
  smsRequiresConsent: false,
  noCallsAtWork: false,
};

export const COMPLIANCE_PRESETS: Readonly<Record<'regulation-f' | 'none', CompliancePack>> = {
  'regulation-f': REGULATION_F,
  none: NO_COMPLIANCE,
};

/** In the order `checkContact` reports them. */
export const RULE_IDS = [
  'do-not-contact',
  'cease',
  'channel-opt-out',
  'at-work',
  'no-consent',
  'quiet-period',
  'call-cap',
  'calling-hours',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export const RULE_TITLES: Readonly<Record<RuleId, string>> = {
  'do-not-contact': 'Do not contact',
  cease: 'Cease communication',
  'channel-opt-out': 'Channel opt-out',
  'at-work': 'No calls at work',
  'no-consent': 'No consent',
  'quiet-period': 'Quiet period after a conversation',
  'call-cap': 'Call cap',
  'calling-hours': 'Calling hours',
};

export interface ContactRequest {
  readonly channel: ContactMethod;
  /** The debts the contact is about; empty means all the account's open debts. */
  readonly documentNumbers: readonly string[];
  readonly openDocumentNumbers: readonly string[];
  readonly at: Instant;
  /** Only this contact's channels (the person about to be reached); absent: any of the account's contacts. */
  readonly contactId?: string;
}

export interface ComplianceContext {
  readonly account: Pick<Account, 'number' | 'timeZone' | 'restrictions'>;
  /** The account's collections contacts (others' are ignored). */
  readonly contacts: readonly Pick<CollectionsContact, 'id' | 'accountNumber' | 'name' | 'channels'>[];
  readonly state: Pick<AccountState, 'attempts' | 'conversations' | 'lastConversationAt'>;
  readonly pack: CompliancePack;
}

export interface Violation {
  readonly rule: RuleId;
  readonly reason: string;
  /** When this rule alone stops blocking; absent for rules that hold until the data changes. */
  readonly nextAllowedAt?: Instant;
}

export type ComplianceVerdict =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly rule: RuleId;
      readonly reason: string;
      /** The first instant every rule allows; absent when a rule blocks until the data changes (cease). */
      readonly nextAllowedAt?: Instant;
    };

const ALLOWED: ComplianceVerdict = Object.freeze({ allowed: true });

/** Every rule that blocks the request, in rule order; empty when it is allowed. */
export function allViolations(request: ContactRequest, ctx: ComplianceContext): Violation[] {
  const ev = evaluate(request, ctx);
  return ev.violations.map((v) => (isTimeRule(v.rule) ? { ...v, nextAllowedAt: isoOf(nextFor(ev, v.rule)) } : v));
}

/** The first rule that blocks, with the first instant all rules allow; or allowed. */
export function checkContact(request: ContactRequest, ctx: ComplianceContext): ComplianceVerdict {
  const ev = evaluate(request, ctx);
  const first = ev.violations[0];
  if (!first) return ALLOWED;
  // Rules are in order, time rules last: if the first is a time rule, all of them are.
  // The verdict is kept (a worklist keeps one per blocked account): its sentence as one flat string.
  if (!isTimeRule(first.rule)) return { allowed: false, rule: first.rule, reason: flat(first.reason) };
  return { allowed: false, rule: first.rule, reason: flat(first.reason), nextAllowedAt: isoOf(nextFor(ev, 'all')) };
}

type TimeRule = 'quiet-period' | 'call-cap' | 'calling-hours';
function isTimeRule(rule: RuleId): rule is TimeRule {
  return rule === 'quiet-period' || rule === 'call-cap' || rule === 'calling-hours';
}

export type ChannelUse = {
  readonly contactId: string;
  readonly contactName: string;
  readonly channel: ContactChannel;
} & ({ readonly usable: true } | { readonly usable: false; readonly rule: RuleId; readonly reason: string });

/**
 * Every channel of the account's contacts that could carry `method`, each marked usable or not with the
 * rule that excludes it (account-level rules first), so the UI offers click-to-call only on numbers it
 * may dial. Time rules are not here: they block the method, not a number (see `checkContact`).
 */
export function usableChannels(method: ContactMethod, ctx: Pick<ComplianceContext, 'account' | 'contacts' | 'pack'>, contactId?: string): ChannelUse[] {
  const { account, pack } = ctx;
  const accountRule: RuleId | undefined =
    pack.honourDoNotContact && account.restrictions.doNotContact ? 'do-not-contact' : pack.honourCease && account.restrictions.cease ? 'cease' : undefined;
  const out: ChannelUse[] = [];
  for (const { contact, channel } of candidates(method, ctx.contacts, account.number, contactId)) {
    const base = { contactId: contact.id, contactName: contact.name, channel };
    const rule = accountRule ?? channelRule(method, channel, pack);
    out.push(rule ? { ...base, usable: false, rule, reason: channelReason(rule, channel) } : { ...base, usable: true });
  }
  return out;
}

// ── evaluation ─────────────────────────────────────────────────────────────────────────────────────

/** The whole account, when neither the request nor the ledger names a debt. */
const ACCOUNT = null;
type Debt = string | typeof ACCOUNT;

/** A forbidden span [lo, hi) in ms, from one time rule. */
interface Interval {
  readonly lo: number;
  readonly hi: number;
  readonly rule: 'quiet-period' | 'call-cap';
  readonly debt: Debt;
  /** The calls that make it: the run that fills the cap, or the conversation. */
  readonly first: number;
  readonly last: number;
}

interface Evaluation {
  readonly violations: readonly Violation[];
  readonly t0: number;
  readonly tz: string;
  readonly intervals: readonly Interval[];
  readonly hours: CompiledHours | undefined;
}

interface CompiledHours {
  readonly start: number;
  readonly end: number;
  readonly channels: ReadonlySet<ContactMethod>;
}

/** What evaluation needs of a pack, in numbers; packs are immutable data, so it is computed once each. */
interface CompiledPack {
  readonly hours: CompiledHours | undefined;
  readonly capMs: number;
  readonly quietMs: number;
}

const compiledPacks = new WeakMap<CompliancePack, CompiledPack>();

let lastPack: CompliancePack | undefined;
let lastCompiled: CompiledPack | undefined;

function compile(pack: CompliancePack): CompiledPack {
  if (pack === lastPack && lastCompiled) return lastCompiled;
  let c = compiledPacks.get(pack);
  if (!c) {
    const h = pack.callingHours;
    c = {
      hours: h ? { start: parseMinutes(h.start), end: parseMinutes(h.end), channels: new Set(h.channels) } : undefined,
      capMs: pack.callCap ? pack.callCap.days * MS_PER_DAY : 0,
      quietMs: pack.quietDaysAfterConversation === null ? 0 : pack.quietDaysAfterConversation * MS_PER_DAY,
    };
    compiledPacks.set(pack, c);
  }
  lastPack = pack;
  lastCompiled = c;
  return c;
}

/**
 * Instant strings of next-allowed times. Thousands of accounts in one zone share the same next 08:00,
 * and toISOString is the costliest step left, so recent ones are kept (bounded).
 */
const isoCache = new Map<number, Instant>();

function isoOf(ms: number): Instant {
  let s = isoCache.get(ms);
  if (s === undefined) {
    if (isoCache.size >= 4096) isoCache.clear();
    s = instantOf(ms);
    isoCache.set(ms, s);
  }
  return s;
}

const NO_INTERVALS: readonly Interval[] = [];
const CEASE_REASON = flat(
  `${RULE_TITLES.cease}: the debtor asked us to stop contacting them, so no collection contact on any channel; only the notices the law still requires, sent outside the collection flow.`,
);

/** The worklist checks thousands of accounts at one instant: remember the last instant parsed. */
let lastAt = '';
let lastAtMs = 0;

function evaluate(request: ContactRequest, ctx: ComplianceContext): Evaluation {
  const { account, pack } = ctx;
  const method = request.channel;
  if (request.at !== lastAt) {
    lastAtMs = instantMs(request.at);
    lastAt = request.at;
  }
  const t0 = lastAtMs;
  const tz = account.timeZone;
  const compiled = compile(pack);
  const violations: Violation[] = [];

  if (pack.honourDoNotContact && account.restrictions.doNotContact)
    violations.push({ rule: 'do-not-contact', reason: `${RULE_TITLES['do-not-contact']}: the account is marked do-not-contact${account.restrictions.reason ? ` (${account.restrictions.reason})` : ''}, so no collector may contact the debtor on any channel.` });
  if (pack.honourCease && account.restrictions.cease)
    violations.push({ rule: 'cease', reason: CEASE_REASON });
  const channelViolation = channelRules(method, ctx, request.contactId);
  if (channelViolation) violations.push(channelViolation);

  const hours = compiled.hours?.channels.has(method) ? compiled.hours : undefined;
  const intervals = method === 'call' ? timeIntervals(request, ctx, compiled, t0) : NO_INTERVALS;
  let quiet: Interval | undefined;
  let capped: Interval | undefined;
  for (let i = 0; i < intervals.length; i++) {
    const iv = intervals[i] as Interval;
    if (iv.lo <= t0 && t0 < iv.hi) {
      if (iv.rule === 'quiet-period') quiet ??= iv;
      else capped ??= iv;
    }
  }
  if (quiet) violations.push({ rule: 'quiet-period', reason: intervalReason(quiet, ctx, t0) });
  if (capped) violations.push({ rule: 'call-cap', reason: intervalReason(capped, ctx, t0) });
  if (hours && !inHours(t0, tz, hours.start, hours.end)) {
    const local = formatLocal(t0, tz);
    violations.push({
      rule: 'calling-hours',
      reason: `${RULE_TITLES['calling-hours']}: it is ${local.slice(11)} on ${local.slice(0, 10)} for the debtor (${tz}); ${METHOD_NOUNS[method]} allowed only from ${pack.callingHours?.start ?? ''} to ${pack.callingHours?.end ?? ''} debtor time.`,
    });
  }
  return { violations, t0, tz, intervals, hours };
}

/** The least instant ≥ the request's that the named time rule (or all of them) allows, in ms. */
function nextFor(ev: Evaluation, rule: TimeRule | 'all'): number {
  const intervals = rule === 'all' ? ev.intervals : rule === 'calling-hours' ? NO_INTERVALS : ev.intervals.filter((iv) => iv.rule === rule);
  return fixpoint(ev.t0, intervals, rule === 'all' || rule === 'calling-hours' ? ev.hours : undefined, ev.tz);
}

const METHOD_NOUNS: Readonly<Record<ContactMethod, string>> = {
  call: 'calls are',
  visit: 'visits are',
  sms: 'text messages are',
  email: 'e-mails are',
  letter: 'letters are',
};

/** The least t ≥ t0 outside every interval and inside calling hours. */
function fixpoint(t0: number, intervals: readonly Interval[], hours: CompiledHours | undefined, tz: string): number {
  let t = t0;
  // Each round passes an interval or reaches a start of calling hours, so a handful of rounds suffice;
  // the bound only turns a logic error into an exception instead of a hung worklist.
  for (let round = 0; round < 10_000; round++) {
    let moved = false;
    // Sorted by lo: one pass passes every chain of overlapping intervals.
    for (const iv of intervals)
      if (iv.lo <= t && t < iv.hi) {
        t = iv.hi;
        moved = true;
      }
    if (hours) {
      const next = nextInHours(t, tz, hours.start, hours.end);
      if (next !== t) {
        t = next;
        moved = true;
      }
    }
    if (!moved) return t;
  }
  throw new Error('compliance: no allowed time found; the pack rules contradict each other');
}

function inHours(ms: number, tz: string, start: number, end: number): boolean {
  const local = ms + zoneOffsetMs(ms, tz);
  const m = Math.floor((local - Math.floor(local / MS_PER_DAY) * MS_PER_DAY) / MS_PER_MINUTE);
  return start < end ? m >= start && m < end : m >= start || m < end;
}

/** ms itself when inside calling hours, else the next local start (today or tomorrow, DST-correct). */
function nextInHours(ms: number, tz: string, start: number, end: number): number {
  if (inHours(ms, tz, start, end)) return ms;
  const local = ms + zoneOffsetMs(ms, tz);
  const day = Math.floor(local / MS_PER_DAY);
  const m = Math.floor((local - day * MS_PER_DAY) / MS_PER_MINUTE);
  // Outside hours: before today's start, or (plain hours only) past today's end.
  const target = m < start ? start : start + 24 * 60;
  const next = msOfLocal(day, target, tz);
  if (next > ms) return next;
  // Only in a fall-back overlap can the wall time's earlier occurrence lie behind us: advance along the
  // wall clock instead, and let the fixpoint check the result again.
  return ms - (local - Math.floor(local / MS_PER_MINUTE) * MS_PER_MINUTE) + (target - m) * MS_PER_MINUTE;
}

function candidates(method: ContactMethod, contacts: ComplianceContext['contacts'], accountNumber: string, contactId: string | undefined): { contact: ComplianceContext['contacts'][number]; channel: ContactChannel }[] {
  const kinds = CHANNEL_KINDS_OF[method];
  const out: { contact: ComplianceContext['contacts'][number]; channel: ContactChannel }[] = [];
  for (const contact of contacts) {
    if (contact.accountNumber !== accountNumber || (contactId !== undefined && contact.id !== contactId)) continue;
    for (const channel of contact.channels) if (kinds.includes(channel.kind)) out.push({ contact, channel });
  }
  return out;
}

function channelRule(method: ContactMethod, channel: ContactChannel, pack: CompliancePack): 'channel-opt-out' | 'at-work' | 'no-consent' | undefined {
  if (pack.honourChannelOptOut && channel.optedOut) return 'channel-opt-out';
  if (method === 'call' && pack.noCallsAtWork && channel.atWork) return 'at-work';
  if (method === 'sms' && pack.smsRequiresConsent && !channel.consent) return 'no-consent';
  return undefined;
}

const CHANNEL_NOUNS: Readonly<Record<ContactMethod, string>> = {
  call: 'phone number',
  sms: 'text-capable number',
  email: 'e-mail address',
  letter: 'postal address',
  visit: 'visit address',
};

function channelReason(rule: RuleId, channel: ContactChannel): string {
  switch (rule) {
    case 'do-not-contact':
      return `${RULE_TITLES[rule]}: the account is marked do-not-contact.`;
    case 'cease':
      return `${RULE_TITLES[rule]}: the debtor asked us to stop contacting them.`;
    case 'channel-opt-out':
      return `${RULE_TITLES[rule]}: the debtor opted out of ${channel.value}.`;
    case 'at-work':
      return `${RULE_TITLES[rule]}: ${channel.value} is a work number.`;
    default:
      return `${RULE_TITLES[rule]}: ${channel.value} has no prior consent for text messages.`;
  }
}

/** Rules 3–5: one violation when channels exist and none may carry the request. */
function channelRules(method: ContactMethod, ctx: ComplianceContext, contactId: string | undefined): Violation | undefined {
  const { pack } = ctx;
  if (!pack.honourChannelOptOut && !pack.noCallsAtWork && !pack.smsRequiresConsent) return undefined;
  const kinds = CHANNEL_KINDS_OF[method];
  let n = 0;
  let optedOut = 0;
  let rest: 'at-work' | 'no-consent' = 'at-work';
  // A plain loop, no candidate list: this runs for every account of the worklist.
  const contacts = ctx.contacts;
  for (let i = 0; i < contacts.length; i++) {
    const contact = contacts[i] as ComplianceContext['contacts'][number];
    if (contact.accountNumber !== ctx.account.number || (contactId !== undefined && contact.id !== contactId)) continue;
    for (let j = 0; j < contact.channels.length; j++) {
      const channel = contact.channels[j] as ContactChannel;
      if (!kinds.includes(channel.kind)) continue;
      const rule = channelRule(method, channel, pack);
      if (!rule) return undefined;
      n++;
      if (rule === 'channel-opt-out') optedOut++;
      else rest = rule; // one method meets one of these two, never both (calls: at work; SMS: consent)
    }
  }
  if (n === 0) return undefined;
  const noun = CHANNEL_NOUNS[method];
  if (optedOut === n)
    return { rule: 'channel-opt-out', reason: `${RULE_TITLES['channel-opt-out']}: ${n === 1 ? `the only ${noun} on file is` : `all ${n} ${noun}s on file are`} opted out.` };
  const left = n - optedOut;
  const which = optedOut === 0 ? (n === 1 ? `the only ${noun} on file is` : `all ${n} ${noun}s on file are`) : left === 1 ? `the only ${noun} not opted out is` : `the ${left} ${noun}s not opted out are`;
  if (rest === 'at-work') return { rule: 'at-work', reason: `${RULE_TITLES['at-work']}: ${which} ${left === 1 ? 'a work number' : 'work numbers'}, and calls at work are not allowed.` };
  return { rule: 'no-consent', reason: `${RULE_TITLES['no-consent']}: ${which} without prior consent to text messages.` };
}

/** Quiet-period and cap intervals that end after t0, sorted by start. */
function timeIntervals(request: ContactRequest, ctx: ComplianceContext, compiled: CompiledPack, t0: number): readonly Interval[] {
  const { pack, state } = ctx;
  const { capMs, quietMs } = compiled;
  const horizon = Math.max(quietMs, capMs);
  if (horizon === 0) return NO_INTERVALS;

  // Calls that can still matter at or after t0: an interval built from a call at a ends by a + horizon.
  // Module scratch arrays with a count, not fresh arrays (evaluation is synchronous): this runs for every
  // account of the worklist. Parsing an instant (~25 ns) costs no more than a string prefilter would.
  const callMs = scratchMs;
  const callAt = scratchAttempts;
  let calls = 0;
  const attempts = state.attempts;
  for (let i = 0; i < attempts.length; i++) {
    const a = attempts[i] as ContactAttempt;
    if (a.channel !== 'call') continue;
    const ms = instantMs(a.at);
    if (ms > t0 - horizon) {
      callMs[calls] = ms;
      callAt[calls] = a;
      calls++;
    }
  }
  const last = quietMs > 0 ? state.lastConversationAt : undefined;
  if (calls === 0 && last === undefined) return NO_INTERVALS;
  const debts: readonly Debt[] = request.documentNumbers.length > 0 ? request.documentNumbers : request.openDocumentNumbers.length > 0 ? request.openDocumentNumbers : [ACCOUNT];
  const out: Interval[] = [];

  if (quietMs > 0) {
    // The calls above that were conversations, oldest first, as the conversations list has them.
    const conversations = state.conversations;
    for (let k = 0; k < conversations.length; k++) {
      const a = conversations[k] as ContactAttempt;
      if (a.channel !== 'call') continue;
      const ms = instantMs(a.at);
      if (!(ms > t0 - horizon) || ms + quietMs <= t0) continue;
      const debt = firstDebtAbout(a, debts);
      if (debt !== undefined) out.push({ lo: ms, hi: ms + quietMs, rule: 'quiet-period', debt, first: ms, last: ms });
    }
    // A fold that keeps only recent attempts may still know the last conversation: when no attempt
    // stands for it, assume the worst (a telephone conversation about every debt).
    if (last !== undefined && !state.attempts.some((a) => a.at === last)) {
      const ms = instantMs(last);
      if (ms + quietMs > t0) out.push({ lo: ms, hi: ms + quietMs, rule: 'quiet-period', debt: ACCOUNT, first: ms, last: ms });
    }
  }

  const cap = pack.callCap;
  // Fewer calls in reach than the cap: no debt can be at it (the common case, kept cheap).
  if (cap && calls >= cap.attempts) {
    const times: number[] = [];
    for (const debt of debts) {
      times.length = 0;
      for (let k = 0; k < calls; k++) {
        const a = callAt[k];
        if (a && about(a, debt)) times.push(callMs[k] ?? 0);
      }
      if (times.length < cap.attempts) continue;
      times.sort(byNumber);
      for (let i = 0; i + cap.attempts - 1 < times.length; i++) {
        const first = times[i] ?? 0;
        const lastCall = times[i + cap.attempts - 1] ?? 0;
        // cap calls within one window: a call in (last − D, first + D) would share a window with them.
        if (lastCall - first < capMs && first + capMs > t0) out.push({ lo: lastCall - capMs + 1, hi: first + capMs, rule: 'call-cap', debt, first, last: lastCall });
      }
    }
  }
  return out.length > 1 ? out.sort(byLo) : out;
}

const scratchMs: number[] = [];
const scratchAttempts: ContactAttempt[] = [];
function byNumber(x: number, y: number): number {
  return x - y;
}

function byLo(x: Interval, y: Interval): number {
  return x.lo - y.lo;
}

function firstDebtAbout(a: ContactAttempt, debts: readonly Debt[]): Debt | undefined {
  for (const d of debts) if (about(a, d)) return d;
  return undefined;
}

/** Does an attempt count for this debt? An attempt naming no debt counts for every debt. */
function about(a: ContactAttempt, debt: Debt): boolean {
  return debt === ACCOUNT || a.documentNumbers.length === 0 || a.documentNumbers.includes(debt);
}

function intervalReason(iv: Interval, ctx: ComplianceContext, t0: number): string {
  const tz = ctx.account.timeZone;
  const what = iv.debt === ACCOUNT ? 'this account' : `debt ${iv.debt}`;
  if (iv.rule === 'quiet-period')
    return `${RULE_TITLES['quiet-period']}: we spoke with the debtor by phone about ${what} at ${formatLocal(iv.first, tz)} debtor time, so no calls for ${ctx.pack.quietDaysAfterConversation ?? 0} days after it.`;
  const cap = ctx.pack.callCap ?? { attempts: 0, days: 0 };
  const windowMs = cap.days * MS_PER_DAY;
  let count = 0;
  let oldest = Number.POSITIVE_INFINITY;
  for (const a of ctx.state.attempts) {
    if (a.channel !== 'call' || !about(a, iv.debt)) continue;
    const ms = instantMs(a.at);
    if (ms > t0 - windowMs && ms <= t0) {
      count++;
      oldest = Math.min(oldest, ms);
    }
  }
  const rule = `${RULE_TITLES['call-cap']} (${cap.attempts} calls per debt in ${cap.days} days)`;
  if (count >= cap.attempts) return `${rule}: ${what} already has ${count} calls in the last ${cap.days} days, the first at ${formatLocal(oldest, tz)} debtor time.`;
  return `${rule}: ${what} has ${cap.attempts} calls within ${cap.days} days around this time (${formatLocal(iv.first, tz)} to ${formatLocal(iv.last, tz)} debtor time).`;
}

// ── audit after a merge ────────────────────────────────────────────────────────────────────────────

/** Calls that together exceed the cap: one cluster of overlapping over-full windows, for a manager. */
export interface CapViolation {
  /** The debts the calls were about; empty: the account, when no debt is named anywhere. */
  readonly documentNumbers: readonly string[];
  readonly cap: CallCap;
  readonly from: Instant;
  readonly to: Instant;
  /** Most calls found in one window of `cap.days` days. */
  readonly maxInWindow: number;
  /** Every call of the cluster, oldest first: nothing is hidden or dropped. */
  readonly attempts: readonly ContactAttempt[];
  /** Their fact ids, which name the collector (fact.by) and the device. */
  readonly factIds: readonly string[];
}

export interface AuditOptions {
  /** Debts to audit besides those the calls name (the account's open documents). */
  readonly documentNumbers?: readonly string[];
}

/**
 * Every debt and window where calls exceed the pack's cap, as happens after collectors' offline work
 * merges (two collectors each call four times). Over-full windows that share calls are one cluster;
 * debts with the same cluster are reported once together. Oldest cluster first.
 */
export function auditAttempts(attempts: readonly ContactAttempt[], pack: CompliancePack, options: AuditOptions = {}): CapViolation[] {
  const cap = pack.callCap;
  if (!cap) return [];
  const capMs = cap.days * MS_PER_DAY;
  const calls = attempts
    .filter((a) => a.channel === 'call')
    .map((a) => ({ ms: instantMs(a.at), a }))
    .sort((x, y) => x.ms - y.ms || (x.a.id < y.a.id ? -1 : x.a.id > y.a.id ? 1 : 0));
  const named = new Set<string>(options.documentNumbers ?? []);
  for (const { a } of calls) for (const d of a.documentNumbers) named.add(d);
  const debts: Debt[] = named.size > 0 ? [...named].sort() : [ACCOUNT];

  const byCluster = new Map<string, { debts: string[]; members: typeof calls }>();
  for (const debt of debts) {
    const list = calls.filter((c) => about(c.a, debt));
    // Runs of cap + 1 calls inside one window; runs that share calls merge into a cluster.
    let from = -1;
    let to = -1;
    const flush = () => {
      if (from < 0) return;
      const members = list.slice(from, to + 1);
      const key = members.map((m) => m.a.id).join('\u0000');
      const entry = byCluster.get(key) ?? { debts: [], members };
      if (debt !== ACCOUNT) entry.debts.push(debt);
      byCluster.set(key, entry);
      from = -1;
    };
    for (let i = 0; i + cap.attempts < list.length; i++) {
      const j = i + cap.attempts;
      if ((list[j]?.ms ?? 0) - (list[i]?.ms ?? 0) >= capMs) continue;
      if (from >= 0 && i > to) flush();
      if (from < 0) from = i;
      to = j;
    }
    flush();
  }

  const out: { ms: number; v: CapViolation }[] = [];
  for (const { debts: ds, members } of byCluster.values()) {
    let maxInWindow = 0;
    for (let i = 0, j = 0; j < members.length; j++) {
      while ((members[j]?.ms ?? 0) - (members[i]?.ms ?? 0) >= capMs) i++;
      maxInWindow = Math.max(maxInWindow, j - i + 1);
    }
    out.push({ ms: members[0]?.ms ?? 0, v: {
      documentNumbers: ds,
      cap,
      from: members[0]?.a.at ?? '',
      to: members[members.length - 1]?.a.at ?? '',
      maxInWindow,
      attempts: members.map((m) => m.a),
      factIds: members.map((m) => m.a.id),
    } });
  }
  // Map order is debt order then time: sort by first call, stable for clusters starting together.
  return out.sort((x, y) => x.ms - y.ms).map((o) => o.v);
}
