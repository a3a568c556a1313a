/**
 * The contract every LedgerStore adapter keeps (sync-server/store/ledger-store.ts). Run it against each
 * adapter: `ledgerStoreContract('sqlite file', () => …)`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommitOptions, LedgerStore } from '../../sync-server/store/ledger-store';
import { account, cents, date, invoice, payment } from '../helpers/ledger-fixtures';

const P = 'acme';
const opts = (over: Partial<CommitOptions> = {}): CommitOptions => ({
  full: false,
  asOf: date('2013-03-01'),
  source: 'test',
  mapping: 'dunwell',
  rows: 0,
  rejected: 0,
  ...over,
});

export function ledgerStoreContract(
  name: string,
  make: () => { store: LedgerStore; reopen?: () => LedgerStore },
  capabilities: { persistent: boolean },
) {
  describe(`LedgerStore contract: ${name}`, () => {
    let store: LedgerStore;
    let reopen: (() => LedgerStore) | undefined;
    beforeEach(() => {
      ({ store, reopen } = make());
      store.ensurePortfolio({ id: P, name: 'Acme receivables' });
    });
    afterEach(() => store.close());

    const batch = () => ({
      accounts: [account(P, 'C1'), account(P, 'C2')],
      documents: [invoice(P, 'C1', '0001'), invoice(P, 'C1', '0002', { dueDate: date('2013-02-28') }), invoice(P, 'C2', '0001')],
      payments: [payment(P, 'C2', 'pay-1', { allocations: [{ documentNumber: '0001', amount: cents(2_500) }], amount: cents(2_500) })],
    });

    it('commits a batch and returns it whole as a snapshot (since 0)', () => {
      const s = store.commit(P, batch(), opts());
      expect(s).toMatchObject({ inserted: 6, updated: 0, unchanged: 0, closed: 0 });
      const snap = store.changes(P, 0);
      expect(snap.cursor).toBe(s.cursor);
      expect(snap.accounts.map((a) => a.number)).toEqual(['C1', 'C2']);
      expect(snap.documents.map((d) => `${d.accountNumber}/${d.number}`)).toEqual(['C1/0001', 'C1/0002', 'C2/0001']);
      expect(snap.documents[1]).toEqual(invoice(P, 'C1', '0002', { dueDate: date('2013-02-28') }));
      expect(snap.payments[0]?.allocations).toEqual([{ documentNumber: '0001', amount: 2_500 }]);
    });

    it('is idempotent: the same extract again changes nothing and the delta after it is empty', () => {
      const first = store.commit(P, batch(), opts());
      const again = store.commit(P, batch(), opts());
      expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 6, closed: 0 });
      const delta = store.changes(P, first.cursor);
      expect(delta.accounts.length + delta.documents.length + delta.payments.length + delta.contacts.length).toBe(0);
    });

    it('updates in place by account + document number, and the delta carries only what changed', () => {
      const first = store.commit(P, batch(), opts());
      const b = batch();
      b.documents[0] = invoice(P, 'C1', '0001', { open: cents(4_000) });
      const second = store.commit(P, b, opts());
      expect(second).toMatchObject({ inserted: 0, updated: 1, unchanged: 5 });
      const delta = store.changes(P, first.cursor);
      expect(delta.documents).toEqual([invoice(P, 'C1', '0001', { open: cents(4_000) })]);
      expect(delta.accounts).toEqual([]);
      expect(store.changes(P, 0).documents).toHaveLength(3);
    });

    it('a full extract closes the open documents it no longer lists, and deletes nothing', () => {
      store.commit(P, batch(), opts());
      const b = batch();
      b.documents = b.documents.filter((d) => !(d.accountNumber === 'C1' && d.number === '0002'));
      const s = store.commit(P, b, opts({ full: true, asOf: date('2013-03-05') }));
      expect(s.closed).toBe(1);
      const docs = store.changes(P, 0).documents;
      expect(docs).toHaveLength(3);
      expect(docs.find((d) => d.number === '0002')).toMatchObject({ status: 'closed', open: 0, paidDate: '2013-03-05', original: 10_000 });
    });

    it('a partial (delta) extract closes nothing', () => {
      store.commit(P, batch(), opts());
      const s = store.commit(P, { accounts: [], documents: [invoice(P, 'C1', '0001')], payments: [] }, opts({ full: false }));
      expect(s.closed).toBe(0);
      expect(store.changes(P, 0).documents.every((d) => d.status === 'open')).toBe(true);
    });

    it('a closed document that reappears in a later extract is open again', () => {
      store.commit(P, batch(), opts());
      store.commit(P, { accounts: [], documents: [invoice(P, 'C1', '0001')], payments: [] }, opts({ full: true }));
      expect(store.changes(P, 0).documents.filter((d) => d.status === 'closed')).toHaveLength(2);
      const s = store.commit(P, batch(), opts({ full: true }));
      expect(s.updated).toBe(2);
      expect(store.changes(P, 0).documents.every((d) => d.status === 'open')).toBe(true);
    });

    it('commits all or nothing: a failing row rolls the whole batch back', () => {
      const before = store.cursor();
      const b = batch();
      // A row the store cannot hold (no kind) after good rows: nothing of the batch may stay.
      b.documents.push({ ...invoice(P, 'C2', '0009'), kind: undefined as never });
      expect(() => store.commit(P, b, opts())).toThrow();
      expect(store.changes(P, 0).documents).toEqual([]);
      expect(store.changes(P, 0).accounts).toEqual([]);
      expect(store.cursor()).toBe(before);
    });

    it('refuses a commit to an unknown portfolio', () => {
      expect(() => store.commit('nope', batch(), opts())).toThrow(/unknown portfolio/);
    });

    it('keeps portfolios apart', () => {
      store.ensurePortfolio({ id: 'other', name: 'Other' });
      store.commit(P, batch(), opts());
      expect(store.changes('other', 0).documents).toEqual([]);
      expect(store.listPortfolios().map((p) => p.id)).toEqual([P, 'other']);
    });

    // Only an adapter that persists has this clause (an in-memory one is not skipped, it has none).
    if (capabilities.persistent)
      it('keeps what it committed across a reopen', () => {
      if (!reopen) throw new Error('a persistent adapter must give a reopen()');
      const s = store.commit(P, batch(), opts());
      store.close();
      store = reopen();
      expect(store.cursor()).toBe(s.cursor);
      expect(store.changes(P, 0).documents).toHaveLength(3);
      expect(store.ledger(P).portfolio).toEqual({ id: P, name: 'Acme receivables' });
    });
  });
}
