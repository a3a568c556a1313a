import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ContactAttempt } from '../../src/domain/account-state';
import {
  COMPLIANCE_PRESETS,
  NO_COMPLIANCE,
  REGULATION_F,
  allViolations,
  auditAttempts,
  checkContact,
  compliancePackSchema,
  usableChannels,
  type ComplianceContext,
  type CompliancePack,
  type ContactMethod,
} from '../../src/domain/compliance';
import type { ContactChannel } from '../../src/domain/ledger';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ms = (s: string) => Date.parse(s);

const chan = (kind: ContactChannel['kind'], value: string, extra: Partial<ContactChannel> = {}): ContactChannel => ({
  kind,
  value,
  consent: false,
  optedOut: false,
  atWork: false,
  ...extra,
});

const DEFAULT_CHANNELS = [chan('phone', '+1 212 555 0100'), chan('mobile', '+1 917 555 0101', { consent: true }), chan('email', 'pat@example.com'), chan('letter', '1 Main St'), chan('visit', '1 Main St')];

/** An attempt, marked as a conversation or not: `ctxOf` lists the marked ones as the state's conversations. */
type Attempt = ContactAttempt & { readonly conversation: boolean };

let nextId = 0;
function call(at: string, documentNumbers: readonly string[] = ['INV-1'], extra: Partial<Attempt> = {}): Attempt {
  nextId++;
  return { id: `F${String(nextId).padStart(4, '0')}`, at, channel: 'call', outcome: 'no-answer', documentNumbers, conversation: false, ...extra };
}

interface Setup {
  readonly channel?: ContactMethod;
  readonly tz?: string;
  readonly attempts?: readonly Attempt[];
  readonly lastConversationAt?: string;
  readonly docs?: readonly string[];
  readonly open?: readonly string[];
  readonly channels?: readonly ContactChannel[];
  readonly cease?: boolean;
  readonly doNotContact?: boolean;
  readonly pack?: CompliancePack;
}

function ctxOf(s: Setup): ComplianceContext {
  return {
    account: { number: 'A1', timeZone: s.tz ?? 'America/New_York', restrictions: { cease: s.cease ?? false, doNotContact: s.doNotContact ?? false } },
    contacts: [
      { id: 'C1', accountNumber: 'A1', name: 'Pat Debtor', channels: [...(s.channels ?? DEFAULT_CHANNELS)] },
      // Another account's contact with an opted-out phone: must not count for A1.
      { id: 'C9', accountNumber: 'A9', name: 'Someone Else', channels: [chan('phone', '+1 000', { optedOut: true })] },
    ],
    state: {
      attempts: s.attempts ?? [],
      conversations: (s.attempts ?? []).filter((a) => a.conversation),
      ...(s.lastConversationAt ? { lastConversationAt: s.lastConversationAt } : {}),
    },
    pack: s.pack ?? REGULATION_F,
  };
}

function check(at: string, s: Setup = {}) {
  return checkContact({ channel: s.channel ?? 'call', documentNumbers: s.docs ?? ['INV-1'], openDocumentNumbers: s.open ?? ['INV-1', 'INV-2'], at }, ctxOf(s));
}

describe('compliance pack data', () => {
  it('presets parse with the schema and are keyed by id', () => {
    for (const [id, pack] of Object.entries(COMPLIANCE_PRESETS)) {
      expect(compliancePackSchema.parse(pack)).toEqual(pack);
      expect(pack.id).toBe(id);
    }
  });
  it('rejects calling hours with start = end and malformed times', () => {
    expect(compliancePackSchema.safeParse({ ...REGULATION_F, callingHours: { start: '08:00', end: '08:00' } }).success).toBe(false);
    expect(compliancePackSchema.safeParse({ ...REGULATION_F, callingHours: { start: '8:00', end: '21:00' } }).success).toBe(false);
    expect(compliancePackSchema.parse({ ...REGULATION_F, callingHours: { start: '09:00', end: '17:00' } }).callingHours?.channels).toEqual(['call', 'visit', 'sms', 'email']);
  });
});

