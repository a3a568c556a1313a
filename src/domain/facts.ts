/**
 * Team facts: what collectors did and decided, authored on devices and merged with Yjs (DESIGN.md §2).
 *
 * Every fact is an immutable record keyed by a ULID, carrying `v` (schema version), `by` (user),
 * `at` (the author's clock, for display and ordering ties only), `deviceId`. A change of state is a new
 * fact that names the old one (a `dispute-resolved` names its `disputeId`), never an edit. Current state
 * is a pure fold over the facts and the ledger (folds.ts), so two devices holding the same facts compute
 * the same answer whatever order the facts arrived in.
 *
 * Escalations the strategy raises on its own (an open dispute, a broken promise, a large balance) are
 * derived, not facts: a dozen offline devices would otherwise each write their own copy of the same
 * escalation. Only a person's escalation is a fact.
 */
import { z } from 'zod';
import { calendarDateSchema } from './calendar';
import { currencySchema, minorSchema } from './money';
import { allocationSchema, portfolioIdSchema } from './ledger';

/** Crockford base32, 26 characters, time-ordered: sorting ids sorts by creation time, then randomness. */
export const ulidSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { message: 'expected a ULID' });

/** An instant: ISO 8601 in UTC with milliseconds optional, e.g. 2026-11-24T14:05:00.000Z. */
export const instantSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, { message: 'expected an instant in UTC like 2026-11-24T14:05:00Z' })
  .refine((s) => !Number.isNaN(Date.parse(s)), { message: 'not a real instant' });
export type Instant = z.infer<typeof instantSchema>;

export const FACT_VERSION = 1;

const base = {
  v: z.literal(FACT_VERSION),
  id: ulidSchema,
  by: z.string().min(1).max(128),
  at: instantSchema,
  deviceId: z.string().min(1).max(128),
  portfolioId: portfolioIdSchema,
  accountNumber: z.string().min(1),
};

export const ACTIVITY_CHANNELS = ['call', 'visit', 'email', 'sms', 'letter', 'note'] as const;
export type ActivityChannel = (typeof ACTIVITY_CHANNELS)[number];

/**
 * The outcomes shipped by default. The list is configurable per team (strategy config), so the schema
 * takes any short code; what each code means for the engine is in `outcomeMeaningSchema`.
 */
export const DEFAULT_OUTCOMES = [
  'no-answer',
  'left-message',
  'wrong-number',
  'right-party-contact',
  'promise-taken',
  'dispute-raised',
  'refused',
  'says-paid',
  'callback-requested',
  'third-party-contact',
  'sent',
] as const;

export const activityFactSchema = z.object({
  ...base,
  type: z.literal('activity'),
  channel: z.enum(ACTIVITY_CHANNELS),
  outcome: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, { message: 'expected an outcome code like right-party-contact' }),
  contactId: z.string().optional(),
  /** The debts (documents) the contact was about: the Regulation F 7-in-7 cap counts per debt. */
  documentNumbers: z.array(z.string().min(1)).default([]),
  note: z.string().max(4000).optional(),
  /** With outcome callback-requested: when the debtor asked to be called. */
  callbackAt: instantSchema.optional(),
  /** The strategy step this contact carried out, so the strategy moves on. */
  stepId: z.string().optional(),
});

export const instalmentSchema = z.object({ dueDate: calendarDateSchema, amount: minorSchema.refine((n) => n > 0, { message: 'an instalment is a positive amount' }) });

export const promiseFactSchema = z
  .object({
    ...base,
    type: z.literal('promise'),
    currency: currencySchema,
    /** One instalment is a single promise to pay; several make a payment plan. */
    instalments: z.array(instalmentSchema).min(1).max(120),
    /** Days after an instalment's due date during which a payment still keeps it. */
    graceDays: z.number().int().min(0).max(60).default(3),
    documentNumbers: z.array(z.string().min(1)).default([]),
    note: z.string().max(4000).optional(),
  })
  .superRefine((p, ctx) => {
    for (let i = 1; i < p.instalments.length; i++)
      if ((p.instalments[i]?.dueDate ?? '') <= (p.instalments[i - 1]?.dueDate ?? ''))
        ctx.addIssue({ code: 'custom', path: ['instalments', i, 'dueDate'], message: 'instalment dates must increase' });
  });

export const promiseCancelledFactSchema = z.object({ ...base, type: z.literal('promise-cancelled'), promiseId: ulidSchema, reason: z.string().max(400) });

export const DEFAULT_DISPUTE_REASONS = ['pricing', 'quantity', 'quality', 'not-received', 'duplicate-billing', 'already-paid', 'terms', 'other'] as const;

export const disputeFactSchema = z.object({
  ...base,
  type: z.literal('dispute'),
  documentNumbers: z.array(z.string().min(1)).min(1),
  reasonCode: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/),
  currency: currencySchema,
  amount: minorSchema.refine((n) => n > 0, { message: 'a disputed amount is positive' }),
  note: z.string().max(4000).optional(),
});

export const DISPUTE_OUTCOMES = ['upheld', 'rejected', 'withdrawn'] as const;
export const disputeResolvedFactSchema = z.object({
  ...base,
  type: z.literal('dispute-resolved'),
  disputeId: ulidSchema,
  outcome: z.enum(DISPUTE_OUTCOMES),
  note: z.string().max(4000).optional(),
});

