import { describe, expect, it } from 'vitest';
import { FACT_READ_SQL, SqliteFactStore } from '../../sync-server/store/sqlite-fact-store';
import { SqliteLedgerStore } from '../../sync-server/store/sqlite-ledger-store';
import { fact } from '../helpers/facts';

function stores() {
  const ledger = new SqliteLedgerStore(':memory:');
  ledger.ensurePortfolio({ id: 'acme', name: 'Acme' });
  return { ledger, facts: new SqliteFactStore(ledger.db) };
}

describe('SqliteFactStore', () => {
  const call = fact('activity', { channel: 'call', outcome: 'no-answer', documentNumbers: [], at: '2026-11-20T15:00:00.000Z' });
  const promise = fact('promise', {
    currency: 'USD' as never,
    instalments: [{ dueDate: '2026-11-30' as never, amount: 5000 as never }],
    graceDays: 3,
    documentNumbers: [],
    at: '2026-11-20T15:05:00.000Z',
  });
  const other = fact('activity', { channel: 'email', outcome: 'sent', documentNumbers: [], accountNumber: 'C2', at: '2026-11-19T09:00:00.000Z' });

  it('reads every fact through an index, and keeps no index that no read uses (each costs every projected fact a page)', () => {
    const { ledger } = stores();
    const used = new Set<string>();
    for (const [name, sql] of Object.entries(FACT_READ_SQL)) {
      const plan = ledger.db.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(...['acme', 'C1', '2026-11'].slice(0, sql.split('?').length - 1));
      const details = plan.map((r) => r.detail);
      expect(details.some((d) => /^SEARCH facts USING (COVERING )?INDEX|^SEARCH facts USING PRIMARY KEY/.test(d)), `${name}: ${details.join('; ')}`).toBe(true);
      expect(details.some((d) => /^SCAN facts/.test(d)), `${name}: ${details.join('; ')}`).toBe(false);
      for (const d of details) {
        const index = /USING (?:COVERING )?INDEX (\w+)/.exec(d)?.[1];
        used.add(index ?? (/PRIMARY KEY/.test(d) ? 'primary key' : ''));
      }
    }
    const indexes = ledger.db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'facts' AND sql IS NOT NULL ORDER BY name").pluck().all();
    expect(indexes).toEqual(['facts_account', 'facts_at']);
    for (const i of indexes) expect(used.has(i), i).toBe(true);
  });

  it('puts facts once: the same fact again is not inserted twice', () => {
    const { facts } = stores();
    expect(facts.put('acme', [call, promise], '2026-11-20T15:06:00.000Z')).toEqual({ inserted: 2 });
    expect(facts.put('acme', [promise, other], '2026-11-20T15:07:00.000Z')).toEqual({ inserted: 1 });
    expect(facts.count('acme')).toBe(3);
  });

  it('lists facts by time, and per account', () => {
    const { facts } = stores();
    facts.put('acme', [promise, other, call], '2026-11-20T15:06:00.000Z');
    expect(facts.list('acme').map((f) => f.id)).toEqual([other.id, call.id, promise.id]);
    expect(facts.list('acme', 'C1')).toEqual([call, promise]);
  });

  it('refuses an invalid fact and writes nothing of the batch', () => {
    const { facts } = stores();
    const bad = { ...call, id: 'not-a-ulid' };
    expect(() => facts.put('acme', [promise, bad], '2026-11-20T15:06:00.000Z')).toThrow(/fact 1 \(not-a-ulid\): id: expected a ULID/);
    expect(facts.count('acme')).toBe(0);
  });

  it("refuses a fact of another portfolio", () => {
    const { facts } = stores();
    expect(() => facts.put('acme', [{ ...call, portfolioId: 'other' }], '2026-11-20T15:06:00.000Z')).toThrow(/belongs to portfolio other/);
  });
});
