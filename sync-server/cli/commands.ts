import { resolve } from 'node:path';
import type { Command } from 'commander';
import { utcDateOf, type CalendarDate } from '../../src/domain/calendar';
import { resolveMapping } from '../../src/domain/import/mapping';
import { analyzePortfolio } from '../../src/domain/kpi';
import { ledgerDbPath, roomLogDbPath } from '../config';
import { seedDemo } from '../demo/seed';
import { demoSignInHint, seedDemoUsers } from '../demo/demo-users';
import { ImportUsageError, runImport } from '../import/run-import';
import { applyServerHeapTuning, missingServerNodeOptions } from '../heap-tuning';
import { startServer } from '../server';
import { moveLegacyRoomLogs, openRoomLogDatabase, SqliteRoomLog } from '../relay/sqlite-room-log';
import { SqliteFactStore } from '../store/sqlite-fact-store';
import { SqliteLedgerStore } from '../store/sqlite-ledger-store';
import { engineCommands } from './engine-commands';
import { formatAging, formatImportReport, formatKpis } from './format';
import { EXIT, UsageError, dateArg, intArg, portfolioArg, readFileArg, type CliContext } from './args';

function today(): CalendarDate {
  return utcDateOf(new Date().toISOString());
}

function openStore(ctx: CliContext): SqliteLedgerStore {
  return new SqliteLedgerStore(ledgerDbPath(ctx.config().dataDir));
}

function withStore<T>(ctx: CliContext, fn: (store: SqliteLedgerStore) => T): T {
  const store = openStore(ctx);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

function readMapping(arg: string): unknown {
  // A preset name, or the path of a JSON mapping file.
  if (/^[a-z][a-z0-9-]*$/.test(arg)) return arg;
  const text = readFileArg(arg, 'the mapping file');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(`the mapping file ${arg} is not JSON: ${(e as Error).message}`);
  }
}

