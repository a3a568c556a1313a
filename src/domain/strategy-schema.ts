/**
 * The collection strategy as data (DESIGN.md §4): a versioned JSON document a credit manager edits and
 * the engine evaluates. Ordered levels (OCA credit_control) each guarded by AND-predicates (Kill Bill
 * overdue), holding ordered steps with delays, a minimum delay between contacts and blocking manual
 * steps (Upflow), date-bounded pauses and delinquency ranges (Fineract), and the roles escalations go to.
 *
 * Every object is strict: a misspelt predicate ("daysPastdue") would otherwise be dropped silently and
 * the level would match accounts it was written to exclude. Refusals name the path of the offending
 * value (`levels.2.steps.0.id: …`) so the editor can point at it.
 */
import { z } from 'zod';
import { calendarDateSchema } from './calendar';
import { ROLES } from './facts';
import { RISK_GRADES } from './ledger';
import { currencySchema, minorSchema } from './money';

export const STRATEGY_SCHEMA_VERSION = 1;

/** Ids are referenced by facts (`stepId` on activities and tasks), so they are short and stable. */
const idSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'expected an id of lowercase letters, digits, dots, dashes or underscores' });
const templateSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'expected a template id of lowercase letters, digits, dots, dashes or underscores' });
const codeSchema = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, { message: 'expected an outcome code like right-party-contact' });

export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Bounds are inclusive; an absent bound is open. At least one bound, and min ≤ max. */
function rangeSchema(lo: number, hi: number) {
  const bound = z.number().int().min(lo).max(hi);
  return z
    .strictObject({ min: bound.optional(), max: bound.optional() })
    .refine((r) => r.min !== undefined || r.max !== undefined, { message: 'give min, max or both' })
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, { message: 'min is above max', path: ['max'] });
}

const DAYS = 36_500;

/** In minor units of the account's main currency; `currency` restricts the predicate to that currency. */
const balanceRangeSchema = z
  .strictObject({ min: minorSchema.optional(), max: minorSchema.optional(), currency: currencySchema.optional() })
  .refine((r) => r.min !== undefined || r.max !== undefined, { message: 'give min, max or both' })
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, { message: 'min is above max', path: ['max'] });

const nonEmpty = <T extends z.ZodType>(item: T) => z.array(item).min(1, { message: 'list at least one value (or leave the predicate out)' });

/**
 * One level's condition: every present field must hold (AND); an empty object always holds.
 * What each field reads is in docs/strategy.md and `AccountMetrics`.
 */
export const predicatesSchema = z.strictObject({
  /** Days past due of the oldest open invoice in the dunning flow (not disputed, not held); 0 if none is past due. */
  daysPastDue: rangeSchema(0, DAYS).optional(),
  /** Aging bucket id of that oldest invoice (ids of the aging config the evaluation uses). */
  bucket: nonEmpty(z.string().min(1)).optional(),
  balance: balanceRangeSchema.optional(),
  openInvoices: rangeSchema(0, 1_000_000).optional(),
  openDispute: z.boolean().optional(),
  /** The current promise is broken or partially kept. */
  brokenPromise: z.boolean().optional(),
  promiseOpen: z.boolean().optional(),
  /** Never contacted counts as infinitely long ago: a `min` holds, a `max` does not. */
  daysSinceLastContact: rangeSchema(0, DAYS).optional(),
  lastOutcome: nonEmpty(codeSchema).optional(),
  segment: nonEmpty(z.string().min(1)).optional(),
  tags: z
    .strictObject({ any: nonEmpty(z.string().min(1)).optional(), all: nonEmpty(z.string().min(1)).optional(), none: nonEmpty(z.string().min(1)).optional() })
    .refine((t) => t.any !== undefined || t.all !== undefined || t.none !== undefined, { message: 'give any, all or none' })
    .optional(),
  risk: nonEmpty(z.enum(RISK_GRADES)).optional(),
});
export type Predicates = z.infer<typeof predicatesSchema>;
/** As written in JSON (amounts and currencies not yet branded). */
export type PredicatesInput = z.input<typeof predicatesSchema>;
export type PredicateName = keyof Predicates;

export const actionSchema = z.discriminatedUnion('kind', [
  /** `template`: the call script. */
  z.strictObject({ kind: z.literal('call'), template: templateSchema.optional() }),
  /** `template`: the visit checklist or report form. */
  z.strictObject({ kind: z.literal('visit'), template: templateSchema.optional() }),
  z.strictObject({ kind: z.literal('email'), template: templateSchema }),
  z.strictObject({ kind: z.literal('sms'), template: templateSchema }),
  z.strictObject({ kind: z.literal('letter'), template: templateSchema }),
  /** A statement of account, e-mailed unless the debtor gets paper. */
  z.strictObject({ kind: z.literal('statement'), channel: z.enum(['email', 'letter']).default('email'), template: templateSchema.optional() }),
  z.strictObject({ kind: z.literal('escalate'), role: roleSchema }),
  /** Put the account on hold for this many days (a quiet period, e.g. after a final demand). */
  z.strictObject({ kind: z.literal('hold'), days: z.number().int().min(1).max(365) }),
  z.strictObject({ kind: z.literal('place'), with: z.enum(['agency', 'legal']) }),
]);
export type StrategyAction = z.infer<typeof actionSchema>;
export type ActionKind = StrategyAction['kind'];

