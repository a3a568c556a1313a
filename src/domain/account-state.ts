/**
 * The current state of one account as the fold computes it from its facts and its ledger (folds.ts).
 * This file is the contract between the fold and its readers (strategy, compliance, worklist, UI):
 * plain data, no behaviour, so every device shows the same state for the same inputs.
 */
import type { CalendarDate } from './calendar';
import type {
  FieldReceiptFact,
  ActivityFact,
  DisputeFact,
  EscalationFact,
  HoldFact,
  Instant,
  PromiseFact,
  TaskFact,
} from './facts';
import type { CurrencyCode, Minor } from './money';

export const PROMISE_STATUSES = ['open', 'kept', 'partially-kept', 'broken', 'cancelled', 'superseded'] as const;
export type PromiseStatus = (typeof PROMISE_STATUSES)[number];

export const INSTALMENT_STATUSES = ['pending', 'kept', 'partially-kept', 'broken'] as const;
export type InstalmentStatus = (typeof INSTALMENT_STATUSES)[number];

export interface InstalmentState {
  readonly dueDate: CalendarDate;
  readonly amount: Minor;
  /** Of the payments counted toward the promise, what went to this instalment (cumulative, in order). */
  readonly paid: Minor;
  /** dueDate + graceDays: a payment up to this day still keeps the instalment. */
  readonly graceEnds: CalendarDate;
  readonly status: InstalmentStatus;
}

/**
 * A promise to pay, followed to kept or broken from the ledger's payments (whoever took them), counted
 * from the day the promise was taken.
 * - kept: every instalment was paid in full by the end of its grace days;
 * - broken: an instalment's grace ended with nothing paid toward it;
 * - partially-kept: an instalment's grace ended with some but not all of it paid;
 * - open: no instalment has failed and some are still pending;
 * - cancelled / superseded: a cancellation fact, or a later promise taken while this one was open.
 */
export interface PromiseState {
  readonly id: string;
  readonly fact: PromiseFact;
  readonly currency: CurrencyCode;
  readonly status: PromiseStatus;
  readonly takenOn: CalendarDate;
  readonly instalments: readonly InstalmentState[];
  readonly promised: Minor;
  readonly paid: Minor;
  /** The first pending instalment's due date, while the promise is open. */
  readonly nextDueDate?: CalendarDate;
  /** The day the promise became broken or partially kept (the failing instalment's grace end + 1). */
  readonly failedOn?: CalendarDate;
}

export const DISPUTE_STATUSES = ['open', 'upheld', 'rejected', 'withdrawn'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

export interface DisputeState {
  readonly id: string;
  readonly fact: DisputeFact;
  readonly status: DisputeStatus;
  readonly openedAt: Instant;
  readonly resolvedAt?: Instant;
}

export interface EscalationState {
  /** The fact's id for a manual escalation; `derived:<reason>` for one the engine raises. */
  readonly id: string;
  readonly source: 'manual' | 'derived';
  readonly reason: string;
  readonly toRole?: string;
  readonly toUser?: string;
  readonly openedAt: Instant;
  readonly fact?: EscalationFact;
}

export interface TaskState {
  readonly id: string;
  readonly fact: TaskFact;
  readonly status: 'open' | 'done' | 'skipped';
  readonly dueAt: Instant;
  readonly closedAt?: Instant;
}

export interface HoldState {
  readonly id: string;
  readonly fact: HoldFact;
  /** Not released and `until` not passed at asOf. */
  readonly active: boolean;
}

/**
 * One contact attempt, as compliance counts them (Regulation F counts calls per debt): the activity fact
 * itself, read through the fields that matter here (`id` is the fact's id; `documentNumbers`, the debts
 * it was about, empty meaning every debt of the account). The fold keeps the facts rather than a copy of
 * each: a worklist keeps the attempts of every account, some 130k objects for 20k accounts. Whether an
 * attempt was a conversation depends on the team's outcome list: `AccountState.conversations` says.
 */
export type ContactAttempt = Pick<ActivityFact, 'id' | 'at' | 'channel' | 'outcome'> & { readonly documentNumbers: readonly string[] };

/**
 * A strategy step carried out (an activity with its stepId, or a task for it closed), with its latest
 * time. An activity's entry is the activity fact itself.
 */
export interface StepDone {
  readonly stepId: string;
  readonly at: Instant;
}

/**
 * A field receipt (facts.ts): `posted` once a ledger payment carries its number, `duplicate` when an
 * earlier receipt of the account has the same number (not counted again), else `unposted`.
 */
export interface FieldReceiptState {
  readonly id: string;
  readonly fact: FieldReceiptFact;
  readonly status: 'unposted' | 'posted' | 'duplicate';
}

export interface AccountState {
  readonly accountNumber: string;
  /** All promises, oldest first; `currentPromise` is the newest one not cancelled or superseded. */
  readonly promises: readonly PromiseState[];
  readonly currentPromise?: PromiseState;
  readonly disputes: readonly DisputeState[];
  /** Document numbers under an open dispute: they leave the dunning flow. */
  readonly disputedDocuments: ReadonlySet<string>;
  /** Open manual escalations (derived ones are added by the strategy, which knows the thresholds). */
  readonly escalations: readonly EscalationState[];
  /** Escalation ids (manual or derived) resolved by a fact. */
  readonly resolvedEscalations: ReadonlySet<string>;
  readonly tasks: readonly TaskState[];
  readonly holds: readonly HoldState[];
  /** An active hold on the whole account. */
  readonly accountHold?: HoldState;
  /** Documents under an active document-level hold. */
  readonly heldDocuments: ReadonlySet<string>;
  /** The last assignment wins (by `at`, then id); null or absent: unassigned. */
  readonly assignedTo: string | null;
  readonly claim?: { readonly by: string; readonly expiresAt: Instant; readonly id: string };
  readonly strategyOverride?: string;
  /** Payments taken in the field, oldest first; unposted ones count toward promises like ledger payments. */
  readonly fieldReceipts: readonly FieldReceiptState[];
  /** Contact activities (not notes), oldest first. */
  readonly attempts: readonly ContactAttempt[];
  /** The attempts whose outcome is a conversation (the team's outcome list), oldest first: the same objects. */
  readonly conversations: readonly ContactAttempt[];
  readonly lastContactAt?: Instant;
  readonly lastOutcome?: string;
  readonly lastConversationAt?: Instant;
  /** A callback the debtor asked for and nobody has made since. */
  readonly callbackAt?: Instant;
  /**
   * Strategy steps carried out (activity with stepId, or a task for it closed), each step once with its
   * latest time, in the order they were first carried out. A list rather than a Map: a worklist keeps
   * one per account, and the steps of an account are a handful.
   */
  readonly stepsDone: readonly StepDone[];
}
