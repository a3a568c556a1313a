/** `dunwell worklist` and `dunwell simulate`: the strategy engine over a portfolio in the store. */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { isCalendarDate, type CalendarDate } from '../../src/domain/calendar';
import { COMPLIANCE_PRESETS } from '../../src/domain/compliance';
import { instantSchema, type Instant } from '../../src/domain/facts';
import { simulate } from '../../src/domain/simulation';
import { parseStrategy, type Strategy } from '../../src/domain/strategy';
import { STRATEGY_PRESETS, strategyConfig } from '../../src/domain/strategy-presets';
import { Worklist, WORKLIST_SCOPES, type WorklistConfig, type WorklistFilter } from '../../src/domain/worklist';
import { SqliteFactStore } from '../store/sqlite-fact-store';
import type { SqliteLedgerStore } from '../store/sqlite-ledger-store';
import { EXIT, UsageError, intArg, portfolioArg, readFileArg, type CliContext } from './args';
import { formatSimulation, formatWorklist } from './format-engine';

/** An instant, or a plain date meaning noon UTC of that day (a working hour in most of the world). */
export function instantArg(value: string): Instant {
  if (isCalendarDate(value)) return `${value}T12:00:00.000Z`;
  const r = instantSchema.safeParse(value);
  if (!r.success) throw new InvalidArgumentError(`expected an instant like 2026-11-24T14:00:00Z or a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return r.data;
}

function choice<T extends string>(allowed: readonly T[]) {
  return (value: string): T => {
    if (!(allowed as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}`);
    return value as T;
  };
}

function complianceArg(value: string) {
  const pack = COMPLIANCE_PRESETS[value as keyof typeof COMPLIANCE_PRESETS] as (typeof COMPLIANCE_PRESETS)[keyof typeof COMPLIANCE_PRESETS] | undefined;
  if (!pack) throw new InvalidArgumentError(`expected one of ${Object.keys(COMPLIANCE_PRESETS).join(', ')}`);
  return pack;
}

function loadStrategy(arg: string): Strategy {
  const preset = STRATEGY_PRESETS.get(arg);
  if (preset) return preset;
  if (/^[a-z][a-z0-9-]*$/.test(arg)) throw new UsageError(`no strategy preset ${arg}: the presets are ${[...STRATEGY_PRESETS.keys()].join(', ')}, or give a JSON file`);
  const text = readFileArg(arg, 'the strategy file');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`the strategy file ${arg} is not JSON: ${(e as Error).message}`);
  }
  const r = parseStrategy(json);
  if (!r.ok) throw new UsageError(`the strategy in ${arg} is not valid:\n  ${r.errors.join('\n  ')}`);
  return r.strategy;
}

interface Helpers {
  withStore<T>(ctx: CliContext, fn: (store: SqliteLedgerStore) => T): T;
  today(): CalendarDate;
}

function loadPortfolio(store: SqliteLedgerStore, portfolioId: string) {
  if (!store.getPortfolio(portfolioId)) throw new UsageError(`no portfolio ${portfolioId}`);
  return { ledger: store.ledger(portfolioId), facts: new SqliteFactStore(store.db).list(portfolioId) };
}