export const ROLES = ['collector', 'manager', 'viewer', 'admin'] as const;

export const escalationFactSchema = z.object({
  ...base,
  type: z.literal('escalation'),
  reason: z.string().min(1).max(400),
  toRole: z.enum(ROLES).optional(),
  toUser: z.string().optional(),
});
export const escalationResolvedFactSchema = z.object({
  ...base,
  type: z.literal('escalation-resolved'),
  /** A manual escalation's fact id, or the id of a derived one (`derived:<reason>:<account>`). */
  escalationId: z.string().min(1),
  note: z.string().max(4000).optional(),
});

export const taskFactSchema = z.object({
  ...base,
  type: z.literal('task'),
  dueAt: instantSchema,
  assignee: z.string().min(1),
  note: z.string().max(4000).default(''),
  /** A manual strategy step this task stands for: the strategy waits until it is done or skipped. */
  stepId: z.string().optional(),
});
export const taskClosedFactSchema = z.object({
  ...base,
  type: z.literal('task-closed'),
  taskId: ulidSchema,
  outcome: z.enum(['done', 'skipped']),
  note: z.string().max(4000).optional(),
});

export const holdFactSchema = z.object({
  ...base,
  type: z.literal('hold'),
  /** Absent: the whole account is on hold; present: only these documents leave the dunning flow. */
  documentNumbers: z.array(z.string().min(1)).optional(),
  until: calendarDateSchema,
  reason: z.string().min(1).max(400),
});
export const holdReleasedFactSchema = z.object({ ...base, type: z.literal('hold-released'), holdId: ulidSchema });

export const assignmentFactSchema = z.object({
  ...base,
  type: z.literal('assignment'),
  /** null: unassigned. */
  collector: z.string().min(1).nullable(),
});

export const claimFactSchema = z.object({
  ...base,
  type: z.literal('claim'),
  /** "I am working this account" until then; a later claim or a release ends it earlier. */
  expiresAt: instantSchema,
});
export const claimReleasedFactSchema = z.object({ ...base, type: z.literal('claim-released'), claimId: ulidSchema });

/** A manager puts one account on another strategy than its segment's (null: back to the segment's). */
export const strategyOverrideFactSchema = z.object({
  ...base,
  type: z.literal('strategy-override'),
  strategyId: z.string().min(1).nullable(),
  reason: z.string().max(400).default(''),
});

export const FIELD_RECEIPT_METHODS = ['cash', 'cheque', 'card', 'transfer'] as const;

/**
 * A payment a collector took in the field, with the receipt handed to the debtor. The ERP posts it
 * later; until a ledger payment of the account carries the receipt number as its `reference` (and the
 * same currency), the fold counts the receipt as a payment toward promises and shows it as unposted.
 * Once posted, the ledger's payment counts instead and the receipt is only history.
 */
export const fieldReceiptFactSchema = z
  .object({
    ...base,
    type: z.literal('field-receipt'),
    receiptNumber: z.string().min(1).max(64),
    receivedDate: calendarDateSchema,
    currency: currencySchema,
    amount: minorSchema.refine((n) => n > 0, { message: 'a payment is a positive amount' }),
    method: z.enum(FIELD_RECEIPT_METHODS),
    /** The cheque number, card authorization or transfer reference. */
    reference: z.string().max(200).default(''),
    allocations: z.array(allocationSchema).default([]),
    note: z.string().max(4000).optional(),
  })
  .superRefine((r, ctx) => {
    const total = r.allocations.reduce((sum, a) => sum + a.amount, 0);
    if (total > r.amount) ctx.addIssue({ code: 'custom', path: ['allocations'], message: 'allocations exceed the payment' });
  });

export const factSchema = z.discriminatedUnion('type', [
  activityFactSchema,
  promiseFactSchema,
  promiseCancelledFactSchema,
  disputeFactSchema,
  disputeResolvedFactSchema,
  escalationFactSchema,
  escalationResolvedFactSchema,
  taskFactSchema,
  taskClosedFactSchema,
  holdFactSchema,
  holdReleasedFactSchema,
  assignmentFactSchema,
  claimFactSchema,
  claimReleasedFactSchema,
  strategyOverrideFactSchema,
  fieldReceiptFactSchema,
]);

export type Fact = z.infer<typeof factSchema>;
export type FactType = Fact['type'];
export type FactOf<T extends FactType> = Extract<Fact, { type: T }>;
export type ActivityFact = FactOf<'activity'>;
export type PromiseFact = FactOf<'promise'>;
export type DisputeFact = FactOf<'dispute'>;
export type TaskFact = FactOf<'task'>;
export type HoldFact = FactOf<'hold'>;
export type EscalationFact = FactOf<'escalation'>;
export type AssignmentFact = FactOf<'assignment'>;
export type FieldReceiptFact = FactOf<'field-receipt'>;

/** Deterministic order of facts: by `at`, ties by id. Folds use it only where order matters (last assignment wins). */
export function compareFacts(a: Pick<Fact, 'at' | 'id'>, b: Pick<Fact, 'at' | 'id'>): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
