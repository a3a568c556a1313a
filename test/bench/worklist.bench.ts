/**
 * Budgets of the strategy engine, on the benchmark portfolio (20k accounts, ~100k open of ~400k
 * documents, ~200k facts):
 * - the full worklist (group by account, fold, strategy, compliance, score, sort): < 150 ms;
 * - the incremental update after one new fact: median < 1 ms;
 * - a 30-day simulation of the portfolio: < 5 s.
 */
import { addDays } from '../../src/domain/calendar';
import type { Fact } from '../../src/domain/facts';
import { REGULATION_F } from '../../src/domain/compliance';
import { simulate } from '../../src/domain/simulation';
import { STRATEGY_PRESETS, strategyConfig } from '../../src/domain/strategy-presets';
import { Worklist, type WorklistConfig } from '../../src/domain/worklist';
import { BENCHMARK_PORTFOLIO, generatePortfolio } from '../../sync-server/demo/synthetic';
import { generateFacts } from '../../sync-server/demo/synthetic-facts';
import { testUlid } from '../helpers/facts';
import { measure, quantile, report } from './measure';

const ledger = generatePortfolio(BENCHMARK_PORTFOLIO);
const asOf = `${BENCHMARK_PORTFOLIO.asOf}T15:00:00.000Z`;
const facts = generateFacts(ledger, { seed: 1, asOf });
const open = ledger.documents.filter((d) => d.status === 'open').length;
const extra = { accounts: ledger.accounts.length, open_documents: open, documents: ledger.documents.length, facts: facts.length };
const config: WorklistConfig = { strategies: STRATEGY_PRESETS, selection: strategyConfig, compliance: REGULATION_F };
(globalThis as { gc?: () => void }).gc?.();

let worklist: Worklist | undefined;
await measure('worklist: full build for the portfolio', ledger.accounts.length, () => {
  worklist = new Worklist(ledger, facts, config, asOf);
}, { runs: 11, warmup: 2, budgetMs: 150, extra });

// What a device builds from: its ledger copy holds every open document and 180 days of history (the
// server's `scope=device`, LEDGER_HISTORY_DAYS), not the ERP's 18 months.
const historyFrom = addDays(BENCHMARK_PORTFOLIO.asOf, -180);
const deviceLedger = {
  ...ledger,
  documents: ledger.documents.filter((d) => d.status === 'open' || (d.paidDate ?? d.dueDate) >= historyFrom),
  payments: ledger.payments.filter((p) => p.receivedDate >= historyFrom),
};
(globalThis as { gc?: () => void }).gc?.();
await measure('worklist: full build from the device copy (open items + 180 days)', deviceLedger.accounts.length, () => {
  worklist = new Worklist(deviceLedger, facts, config, asOf);
}, { runs: 11, warmup: 2, budgetMs: 150, extra: { ...extra, documents: deviceLedger.documents.length, payments: deviceLedger.payments.length } });

// One new fact at a time, on accounts spread over the list, as a collector logs calls.
const wl = worklist ?? new Worklist(ledger, facts, config, asOf);
const samples: number[] = [];
const entries = wl.all();
for (let i = 0; i < 400; i++) {
  const account = entries[(i * 49) % entries.length]?.accountNumber ?? '';
  const fact = {
    v: 1, id: testUlid(Date.parse(asOf), 900_000 + i), by: 'u-ana', at: asOf, deviceId: 'dev-ana-tablet',
    portfolioId: ledger.portfolio.id, accountNumber: account,
    type: 'activity', channel: 'call', outcome: i % 3 === 0 ? 'right-party-contact' : 'no-answer', documentNumbers: [],
  } as Fact;
  const t0 = performance.now();
  wl.applyFacts([fact]);
  samples.push(performance.now() - t0);
}
samples.sort((a, b) => a - b);
report({ name: 'worklist: incremental update after one new fact', n: 1, median_ms: quantile(samples, 0.5), p99_ms: quantile(samples, 0.99), runs: samples.length, budget_ms: 1 });

await measure('simulation: 30 days of the portfolio under its strategies', ledger.accounts.length, () => simulate({ ledger, facts, config, start: asOf, days: 30 }), {
  runs: 3,
  warmup: 0,
  budgetMs: 5000,
  extra,
});