export function engineCommands(program: Command, ctx: CliContext, h: Helpers): void {
  program
    .command('worklist')
    .description('who to work and what to do next: the prioritized worklist of a portfolio')
    .requiredOption('--portfolio <id>', 'portfolio id', portfolioArg)
    .option('--as-of <instant>', 'the moment to compute it for (default now); a date means noon UTC', instantArg)
    .option('--collector <id>', "the collector asking: with it, the default scope is the collector's own accounts")
    .option('--scope <scope>', WORKLIST_SCOPES.join(' | '), choice(WORKLIST_SCOPES))
    .option('--bucket <id>', 'only accounts whose oldest past-due invoice is in this aging bucket (e.g. 31-60)')
    .option('--action <kind>', 'only this next action (call, visit, email, letter, callback, promise-follow-up…)')
    .option('--due <when>', 'due (by the end of the day) | overdue (from before today)', choice(['due', 'overdue'] as const))
    .option('--limit <n>', 'at most this many accounts', intArg(1, 1_000_000), 50)
    .option('--compliance <pack>', 'compliance rule pack', complianceArg, COMPLIANCE_PRESETS['regulation-f'])
    .option('--json', 'print JSON')
    .action((o: { portfolio: string; asOf?: Instant; collector?: string; scope?: WorklistFilter['scope']; bucket?: string; action?: string; due?: 'due' | 'overdue'; limit: number; compliance: WorklistConfig['compliance']; json?: boolean }) => {
      const asOf = o.asOf ?? new Date().toISOString();
      const scope = o.scope ?? (o.collector === undefined ? 'team' : 'mine');
      if (scope === 'mine' && o.collector === undefined) throw new UsageError('--scope mine needs --collector');
      const { ledger, facts } = h.withStore(ctx, (store) => loadPortfolio(store, o.portfolio));
      const worklist = new Worklist(ledger, facts, { strategies: STRATEGY_PRESETS, selection: strategyConfig, compliance: o.compliance }, asOf);
      const filter: WorklistFilter = {
        scope,
        limit: o.limit,
        ...(o.collector === undefined ? {} : { collector: o.collector }),
        ...(o.bucket === undefined ? {} : { bucket: o.bucket }),
        ...(o.action === undefined ? {} : { actionKind: o.action as never }),
        ...(o.due === undefined ? {} : { due: o.due }),
      };
      const entries = worklist.query(filter);
      if (o.json) {
        ctx.io.out(
          JSON.stringify(
            {
              portfolioId: o.portfolio,
              asOf,
              filter,
              entries: entries.map((e) => ({
                accountNumber: e.accountNumber,
                accountName: e.accountName,
                assignedTo: e.assignedTo,
                score: e.score,
                components: e.components,
                next: e.decision.next,
                waiting: e.decision.waiting,
                level: e.decision.level,
                matched: e.decision.matched,
                metrics: e.decision.metrics,
                escalations: e.decision.escalations,
                compliance: e.compliance,
                dueAt: e.dueAt,
              })),
            },
            null,
            2,
          ),
        );
      } else ctx.io.out(formatWorklist(o.portfolio, asOf, entries));
    });

  program
    .command('simulate')
    .description('what a strategy would do to the portfolio over the next days (actions per day, accounts per level)')
    .requiredOption('--portfolio <id>', 'portfolio id', portfolioArg)
    .requiredOption('--strategy <preset|file>', `a preset (${[...STRATEGY_PRESETS.keys()].join(', ')}), "current" for each account's own, or a JSON file`)
    .option('--days <n>', 'days to simulate', intArg(1, 366), 30)
    .option('--as-of <instant>', 'the first day (default now)', instantArg)
    .option('--compliance <pack>', 'compliance rule pack', complianceArg, COMPLIANCE_PRESETS['regulation-f'])
    .option('--json', 'print JSON')
    .action((o: { portfolio: string; strategy: string; days: number; asOf?: Instant; compliance: WorklistConfig['compliance']; json?: boolean }) => {
      const strategy = o.strategy === 'current' ? undefined : loadStrategy(o.strategy);
      const { ledger, facts } = h.withStore(ctx, (store) => loadPortfolio(store, o.portfolio));
      const result = simulate({
        ledger,
        facts,
        config: { strategies: STRATEGY_PRESETS, selection: strategyConfig, compliance: o.compliance },
        start: o.asOf ?? new Date().toISOString(),
        days: o.days,
        ...(strategy === undefined ? {} : { strategy }),
      });
      ctx.io.out(o.json ? JSON.stringify({ portfolioId: o.portfolio, strategy: o.strategy, ...result }, null, 2) : formatSimulation(o.portfolio, o.strategy, result));
      ctx.setExit(EXIT.ok);
    });
}
