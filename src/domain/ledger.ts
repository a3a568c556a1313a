/**
 * The receivables ledger: what the ERP says is owed. Authoritative on the server, read-only on devices
 * (DESIGN.md §2). Every shape here is parsed with zod where it crosses a boundary (import, HTTP, Dexie).
 *
 * Sign convention: invoices carry positive amounts, credit notes negative ones, so an account's balance
 * is a plain sum and a credit note ages in the bucket of its own date as a reduction.
 */
import { z } from 'zod';
import { calendarDateSchema } from './calendar';
import { currencySchema, minorSchema, moneySchema } from './money';

export const portfolioIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'expected a portfolio id of lowercase letters, digits and dashes' });
export type PortfolioId = z.infer<typeof portfolioIdSchema>;

export const portfolioSchema = z.object({
  id: portfolioIdSchema,
  name: z.string().min(1),
});
export type Portfolio = z.infer<typeof portfolioSchema>;

export const RISK_GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export const riskGradeSchema = z.enum(RISK_GRADES);
export type RiskGrade = z.infer<typeof riskGradeSchema>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z.string().refine(isTimeZone, { message: 'expected an IANA time zone such as America/Chicago' });

/** Account-level restrictions that hold whatever the channel (a channel's own opt-out is on the contact). */
export const doNotContactSchema = z.object({
  /** The debtor asked us to cease communication: only legally required notices may go out. */
  cease: z.boolean().default(false),
  /** Represented by an attorney, bankruptcy, deceased…: no collector contact at all. */
  doNotContact: z.boolean().default(false),
  reason: z.string().optional(),
});
export type DoNotContact = z.infer<typeof doNotContactSchema>;

/** An account is a customer (debtor) of the portfolio, keyed by its ERP customer number. */
export const accountSchema = z.object({
  portfolioId: portfolioIdSchema,
  number: z.string().min(1),
  name: z.string().min(1),
  segment: z.string().default('default'),
  tags: z.array(z.string()).default([]),
  creditLimit: moneySchema.optional(),
  riskGrade: riskGradeSchema.optional(),
  timeZone: timeZoneSchema.default('UTC'),
  language: z.string().default('en'),
  restrictions: doNotContactSchema.default({ cease: false, doNotContact: false }),
});
export type Account = z.infer<typeof accountSchema>;

export const CONTACT_ROLES = ['ap', 'billing', 'guarantor', 'legal', 'field'] as const;
export const CHANNELS = ['phone', 'mobile', 'email', 'sms', 'letter', 'visit'] as const;
export type ChannelKind = (typeof CHANNELS)[number];

export const contactChannelSchema = z.object({
  kind: z.enum(CHANNELS),
  /** Phone number, e-mail address or postal/visit address. */
  value: z.string().min(1),
  /** Prior express consent to be reached on this channel (autodialled calls and SMS need it). */
  consent: z.boolean().default(false),
  /** The debtor opted out of this channel: a hard stop, unlike a missing consent. */
  optedOut: z.boolean().default(false),
  /** A work number: "do not call at work" applies to it. */
  atWork: z.boolean().default(false),
});
export type ContactChannel = z.infer<typeof contactChannelSchema>;

/**
 * A collections contact: who at the debtor we talk to about paying. Kept apart from sales contacts on
 * purpose: a collector needs the AP clerk, the guarantor or the lawyer, not the buyer.
 */
export const collectionsContactSchema = z.object({
  portfolioId: portfolioIdSchema,
  id: z.string().min(1),
  accountNumber: z.string().min(1),
  name: z.string().min(1),
  role: z.enum(CONTACT_ROLES),
  primary: z.boolean().default(false),
  channels: z.array(contactChannelSchema).default([]),
});
export type CollectionsContact = z.infer<typeof collectionsContactSchema>;

