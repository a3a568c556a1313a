/**
 * Shipped strategies, one per kind of book, and the default mapping of the demo's segments to them.
 * They are plain strategy JSON (what a manager would paste into the editor), parsed with the schema when
 * this module loads: a preset the schema refuses fails every test that imports it, not a collector.
 *
 * Timing reads as "days past due" because each level is a delinquency range: a level is entered on its
 * range's first day (due date + daysPastDue.min), its first step is due `afterDays` after that, and each
 * later step `afterDays` after the previous one was done. Promises, callbacks, disputes and holds are the
 * engine's business, not the presets': an open promise suspends every level below.
 */
import { strategyConfigSchema, strategySchema, type Strategy, type StrategyConfig, type StrategyInput } from './strategy-schema';

/**
 * Enterprise: large customers with AP departments and approval cycles. Contact is sparse and polite;
 * a person looks at anything past 60 days instead of the machine sending harder letters.
 */
const b2bGentle: StrategyInput = {
  schemaVersion: 1,
  id: 'b2b-gentle',
  name: 'B2B gentle (enterprise)',
  description: 'Courtesy reminders before and at the due date, a call at 10 days, monthly statements, the credit manager from 60 days.',
  // AP teams answer slowly; a second touch within a week reads as pressure.
  minContactDelayDays: 5,
  levels: [
    {
      id: 'gentle-before-due',
      name: 'Before due',
      description: 'Make sure the invoice is in the approval queue before it is late.',
      when: { daysPastDue: { max: 0 } },
      steps: [
        { id: 'gentle-pre-due-email', action: { kind: 'email', template: 'courtesy-reminder' }, afterDays: -7 },
        { id: 'gentle-due-today-email', action: { kind: 'email', template: 'due-today' }, afterDays: 7 },
      ],
    },
    {
      id: 'gentle-early',
      name: '1–30 days',
      when: { daysPastDue: { min: 1, max: 30 } },
      steps: [
        { id: 'gentle-past-due-email', action: { kind: 'email', template: 'past-due-notice' }, afterDays: 2 },
        // Day ~10: by now the invoice is stuck somewhere; a call finds out where.
        { id: 'gentle-call-10', name: 'Call AP at 10 days', action: { kind: 'call', template: 'ap-status-check' }, afterDays: 7 },
        { id: 'gentle-statement-1', action: { kind: 'statement', channel: 'email' }, afterDays: 14 },
      ],
    },
    {
      id: 'gentle-follow-up',
      name: '31–60 days',
      when: { daysPastDue: { min: 31, max: 60 } },
      steps: [
        { id: 'gentle-call-31', name: 'Call AP again', action: { kind: 'call', template: 'ap-status-check' }, afterDays: 0 },
        { id: 'gentle-second-notice', action: { kind: 'email', template: 'second-notice' }, afterDays: 7 },
        { id: 'gentle-statement-2', action: { kind: 'statement', channel: 'email' }, afterDays: 21 },
      ],
    },
    {
      id: 'gentle-manager',
      name: '61 days and more',
      description: 'The relationship matters more than the letter: the credit manager takes it from here.',
      when: { daysPastDue: { min: 61 } },
      steps: [
        { id: 'gentle-escalate', action: { kind: 'escalate', role: 'manager' }, afterDays: 0 },
        { id: 'gentle-manager-call', name: 'Credit manager calls the controller', action: { kind: 'call' }, afterDays: 3, manual: true },
        { id: 'gentle-statement-3', action: { kind: 'statement', channel: 'email' }, afterDays: 30 },
      ],
    },
  ],
  pauses: [{ from: '2025-12-22', to: '2026-01-02', reason: 'Year-end close: customer AP departments are shut' }],
  escalation: {
    disputeOwnerRole: 'manager',
    brokenPromiseRole: 'manager',
    disputeReviewDays: 15,
    largeBalance: { amount: 25_000_000, currency: 'USD', role: 'manager' },
  },
};

