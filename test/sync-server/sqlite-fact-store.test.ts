import { describe, expect, it } from 'vitest';
import { SqliteFactStore } from '../../sync-server/store/sqlite-fact-store';
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