describe('calling-hours: 08:00 to 21:00 debtor local time', () => {
  // [zone, local time, the UTC instant worked out by hand, next allowed instant or null when allowed]
  it.each([
    ['America/New_York', '2026-06-15 07:59 EDT', '2026-06-15T11:59:00.000Z', '2026-06-15T12:00:00.000Z'],
    ['America/New_York', '2026-06-15 08:00 EDT', '2026-06-15T12:00:00.000Z', null],
    ['America/New_York', '2026-06-15 20:59 EDT', '2026-06-16T00:59:00.000Z', null],
    ['America/New_York', '2026-06-15 21:00 EDT', '2026-06-16T01:00:00.000Z', '2026-06-16T12:00:00.000Z'],
    ['America/New_York', '2026-01-15 07:59 EST', '2026-01-15T12:59:00.000Z', '2026-01-15T13:00:00.000Z'],
    ['America/New_York', '2026-01-15 21:00 EST', '2026-01-16T02:00:00.000Z', '2026-01-16T13:00:00.000Z'],
    ['America/Chicago', '2026-06-15 07:59 CDT', '2026-06-15T12:59:00.000Z', '2026-06-15T13:00:00.000Z'],
    ['America/Chicago', '2026-06-15 08:00 CDT', '2026-06-15T13:00:00.000Z', null],
    ['America/Chicago', '2026-06-15 20:59 CDT', '2026-06-16T01:59:00.000Z', null],
    ['America/Chicago', '2026-06-15 21:00 CDT', '2026-06-16T02:00:00.000Z', '2026-06-16T13:00:00.000Z'],
    ['Pacific/Honolulu', '2026-06-15 07:59 HST', '2026-06-15T17:59:00.000Z', '2026-06-15T18:00:00.000Z'],
    ['Pacific/Honolulu', '2026-06-15 08:00 HST', '2026-06-15T18:00:00.000Z', null],
    ['Pacific/Honolulu', '2026-06-15 20:59 HST', '2026-06-16T06:59:00.000Z', null],
    ['Pacific/Honolulu', '2026-06-15 21:00 HST', '2026-06-16T07:00:00.000Z', '2026-06-16T18:00:00.000Z'],
    ['Pacific/Honolulu', '2026-01-15 21:00 HST (no DST)', '2026-01-16T07:00:00.000Z', '2026-01-16T18:00:00.000Z'],
    ['Asia/Tokyo', '2026-06-15 07:59 JST', '2026-06-14T22:59:00.000Z', '2026-06-14T23:00:00.000Z'],
    ['Asia/Tokyo', '2026-06-15 08:00 JST', '2026-06-14T23:00:00.000Z', null],
    ['Asia/Tokyo', '2026-06-15 20:59 JST', '2026-06-15T11:59:00.000Z', null],
    ['Asia/Tokyo', '2026-06-15 21:00 JST', '2026-06-15T12:00:00.000Z', '2026-06-15T23:00:00.000Z'],
    ['Europe/London', '2026-06-15 07:59 BST', '2026-06-15T06:59:00.000Z', '2026-06-15T07:00:00.000Z'],
    ['Europe/London', '2026-06-15 08:00 BST', '2026-06-15T07:00:00.000Z', null],
    ['Europe/London', '2026-06-15 20:59 BST', '2026-06-15T19:59:00.000Z', null],
    ['Europe/London', '2026-06-15 21:00 BST', '2026-06-15T20:00:00.000Z', '2026-06-16T07:00:00.000Z'],
    ['Europe/London', '2026-01-15 07:59 GMT', '2026-01-15T07:59:00.000Z', '2026-01-15T08:00:00.000Z'],
    ['Europe/London', '2026-01-15 21:00 GMT', '2026-01-15T21:00:00.000Z', '2026-01-16T08:00:00.000Z'],
  ])('%s at %s (%s): next allowed %s', (tz, _local, at, next) => {
    const v = check(at, { tz });
    if (next === null) expect(v).toEqual({ allowed: true });
    else expect(v).toMatchObject({ allowed: false, rule: 'calling-hours', nextAllowedAt: next });
  });

  it.each([
    ['US spring forward: 21:30 EST on 03-07 → 08:00 EDT on 03-08', 'America/New_York', '2026-03-08T02:30:00.000Z', '2026-03-08T12:00:00.000Z'],
    ['US spring forward: 03:30 EDT, just after the jump → 08:00 EDT', 'America/New_York', '2026-03-08T07:30:00.000Z', '2026-03-08T12:00:00.000Z'],
    ['US fall back: 22:00 EDT on 10-31 → 08:00 EST on 11-01', 'America/New_York', '2026-11-01T02:00:00.000Z', '2026-11-01T13:00:00.000Z'],
    ['US fall back: 01:30 EST, the second 01:30 → 08:00 EST', 'America/New_York', '2026-11-01T06:30:00.000Z', '2026-11-01T13:00:00.000Z'],
    ['London spring forward: 21:30 GMT on 03-28 → 08:00 BST on 03-29', 'Europe/London', '2026-03-28T21:30:00.000Z', '2026-03-29T07:00:00.000Z'],
    ['London fall back: 22:00 BST on 10-24 → 08:00 GMT on 10-25', 'Europe/London', '2026-10-24T21:00:00.000Z', '2026-10-25T08:00:00.000Z'],
  ])('calling-hours across DST, %s', (_name, tz, at, next) => {
    expect(check(at, { tz })).toMatchObject({ allowed: false, rule: 'calling-hours', nextAllowedAt: next });
  });

  it('calling-hours uses the offset in force: 08:30 EDT on the spring-forward day is allowed (07:30 by EST)', () => {
    expect(check('2026-03-08T12:30:00.000Z')).toEqual({ allowed: true });
    expect(check('2026-11-01T12:30:00.000Z')).toMatchObject({ allowed: false, nextAllowedAt: '2026-11-01T13:00:00.000Z' });
  });

  it('calling-hours apply to visits, SMS and e-mail but not to letters; the reason names the rule and the local time', () => {
    const at = '2026-06-15T11:59:00.000Z';
    for (const channel of ['visit', 'sms', 'email'] as const) expect(check(at, { channel })).toMatchObject({ allowed: false, rule: 'calling-hours' });
    expect(check(at, { channel: 'letter' })).toEqual({ allowed: true });
    const v = check(at);
    expect(v.allowed ? '' : v.reason).toMatch(/^Calling hours: it is 07:59 on 2026-06-15 for the debtor \(America\/New_York\); calls are allowed only from 08:00 to 21:00/);
  });

  it('calling-hours may wrap past midnight (a night-shift pack 22:00–06:00)', () => {
    const pack = { ...NO_COMPLIANCE, callingHours: { start: '22:00', end: '06:00', channels: ['call' as const] } };
    expect(check('2026-06-15T03:00:00.000Z', { pack })).toEqual({ allowed: true }); // 23:00 EDT
    expect(check('2026-06-15T09:59:00.000Z', { pack })).toEqual({ allowed: true }); // 05:59 EDT
    expect(check('2026-06-15T10:00:00.000Z', { pack })).toMatchObject({ nextAllowedAt: '2026-06-16T02:00:00.000Z' });
  });
});

