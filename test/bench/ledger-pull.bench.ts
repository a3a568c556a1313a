/**
 * Budgets of the device's storage (issues 4 and 5), in Node on fake-indexeddb (Chromium's IndexedDB is
 * another engine: the Chromium figure belongs with the browser benchmarks, which call the same
 * `pullLedger`):
 * - the first pull of the benchmark portfolio (20k accounts, ~400k documents of which ~100k open
 *   invoices, ~265k payments, 18 months of history) from a real server (in this process, port 0), as a
 *   device makes it: `scope=device` (open items and 180 days of settled history), pages of 5,000 rows,
 *   each parsed with ledgerPageSchema and written into Dexie in its own transaction; rows, pages, total
 *   time and the median page. Then the same pull in `scope=full` for comparison (BENCH_FULL_PULL=0
 *   skips it: it takes minutes on fake-indexeddb);
 * - the reads a cold start makes of the copy;
 * - the top 100 of the worklist read from the Dexie worklist cache, for the team and for one collector:
 *   < 5 ms (issue 5).
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { pullLedger } from '../../src/app/ledger-pull';
import { httpServer } from '../../src/app/server-api';
import type { LedgerDocument } from '../../src/domain/ledger';
import type { LedgerScope } from '../../src/domain/ledger-page';
import { REGULATION_F } from '../../src/domain/compliance';
import { STRATEGY_PRESETS, strategyConfig } from '../../src/domain/strategy-presets';
import { Worklist } from '../../src/domain/worklist';
import { WORKLIST_ENGINE_VERSION, worklistRowOf } from '../../src/app/worklist-row';
import { createDexieStorage, type DexieStorage } from '../../src/storage/dexie-storage';
import { addDays, type CalendarDate } from '../../src/domain/calendar';
import { BENCHMARK_PORTFOLIO, generatePortfolio } from '../../sync-server/demo/synthetic';
import { generateFacts } from '../../sync-server/demo/synthetic-facts';
import { startTestServer } from '../helpers/server';
import { measure, quantile, report } from './measure';

const ledger = generatePortfolio(BENCHMARK_PORTFOLIO);
const pid = ledger.portfolio.id;
const rows = ledger.accounts.length + ledger.contacts.length + ledger.documents.length + ledger.payments.length;
const extra = {
  accounts: ledger.accounts.length,
  documents: ledger.documents.length,
  open_documents: ledger.documents.filter((d) => d.status === 'open').length,
  payments: ledger.payments.length,
  portfolio_rows: rows,
};
const at = `${BENCHMARK_PORTFOLIO.asOf}T15:00:00.000Z`;
// What scope=device keeps (docs/api.md): the server's default window of 180 days.
const from = addDays(BENCHMARK_PORTFOLIO.asOf, -180);
const deviceRows = {
  device_documents: ledger.documents.filter((d) => d.status === 'open' || (d.paidDate ?? d.dueDate) >= from).length,
  device_payments: ledger.payments.filter((p) => p.receivedDate >= from).length,
};

const server = await startTestServer({ today: BENCHMARK_PORTFOLIO.asOf });
server.store.ensurePortfolio(ledger.portfolio);
server.store.commit(pid, ledger, { full: true, asOf: BENCHMARK_PORTFOLIO.asOf, source: 'bench', mapping: 'synthetic', rows: ledger.documents.length, rejected: 0 });
const token = await server.tokenFor('collector', [pid]);
const api = httpServer({ base: server.url });
(globalThis as { gc?: () => void }).gc?.();

/** One first pull (one run: minutes of fake-indexeddb; the point is the order of magnitude). */
async function firstPull(scope: LedgerScope, name: string): Promise<DexieStorage> {
  const storage = createDexieStorage({ name: `pull-${scope}`, indexedDB: new IDBFactory(), IDBKeyRange });
  const pages: number[] = [];
  let last = performance.now();
  const t0 = last;
  const r = await pullLedger(
    {
      server: api,
      ledger: storage.ledger,
      now: () => at,
      scope,
      onPage: () => {
        const t = performance.now();
        pages.push(t - last);
        last = t;
      },
    },
    token,
    pid,
    ledger.portfolio,
  );
  const total = performance.now() - t0;
  const sorted = [...pages].sort((a, b) => a - b);
  report({
    name,
    n: r.rows,
    median_ms: total,
    runs: 1,
    scope,
    rows: r.rows,
    pages: r.pages,
    page_rows: 5000,
    page_median_ms: Math.round(quantile(sorted, 0.5)),
    page_p99_ms: Math.round(quantile(sorted, 0.99)),
    heap_mb: Math.round(process.memoryUsage().heapUsed / 1e6),
    ...extra,
    ...(scope === 'device' ? deviceRows : {}),
  });
  return storage;
}

const storage = await firstPull('device', 'ledger pull: first pull, scope=device, pages of 5,000 rows (HTTP, ledgerPageSchema, one Dexie transaction per page), fake-indexeddb');
if (process.env.BENCH_FULL_PULL !== '0') {
  const full = await firstPull('full', 'ledger pull: first pull, scope=full, pages of 5,000 rows, fake-indexeddb (for comparison)');
  await full.close();
  (globalThis as { gc?: () => void }).gc?.();
}
await server.stop();

// The reads a cold start makes of the copy (what the engine needs in memory).
const paymentsFrom = '2025-03-01' as CalendarDate;
await measure(
  'ledger copy (scope=device): cold-start reads (accounts, contacts, open documents, payments since 4 months), parsed',
  rows,
  () => Promise.all([storage.ledger.accounts(pid), storage.ledger.contacts(pid), storage.ledger.openDocuments(pid), storage.ledger.paymentsFrom(pid, paymentsFrom)]),
  { runs: 1, warmup: 0, extra },
);

// The worklist cache: the rows of a real build of the portfolio.
const facts = generateFacts(ledger, { seed: 1, asOf: at });
const worklist = new Worklist(ledger, facts, { strategies: STRATEGY_PRESETS, selection: strategyConfig, compliance: REGULATION_F }, at);
const openByAccount = new Map<string, LedgerDocument[]>();
for (const d of ledger.documents) if (d.status === 'open') (openByAccount.get(d.accountNumber) ?? openByAccount.set(d.accountNumber, []).get(d.accountNumber))?.push(d);
const cacheRows = worklist.all().map((e) => worklistRowOf(pid, e, { documents: openByAccount.get(e.accountNumber) ?? [], asOfDate: at.slice(0, 10) as CalendarDate }));
await measure(
  'worklist cache: all rows of the portfolio replaced (one transaction)',
  cacheRows.length,
  () => storage.worklist.replace({ portfolioId: pid, engineVersion: WORKLIST_ENGINE_VERSION, asOf: at, count: cacheRows.length }, cacheRows),
  { runs: 3, warmup: 1 },
);
const collector = cacheRows.find((r) => r.assignedTo !== null)?.assignedTo ?? '';
for (const [name, options] of [
  ['team', { limit: 100 }],
  ['one collector', { assignee: collector, limit: 100 }],
] as const) {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) await storage.worklist.top(pid, options);
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    const top = await storage.worklist.top(pid, options);
    samples.push(performance.now() - t0);
    if (top.length !== 100) throw new Error(`top 100 read ${top.length} rows`);
  }
  samples.sort((a, b) => a - b);
  report({ name: `worklist cache: top 100 from Dexie (${name}), rows parsed`, n: 100, median_ms: quantile(samples, 0.5), p99_ms: quantile(samples, 0.99), runs: samples.length, budget_ms: 5, cached_rows: cacheRows.length });
}
await storage.close();