/** SMB and mid-market: the classic dunning ladder, from a reminder to an agency at 90 days. */
const b2bStandard: StrategyInput = {
  schemaVersion: 1,
  id: 'b2b-standard',
  name: 'B2B standard',
  description: 'Reminder email, call at 7, first letter at 15, call at 30, reviewed second letter at 45, final demand at 60, escalation at 75, agency at 90.',
  minContactDelayDays: 3,
  levels: [
    {
      id: 'std-reminder',
      name: '1–14 days',
      when: { daysPastDue: { min: 1, max: 14 } },
      steps: [
        { id: 'std-reminder-email', action: { kind: 'email', template: 'payment-reminder' }, afterDays: 0 },
        { id: 'std-call-7', name: 'Call at 7 days', action: { kind: 'call' }, afterDays: 6 },
      ],
    },
    {
      id: 'std-first-letter',
      name: '15–29 days',
      when: { daysPastDue: { min: 15, max: 29 } },
      steps: [{ id: 'std-first-letter', action: { kind: 'letter', template: 'first-notice' }, afterDays: 0 }],
    },
    {
      id: 'std-second-call',
      name: '30–44 days',
      when: { daysPastDue: { min: 30, max: 44 } },
      steps: [{ id: 'std-call-30', name: 'Call at 30 days', action: { kind: 'call' }, afterDays: 0 }],
    },
    {
      id: 'std-second-letter',
      name: '45–59 days',
      when: { daysPastDue: { min: 45, max: 59 } },
      steps: [
        // Manual: someone reads the account (disputes in the notes, a payment in transit) before it goes.
        { id: 'std-second-letter', name: 'Review and send the second letter', action: { kind: 'letter', template: 'second-notice' }, afterDays: 0, manual: true },
      ],
    },
    {
      id: 'std-final-demand',
      name: '60–74 days',
      when: { daysPastDue: { min: 60, max: 74 } },
      steps: [
        { id: 'std-final-demand', action: { kind: 'letter', template: 'final-demand' }, afterDays: 0 },
        { id: 'std-final-call', name: 'Call after the final demand', action: { kind: 'call' }, afterDays: 7 },
      ],
    },
    {
      id: 'std-escalation',
      name: '75–89 days',
      when: { daysPastDue: { min: 75, max: 89 } },
      steps: [{ id: 'std-escalate', action: { kind: 'escalate', role: 'manager' }, afterDays: 0 }],
    },
    {
      id: 'std-placement',
      name: '90 days and more',
      when: { daysPastDue: { min: 90 } },
      steps: [
        // A placement costs a commission and usually the customer: a manager approves it.
        { id: 'std-place-agency', action: { kind: 'place', with: 'agency' }, afterDays: 0, manual: true },
      ],
    },
  ],
  pauses: [],
  escalation: { disputeOwnerRole: 'manager', brokenPromiseRole: 'manager', disputeReviewDays: 10, largeBalance: { amount: 5_000_000, currency: 'USD', role: 'manager' } },
};

/**
 * Consumers with field collectors: text and phone early, a visit when a month of calls has not worked,
 * letters, and the courts only past 120 days and for amounts worth it. Instalment-friendly through the
 * engine: an open payment plan suspends all of this, each instalment gets a reminder on its date, a
 * broken one a prompt call.
 */