export const DOCUMENT_KINDS = ['invoice', 'credit_note'] as const;
export const DOCUMENT_STATUSES = ['open', 'paid', 'closed'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/**
 * An invoice or a credit note. `open` is what the ERP says is still owed (negative for an unapplied
 * credit). `paidDate` is the day the open amount reached zero. `closed` means a full extract no longer
 * lists the document: the ERP settled or cancelled it in a way the extract does not show; it is kept,
 * never deleted, so history and KPIs stay whole.
 */
export const ledgerDocumentSchema = z
  .object({
    portfolioId: portfolioIdSchema,
    accountNumber: z.string().min(1),
    number: z.string().min(1),
    kind: z.enum(DOCUMENT_KINDS),
    issueDate: calendarDateSchema,
    dueDate: calendarDateSchema,
    currency: currencySchema,
    original: minorSchema,
    open: minorSchema,
    status: z.enum(DOCUMENT_STATUSES),
    paidDate: calendarDateSchema.optional(),
    /** The ERP's own dispute flag (a team's disputes are facts, see the strategy engine). */
    erpDisputed: z.boolean().default(false),
  })
  .superRefine((d, ctx) => {
    if (d.dueDate < d.issueDate) ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'due date is before the issue date' });
    const sign = d.kind === 'invoice' ? 1 : -1;
    if (sign * d.original < 0) ctx.addIssue({ code: 'custom', path: ['original'], message: `${d.kind} amount has the wrong sign` });
    if (sign * d.open < 0 || Math.abs(d.open) > Math.abs(d.original))
      ctx.addIssue({ code: 'custom', path: ['open'], message: 'open amount must lie between zero and the original amount' });
  });
export type LedgerDocument = z.infer<typeof ledgerDocumentSchema>;

export const PAYMENT_METHODS = ['cash', 'cheque', 'card', 'transfer', 'portal'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const allocationSchema = z.object({
  documentNumber: z.string().min(1),
  amount: minorSchema.refine((n) => n > 0, { message: 'an allocation is a positive amount' }),
});
export type Allocation = z.infer<typeof allocationSchema>;

/** A posted payment and the documents it settled. Unallocated remainder is cash on account. */
export const paymentSchema = z
  .object({
    portfolioId: portfolioIdSchema,
    id: z.string().min(1),
    accountNumber: z.string().min(1),
    receivedDate: calendarDateSchema,
    currency: currencySchema,
    amount: minorSchema.refine((n) => n > 0, { message: 'a payment is a positive amount' }),
    method: z.enum(PAYMENT_METHODS),
    reference: z.string().default(''),
    allocations: z.array(allocationSchema).default([]),
  })
  .superRefine((p, ctx) => {
    const total = p.allocations.reduce((s, a) => s + a.amount, 0);
    if (total > p.amount) ctx.addIssue({ code: 'custom', path: ['allocations'], message: 'allocations exceed the payment' });
  });
export type Payment = z.infer<typeof paymentSchema>;

/** Everything a device or the engine needs about one portfolio's receivables. */
export interface Ledger {
  readonly portfolio: Portfolio;
  readonly accounts: readonly Account[];
  readonly contacts: readonly CollectionsContact[];
  readonly documents: readonly LedgerDocument[];
  readonly payments: readonly Payment[];
}

export const ledgerSchema = z.object({
  portfolio: portfolioSchema,
  accounts: z.array(accountSchema),
  contacts: z.array(collectionsContactSchema),
  documents: z.array(ledgerDocumentSchema),
  payments: z.array(paymentSchema),
});

export function documentKey(d: { accountNumber: string; number: string }): string {
  return `${d.accountNumber}\u0000${d.number}`;
}

/**
 * Ledger rows changed after a cursor, as the server sends them to a device (`since` 0 is a snapshot).
 * Devices apply it to their read-only copy and keep `cursor` for the next pull.
 */
export const ledgerDeltaSchema = z.object({
  portfolioId: portfolioIdSchema,
  since: z.number().int().nonnegative(),
  cursor: z.number().int().nonnegative(),
  accounts: z.array(accountSchema),
  contacts: z.array(collectionsContactSchema),
  documents: z.array(ledgerDocumentSchema),
  payments: z.array(paymentSchema),
});
export type LedgerDelta = z.infer<typeof ledgerDeltaSchema>;