describe('call-cap: 7 calls per debt in 7 days', () => {
  const at = '2026-06-15T16:00:00.000Z'; // 12:00 EDT
  const daily = (n: number, docs: readonly string[] = ['INV-1']) => Array.from({ length: n }, (_, i) => call(iso(ms('2026-06-09T15:00:00.000Z') + i * DAY), docs));

  it('call-cap: 6 calls allow a 7th', () => {
    expect(check(at, { attempts: daily(6) })).toEqual({ allowed: true });
  });

  it('call-cap: 7 calls block until the oldest is exactly 7 days old', () => {
    const attempts = daily(7);
    const v = check(at, { attempts });
    expect(v).toMatchObject({ allowed: false, rule: 'call-cap', nextAllowedAt: '2026-06-16T15:00:00.000Z' });
    expect(v.allowed ? '' : v.reason).toMatch(/^Call cap \(7 calls per debt in 7 days\): debt INV-1 already has 7 calls in the last 7 days/);
    expect(check('2026-06-16T14:59:59.999Z', { attempts })).toMatchObject({ rule: 'call-cap' });
    expect(check('2026-06-16T15:00:00.000Z', { attempts })).toEqual({ allowed: true });
  });

  it('call-cap: a call exactly 7 days before is outside the window', () => {
    const attempts = [call(iso(ms(at) - 7 * DAY)), ...daily(6)];
    expect(check(at, { attempts })).toEqual({ allowed: true });
  });

  it('call-cap counts per debt: calls about another debt do not count', () => {
    expect(check(at, { attempts: daily(7, ['INV-2']) })).toEqual({ allowed: true });
    // A request naming no debt is about all open debts, so INV-2's cap blocks it.
    expect(check(at, { attempts: daily(7, ['INV-2']), docs: [] })).toMatchObject({ rule: 'call-cap' });
  });

  it('call-cap: a call naming no debt counts for every debt', () => {
    expect(check(at, { attempts: daily(7, []) })).toMatchObject({ rule: 'call-cap' });
    const mixed = [...daily(4, []), ...daily(3, ['INV-1']).map((a) => ({ ...a, at: iso(ms(a.at) + 3_600_000) }))];
    expect(check(at, { attempts: mixed, docs: ['INV-1'] })).toMatchObject({ rule: 'call-cap' });
    expect(check(at, { attempts: mixed, docs: ['INV-2'] })).toEqual({ allowed: true });
  });

  it('call-cap counts calls only: e-mails, texts and visits do not count, and other channels are not capped', () => {
    const others = daily(7).map((a, i) => ({ ...a, channel: (['email', 'sms', 'visit'] as const)[i % 3] ?? 'email' }));
    expect(check(at, { attempts: others })).toEqual({ allowed: true });
    expect(check(at, { attempts: daily(7), channel: 'email' })).toEqual({ allowed: true });
  });

  it('call-cap after a merge over the cap: blocked until enough calls leave the window', () => {
    const attempts = [...daily(7), call('2026-06-10T18:00:00.000Z')];
    // 8 calls: two must leave, the second oldest being 06-10 15:00.
    expect(check(at, { attempts })).toMatchObject({ rule: 'call-cap', nextAllowedAt: '2026-06-17T15:00:00.000Z' });
  });

  it('call-cap counts calls recorded after the checked instant (a device clock ahead)', () => {
    const later = Array.from({ length: 7 }, (_, i) => call(iso(ms('2026-06-16T14:00:00.000Z') + i * 3_600_000)));
    expect(check(at, { attempts: later })).toMatchObject({ rule: 'call-cap', nextAllowedAt: '2026-06-23T14:00:00.000Z' });
    // Exactly 7 days before the last of them, a call shares no window with it.
    expect(check('2026-06-09T20:00:00.000Z', { attempts: later })).toEqual({ allowed: true });
    expect(check('2026-06-09T20:00:00.001Z', { attempts: later })).toMatchObject({ rule: 'call-cap' });
  });

  it('call-cap: 7 calls spanning exactly 7 days never share a window, so a call between them is allowed', () => {
    const attempts = [...daily(6), call('2026-06-16T15:00:00.000Z')]; // 06-09 … 06-14, then 06-16 15:00
    expect(check('2026-06-15T16:00:00.000Z', { attempts })).toEqual({ allowed: true });
  });

  it('call-cap lifting at 02:00 local rolls to 08:00 local (both rules must allow)', () => {
    // The oldest call was made at 02:00 EDT on 06-09 (under another pack), so the cap lifts at 02:00 on 06-16.
    const attempts = [call('2026-06-09T06:00:00.000Z'), ...daily(6).map((a) => ({ ...a, at: iso(ms(a.at) + DAY) }))];
    const v = check(at, { attempts });
    expect(v).toMatchObject({ allowed: false, rule: 'call-cap', nextAllowedAt: '2026-06-16T12:00:00.000Z' });
    const request = { channel: 'call' as const, documentNumbers: ['INV-1'], openDocumentNumbers: ['INV-1'], at };
    expect(allViolations(request, ctxOf({ attempts }))).toEqual([expect.objectContaining({ rule: 'call-cap', nextAllowedAt: '2026-06-16T06:00:00.000Z' })]);
    // At the moment the cap lifts, calling hours are what blocks, with the same next time.
    expect(allViolations({ ...request, at: '2026-06-16T06:00:00.000Z' }, ctxOf({ attempts }))).toEqual([
      expect.objectContaining({ rule: 'calling-hours', nextAllowedAt: '2026-06-16T12:00:00.000Z' }),
    ]);
  });
});