const consumerField: StrategyInput = {
  schemaVersion: 1,
  id: 'consumer-field',
  name: 'Consumer with field visits',
  description: 'SMS and calls early, a field visit at 31–60 days with a visit report, letters, legal from 120 days.',
  // Consumer cadence: never two contacts within three days, whatever the level (Regulation F's 7-in-7
  // call cap is the compliance pack's, on top of this).
  minContactDelayDays: 3,
  levels: [
    {
      id: 'consumer-bankruptcy-watch',
      name: 'Bankruptcy watch',
      description: 'Collection activity against someone about to file can breach the stay: a manager decides.',
      when: { tags: { any: ['bankruptcy-watch'] }, daysPastDue: { min: 1 } },
      steps: [{ id: 'consumer-bk-escalate', action: { kind: 'escalate', role: 'manager' }, afterDays: 0 }],
    },
    {
      id: 'consumer-early',
      name: '1–30 days',
      when: { daysPastDue: { min: 1, max: 30 } },
      steps: [
        { id: 'consumer-sms-reminder', action: { kind: 'sms', template: 'missed-payment' }, afterDays: 2 },
        { id: 'consumer-call-1', name: 'First call', action: { kind: 'call', template: 'consumer-first-call' }, afterDays: 4 },
        { id: 'consumer-sms-2', action: { kind: 'sms', template: 'payment-plan-offer' }, afterDays: 7 },
        { id: 'consumer-call-2', name: 'Second call', action: { kind: 'call', template: 'consumer-first-call' }, afterDays: 7 },
      ],
    },
    {
      id: 'consumer-field',
      name: '31–60 days: field',
      when: { daysPastDue: { min: 31, max: 60 } },
      steps: [
        { id: 'consumer-call-31', name: 'Call before the visit', action: { kind: 'call' }, afterDays: 0 },
        // Manual: the visit counts when its report is filed (task closed), not when someone knocks.
        { id: 'consumer-visit', name: 'Field visit and report', action: { kind: 'visit', template: 'visit-report' }, afterDays: 4, manual: true },
        { id: 'consumer-visit-letter', action: { kind: 'letter', template: 'after-visit' }, afterDays: 7 },
      ],
    },
    {
      id: 'consumer-letters',
      name: '61–120 days',
      when: { daysPastDue: { min: 61, max: 120 } },
      steps: [
        { id: 'consumer-formal-demand', action: { kind: 'letter', template: 'formal-demand' }, afterDays: 0 },
        { id: 'consumer-call-61', name: 'Call after the formal demand', action: { kind: 'call' }, afterDays: 7 },
        { id: 'consumer-final-notice', name: 'Review and send the final notice', action: { kind: 'letter', template: 'final-notice-before-legal' }, afterDays: 21, manual: true },
        // The notice gives 30 days; nothing else goes out meanwhile.
        { id: 'consumer-notice-period', action: { kind: 'hold', days: 30 }, afterDays: 0 },
      ],
    },
    {
      id: 'consumer-legal',
      name: 'Over 120 days, worth suing',
      // Minor units of the account's currency: 500.00 in a two-decimal currency.
      when: { daysPastDue: { min: 121 }, balance: { min: 50_000 } },
      steps: [{ id: 'consumer-place-legal', action: { kind: 'place', with: 'legal' }, afterDays: 0, manual: true }],
    },
    {
      id: 'consumer-small-balance',
      name: 'Over 120 days, small balance',
      when: { daysPastDue: { min: 121 } },
      steps: [{ id: 'consumer-place-agency', action: { kind: 'place', with: 'agency' }, afterDays: 0, manual: true }],
    },
  ],
  pauses: [],
  escalation: { disputeOwnerRole: 'manager', brokenPromiseRole: 'collector', disputeReviewDays: 30 },
};

const parse = (s: StrategyInput): Strategy => strategySchema.parse(s);

export const B2B_GENTLE: Strategy = parse(b2bGentle);
export const B2B_STANDARD: Strategy = parse(b2bStandard);
export const CONSUMER_FIELD: Strategy = parse(consumerField);

export const STRATEGY_PRESETS: ReadonlyMap<string, Strategy> = new Map([B2B_GENTLE, B2B_STANDARD, CONSUMER_FIELD].map((s) => [s.id, s]));

/** The demo's segments (sync-server/demo/synthetic.ts) to the presets; anything else gets b2b-standard. */
export const strategyConfig: StrategyConfig = strategyConfigSchema.parse({
  default: 'b2b-standard',
  bySegment: { consumer: 'consumer-field', smb: 'b2b-standard', 'mid-market': 'b2b-standard', enterprise: 'b2b-gentle' },
});
