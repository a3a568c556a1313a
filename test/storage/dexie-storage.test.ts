import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createDexieStorage } from '../../src/storage/dexie-storage';
import { account } from '../helpers/ledger-fixtures';
import { describeStorageContract } from './device-storage.contract';

const fresh = () => createDexieStorage({ name: 'dunwell-test', indexedDB: new IDBFactory(), IDBKeyRange });

describeStorageContract('Dexie (fake-indexeddb)', () => Promise.resolve(fresh()));

describe('Dexie storage: connections the browser drops', () => {
  it('reopens after the connection was closed under it and the read succeeds', async () => {
    const s = fresh();
    await s.ledger.applyPull({ portfolioId: 'acme', since: 0, cursor: 1, accounts: [account('acme', 'C1')], contacts: [], documents: [], payments: [] }, '2026-11-24T10:00:00.000Z');
    // What WebKit does to a backgrounded page: the connection goes away without the app asking.
    s.access.db.close();
    expect(await s.ledger.accounts('acme')).toHaveLength(1);
    expect(s.access.reopenCount).toBe(1);
    await s.close();
  });

  it('skips and counts a row that fails its schema instead of throwing', async () => {
    const s = fresh();
    await s.access.db.accounts.put({ portfolioId: 'acme', number: 'C1', name: '' } as never);
    await s.access.db.accounts.put(account('acme', 'C2'));
    expect((await s.ledger.accounts('acme')).map((a) => a.number)).toEqual(['C2']);
    expect(s.ledger.invalidRows()).toBe(1);
    await s.close();
  });
});
