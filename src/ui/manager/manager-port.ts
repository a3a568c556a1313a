/**
 * What the manager screens need beyond CollectorApp: the server's aging and KPI figures, the import
 * API (dry-run, then commit), the team's strategies and the simulation preview. The composition root
 * adapts the app layer to this port; while the app layer offers none of it, `ManagerContext` is null
 * and the screens that need it say so instead of failing.
 *
 * Aging and KPIs come from the server because they need the whole ledger history (countback DSO, CEI),
 * which a device does not hold.
 */
import type { PortfolioAging } from '../../domain/aging';
import type { CalendarDate } from '../../domain/calendar';
import type { ImportError } from '../../domain/import/import-error';
import type { PortfolioKpis } from '../../domain/kpi';
import type { SimulationResult } from '../../domain/simulation';
import type { Strategy, StrategyConfig } from '../../domain/strategy';

export type ImportMode = 'dry-run' | 'all-or-nothing';

export interface ImportRequest {
  readonly csv: string;
  /** A preset name ("dunwell", "ibm") or a mapping object (docs/import.md). */
  readonly mapping: string | Readonly<Record<string, unknown>>;
  readonly mode: ImportMode;
  readonly full: boolean;
  readonly asOf?: CalendarDate;
}

/** The server's import report (docs/api.md). */
export interface ImportReport {
  readonly status: 'committed' | 'rejected' | 'dry-run';
  readonly rows: number;
  readonly skipped: number;
  readonly valid: { readonly accounts: number; readonly documents: number; readonly payments: number };
  readonly errorCount: number;
  readonly errors: readonly ImportError[];
  readonly commit?: { readonly inserted: number; readonly updated: number; readonly unchanged: number; readonly closed: number } | undefined;
}

/** A refusal that is not a report (bad mapping, too large, not allowed): its message is for the user. */
export class ManagerRequestError extends Error {}

/** The strategy editor's needs: the team's strategies as the device holds them, and the simulation over its portfolio. */
export interface StrategyLab {
  /** The team's strategies and which segment follows which (the config doc). */
  strategies(): { readonly strategies: readonly Strategy[]; readonly config: StrategyConfig };
  /** What `strategy` would do to the open portfolio over the next `days` (domain/simulation.ts). */
  simulate(strategy: Strategy, days: number): Promise<SimulationResult>;
}

export interface ManagerPort {
  aging(asOf?: CalendarDate): Promise<PortfolioAging>;
  kpis(asOf?: CalendarDate, from?: CalendarDate): Promise<PortfolioKpis>;
  importCsv(request: ImportRequest): Promise<ImportReport>;
  /** Absent while the app layer does not expose the team's strategies and the simulation. */
  readonly strategyLab?: StrategyLab;
}