export const ACTION_KINDS = ['call', 'visit', 'email', 'sms', 'letter', 'statement', 'escalate', 'hold', 'place'] as const;
/** Actions that reach the debtor: the minimum contact delay and pause windows apply to them. */
export const CONTACT_KINDS = ['call', 'visit', 'email', 'sms', 'letter', 'statement'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export function isContactKind(kind: string): kind is ContactKind {
  return kind === 'call' || kind === 'visit' || kind === 'email' || kind === 'sms' || kind === 'letter' || kind === 'statement';
}

export const stepSchema = z.strictObject({
  id: idSchema,
  /** For people: "Final demand letter". Defaults to a description of the action. */
  name: z.string().min(1).max(120).optional(),
  action: actionSchema,
  /**
   * The first step: days after the level was entered (negative: before, e.g. a reminder before the due
   * date). Later steps: days after the previous step was done.
   */
  afterDays: z.number().int().min(-60).max(365).default(0),
  /**
   * Needs a person's decision or report (review a letter, file a visit report, approve a placement):
   * only its own done or skipped (a task for the step closed, or an activity naming the step) moves the
   * strategy on, and the later steps wait for it.
   */
  manual: z.boolean().default(false),
});
export type StrategyStep = z.infer<typeof stepSchema>;

export const levelSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(120),
  description: z.string().max(2000).optional(),
  when: predicatesSchema.default({}),
  /** May be empty: a level without steps holds matching accounts still (a "do nothing" guard). */
  steps: z.array(stepSchema).max(50),
});
export type StrategyLevel = z.infer<typeof levelSchema>;

export const pauseSchema = z
  .strictObject({ from: calendarDateSchema, to: calendarDateSchema, reason: z.string().min(1).max(400) })
  .refine((p) => p.from <= p.to, { message: 'the pause ends before it starts', path: ['to'] });
export type StrategyPause = z.infer<typeof pauseSchema>;

export const escalationConfigSchema = z.strictObject({
  disputeOwnerRole: roleSchema.default('manager'),
  brokenPromiseRole: roleSchema.default('manager'),
  /** Days the dispute owner has to resolve a dispute before reviewing it is overdue. */
  disputeReviewDays: z.number().int().min(0).max(365).default(10),
  /** Escalate when everything open in this currency (disputed and held included) reaches `amount`. */
  largeBalance: z
    .strictObject({
      amount: minorSchema.refine((n) => n > 0, { message: 'a threshold is a positive amount' }),
      currency: currencySchema,
      role: roleSchema.default('manager'),
    })
    .optional(),
});
export type EscalationConfig = z.infer<typeof escalationConfigSchema>;

export const strategySchema = z
  .strictObject({
    schemaVersion: z.literal(STRATEGY_SCHEMA_VERSION),
    id: idSchema,
    name: z.string().min(1).max(120),
    description: z.string().max(4000).default(''),
    /** No contact step is due sooner than this many days after the last contact (any channel). */
    minContactDelayDays: z.number().int().min(0).max(90).default(0),
    levels: z.array(levelSchema).min(1, { message: 'a strategy needs at least one level' }).max(50),
    pauses: z.array(pauseSchema).max(200).default([]),
    escalation: escalationConfigSchema.default({ disputeOwnerRole: 'manager', brokenPromiseRole: 'manager', disputeReviewDays: 10 }),
  })
  .superRefine((s, ctx) => {
    const levelAt = new Map<string, number>();
    const stepAt = new Map<string, string>();
    s.levels.forEach((level, l) => {
      const seen = levelAt.get(level.id);
      if (seen !== undefined)
        ctx.addIssue({ code: 'custom', path: ['levels', l, 'id'], message: `level id "${level.id}" is used twice (also levels.${seen}.id)` });
      else levelAt.set(level.id, l);
      level.steps.forEach((step, i) => {
        const path = `levels.${l}.steps.${i}.id`;
        const other = stepAt.get(step.id);
        // Across the whole strategy: a fact names a step by its id alone.
        if (other !== undefined) ctx.addIssue({ code: 'custom', path: ['levels', l, 'steps', i, 'id'], message: `step id "${step.id}" is used twice (also ${other})` });
        else stepAt.set(step.id, path);
        if (i > 0 && step.afterDays < 0)
          ctx.addIssue({
            code: 'custom',
            path: ['levels', l, 'steps', i, 'afterDays'],
            message: `step "${step.id}": only a level's first step may come before the level is entered (a later step counts from the previous step done)`,
          });
      });
    });
  });
export type Strategy = z.infer<typeof strategySchema>;
export type StrategyInput = z.input<typeof strategySchema>;

/** Zod issues as `path: message` lines, the path dot-separated like the rest of the app's refusals. */
export function describeStrategyIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    return path === '' ? i.message : `${path}: ${i.message}`;
  });
}

/** Parses a strategy from JSON-like input; refusals are `path: message` lines. */
export function parseStrategy(input: unknown): { ok: true; strategy: Strategy } | { ok: false; errors: string[] } {
  const r = strategySchema.safeParse(input);
  return r.success ? { ok: true, strategy: r.data } : { ok: false, errors: describeStrategyIssues(r.error) };
}

/** Which strategy an account follows: an override on the account, else its segment's, else the default. */
export const strategyConfigSchema = z.strictObject({
  default: idSchema,
  bySegment: z.record(z.string().min(1), idSchema).default({}),
});
export type StrategyConfig = z.infer<typeof strategyConfigSchema>;