export function aggregateCommand(program: Command, ctx: CliContext): void {
  engineCommands(program, ctx, { withStore, today });
  program
    .command('import')
    .description('import an ERP extract (CSV) into a portfolio; nothing is committed when any row is bad')
    .argument('<file>', 'the CSV file')
    .requiredOption('--portfolio <id>', 'portfolio id', portfolioArg)
    .option('--mapping <preset|file>', 'a preset (ibm, dunwell) or a JSON mapping file', 'dunwell')
    .option('--as-of <date>', 'replay the extract as of this date (YYYY-MM-DD)', dateArg)
    .option('--dry-run', 'only validate and report; commit nothing')
    .option('--partial', 'commit the valid rows and report the bad ones')
    .option('--full', 'the file is a full extract: open documents missing from it are closed')
    .option('--json', 'print the report as JSON')
    .action((file: string, o: { portfolio: string; mapping: string; asOf?: CalendarDate; dryRun?: boolean; partial?: boolean; full?: boolean; json?: boolean }) => {
      if (o.dryRun && o.partial) throw new UsageError('--dry-run and --partial exclude each other');
      const mapping = resolveMapping(readMapping(o.mapping));
      if (!mapping.ok) throw new UsageError(`bad mapping: ${mapping.error}`);
      const text = readFileArg(file);
      const report = withStore(ctx, (store) => {
        try {
          return runImport(store, {
            portfolioId: o.portfolio,
            text,
            mapping: mapping.mapping,
            mappingName: o.mapping,
            ...(o.asOf === undefined ? {} : { asOf: o.asOf }),
            mode: o.dryRun ? 'dry-run' : o.partial ? 'partial' : 'all-or-nothing',
            full: o.full === true,
            source: file,
            today: today(),
          });
        } catch (e) {
          if (e instanceof ImportUsageError) throw new UsageError(e.message);
          throw e;
        }
      });
      ctx.io.out(o.json ? JSON.stringify(report, null, 2) : formatImportReport(report));
      if (report.errorCount > 0) ctx.setExit(EXIT.invalid);
    });

  program
    .command('aging')
    .description('aging buckets of a portfolio as of a date')
    .requiredOption('--portfolio <id>', 'portfolio id', portfolioArg)
    .option('--as-of <date>', 'the date to age at (default today)', dateArg)
    .option('--json', 'print JSON')
    .action((o: { portfolio: string; asOf?: CalendarDate; json?: boolean }) => {
      const asOf = o.asOf ?? today();
      const result = withStore(ctx, (store) => {
        if (!store.getPortfolio(o.portfolio)) throw new UsageError(`no portfolio ${o.portfolio}`);
        return analyzePortfolio(store.ledger(o.portfolio), asOf);
      });
      ctx.io.out(o.json ? JSON.stringify({ portfolioId: o.portfolio, asOf, aging: result.aging }, null, 2) : formatAging(o.portfolio, asOf, result));
    });

  program
    .command('kpi')
    .description('DSO, best possible DSO, average days delinquent, CEI and roll rates as of a date')
    .requiredOption('--portfolio <id>', 'portfolio id', portfolioArg)
    .option('--as-of <date>', 'the date (default today)', dateArg)
    .option('--from <date>', 'start of the CEI and roll-rate period (default one month before --as-of)', dateArg)
    .option('--json', 'print JSON')
    .action((o: { portfolio: string; asOf?: CalendarDate; from?: CalendarDate; json?: boolean }) => {
      const asOf = o.asOf ?? today();
      const result = withStore(ctx, (store) => {
        if (!store.getPortfolio(o.portfolio)) throw new UsageError(`no portfolio ${o.portfolio}`);
        return analyzePortfolio(store.ledger(o.portfolio), asOf, o.from === undefined ? {} : { ceiFrom: o.from });
      });
      ctx.io.out(o.json ? JSON.stringify({ portfolioId: o.portfolio, asOf, kpis: result.kpis }, null, 2) : formatKpis(o.portfolio, asOf, result));
    });

  program
    .command('demo')
    .description('generate a seeded, realistic synthetic portfolio into the store')
    .option('--portfolio <id>', 'portfolio id', portfolioArg, 'demo')
    .option('--accounts <n>', 'number of accounts', intArg(1, 1_000_000), 2000)
    .option('--seed <n>', 'random seed', intArg(0, 2 ** 31 - 1), 1)
    .option('--as-of <date>', 'the portfolio is generated up to this date (default today)', dateArg)
    .option('--json', 'print JSON')
    .action((o: { portfolio: string; accounts: number; seed: number; asOf?: CalendarDate; json?: boolean }) => {
      const summary = withStore(ctx, (store) => {
        // The live months' facts also go into the relay's rooms, so devices receive them.
        const rooms = new SqliteRoomLog(openRoomLogDatabase(roomLogDbPath(ctx.config().dataDir)));
        try {
          moveLegacyRoomLogs(store.db, rooms);
          return seedDemo(store, new SqliteFactStore(store.db), {
            portfolioId: o.portfolio,
            accounts: o.accounts,
            seed: o.seed,
            asOf: o.asOf ?? today(),
            rooms,
            ...(o.asOf === undefined ? { now: new Date().toISOString() } : {}),
          });
        } finally {
          rooms.db.close();
        }
      });
      ctx.io.out(
        o.json
          ? JSON.stringify(summary, null, 2)
          : `portfolio ${o.portfolio}: ${summary.accounts} accounts, ${summary.documents} documents (${summary.open} open), ${summary.payments} payments, ${summary.contacts} contacts, ${summary.facts} team facts`,
      );
    });

  program
    .command('portfolios')
    .description('list the portfolios in the store')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      const list = withStore(ctx, (store) => store.listPortfolios());
      ctx.io.out(o.json ? JSON.stringify(list, null, 2) : list.map((p) => `${p.id}\t${p.name}`).join('\n') || '(no portfolios)');
    });

  program
    .command('serve')
    .description('run the server: HTTP API and the built app on PORT (default 8787)')
    .option('--port <n>', 'port (overrides PORT)', intArg(0, 65535))
    .option('--host <host>', 'interface to listen on (overrides HOST)')
    .option('--demo', 'seed a demo portfolio on first start, and its demo users (password "demo")')
    .option('--demo-accounts <n>', 'accounts in the demo portfolio', intArg(1, 1_000_000), 2000)
    .action(async (o: { port?: number; host?: string; demo?: boolean; demoAccounts: number }) => {
      const config = ctx.config();
      // The server's V8 heap sizing (heap-tuning.ts; the relay benchmark's server does the same).
      applyServerHeapTuning();
      for (const option of missingServerNodeOptions())
        ctx.io.err(`warning: node was started without ${option}, which the server expects (docs/sync.md, "Memory"); \`npm start\` and the dunwell bin give it, or set NODE_OPTIONS=${option}`);
      const server = await startServer({
        port: o.port ?? config.port,
        host: o.host ?? config.host,
        dataDir: config.dataDir,
        staticDir: resolve('dist'),
        ledgerHistoryDays: config.ledgerHistoryDays,
        // The demo is in place before the server listens: a sign-in as soon as /api/health answers works.
        beforeListen: async (s) => {
          if (!o.demo) return;
          if (s.store.listPortfolios().length === 0) {
            const seeded = seedDemo(s.store, s.facts, { portfolioId: 'demo', accounts: o.demoAccounts, seed: 1, asOf: today(), now: new Date().toISOString(), rooms: s.relay.rooms });
            ctx.io.out(`seeded demo portfolio: ${seeded.accounts} accounts, ${seeded.open} open documents, ${seeded.facts} team facts`);
          }
          // Every start, not only the first: a data folder seeded before users existed gets them too.
          const created = await seedDemoUsers(s.users, 'demo');
          if (created.length > 0) ctx.io.out(`added demo users: ${created.join(', ')}`);
        },
      });
      ctx.io.out(`Dunwell is running at ${server.url}  (data in ${config.dataDir})`);
      if (o.demo) ctx.io.out(demoSignInHint(server.url));
      await new Promise<void>((done) => {
        const stop = () => {
          void server.close().then(done);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