describe('quiet-period: no calls for 7 days after a telephone conversation', () => {
  const at = '2026-06-15T16:00:00.000Z';
  const talk = call('2026-06-12T15:00:00.000Z', ['INV-1'], { outcome: 'promise-taken', conversation: true });

  it('quiet-period blocks calls about that debt until the conversation + 7 days', () => {
    const v = check(at, { attempts: [talk] });
    expect(v).toMatchObject({ allowed: false, rule: 'quiet-period', nextAllowedAt: '2026-06-19T15:00:00.000Z' });
    expect(v.allowed ? '' : v.reason).toMatch(/^Quiet period after a conversation: we spoke with the debtor by phone about debt INV-1 at 2026-06-12 11:00 debtor time/);
    expect(check('2026-06-19T14:59:59.999Z', { attempts: [talk] })).toMatchObject({ rule: 'quiet-period' });
    expect(check('2026-06-19T15:00:00.000Z', { attempts: [talk] })).toEqual({ allowed: true });
  });

  it('quiet-period: the debtor may still be written to (e-mail, letter)', () => {
    expect(check(at, { attempts: [talk], channel: 'email' })).toEqual({ allowed: true });
    expect(check(at, { attempts: [talk], channel: 'letter' })).toEqual({ allowed: true });
  });

  it('quiet-period is per debt and only after telephone conversations', () => {
    expect(check(at, { attempts: [talk], docs: ['INV-2'] })).toEqual({ allowed: true });
    expect(check(at, { attempts: [{ ...talk, channel: 'visit' }] })).toEqual({ allowed: true });
    expect(check(at, { attempts: [{ ...talk, conversation: false }] })).toEqual({ allowed: true });
  });

  it('quiet-period: a last conversation the attempts no longer show is assumed to be about every debt', () => {
    expect(check(at, { lastConversationAt: '2026-06-12T15:00:00.000Z', docs: ['INV-2'] })).toMatchObject({ rule: 'quiet-period', nextAllowedAt: '2026-06-19T15:00:00.000Z' });
  });
});

