/**
 * The ledger pull against a real server on port 0: snapshot, delta, resume after a failed batch, and
 * a server whose cursor went backwards. The paged pull and the device scope are in
 * ledger-pull-paged.test.ts.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullLedger } from '../../src/app/ledger-pull';
import type { LedgerRepository } from '../../src/app/ports';
import { httpServer } from '../../src/app/server-api';
import type { CalendarDate } from '../../src/domain/calendar';
import { generatePortfolio } from '../../sync-server/demo/synthetic';
import { createDexieStorage } from '../../src/storage/dexie-storage';
import { account, date, invoice } from '../helpers/ledger-fixtures';
import { startTestServer, type TestServer } from '../helpers/server';

const AS_OF = '2026-11-20' as CalendarDate;
const now = () => '2026-11-20T09:00:00.000Z';
const commit = (server: TestServer, portfolioId: string, batch: Parameters<TestServer['store']['commit']>[1]) =>
  server.store.commit(portfolioId, batch, { full: false, asOf: AS_OF, source: 'test', mapping: 'test', rows: batch.documents.length, rejected: 0 });

describe('ledger pull from a real server', () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer({ today: AS_OF });
    const ledger = generatePortfolio({ portfolioId: 'acme', accounts: 60, seed: 7, asOf: AS_OF, name: 'Acme' });
    server.store.ensurePortfolio(ledger.portfolio);
    server.store.commit('acme', ledger, { full: true, asOf: AS_OF, source: 'test', mapping: 'synthetic', rows: ledger.documents.length, rejected: 0 });
    token = await server.tokenFor('collector', ['acme']);
  });
  afterAll(async () => {
    await server.stop();
  });

  const freshStorage = () => createDexieStorage({ name: 'pull', indexedDB: new IDBFactory(), IDBKeyRange });

  it('takes a snapshot first, then only the rows written after its cursor', async () => {
    const storage = freshStorage();
    const deps = { server: httpServer({ base: server.url }), ledger: storage.ledger, now };
    const first = await pullLedger(deps, token, 'acme', { id: 'acme', name: 'Acme' });
    expect(first.snapshot).toBe(true);
    expect(await storage.ledger.accounts('acme')).toHaveLength(60);
    const stored = await storage.ledger.ledger('acme');
    const rows = stored === undefined ? 0 : stored.accounts.length + stored.contacts.length + stored.documents.length + stored.payments.length;
    expect(rows).toBe(first.rows);
    expect((await storage.ledger.cursor('acme'))?.cursor).toBe(first.cursor);

    commit(server, 'acme', { accounts: [account('acme', 'NEW-1')], documents: [invoice('acme', 'NEW-1', 'INV-NEW-1', { issueDate: date('2026-10-01'), dueDate: date('2026-10-31') })], payments: [] });
    const second = await pullLedger(deps, token, 'acme');
    expect(second.snapshot).toBe(false);
    expect(second.delta.since).toBe(first.cursor);
    expect(second.delta.accounts.map((a) => a.number)).toEqual(['NEW-1']);
    expect(second.delta.documents.map((d) => d.number)).toEqual(['INV-NEW-1']);
    expect(await storage.ledger.accounts('acme')).toHaveLength(61);

    const third = await pullLedger(deps, token, 'acme');
    expect(third.delta.accounts).toEqual([]);
    expect(third.cursor).toBe(second.cursor);
    await storage.close();
  });

  it('resumes from the last batch stored when one failed to save', async () => {
    const storage = freshStorage();
    const real = storage.ledger;
    let fail = false;
    const flaky: LedgerRepository = Object.assign(Object.create(real) as LedgerRepository, {
      applyPull: (...args: Parameters<LedgerRepository['applyPull']>) => (fail ? Promise.reject(new Error('quota exceeded')) : real.applyPull(...args)),
    });
    const deps = { server: httpServer({ base: server.url }), ledger: flaky, now };
    const first = await pullLedger(deps, token, 'acme');

    commit(server, 'acme', { accounts: [account('acme', 'NEW-2')], documents: [], payments: [] });
    fail = true;
    await expect(pullLedger(deps, token, 'acme')).rejects.toThrow(/quota/);
    expect((await real.cursor('acme'))?.cursor).toBe(first.cursor);
    expect((await real.accounts('acme')).some((a) => a.number === 'NEW-2')).toBe(false);

    fail = false;
    const resumed = await pullLedger(deps, token, 'acme');
    expect(resumed.delta.since).toBe(first.cursor);
    expect((await real.accounts('acme')).some((a) => a.number === 'NEW-2')).toBe(true);
    await storage.close();
  });

  it('starts over from a snapshot when the server is behind the device (restored from a backup)', async () => {
    const storage = freshStorage();
    const deps = { server: httpServer({ base: server.url }), ledger: storage.ledger, now };
    await pullLedger(deps, token, 'acme');
    const ahead = (await storage.ledger.cursor('acme'))?.cursor ?? 0;
    await storage.ledger.applyPull({ portfolioId: 'acme', since: ahead, cursor: ahead + 1000, accounts: [account('acme', 'GHOST')], contacts: [], documents: [], payments: [] }, now());
    const r = await pullLedger(deps, token, 'acme');
    expect(r.snapshot).toBe(true);
    expect((await storage.ledger.accounts('acme')).some((a) => a.number === 'GHOST')).toBe(false);
    await storage.close();
  });

  it('is refused without a valid token (the app then asks to sign in)', async () => {
    const storage = freshStorage();
    const deps = { server: httpServer({ base: server.url }), ledger: storage.ledger, now };
    await expect(pullLedger(deps, 'forged', 'acme')).rejects.toMatchObject({ status: 401 });
    await storage.close();
  });
});
