import { describe, expect, it } from 'vitest';
import { worklistRowOf } from '../../src/app/worklist-row';
import { defaultDueDateAging } from '../../src/domain/aging';
import { REGULATION_F } from '../../src/domain/compliance';
import { STRATEGY_PRESETS, strategyConfig } from '../../src/domain/strategy-presets';
import { Worklist } from '../../src/domain/worklist';
import { generatePortfolio } from '../../sync-server/demo/synthetic';
import { date } from '../helpers/ledger-fixtures';

describe('worklist rows: balance by aging bucket', () => {
  it('sums each account’s open documents of the row currency by bucket, netting credits, and the sums add up to the open total', () => {
    const ledger = generatePortfolio({ portfolioId: 'rows', accounts: 60, seed: 3, asOf: date('2026-11-20') });
    const asOf = '2026-11-20T15:00:00.000Z';
    const wl = new Worklist(ledger, [], { strategies: STRATEGY_PRESETS, selection: strategyConfig, compliance: REGULATION_F }, asOf);
    let checked = 0;
    for (const e of wl.all()) {
      const open = ledger.documents.filter((d) => d.accountNumber === e.accountNumber && d.status === 'open');
      const row = worklistRowOf('rows', e, { documents: open, asOfDate: date('2026-11-20') });
      expect(row.buckets).toHaveLength(defaultDueDateAging.buckets.length);
      // Independent of the engine's aging: every open document of the currency issued by asOf, summed.
      const expected = open.filter((d) => d.currency === row.currency && d.issueDate <= '2026-11-20').reduce((s, d) => s + d.open, 0);
      expect(row.buckets.reduce((s, b) => s + b, 0)).toBe(expected);
      if (row.pastDue > 0) expect(row.buckets.slice(1).some((b) => b > 0)).toBe(true);
      checked++;
    }
    expect(checked).toBe(60);
  });
});