describe('cease and do-not-contact', () => {
  const at = '2026-06-15T16:00:00.000Z';
  it.each(['call', 'visit', 'email', 'sms', 'letter'] as const)('cease blocks %s with no next time', (channel) => {
    const v = check(at, { channel, cease: true });
    expect(v).toMatchObject({ allowed: false, rule: 'cease' });
    expect(v).not.toHaveProperty('nextAllowedAt');
  });
  it.each(['call', 'visit', 'email', 'sms', 'letter'] as const)('do-not-contact blocks %s with no next time, before cease', (channel) => {
    const v = check(at, { channel, doNotContact: true, cease: true });
    expect(v).toMatchObject({ allowed: false, rule: 'do-not-contact' });
    expect(v).not.toHaveProperty('nextAllowedAt');
  });
  it('cease: even when a time rule also blocks, there is no next time', () => {
    expect(check('2026-06-15T03:00:00.000Z', { cease: true })).toEqual({ allowed: false, rule: 'cease', reason: expect.stringMatching(/^Cease communication: /) as unknown });
  });
});

describe('channel-opt-out, at-work, no-consent', () => {
  const at = '2026-06-15T16:00:00.000Z';
  it('channel-opt-out: one phone opted out still leaves the mobile', () => {
    expect(check(at, { channels: [chan('phone', 'p1', { optedOut: true }), chan('mobile', 'm1')] })).toEqual({ allowed: true });
  });
  it('channel-opt-out: every phone opted out blocks calls, not e-mail', () => {
    const channels = [chan('phone', 'p1', { optedOut: true }), chan('mobile', 'm1', { optedOut: true }), chan('email', 'e1')];
    expect(check(at, { channels })).toMatchObject({ allowed: false, rule: 'channel-opt-out', reason: 'Channel opt-out: all 2 phone numbers on file are opted out.' });
    expect(check(at, { channels, channel: 'email' })).toEqual({ allowed: true });
  });
  it.each([
    ['email', [chan('email', 'e1', { optedOut: true })]],
    ['letter', [chan('letter', 'l1', { optedOut: true })]],
    ['visit', [chan('visit', 'v1', { optedOut: true })]],
    ['sms', [chan('sms', 's1', { optedOut: true, consent: true }), chan('mobile', 'm1', { optedOut: true, consent: true })]],
  ] as const)('channel-opt-out blocks %s when its only channels are opted out', (channel, channels) => {
    expect(check(at, { channel, channels })).toMatchObject({ allowed: false, rule: 'channel-opt-out' });
  });
  it('channel-opt-out: no channel of the kind on file is a data gap, not a block', () => {
    expect(check(at, { channels: [], channel: 'email' })).toEqual({ allowed: true });
  });
  it('at-work: a work number only blocks calls; opted-out plus work numbers is at-work too', () => {
    expect(check(at, { channels: [chan('phone', 'w1', { atWork: true })] })).toMatchObject({ rule: 'at-work' });
    expect(check(at, { channels: [chan('phone', 'p1', { optedOut: true }), chan('phone', 'w1', { atWork: true })] })).toMatchObject({
      rule: 'at-work',
      reason: 'No calls at work: the only phone number not opted out is a work number, and calls at work are not allowed.',
    });
    expect(check(at, { channels: [chan('phone', 'w1', { atWork: true }), chan('mobile', 'm1')] })).toEqual({ allowed: true });
  });
  it('no-consent: SMS needs a text-capable number with consent', () => {
    expect(check(at, { channel: 'sms', channels: [chan('mobile', 'm1')] })).toMatchObject({ rule: 'no-consent' });
    expect(check(at, { channel: 'sms', channels: [chan('mobile', 'm1', { consent: true })] })).toEqual({ allowed: true });
    // Calls by hand need no consent.
    expect(check(at, { channels: [chan('mobile', 'm1')] })).toEqual({ allowed: true });
  });
  it('usableChannels marks each number with the rule that excludes it (for click-to-call)', () => {
    const channels = [chan('phone', 'p1', { optedOut: true }), chan('phone', 'w1', { atWork: true }), chan('mobile', 'm1'), chan('email', 'e1')];
    const uses = usableChannels('call', ctxOf({ channels }));
    expect(uses.map((u) => [u.channel.value, u.usable ? 'ok' : u.rule])).toEqual([
      ['p1', 'channel-opt-out'],
      ['w1', 'at-work'],
      ['m1', 'ok'],
    ]);
    expect(usableChannels('call', ctxOf({ channels, cease: true })).every((u) => !u.usable && u.rule === 'cease')).toBe(true);
    expect(usableChannels('call', ctxOf({ channels, pack: NO_COMPLIANCE })).every((u) => u.usable)).toBe(true);
  });
  it('a request for one contact checks only that contact’s channels', () => {
    const c = ctxOf({ channels: [chan('phone', 'p1', { optedOut: true })] });
    const ctx = { ...c, contacts: [...c.contacts, { id: 'C2', accountNumber: 'A1', name: 'Guarantor', channels: [chan('phone', 'g1')] }] };
    const req = { channel: 'call' as const, documentNumbers: [], openDocumentNumbers: ['INV-1'], at };
    expect(checkContact(req, ctx)).toEqual({ allowed: true });
    expect(checkContact({ ...req, contactId: 'C1' }, ctx)).toMatchObject({ rule: 'channel-opt-out' });
  });
});

