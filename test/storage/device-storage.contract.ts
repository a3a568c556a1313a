/**
 * The contract of every storage port (src/app/ports.ts), run against each adapter: a suite per port,
 * the adapter made fresh for each test by `make`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStorage } from '../../src/app/ports';
import type { LedgerDelta } from '../../src/domain/ledger';
import { worklistRowSchema, type WorklistRow } from '../../src/app/worklist-row';
import { account, date, invoice, payment } from '../helpers/ledger-fixtures';

const P = 'acme';
const AT = '2026-11-24T10:00:00.000Z';

function delta(over: Partial<LedgerDelta> = {}): LedgerDelta {
  return { portfolioId: P, since: 0, cursor: 3, accounts: [], contacts: [], documents: [], payments: [], ...over };
}

export function row(accountNumber: string, score: number, assignedTo: string | null, portfolioId = P): WorklistRow {
  return worklistRowSchema.parse({
    portfolioId,
    accountNumber,
    accountName: `Customer ${accountNumber}`,
    segment: 'smb',
    assignedTo,
    assignee: assignedTo ?? '',
    claimedBy: null,
    score,
    components: [{ id: 'bucket', points: score, detail: 'aging bucket 1-30' }],
    dueAt: null,
    next: null,
    waiting: null,
    compliance: null,
    level: null,
    currency: 'USD',
    balance: 100,
    pastDue: 100,
    oldestDaysPastDue: 3,
    bucketId: '1-30',
    openInvoices: 1,
    promise: null,
    openDispute: false,
  });
}

export function describeStorageContract(adapter: string, make: () => Promise<DeviceStorage>): void {
  let storage: DeviceStorage | undefined;
  const open = async () => (storage = await make());
  afterEach(async () => {
    await storage?.close();
    storage = undefined;
  });

  describe(`${adapter}: LedgerRepository`, () => {
    it('has no cursor before the first pull; a pull stores its rows and its cursor together', async () => {
      const s = await open();
      expect(await s.ledger.cursor(P)).toBeUndefined();
      await s.ledger.applyPull(
        delta({
          accounts: [account(P, 'C2'), account(P, 'C1')],
          documents: [invoice(P, 'C1', 'INV-1'), invoice(P, 'C2', 'INV-2', { status: 'paid', open: 0 as never, paidDate: date('2013-02-01') })],
          payments: [payment(P, 'C1', 'PAY-1', { receivedDate: date('2013-02-10') })],
        }),
        AT,
        { id: P, name: 'Acme' },
      );
      expect(await s.ledger.cursor(P)).toEqual({ portfolioId: P, cursor: 3, pulledAt: AT });
      expect((await s.ledger.accounts(P)).map((a) => a.number)).toEqual(['C1', 'C2']);
      expect((await s.ledger.openDocuments(P)).map((d) => d.number)).toEqual(['INV-1']);
      expect((await s.ledger.accountDocuments(P, 'C2')).map((d) => d.number)).toEqual(['INV-2']);
      expect(await s.ledger.portfolio(P)).toEqual({ id: P, name: 'Acme' });
      expect((await s.ledger.portfolios()).map((p) => p.id)).toEqual([P]);
    });

    it('keeps a paged snapshot’s progress with its pages: no cursor until the last page, which drops it', async () => {
      const s = await open();
      const progress = { since: 0, cursor: 9, after: 'accounts:["C1"]', scope: 'device' } as const;
      await s.ledger.applyPull({ ...delta({ accounts: [account(P, 'C1')] }), cursor: 9 }, AT, undefined, progress);
      expect(await s.ledger.cursor(P)).toBeUndefined();
      expect(await s.ledger.pullProgress(P)).toEqual(progress);
      expect((await s.ledger.accounts(P)).map((a) => a.number)).toEqual(['C1']);
      await s.ledger.applyPull({ ...delta({ accounts: [account(P, 'C2')] }), cursor: 9 }, AT);
      expect(await s.ledger.cursor(P)).toEqual({ portfolioId: P, cursor: 9, pulledAt: AT });
      expect(await s.ledger.pullProgress(P)).toBeUndefined();
      expect((await s.ledger.accounts(P)).map((a) => a.number)).toEqual(['C1', 'C2']);
      await s.ledger.applyPull({ ...delta({ accounts: [account(P, 'C3')] }), cursor: 12 }, AT, undefined, { ...progress, cursor: 12 });
      await s.ledger.clear(P);
      expect(await s.ledger.pullProgress(P)).toBeUndefined();
    });

    it('upserts by key: a later delta replaces a document and moves the cursor', async () => {
      const s = await open();
      await s.ledger.applyPull(delta({ accounts: [account(P, 'C1')], documents: [invoice(P, 'C1', 'INV-1')] }), AT);
      await s.ledger.applyPull(
        delta({ since: 3, cursor: 5, documents: [invoice(P, 'C1', 'INV-1', { status: 'paid', open: 0 as never, paidDate: date('2013-02-01') })] }),
        AT,
      );
      expect(await s.ledger.openDocuments(P)).toEqual([]);
      expect((await s.ledger.accountDocuments(P, 'C1'))[0]?.status).toBe('paid');
      expect((await s.ledger.cursor(P))?.cursor).toBe(5);
    });

    it('lists payments by received date window, grouped by account', async () => {
      const s = await open();
      await s.ledger.applyPull(
        delta({
          accounts: [account(P, 'C1'), account(P, 'C2')],
          payments: [
            payment(P, 'C2', 'P1', { receivedDate: date('2013-03-01') }),
            payment(P, 'C1', 'P2', { receivedDate: date('2013-03-05') }),
            payment(P, 'C1', 'P3', { receivedDate: date('2013-01-05') }),
            payment(P, 'C2', 'P4', { receivedDate: date('2013-02-01') }),
          ],
        }),
        AT,
      );
      expect((await s.ledger.paymentsFrom(P, date('2013-02-01'))).map((p) => p.id)).toEqual(['P2', 'P4', 'P1']);
      expect((await s.ledger.paymentsBetween(P, date('2013-01-01'), date('2013-02-01'))).map((p) => p.id)).toEqual(['P3']);
      expect((await s.ledger.accountPayments(P, 'C1')).map((p) => p.id).sort()).toEqual(['P2', 'P3']);
    });

    it('finds documents by number prefix, any status, and exports the whole copy', async () => {
      const s = await open();
      await s.ledger.applyPull(
        delta({
          accounts: [account(P, 'C1')],
          documents: [invoice(P, 'C1', 'INV-10'), invoice(P, 'C1', 'INV-11', { status: 'closed' }), invoice(P, 'C1', 'CN-1', { kind: 'credit_note', original: -100 as never, open: -100 as never })],
        }),
        AT,
      );
      expect((await s.ledger.findDocuments(P, 'INV-1', 10)).map((d) => d.number)).toEqual(['INV-10', 'INV-11']);
      const all = await s.ledger.ledger(P);
      expect(all?.documents).toHaveLength(3);
      expect(all?.accounts).toHaveLength(1);
    });

    it('keeps portfolios apart and clears one without touching another', async () => {
      const s = await open();
      await s.ledger.applyPull(delta({ accounts: [account(P, 'C1')] }), AT);
      await s.ledger.applyPull({ ...delta({ accounts: [account('other', 'C1')] }), portfolioId: 'other' }, AT);
      await s.ledger.clear(P);
      expect(await s.ledger.accounts(P)).toEqual([]);
      expect(await s.ledger.cursor(P)).toBeUndefined();
      expect(await s.ledger.accounts('other')).toHaveLength(1);
    });

    it('refuses a batch holding rows of another portfolio, and stores nothing of it', async () => {
      const s = await open();
      await expect(s.ledger.applyPull(delta({ accounts: [account(P, 'C1'), account('other', 'C9')] }), AT)).rejects.toThrow(/portfolio other/);
      expect(await s.ledger.accounts(P)).toEqual([]);
      expect(await s.ledger.cursor(P)).toBeUndefined();
    });
  });

  describe(`${adapter}: UpdateLogRepository`, () => {
    const u = (...bytes: number[]) => Uint8Array.from(bytes);

    it('appends in order per room and lists a portfolio\'s rooms', async () => {
      const s = await open();
      await s.updates.append('acme.facts.2026-11', [u(1), u(2)]);
      await s.updates.append('acme.config', [u(3)]);
      await s.updates.append('acme.facts.2026-11', [u(4)]);
      await s.updates.append('acme2.config', [u(5)]);
      expect((await s.updates.load('acme.facts.2026-11')).map((r) => [...r.update])).toEqual([[1], [2], [4]]);
      expect(await s.updates.count('acme.facts.2026-11')).toBe(3);
      expect((await s.updates.rooms('acme')).sort()).toEqual(['acme.config', 'acme.facts.2026-11']);
    });

    it('compacts a room into the one row merge returns, leaving other rooms alone', async () => {
      const s = await open();
      await s.updates.append('acme.config', [u(1), u(2), u(3)]);
      await s.updates.append('acme.facts.2026-11', [u(9)]);
      const replaced = await s.updates.compact('acme.config', (rows) => Uint8Array.from(rows.flatMap((r) => [...r])));
      expect(replaced).toBe(3);
      expect((await s.updates.load('acme.config')).map((r) => [...r.update])).toEqual([[1, 2, 3]]);
      expect(await s.updates.count('acme.facts.2026-11')).toBe(1);
    });
  });

  describe(`${adapter}: RoomSyncStateRepository`, () => {
    it('upserts by room and lists by portfolio', async () => {
      const s = await open();
      await s.roomSync.put({ room: 'acme.config', portfolioId: P, serverStateVector: null, lastServerSyncAt: null });
      await s.roomSync.put({ room: 'acme.config', portfolioId: P, serverStateVector: Uint8Array.from([1, 7, 2]), lastServerSyncAt: AT });
      await s.roomSync.put({ room: 'b.config', portfolioId: 'b', serverStateVector: null, lastServerSyncAt: null });
      const got = await s.roomSync.get('acme.config');
      expect(got?.lastServerSyncAt).toBe(AT);
      expect([...(got?.serverStateVector ?? [])]).toEqual([1, 7, 2]);
      expect((await s.roomSync.list(P)).map((r) => r.room)).toEqual(['acme.config']);
      expect(await s.roomSync.get('nope')).toBeUndefined();
    });
  });

  describe(`${adapter}: QuarantineRepository`, () => {
    it('stores a record once per room and key', async () => {
      const s = await open();
      const rec = { portfolioId: P, room: 'acme.facts.2026-11', key: 'K1', raw: '{"v":9}', issues: ['v: expected 1'], at: AT };
      await s.quarantine.put([rec]);
      await s.quarantine.put([{ ...rec, at: '2026-11-25T00:00:00.000Z' }]);
      await s.quarantine.put([{ ...rec, key: 'K2' }, { ...rec, portfolioId: 'b', room: 'b.config' }]);
      expect(await s.quarantine.count(P)).toBe(2);
      expect((await s.quarantine.list(P)).find((r) => r.key === 'K1')?.at).toBe('2026-11-25T00:00:00.000Z');
    });
  });

  describe(`${adapter}: WorklistCacheRepository`, () => {
    it('returns the top rows by score, for everyone or one assignee, and replaces all at once', async () => {
      const s = await open();
      const rows = [row('C1', 10, 'ana'), row('C2', 30, null), row('C3', 20, 'ana'), row('C4', 5, 'bo'), row('X1', 99, 'ana', 'other')];
      await s.worklist.replace({ portfolioId: P, engineVersion: 1, asOf: AT, count: 4 }, rows);
      expect((await s.worklist.top(P, { limit: 3 })).map((r) => r.accountNumber)).toEqual(['C2', 'C3', 'C1']);
      expect((await s.worklist.top(P, { assignee: 'ana', limit: 10 })).map((r) => r.accountNumber)).toEqual(['C3', 'C1']);
      expect((await s.worklist.top(P, { assignee: null, limit: 10 })).map((r) => r.accountNumber)).toEqual(['C2']);
      await s.worklist.put(P, [row('C4', 50, 'bo')]);
      expect((await s.worklist.top(P, { limit: 1 }))[0]?.accountNumber).toBe('C4');
      expect(await s.worklist.meta(P)).toEqual({ portfolioId: P, engineVersion: 1, asOf: AT, count: 4 });
      await s.worklist.replace({ portfolioId: P, engineVersion: 2, asOf: AT, count: 1 }, [row('C9', 1, null)]);
      expect((await s.worklist.top(P, { limit: 10 })).map((r) => r.accountNumber)).toEqual(['C9']);
      await s.worklist.clear(P);
      expect(await s.worklist.meta(P)).toBeUndefined();
    });
  });

  describe(`${adapter}: FactArchiveRepository`, () => {
    it('keeps a month once per portfolio and period', async () => {
      const s = await open();
      await s.archives.put({ portfolioId: P, period: '2026-05', facts: [], fetchedAt: AT });
      await s.archives.put({ portfolioId: P, period: '2026-04', facts: [{ any: 'thing' }], fetchedAt: AT });
      await s.archives.put({ portfolioId: P, period: '2026-05', facts: [{ v: 1 }], fetchedAt: AT });
      await s.archives.put({ portfolioId: 'b', period: '2026-05', facts: [], fetchedAt: AT });
      expect(await s.archives.periods(P)).toEqual(['2026-04', '2026-05']);
      expect((await s.archives.list(P)).find((r) => r.period === '2026-05')?.facts).toEqual([{ v: 1 }]);
    });
  });

  describe(`${adapter}: write failures`, () => {
    it('reject and reach the listeners once the storage is closed', async () => {
      const s = await open();
      const seen: Error[] = [];
      s.onWriteError((e) => seen.push(e));
      await s.close();
      await expect(s.updates.append('acme.config', [Uint8Array.from([1])])).rejects.toThrow();
      expect(seen).toHaveLength(1);
    });
  });

  describe(`${adapter}: DeviceRepository`, () => {
    it('makes the device id once and keeps the session', async () => {
      const s = await open();
      let made = 0;
      const make = () => `dev-${++made}`;
      expect(await s.device.deviceId(make)).toBe('dev-1');
      expect(await s.device.deviceId(make)).toBe('dev-1');
      expect(await s.device.session()).toBeNull();
      const session = { token: 't', expiresAt: AT, user: { id: 'ana', name: 'Ana', role: 'collector' as const }, portfolios: [P] };
      await s.device.saveSession(session);
      expect(await s.device.session()).toEqual(session);
      await s.device.saveSession(null);
      expect(await s.device.session()).toBeNull();
    });
  });
}
