/**
 * The words the screens use for the engine's codes, kept equal to the README's glossary (aging bucket,
 * promise to pay, dispute, escalation, tickler, DSO, CEI) so the app, the CLI and the docs say the same.
 */
import { defaultDueDateAging, type AgingConfig } from '../../domain/aging';
import { RULE_TITLES, type RuleId } from '../../domain/compliance';
import type { ActivityChannel } from '../../domain/facts';
import { DEFAULT_OUTCOME_LIST } from '../../domain/outcomes';
import type { NextActionKind } from '../../domain/strategy';
import type { ScoreComponent } from '../../domain/worklist';

export const ACTION_LABELS: Readonly<Record<NextActionKind, string>> = {
  call: 'Call',
  visit: 'Field visit',
  email: 'Email',
  sms: 'SMS',
  letter: 'Letter',
  statement: 'Statement',
  escalate: 'Escalation',
  hold: 'Hold',
  place: 'Place with agency or legal',
  callback: 'Callback (tickler)',
  'promise-follow-up': 'Promise to pay follow-up',
  'broken-promise-follow-up': 'Broken promise to pay',
  'review-dispute': 'Review dispute',
};

export const CHANNEL_LABELS: Readonly<Record<ActivityChannel, string>> = {
  call: 'Call',
  visit: 'Visit',
  email: 'Email',
  sms: 'SMS',
  letter: 'Letter',
  note: 'Note',
};

const OUTCOMES = new Map(DEFAULT_OUTCOME_LIST.map((o) => [o.code, o.label]));
OUTCOMES.set('promise-taken', 'Promise to pay taken');

/** A team's own outcome codes have no label here: their code, de-hyphenated, is shown. */
export function outcomeLabel(code: string): string {
  return OUTCOMES.get(code) ?? code.replace(/-/g, ' ');
}

export const COMPONENT_LABELS: Readonly<Record<ScoreComponent['id'], string>> = {
  'amount-days-past-due': 'Amount × days past due',
  bucket: 'Aging bucket',
  'promise-due-today': 'Promise to pay due today',
  'broken-promise': 'Broken promise to pay',
  'open-dispute': 'Open dispute',
  callback: 'Callback due',
  'days-since-contact': 'Days since last contact',
  'strategy-level': 'Strategy level',
  risk: 'Risk grade',
};

export function ruleTitle(rule: RuleId): string {
  return RULE_TITLES[rule];
}

/** Bucket label ("61–90") from the team's aging config; an unknown id shows as itself. */
export function bucketLabel(bucketId: string | null, aging: AgingConfig | undefined): string {
  if (bucketId === null) return 'Nothing past due';
  const b = (aging ?? defaultDueDateAging).buckets.find((x) => x.id === bucketId);
  if (b === undefined) return bucketId;
  return b.id === 'current' ? b.label : `${b.label} days`;
}

export const ROLE_LABELS: Readonly<Record<string, string>> = {
  collector: 'Collector',
  manager: 'Manager',
  viewer: 'Viewer',
  admin: 'Administrator',
};

export const FACT_LABELS: Readonly<Record<string, string>> = {
  activity: 'Activity',
  promise: 'Promise to pay taken',
  'promise-cancelled': 'Promise to pay cancelled',
  dispute: 'Dispute raised',
  'dispute-resolved': 'Dispute resolved',
  escalation: 'Escalation raised',
  'escalation-resolved': 'Escalation resolved',
  task: 'Tickler task scheduled',
  'task-closed': 'Tickler task closed',
  hold: 'Hold placed',
  'hold-released': 'Hold released',
  assignment: 'Assignment',
  claim: 'Claimed',
  'claim-released': 'Claim released',
  'strategy-override': 'Strategy override',
  'field-receipt': 'Field payment',
};

export const DISPUTE_REASON_LABELS: Readonly<Record<string, string>> = {
  pricing: 'Pricing',
  quantity: 'Quantity',
  quality: 'Quality',
  'not-received': 'Goods or service not received',
  'duplicate-billing': 'Billed twice',
  'already-paid': 'Already paid',
  terms: 'Terms',
  other: 'Other',
};

/** A team's own dispute reason codes have no label here: their code, de-hyphenated, is shown. */
export function disputeReasonLabel(code: string): string {
  return DISPUTE_REASON_LABELS[code] ?? code.replace(/-/g, ' ');
}

/**
 * How a dispute ended (DISPUTE_OUTCOMES). Any outcome ends the dispute: the engine puts its invoices
 * back in the strategy's flow (folds.ts), so an upheld dispute needs its credit note in the ERP.
 */
export const DISPUTE_OUTCOME_LABELS = {
  upheld: { label: 'Upheld', hint: 'the customer is right: have the invoices credited or corrected in the ERP' },
  rejected: { label: 'Rejected', hint: 'the invoices stand as billed' },
  withdrawn: { label: 'Withdrawn', hint: 'the customer dropped the dispute' },
} as const;

export const DISPUTE_STATUS_LABELS: Readonly<Record<string, string>> = { open: 'Open', upheld: 'Upheld', rejected: 'Rejected', withdrawn: 'Withdrawn' };

export const PROMISE_STATUS_LABELS: Readonly<Record<string, string>> = {
  open: 'Open',
  kept: 'Kept',
  'partially-kept': 'Partly kept',
  broken: 'Broken',
  cancelled: 'Cancelled',
  superseded: 'Replaced by a later promise',
};

export const TASK_STATUS_LABELS: Readonly<Record<string, string>> = { open: 'Open', done: 'Done', skipped: 'Skipped' };

/** A derived escalation's id (`derived:<kind>:<key>`, strategy-escalations.ts) in words. */
export function derivedEscalationLabel(id: string): string | undefined {
  const [prefix, kind, ...rest] = id.split(':');
  if (prefix !== 'derived') return undefined;
  switch (kind) {
    case 'dispute':
      return 'open dispute';
    case 'broken-promise':
      return 'broken promise to pay';
    case 'erp-dispute':
      return `invoice ${rest.join(':')} disputed in the ERP`;
    case 'large-balance':
      return 'large balance';
    default:
      return kind;
  }
}