describe('NO_COMPLIANCE', () => {
  it('NO_COMPLIANCE allows what Regulation F blocks on every rule at once', () => {
    const talk = call('2026-06-14T15:00:00.000Z', [], { conversation: true });
    const s: Setup = {
      attempts: [talk, ...Array.from({ length: 10 }, (_, i) => call(iso(ms('2026-06-14T16:00:00.000Z') + i * 60_000)))],
      cease: true,
      doNotContact: true,
      channels: [chan('phone', 'p1', { optedOut: true }), chan('phone', 'w1', { atWork: true })],
    };
    const at = '2026-06-15T07:00:00.000Z'; // 03:00 EDT
    expect(allViolations({ channel: 'call', documentNumbers: [], openDocumentNumbers: ['INV-1'], at }, ctxOf(s)).map((v) => v.rule)).toEqual([
      'do-not-contact',
      'cease',
      'at-work',
      'quiet-period',
      'call-cap',
      'calling-hours',
    ]);
    for (const channel of ['call', 'visit', 'email', 'sms', 'letter'] as const) expect(check(at, { ...s, channel, pack: NO_COMPLIANCE })).toEqual({ allowed: true });
    expect(auditAttempts(s.attempts ?? [], NO_COMPLIANCE)).toEqual([]);
  });
});

