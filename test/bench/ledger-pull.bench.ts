/**
 * Budgets of the device's storage (issues 4 and 5), in Node on fake-indexeddb (Chromium's IndexedDB is
 * another engine: the Chromium figure belongs with the browser benchmarks):
 * - the ledger of the benchmark portfolio (20k accounts, ~400k documents of which ~100k open invoices,
 *   ~265k payments) pulled as a snapshot: the answer's JSON parsed with ledgerDeltaSchema (what the
 *   server adapter does) and written into Dexie in one transaction (what LedgerRepository.applyPull
 *   does), reported apart and together; then the reads a cold start makes of it;
 * - the top 100 of the worklist read from the Dexie worklist cache, for the team and for one collector:
 *   < 5 ms (issue 5).
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { ledgerDeltaSchema, type LedgerDelta } from '../../src/domain/ledger';
import { REGULATION_F } from '../../src/domain/compliance';
import { STRATEGY_PRESETS, strategyConfig } from '../../src/domain/strategy-presets';
import { Worklist } from '../../src/domain/worklist';
import { WORKLIST_ENGINE_VERSION, worklistRowOf } from '../../src/app/worklist-row';
import { createDexieStorage } from '../../src/storage/dexie-storage';
import type { CalendarDate } from '../../src/domain/calendar';
import { BENCHMARK_PORTFOLIO, generatePortfolio } from '../../sync-server/demo/synthetic';
import { generateFacts } from '../../sync-server/demo/synthetic-facts';
import { measure, quantile, report } from './measure';

const ledger = generatePortfolio(BENCHMARK_PORTFOLIO);
const pid = ledger.portfolio.id;
const snapshot: LedgerDelta = { portfolioId: pid, since: 0, cursor: 1, accounts: [...ledger.accounts], contacts: [...ledger.contacts], documents: [...ledger.documents], payments: [...ledger.payments] };
const text = JSON.stringify(snapshot);
const rows = ledger.accounts.length + ledger.contacts.length + ledger.documents.length + ledger.payments.length;
const extra = {
  accounts: ledger.accounts.length,
  documents: ledger.documents.length,
  open_invoices: ledger.documents.filter((d) => d.status === 'open' && d.kind === 'invoice').length,
  payments: ledger.payments.length,
  json_bytes: text.length,
};
const at = `${BENCHMARK_PORTFOLIO.asOf}T15:00:00.000Z`;
(globalThis as { gc?: () => void }).gc?.();

// One run each: a pull of 725k rows into fake-indexeddb takes minutes on this machine, and the point is
// the order of magnitude (Chromium's IndexedDB is another engine).
let t0 = performance.now();
const parsed: LedgerDelta = ledgerDeltaSchema.parse(JSON.parse(text));
const parseMs = performance.now() - t0;
report({ name: 'ledger pull: snapshot JSON parsed with ledgerDeltaSchema', n: rows, median_ms: parseMs, runs: 1, ...extra });
(globalThis as { gc?: () => void }).gc?.();
const storage = createDexieStorage({ name: 'pull', indexedDB: new IDBFactory(), IDBKeyRange });
t0 = performance.now();
await storage.ledger.applyPull(parsed, at, ledger.portfolio);
const writeMs = performance.now() - t0;
report({ name: 'ledger pull: snapshot written into Dexie on fake-indexeddb (one transaction, bulkPut)', n: rows, median_ms: writeMs, runs: 1, ...extra });
report({ name: 'ledger pull: snapshot parsed and written (device side of a first pull, Node)', n: rows, median_ms: parseMs + writeMs, runs: 1, ...extra });

// The reads a cold start makes of the copy (what the engine needs in memory).
const paymentsFrom = '2025-03-01' as CalendarDate;
await measure(
  'ledger copy: cold-start reads (accounts, contacts, open documents, payments since 4 months), parsed',
  rows,
  () => Promise.all([storage.ledger.accounts(pid), storage.ledger.contacts(pid), storage.ledger.openDocuments(pid), storage.ledger.paymentsFrom(pid, paymentsFrom)]),
  { runs: 1, warmup: 0, extra },
);

// The worklist cache: the rows of a real build of the portfolio.
const facts = generateFacts(ledger, { seed: 1, asOf: at });
const worklist = new Worklist(ledger, facts, { strategies: STRATEGY_PRESETS, selection: strategyConfig, compliance: REGULATION_F }, at);
const cacheRows = worklist.all().map((e) => worklistRowOf(pid, e));
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
