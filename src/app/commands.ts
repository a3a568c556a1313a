/**
 * The one typed command map between the UI and the engine (STYLE.md habit 4): every change a user makes
 * is a named command with a zod input, so validation, audit and the facts it writes live in one place.
 *
 * Most commands write one team fact: their input is the fact without its envelope (v, id, by, at,
 * deviceId, portfolioId, type), which the app fills from the session, the device and its clock; the
 * whole fact is then parsed with `factSchema`, so a refinement (instalment dates increasing, allocations
 * not above the payment) refuses the command with the field that failed.
 */
import { z } from 'zod';
import {
  activityFactSchema,
  assignmentFactSchema,
  claimFactSchema,
  claimReleasedFactSchema,
  disputeFactSchema,
  disputeResolvedFactSchema,
  escalationFactSchema,
  escalationResolvedFactSchema,
  fieldReceiptFactSchema,
  holdFactSchema,
  holdReleasedFactSchema,
  promiseCancelledFactSchema,
  promiseFactSchema,
  strategyOverrideFactSchema,
  taskClosedFactSchema,
  taskFactSchema,
} from '../domain/facts';
import { strategySchema } from '../domain/strategy-schema';

const ENVELOPE = { v: true, id: true, by: true, at: true, deviceId: true, portfolioId: true, type: true } as const;

export const commandSchemas = {
  'activity/log': z.object(activityFactSchema.shape).omit(ENVELOPE),
  'promise/take': z.object(promiseFactSchema.shape).omit(ENVELOPE),
  'promise/cancel': z.object(promiseCancelledFactSchema.shape).omit(ENVELOPE),
  'dispute/raise': z.object(disputeFactSchema.shape).omit(ENVELOPE),
  'dispute/resolve': z.object(disputeResolvedFactSchema.shape).omit(ENVELOPE),
  'escalation/raise': z.object(escalationFactSchema.shape).omit(ENVELOPE),
  'escalation/resolve': z.object(escalationResolvedFactSchema.shape).omit(ENVELOPE),
  'task/schedule': z.object(taskFactSchema.shape).omit(ENVELOPE),
  'task/close': z.object(taskClosedFactSchema.shape).omit(ENVELOPE),
  'hold/place': z.object(holdFactSchema.shape).omit(ENVELOPE),
  'hold/release': z.object(holdReleasedFactSchema.shape).omit(ENVELOPE),
  /** Bulk: one assignment fact per account. */
  'account/assign': z.object({ accountNumbers: z.array(z.string().min(1)).min(1).max(50_000), collector: assignmentFactSchema.shape.collector }),
  /** "I am working this account" for `minutes` (default 30). */
  'account/claim': z.object({ accountNumber: claimFactSchema.shape.accountNumber, minutes: z.number().int().min(1).max(480).default(30) }),
  'account/release-claim': z.object(claimReleasedFactSchema.shape).omit(ENVELOPE),
  'strategy/override': z.object(strategyOverrideFactSchema.shape).omit(ENVELOPE),
  'payment/record': z.object(fieldReceiptFactSchema.shape).omit(ENVELOPE),
  /** Team configuration (the config doc), not facts: managers and admins only. */
  'strategy/save': z.object({ strategy: strategySchema }),
  'strategy/assign-segment': z.object({ segment: z.string().min(1), strategyId: z.string().min(1).nullable() }),
} as const;

export type CommandName = keyof typeof commandSchemas;
export type CommandInput<K extends CommandName> = z.input<(typeof commandSchemas)[K]>;

export interface CommandError {
  /** `invalid` (input), `forbidden` (role), `not_found` (account, promise…), `storage` (the device could not save). */
  readonly code: 'invalid' | 'forbidden' | 'not_found' | 'storage';
  readonly message: string;
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
}

export type CommandResult<K extends CommandName = CommandName> =
  | {
      readonly ok: true;
      readonly command: K;
      /** The ids of the facts written (empty for configuration commands). */
      readonly factIds: readonly string[];
      /** Not refusals: e.g. a contact logged outside calling hours is recorded, and the rule named. */
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly command: K; readonly error: CommandError };

/** Commands a role may run (viewers run none; strategy configuration is for managers and admins). */
export const MANAGER_COMMANDS: ReadonlySet<CommandName> = new Set(['strategy/save', 'strategy/assign-segment', 'strategy/override', 'account/assign']);