describe('auditAttempts: calls over the cap after a merge', () => {
  it('a merge where two collectors each called 4 times offline is reported with both collectors’ facts', () => {
    const alice = Array.from({ length: 4 }, (_, i) => ({ ...call(iso(ms('2026-06-10T14:00:00.000Z') + i * DAY)), id: `alice-${i}` }));
    const bob = Array.from({ length: 4 }, (_, i) => ({ ...call(iso(ms('2026-06-10T16:00:00.000Z') + i * DAY)), id: `bob-${i}` }));
    const merged = Object.freeze([...alice, ...bob]);
    const report = auditAttempts(merged, REGULATION_F, { documentNumbers: ['INV-1', 'INV-2'] });
    expect(report).toHaveLength(1);
    expect(report[0]).toMatchObject({ documentNumbers: ['INV-1'], maxInWindow: 8, from: '2026-06-10T14:00:00.000Z', to: '2026-06-13T16:00:00.000Z', cap: { attempts: 7, days: 7 } });
    expect([...(report[0]?.factIds ?? [])].sort()).toEqual([...alice, ...bob].map((a) => a.id).sort());
    expect(report[0]?.attempts).toHaveLength(8);
    expect(merged).toHaveLength(8);
  });

  it('auditAttempts: calls naming no debt are over the cap for every debt, reported once for all of them', () => {
    const calls = Array.from({ length: 8 }, (_, i) => call(iso(ms('2026-06-10T14:00:00.000Z') + i * 3_600_000), []));
    expect(auditAttempts(calls, REGULATION_F, { documentNumbers: ['INV-2', 'INV-1'] })).toEqual([expect.objectContaining({ documentNumbers: ['INV-1', 'INV-2'], maxInWindow: 8 })]);
    expect(auditAttempts(calls, REGULATION_F)).toEqual([expect.objectContaining({ documentNumbers: [], maxInWindow: 8 })]);
  });

  it('auditAttempts: exactly the cap is fine; separate over-full weeks are separate reports', () => {
    const every = (start: string, n: number, hours: number) => Array.from({ length: n }, (_, i) => call(iso(ms(start) + i * hours * 3_600_000)));
    expect(auditAttempts(every('2026-06-01T15:00:00.000Z', 7, 12), REGULATION_F)).toEqual([]);
    // Eight daily calls span exactly 7 days: no 7-day window holds all eight.
    expect(auditAttempts(every('2026-06-01T15:00:00.000Z', 8, 24), REGULATION_F)).toEqual([]);
    const two = [...every('2026-06-01T15:00:00.000Z', 8, 12), ...every('2026-07-01T15:00:00.000Z', 10, 20)];
    expect(auditAttempts(two, REGULATION_F).map((v) => [v.from, v.attempts.length, v.maxInWindow])).toEqual([
      ['2026-06-01T15:00:00.000Z', 8, 8],
      // Ten calls 20 h apart: nine fit in one window (160 h), the cluster holds all ten.
      ['2026-07-01T15:00:00.000Z', 10, 9],
    ]);
  });
});

