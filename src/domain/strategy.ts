/**
 * The strategy engine's public face: strategy as data (strategy-schema.ts), its evaluation for one
 * account (strategy-evaluate.ts: the order of the rules; strategy-metrics.ts, strategy-escalations.ts,
 * strategy-follow-ups.ts, strategy-steps.ts, strategy-decision.ts, strategy-compile.ts,
 * strategy-time.ts: its parts), and which strategy an account follows. Import from here; the strategy-* files are its parts.
 * docs/strategy.md describes the format and the evaluation rules.
 */
import type { AccountState } from './account-state';
import type { Account } from './ledger';
import type { StrategyConfig } from './strategy-schema';

export {
  ACTION_KINDS,
  CONTACT_KINDS,
  STRATEGY_SCHEMA_VERSION,
  actionSchema,
  describeStrategyIssues,
  escalationConfigSchema,
  isContactKind,
  levelSchema,
  parseStrategy,
  pauseSchema,
  predicatesSchema,
  roleSchema,
  stepSchema,
  strategyConfigSchema,
  strategySchema,
  type ActionKind,
  type ContactKind,
  type EscalationConfig,
  type PredicateName,
  type Predicates,
  type PredicatesInput,
  type Role,
  type Strategy,
  type StrategyAction,
  type StrategyConfig,
  type StrategyInput,
  type StrategyLevel,
  type StrategyPause,
  type StrategyStep,
} from './strategy-schema';
export { actionLabel, compileStrategy, type CompiledStrategy } from './strategy-compile';
export { measureAccount, type AccountMetrics } from './strategy-metrics';
export {
  CALLBACK_LEAD_HOURS,
  NEXT_ACTION_KINDS,
  WAITING_REASONS,
  type NextAction,
  type NextActionKind,
  type StrategyDecision,
  type StrategyWaiting,
  type WaitingReason,
} from './strategy-decision';
export { evaluateStrategy, type EvaluateStrategyInput } from './strategy-evaluate';

/**
 * The strategy an account follows: a manager's override on the account, else its segment's, else the
 * configured default. An id that names no strategy falls through to the next rule (an override that
 * outlived its strategy must not leave the account without one); a missing default is a configuration
 * error, refused loudly (check it with `strategyConfigProblems` when the configuration is loaded).
 * Generic so the worklist can pass its compiled strategies.
 */
export function selectStrategy<S extends { readonly id: string }>(
  account: Pick<Account, 'segment'>,
  state: Pick<AccountState, 'strategyOverride'>,
  config: StrategyConfig,
  strategies: ReadonlyMap<string, S>,
): S {
  const override = state.strategyOverride === undefined ? undefined : strategies.get(state.strategyOverride);
  if (override !== undefined) return override;
  const segmentId = config.bySegment[account.segment];
  const bySegment = segmentId === undefined ? undefined : strategies.get(segmentId);
  if (bySegment !== undefined) return bySegment;
  const fallback = strategies.get(config.default);
  if (fallback === undefined) throw new RangeError(`the default strategy "${config.default}" is not defined`);
  return fallback;
}

/** What is wrong with a strategy configuration against the strategies defined: `path: message` lines. */
export function strategyConfigProblems(config: StrategyConfig, strategies: ReadonlyMap<string, unknown>): string[] {
  const problems: string[] = [];
  if (!strategies.has(config.default)) problems.push(`default: no strategy "${config.default}"`);
  for (const [segment, id] of Object.entries(config.bySegment))
    if (!strategies.has(id)) problems.push(`bySegment.${segment}: no strategy "${id}"`);
  return problems;
}
