/**
 * Aging and all KPIs of the benchmark portfolio (20k accounts, ~100k open and ~300k settled invoices,
 * ~270k payments). Budget: aging + KPIs < 100 ms. Three figures: building the receivables index (once
 * per ledger; the server caches it until an import), the analysis on a built index, and both together.
 * Run: `node --import tsx test/bench/analytics.bench.ts` (or `npm run bench -- analytics`).
 */
import { BENCHMARK_PORTFOLIO, generatePortfolio } from '../../sync-server/demo/synthetic';
import { agePortfolio } from '../../src/domain/aging';
import { analyzePortfolio, computeKpis } from '../../src/domain/kpi';
import { buildReceivablesIndex } from '../../src/domain/receivables-history';
import { measure } from './measure';

const ledger = generatePortfolio(BENCHMARK_PORTFOLIO);
const asOf = BENCHMARK_PORTFOLIO.asOf;
const open = ledger.documents.reduce((n, d) => n + (d.status === 'open' ? 1 : 0), 0);
const extra = {
  accounts: ledger.accounts.length,
  documents: ledger.documents.length,
  open_documents: open,
  payments: ledger.payments.length,
};
const n = ledger.documents.length;
const index = buildReceivablesIndex(ledger);
const jsonBytes = JSON.stringify(analyzePortfolio(ledger, asOf, { index })).length;
// Collect the generator's garbage now (when run with --expose-gc, as `npm run bench` does), not in a timed run.
(globalThis as { gc?: () => void }).gc?.();

await measure('analytics: receivables index build', n, () => buildReceivablesIndex(ledger), { runs: 7, warmup: 2, extra });
await measure('analytics: aging only', n, () => agePortfolio(index, asOf), { runs: 21, warmup: 3, extra });
await measure('analytics: KPIs only', n, () => computeKpis(index, asOf), { runs: 21, warmup: 3, extra });
await measure('analytics: aging + all KPIs', n, () => analyzePortfolio(ledger, asOf, { index }), {
  runs: 21,
  warmup: 3,
  budgetMs: 100,
  extra: { ...extra, json_bytes: jsonBytes },
});
await measure('analytics: total (index build + aging + KPIs)', n, () => analyzePortfolio(ledger, asOf, { index: buildReceivablesIndex(ledger) }), {
  runs: 7,
  warmup: 2,
  extra,
});