describe('properties', () => {
  const T0 = ms('2026-03-01T00:00:00.000Z');
  const DOCS = [['INV-1'], ['INV-2'], [], ['INV-1', 'INV-2']] as const;
  const ZONES = ['America/New_York', 'Europe/London', 'Pacific/Honolulu', 'Asia/Tokyo', 'UTC'] as const;

  it('call-cap holds when every call was checked first, in any order of checking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 * DAY }), fc.constantFrom(...DOCS)), { minLength: 1, maxLength: 80 }),
        fc.constantFrom(...ZONES),
        (tries, tz) => {
          const attempts: Attempt[] = [];
          const pack = { ...REGULATION_F, quietDaysAfterConversation: null };
          for (const [offset, docs] of tries) {
            const at = iso(T0 + offset);
            const v = checkContact({ channel: 'call', documentNumbers: docs, openDocumentNumbers: ['INV-1', 'INV-2'], at }, ctxOf({ tz, attempts, pack }));
            if (v.allowed) attempts.push(call(at, docs));
          }
          for (const debt of ['INV-1', 'INV-2'])
            for (const end of attempts) {
              const e = ms(end.at);
              const inWindow = attempts.filter((a) => (a.documentNumbers.length === 0 || a.documentNumbers.includes(debt)) && ms(a.at) > e - 7 * DAY && ms(a.at) <= e);
              expect(inWindow.length).toBeLessThanOrEqual(7);
            }
          expect(auditAttempts(attempts, pack)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('nextAllowedAt is allowed, and nothing between the request and it is', () => {
    fc.assert(
      fc.property(
        // Dense calls (up to 40 in 10 days) so the cap, the quiet period and calling hours all fire.
        fc.array(fc.tuple(fc.integer({ min: 0, max: 10 * DAY }), fc.constantFrom(...DOCS), fc.boolean()), { maxLength: 40 }),
        fc.integer({ min: 3 * DAY, max: 15 * DAY }),
        fc.constantFrom(...DOCS),
        fc.constantFrom(...ZONES),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }),
        (raw, offset, docs, tz, fractions) => {
          const attempts = raw.map(([o, d, talk]) => call(iso(T0 + o), d, { conversation: talk && o % 5 === 0 }));
          const ctx = ctxOf({ tz, attempts });
          const req = { channel: 'call' as const, documentNumbers: docs, openDocumentNumbers: ['INV-1', 'INV-2'], at: iso(T0 + offset) };
          const v = checkContact(req, ctx);
          if (v.allowed) return;
          expect(v.nextAllowedAt).toBeDefined();
          const next = ms(v.nextAllowedAt ?? '');
          expect(checkContact({ ...req, at: iso(next) }, ctx)).toEqual({ allowed: true });
          const from = T0 + offset;
          for (const f of [...fractions, 0.999_999_9]) {
            const u = Math.min(next - 1, from + Math.floor(f * (next - from)));
            expect(checkContact({ ...req, at: iso(u) }, ctx).allowed).toBe(false);
          }
          expect(checkContact({ ...req, at: iso(next - 1) }, ctx).allowed).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});
