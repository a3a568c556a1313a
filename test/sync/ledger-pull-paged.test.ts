/**
 * The paged ledger pull and the device scope, against a real server on port 0 and Dexie on
 * fake-indexeddb: pages join to exactly the snapshot, a change made while pages are read arrives with
 * the next delta, an interrupted first pull resumes at its next page, the device scope keeps open items
 * and the history window (a later closure still arrives), older history is read per account, and the
 * routes refuse as every /api route does.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullLedger, readAccountHistory, type PullDeps } from '../../src/app/ledger-pull';
import type { LedgerRepository } from '../../src/app/ports';
import { httpServer } from '../../src/app/server-api';
import { addDays, type CalendarDate } from '../../src/domain/calendar';
import { documentKey, type Ledger, type LedgerDocument, type Payment } from '../../src/domain/ledger';
import type { LedgerPage } from '../../src/domain/ledger-page';
import type { Minor } from '../../src/domain/money';
import { createDexieStorage } from '../../src/storage/dexie-storage';
import { generatePortfolio } from '../../sync-server/demo/synthetic';
import { account, date, invoice, payment } from '../helpers/ledger-fixtures';
import { startTestServer, type TestServer } from '../helpers/server';

const AS_OF = '2026-11-20' as CalendarDate;
/** The server's default window: 180 days before its today. */
const FROM = addDays(AS_OF, -180);
const now = () => '2026-11-20T09:00:00.000Z';
const P = 'paged';
const ZERO = 0 as Minor;

