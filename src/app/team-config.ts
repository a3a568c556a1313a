/**
 * The team's configuration as the config doc holds it (src/protocol/rooms.ts): `Y.Map('strategies')`
 * (strategy id → strategy JSON) and `Y.Map('settings')` (the names below → JSON), parsed here with zod
 * like every value read from Yjs. A value that does not parse is quarantined and the shipped default
 * stands in for it, so a bad edit from an old client degrades to the presets instead of stopping the
 * worklist.
 */
import { z } from 'zod';
import { agingConfigSchema, defaultDueDateAging } from '../domain/aging';
import { compliancePackSchema, REGULATION_F } from '../domain/compliance';
import { outcomeSchema } from '../domain/outcomes';
import { STRATEGY_PRESETS, strategyConfig } from '../domain/strategy-presets';
import { strategyConfigProblems } from '../domain/strategy';
import { strategyConfigSchema, strategySchema, type Strategy, type StrategyConfig } from '../domain/strategy-schema';
import { scoreWeightsSchema, type WorklistConfig } from '../domain/worklist';
import type { QuarantinedRecord, TeamConfigValues } from './ports';

/** Setting names in `Y.Map('settings')` and the schema of each value. */
export const SETTINGS = {
  /** Which strategy each segment follows, and the default (strategyConfigSchema). */
  strategySelection: strategyConfigSchema,
  /** The compliance rule pack contacts are checked against. */
  compliancePack: compliancePackSchema,
  /** The team's outcome codes. */
  outcomes: z.array(outcomeSchema).min(1),
  aging: agingConfigSchema,
  scoreWeights: scoreWeightsSchema,
} as const;
export type SettingName = keyof typeof SETTINGS;

export interface TeamConfig {
  /** Presets, then the team's own strategies (same id: the team's wins). */
  readonly strategies: ReadonlyMap<string, Strategy>;
  readonly selection: StrategyConfig;
  readonly worklist: WorklistConfig;
  /** Records that failed to parse, for the quarantine. */
  readonly rejected: readonly Omit<QuarantinedRecord, 'portfolioId' | 'room' | 'at'>[];
  /** Configuration problems the defaults papered over (a segment naming a strategy nobody defined). */
  readonly problems: readonly string[];
}

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`);
}

function raw(value: unknown): string {
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 16 * 1024);
  } catch {
    return String(value);
  }
}

export function resolveTeamConfig(values: TeamConfigValues): TeamConfig {
  const rejected: { key: string; raw: string; issues: string[] }[] = [];
  const problems: string[] = [];
  const strategies = new Map<string, Strategy>(STRATEGY_PRESETS);
  for (const [id, value] of values.strategies) {
    const r = strategySchema.safeParse(value);
    if (!r.success) rejected.push({ key: `strategies/${id}`, raw: raw(value), issues: issuesOf(r.error) });
    else if (r.data.id !== id) rejected.push({ key: `strategies/${id}`, raw: raw(value), issues: [`id: stored under ${id} but its id is ${r.data.id}`] });
    else strategies.set(id, r.data);
  }
  const setting = <K extends SettingName>(name: K): z.infer<(typeof SETTINGS)[K]> | undefined => {
    if (!values.settings.has(name)) return undefined;
    const value = values.settings.get(name);
    const r = SETTINGS[name].safeParse(value);
    if (r.success) return r.data as z.infer<(typeof SETTINGS)[K]>;
    rejected.push({ key: `settings/${name}`, raw: raw(value), issues: issuesOf(r.error) });
    return undefined;
  };
  let selection = setting('strategySelection') ?? strategyConfig;
  const selectionProblems = strategyConfigProblems(selection, strategies);
  if (selectionProblems.length > 0) {
    problems.push(...selectionProblems.map((p) => `strategySelection.${p}`));
    // Keep the segments that name a known strategy; the default falls back to the shipped one.
    const bySegment: Record<string, string> = {};
    for (const [segment, id] of Object.entries(selection.bySegment)) if (strategies.has(id)) bySegment[segment] = id;
    selection = { default: strategies.has(selection.default) ? selection.default : strategyConfig.default, bySegment };
  }
  const outcomes = setting('outcomes');
  const weights = setting('scoreWeights');
  const worklist: WorklistConfig = {
    strategies,
    selection,
    compliance: setting('compliancePack') ?? REGULATION_F,
    aging: setting('aging') ?? defaultDueDateAging,
    ...(outcomes === undefined ? {} : { outcomes }),
    ...(weights === undefined ? {} : { weights }),
  };
  return { strategies, selection, worklist, rejected, problems };
}
