/**
 * What an evaluation returns (`StrategyDecision`, `NextAction`, `StrategyWaiting`) and the helpers every
 * rule uses to build it: `decide`, and the pause rule for contact actions. Split from
 * strategy-evaluate.ts, which holds the order of the rules.
 */
import type { EscalationState } from './account-state';
import type { ActivityChannel, Instant } from './facts';
import type { CompiledLevel, CompiledStrategy } from './strategy-compile';
import type { AccountMetrics } from './strategy-metrics';
import { ACTION_KINDS, type StrategyAction } from './strategy-schema';
import { flat } from './retained';
import { DAY_MS, HOUR_MS, dateOfMs, dayOfMs, instantOfMs } from './strategy-time';

export const NEXT_ACTION_KINDS = [...ACTION_KINDS, 'callback', 'promise-follow-up', 'broken-promise-follow-up', 'review-dispute'] as const;
export type NextActionKind = (typeof NEXT_ACTION_KINDS)[number];

export const WAITING_REASONS = [
  'nothing-owed',
  'not-past-due',
  'hold',
  'pause',
  'min-contact-delay',
  'manual-step',
  'promise-open',
  'all-disputed',
  'step-not-due',
  'callback',
  'no-level',
] as const;
export type WaitingReason = (typeof WAITING_REASONS)[number];

/** A callback due within this many hours is on today's list already. */
export const CALLBACK_LEAD_HOURS = 4;
export const CALLBACK_LEAD_MS = CALLBACK_LEAD_HOURS * HOUR_MS;

export interface NextAction {
  readonly kind: NextActionKind;
  /** The activity that carries a contact action out. */
  readonly channel?: ActivityChannel;
  readonly template?: string;
  readonly stepId?: string;
  readonly levelId?: string;
  /** The step's action as configured: the role of an escalation, the days of a hold, agency or legal. */
  readonly action?: StrategyAction;
  readonly promiseId?: string;
  readonly disputeId?: string;
  readonly manual: boolean;
  readonly dueAt: Instant;
  /** For the collector: why this, why now. */
  readonly reason: string;
}

export interface StrategyWaiting {
  readonly reason: WaitingReason;
  readonly until?: Instant;
  readonly detail: string;
}

export interface StrategyDecision {
  readonly strategyId: string;
  readonly level: { readonly id: string; readonly name: string } | null;
  /** The level's position in the strategy (0 first), with `level`. */
  readonly levelIndex?: number;
  /** The level's predicates that held, human-readable: the "why" of the level. */
  readonly matched: readonly string[];
  readonly metrics: AccountMetrics;
  readonly next: NextAction | null;
  readonly waiting?: StrategyWaiting;
  /** Derived escalations only; manual ones are in `AccountState.escalations`. */
  readonly escalations: readonly EscalationState[];
}


export const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** Fields shared by every return of one evaluation. */
export interface Frame {
  readonly c: CompiledStrategy;
  readonly level: CompiledLevel | null;
  readonly matched: readonly string[];
  /** ` (…)` of `matched` when it is a shared one (MatchedText), written once with it; else undefined. */
  readonly because: string | undefined;
  readonly metrics: AccountMetrics;
  readonly escalations: readonly EscalationState[];
  readonly asOfMs: number;
}

export function decide(f: Frame, next: NextAction | null, waiting?: StrategyWaiting): StrategyDecision {
  // Literals, no spreads: this runs once per account per worklist build.
  const l = f.level;
  if (l === null)
    return waiting === undefined
      ? { strategyId: f.c.id, level: null, matched: f.matched, metrics: f.metrics, next, escalations: f.escalations }
      : { strategyId: f.c.id, level: null, matched: f.matched, metrics: f.metrics, next, waiting, escalations: f.escalations };
  return waiting === undefined
    ? { strategyId: f.c.id, level: l.ref, levelIndex: l.index, matched: f.matched, metrics: f.metrics, next, escalations: f.escalations }
    : { strategyId: f.c.id, level: l.ref, levelIndex: l.index, matched: f.matched, metrics: f.metrics, next, waiting, escalations: f.escalations };
}

/** The same rule as a pause: a time inside a pause moves to the start of the day after it (chained). */
export function pastPauses(c: CompiledStrategy, ms: number): { ms: number; pause: number } {
  const p = c.pauseDays;
  let day = dayOfMs(ms);
  let hit = -1;
  for (let i = 0; i < p.length; i += 2)
    if (day >= (p[i] as number) && day <= (p[i + 1] as number)) {
      day = (p[i + 1] as number) + 1;
      hit = i / 2;
    }
  return hit < 0 ? { ms, pause: -1 } : { ms: day * DAY_MS, pause: hit };
}

/**
 * A contact's due time after pauses: an overdue contact is done at asOf, so asOf's day is what a pause
 * must not cover; a future one, its own day.
 */
export function pauseContact(c: CompiledStrategy, dueMs: number, asOfMs: number): { ms: number; pause: number } {
  if (c.pauseDays.length === 0) return { ms: dueMs, pause: -1 };
  const r = pastPauses(c, Math.max(dueMs, asOfMs));
  return r.pause < 0 ? { ms: dueMs, pause: -1 } : r;
}

export function pauseWaiting(c: CompiledStrategy, pause: number, ms: number, what: string): StrategyWaiting {
  return {
    reason: 'pause',
    until: instantOfMs(ms),
    detail: flat(`No contact during the pause "${c.pauseReasons[pause] ?? ''}"; ${what} moves to ${dateOfMs(ms)}.`),
  };
}