type Rows = Pick<Ledger, 'accounts' | 'contacts' | 'documents' | 'payments'>;
const byKey = <T>(key: (r: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
function sorted(l: Rows | undefined): Rows {
  if (l === undefined) return { accounts: [], contacts: [], documents: [], payments: [] };
  return {
    accounts: [...l.accounts].sort(byKey((a) => a.number)),
    contacts: [...l.contacts].sort(byKey((c) => c.id)),
    documents: [...l.documents].sort(byKey(documentKey)),
    payments: [...l.payments].sort(byKey((p) => p.id)),
  };
}
const inWindow = (d: LedgerDocument) => d.status === 'open' || (d.paidDate ?? d.dueDate) >= FROM;
function deviceScope(l: Rows): Rows {
  return { accounts: l.accounts, contacts: l.contacts, documents: l.documents.filter(inWindow), payments: l.payments.filter((p: Payment) => p.receivedDate >= FROM) };
}

describe('paged ledger pull', () => {
  let server: TestServer;
  let token: string;
  const commit = (batch: Parameters<TestServer['store']['commit']>[1]) =>
    server.store.commit(P, batch, { full: false, asOf: AS_OF, source: 'test', mapping: 'test', rows: batch.documents.length, rejected: 0 });

  beforeAll(async () => {
    server = await startTestServer({ today: AS_OF });
    const ledger = generatePortfolio({ portfolioId: P, accounts: 40, seed: 11, asOf: AS_OF, name: 'Paged' });
    server.store.ensurePortfolio(ledger.portfolio);
    server.store.commit(P, ledger, { full: true, asOf: AS_OF, source: 'test', mapping: 'synthetic', rows: ledger.documents.length, rejected: 0 });
    token = await server.tokenFor('collector', [P]);
  });
  afterAll(async () => {
    await server.stop();
  });

  const freshStorage = () => createDexieStorage({ name: 'paged', indexedDB: new IDBFactory(), IDBKeyRange });
  const deps = (ledger: LedgerRepository, more: Partial<PullDeps> = {}): PullDeps => ({ server: httpServer({ base: server.url }), ledger, now, ...more });

  it('serves pages that join to exactly the snapshot, each with the first page’s cursor', async () => {
    const api = httpServer({ base: server.url });
    const whole = await api.ledger(token, P, 0);
    expect(whole.next).toBeNull();
    expect(whole.scope).toBe('full');
    const joined: { [K in keyof Rows]: Rows[K][number][] } = { accounts: [], contacts: [], documents: [], payments: [] };
    let after: string | undefined;
    let cursor: number | undefined;
    let pages = 0;
    for (;;) {
      const page: LedgerPage = await api.ledger(token, P, 0, { scope: 'full', limit: 97, ...(after === undefined ? {} : { after }), ...(cursor === undefined ? {} : { cursor }) });
      pages++;
      cursor ??= page.cursor;
      expect(page.cursor).toBe(cursor);
      expect(page.accounts.length + page.contacts.length + page.documents.length + page.payments.length).toBeLessThanOrEqual(97);
      joined.accounts.push(...page.accounts);
      joined.contacts.push(...page.contacts);
      joined.documents.push(...page.documents);
      joined.payments.push(...page.payments);
      if (page.next === null) break;
      after = page.next;
    }
    const total = whole.accounts.length + whole.contacts.length + whole.documents.length + whole.payments.length;
    expect(pages).toBe(Math.ceil(total / 97) + (total % 97 === 0 ? 1 : 0));
    // In key order, no row twice, none missing.
    expect(joined).toEqual({ accounts: whole.accounts, contacts: whole.contacts, documents: whole.documents, payments: whole.payments });
    expect(sorted(joined)).toEqual(sorted(server.store.ledger(P)));
  });

  it('writes each page in its own transaction and ends with the snapshot’s cursor', async () => {
    const storage = freshStorage();
    const seen: number[] = [];
    const r = await pullLedger(deps(storage.ledger, { scope: 'full', pageSize: 250, onPage: (p) => seen.push(p.rows) }), token, P);
    expect(r.snapshot).toBe(true);
    expect(r.pages).toBe(seen.length);
    expect(r.pages).toBeGreaterThan(5);
    expect(seen.reduce((a, b) => a + b, 0)).toBe(r.rows);
    expect(r.cursor).toBe(server.store.cursor());
    expect(await storage.ledger.pullProgress(P)).toBeUndefined();
    expect((await storage.ledger.cursor(P))?.cursor).toBe(r.cursor);
    expect(sorted(await storage.ledger.ledger(P))).toEqual(sorted(server.store.ledger(P)));
    await storage.close();
  });

  it('delivers with the next delta a row changed while the pages were read', async () => {
    const storage = freshStorage();
    const before = server.store.ledger(P);
    const firstAccount = before.accounts[0];
    const openDoc = before.documents.find((d) => d.status === 'open' && d.kind === 'invoice');
    if (firstAccount === undefined || openDoc === undefined) throw new Error('fixture');
    let changed = false;
    const onPage = (p: { page: number }) => {
      if (p.page !== 2 || changed) return;
      changed = true;
      // An account already paged (page 1), a document not paged yet, and a new account.
      commit({ accounts: [{ ...firstAccount, name: 'Renamed while paging' }, account(P, 'ZZZ-LATE')], documents: [{ ...openDoc, open: ZERO, status: 'paid', paidDate: date('2026-11-19') }], payments: [] });
    };
    const first = await pullLedger(deps(storage.ledger, { scope: 'full', pageSize: 200, onPage }), token, P);
    expect(changed).toBe(true);
    expect(first.cursor).toBeLessThan(server.store.cursor());
    expect((await storage.ledger.accounts(P)).find((a) => a.number === firstAccount.number)?.name).toBe(firstAccount.name);

    const second = await pullLedger(deps(storage.ledger, { scope: 'full' }), token, P);
    expect(second.snapshot).toBe(false);
    expect(second.delta.since).toBe(first.cursor);
    expect(second.delta.accounts.map((a) => a.number).sort()).toEqual([firstAccount.number, 'ZZZ-LATE'].sort());
    expect(second.delta.documents.map((d) => d.number)).toEqual([openDoc.number]);
    expect(sorted(await storage.ledger.ledger(P))).toEqual(sorted(server.store.ledger(P)));
    await storage.close();
  });

  it('resumes an interrupted first pull at the page after the last one stored', async () => {
    const storage = freshStorage();
    const real = httpServer({ base: server.url });
    const asked: (string | undefined)[] = [];
    let failAt = 4;
    const flaky: PullDeps['server'] = {
      ledger: (t, pid, since, page) => {
        asked.push(page?.after);
        if (asked.length === failAt) return Promise.reject(new Error('network lost'));
        return real.ledger(t, pid, since, page);
      },
    };
    await expect(pullLedger({ server: flaky, ledger: storage.ledger, now, scope: 'full', pageSize: 300 }, token, P)).rejects.toThrow(/network lost/);
    // Three pages stored, the fourth lost: no copy yet, but the progress of the snapshot.
    expect(await storage.ledger.cursor(P)).toBeUndefined();
    const progress = await storage.ledger.pullProgress(P);
    expect(progress).toMatchObject({ since: 0, scope: 'full', after: asked[3] });
    const stored = await storage.ledger.ledger(P);
    expect((stored?.accounts.length ?? 0) + (stored?.contacts.length ?? 0) + (stored?.documents.length ?? 0) + (stored?.payments.length ?? 0)).toBe(900);

    failAt = 0;
    asked.length = 0;
    const r = await pullLedger({ server: flaky, ledger: storage.ledger, now, scope: 'full', pageSize: 300 }, token, P);
    expect(r.resumed).toBe(true);
    expect(asked[0]).toBe(progress?.after);
    expect(r.cursor).toBe(progress?.cursor);
    expect(r.rows + 900).toBe(server.store.changes(P, 0).accounts.length + server.store.changes(P, 0).contacts.length + server.store.changes(P, 0).documents.length + server.store.changes(P, 0).payments.length);
    expect(await storage.ledger.pullProgress(P)).toBeUndefined();
    expect(sorted(await storage.ledger.ledger(P))).toEqual(sorted(server.store.ledger(P)));
    await storage.close();
  });

  it('starts a snapshot over when the server no longer knows its cursor', async () => {
    const storage = freshStorage();
    const ahead = server.store.cursor() + 50;
    await storage.ledger.applyPull({ portfolioId: P, since: 0, cursor: ahead, accounts: [account(P, 'GHOST')], contacts: [], documents: [], payments: [] }, now(), undefined, {
      since: 0,
      cursor: ahead,
      after: 'accounts:["GHOST"]',
      scope: 'full',
    });
    const r = await pullLedger(deps(storage.ledger, { scope: 'full', pageSize: 1000 }), token, P);
    expect(r.resumed).toBe(false);
    expect(r.cursor).toBe(server.store.cursor());
    expect((await storage.ledger.accounts(P)).some((a) => a.number === 'GHOST')).toBe(false);
    expect(sorted(await storage.ledger.ledger(P))).toEqual(sorted(server.store.ledger(P)));
    await storage.close();
  });

  it('refuses a continuation key it did not make, one without its cursor, and a cursor ahead of it', async () => {
    const q = (query: string) => server.api(`/api/portfolios/${P}/ledger?${query}`, token);
    const code = async (query: string) => {
      const res = await q(query);
      return [res.status, ((await res.json()) as { error?: { code: string } }).error?.code];
    };
    expect(await code('since=0&limit=10&after=nope&cursor=1')).toEqual([400, 'bad_after']);
    expect(await code('since=0&limit=10&after=documents:["x"]&cursor=1')).toEqual([400, 'bad_after']);
    expect(await code('since=0&limit=10&after=accounts:["A"]')).toEqual([400, 'bad_cursor']);
    expect(await code(`since=0&limit=10&after=accounts:["A"]&cursor=${server.store.cursor() + 1}`)).toEqual([400, 'bad_cursor']);
    expect(await code('since=0&limit=0')).toEqual([400, 'bad_cursor']);
    expect(await code('since=0&scope=everything')).toEqual([400, 'bad_cursor']);
  });
});

describe('device scope', () => {
  let server: TestServer;
  let token: string;
  const D = 'scoped';
  const commit = (batch: Parameters<TestServer['store']['commit']>[1]) =>
    server.store.commit(D, batch, { full: false, asOf: AS_OF, source: 'test', mapping: 'test', rows: batch.documents.length, rejected: 0 });
  const old = date('2025-01-10');
  const recent = date('2026-10-01');

  beforeAll(async () => {
    server = await startTestServer({ today: AS_OF });
    const ledger = generatePortfolio({ portfolioId: D, accounts: 30, seed: 5, asOf: AS_OF, name: 'Scoped' });
    server.store.ensurePortfolio(ledger.portfolio);
    server.store.commit(D, ledger, { full: true, asOf: AS_OF, source: 'test', mapping: 'synthetic', rows: ledger.documents.length, rejected: 0 });
    commit({
      accounts: [account(D, 'K-1')],
      documents: [
        invoice(D, 'K-1', 'OLD-OPEN', { issueDate: date('2024-06-01'), dueDate: date('2024-07-01') }),
        invoice(D, 'K-1', 'OLD-OPEN-2', { issueDate: date('2024-06-02'), dueDate: date('2024-07-02') }),
        invoice(D, 'K-1', 'OLD-PAID', { issueDate: date('2024-11-01'), dueDate: date('2024-12-01'), open: ZERO, status: 'paid', paidDate: old }),
        invoice(D, 'K-1', 'RECENT-PAID', { issueDate: date('2026-08-01'), dueDate: date('2026-09-01'), open: ZERO, status: 'paid', paidDate: recent }),
        invoice(D, 'K-1', 'EDGE-CLOSED', { issueDate: date('2026-04-01'), dueDate: date('2026-05-01'), open: ZERO, status: 'closed', paidDate: FROM }),
      ],
      payments: [payment(D, 'K-1', 'PAY-OLD', { receivedDate: old }), payment(D, 'K-1', 'PAY-RECENT', { receivedDate: recent })],
    });
    token = await server.tokenFor('viewer', [D]);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('pulls every account and contact, open documents and the history window by default', async () => {
    const storage = createDexieStorage({ name: 'scoped', indexedDB: new IDBFactory(), IDBKeyRange });
    const d = { server: httpServer({ base: server.url }), ledger: storage.ledger, now, pageSize: 400 };
    const r = await pullLedger(d, token, D);
    expect(r.pages).toBeGreaterThan(1);
    const copy = sorted(await storage.ledger.ledger(D));
    const full = sorted(server.store.ledger(D));
    expect(copy).toEqual(sorted(deviceScope(full)));
    expect(copy.documents.length).toBeLessThan(full.documents.length);
    expect(copy.payments.length).toBeLessThan(full.payments.length);
    const k1 = (await storage.ledger.accountDocuments(D, 'K-1')).map((x) => x.number).sort();
    expect(k1).toEqual(['EDGE-CLOSED', 'OLD-OPEN', 'OLD-OPEN-2', 'RECENT-PAID']);
    expect((await storage.ledger.accountPayments(D, 'K-1')).map((p) => p.id)).toEqual(['PAY-RECENT']);

    // Later closures arrive as changes, a backdated one too (the device holds the document as open).
    commit({
      accounts: [],
      documents: [
        invoice(D, 'K-1', 'OLD-OPEN', { issueDate: date('2024-06-01'), dueDate: date('2024-07-01'), open: ZERO, status: 'paid', paidDate: date('2026-11-19') }),
        invoice(D, 'K-1', 'OLD-OPEN-2', { issueDate: date('2024-06-02'), dueDate: date('2024-07-02'), open: ZERO, status: 'paid', paidDate: date('2025-02-01') }),
      ],
      payments: [],
    });
    const delta = await pullLedger(d, token, D);
    expect(delta.snapshot).toBe(false);
    expect(delta.delta.documents.map((x) => [x.number, x.status, x.paidDate])).toEqual([
      ['OLD-OPEN', 'paid', '2026-11-19'],
      ['OLD-OPEN-2', 'paid', '2025-02-01'],
    ]);
    expect((await storage.ledger.openDocuments(D)).some((x) => x.accountNumber === 'K-1')).toBe(false);

    // Older history is read from the server when the account opens, merged with the copy's.
    const history = await readAccountHistory({ server: httpServer({ base: server.url }), ledger: storage.ledger }, token, D, 'K-1');
    expect(history.fromServer).toBe(true);
    expect(history.documents.map((x) => x.number).sort()).toEqual(['EDGE-CLOSED', 'OLD-OPEN', 'OLD-OPEN-2', 'OLD-PAID', 'RECENT-PAID']);
    expect(history.payments.map((p) => p.id).sort()).toEqual(['PAY-OLD', 'PAY-RECENT']);
    // Offline: the copy's window only, no error.
    const offline = await readAccountHistory({ server: { accountHistory: () => Promise.reject(new Error('offline')) }, ledger: storage.ledger }, token, D, 'K-1');
    expect(offline.fromServer).toBe(false);
    expect(offline.payments.map((p) => p.id)).toEqual(['PAY-RECENT']);
    await storage.close();
  });

  it('keeps the full scope on request (and when no scope is named)', async () => {
    const api = httpServer({ base: server.url });
    const whole = await api.ledger(token, D, 0);
    expect(whole.scope).toBe('full');
    expect(whole.historyFrom).toBeUndefined();
    expect(sorted(whole)).toEqual(sorted(server.store.ledger(D)));
    const device = await api.ledger(token, D, 0, { scope: 'device', limit: 50_000 });
    expect(device.historyFrom).toBe(FROM);
    expect(sorted(device)).toEqual(sorted(deviceScope(server.store.ledger(D))));
  });

  it('refuses the ledger pages and the history without a token (401) and outside the caller’s portfolios (403)', async () => {
    const other = await server.tokenFor('collector', ['elsewhere']);
    for (const path of [`/api/portfolios/${D}/ledger?since=0&scope=device&limit=100`, `/api/portfolios/${D}/accounts/K-1/history`]) {
      const none = await server.api(path, undefined);
      expect(none.status).toBe(401);
      expect(await none.json()).toMatchObject({ error: { code: 'missing_token' } });
      expect((await server.api(path, 'forged')).status).toBe(401);
      const foreign = await server.api(path, other);
      expect(foreign.status).toBe(403);
      expect(await foreign.json()).toMatchObject({ error: { code: 'forbidden_portfolio' } });
      expect((await server.api(path, token)).status).toBe(200);
    }
    await expect(httpServer({ base: server.url }).accountHistory(other, D, 'K-1')).rejects.toMatchObject({ status: 403, code: 'forbidden_portfolio' });
  });
});
