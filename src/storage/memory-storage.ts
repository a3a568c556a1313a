/**
 * The DeviceStorage port in memory: for tests of the app layer that need no IndexedDB, and the second
 * adapter the storage contract suite runs against (test/storage/device-storage.contract.ts), which keeps
 * the contracts about behaviour rather than about Dexie. Nothing survives the process.
 *
 * Values are copied in and out with structuredClone, as IndexedDB does, so a caller mutating what it
 * stored or read cannot change the store.
 */
import type { CalendarDate } from '../domain/calendar';
import { documentKey, type Account, type CollectionsContact, type Ledger, type LedgerDelta, type LedgerDocument, type Payment, type Portfolio } from '../domain/ledger';
import type {
  DeviceStorage,
  FactArchiveRow,
  LedgerCursor,
  LedgerPullProgress,
  QuarantinedRecord,
  RoomSyncState,
  StoredSession,
  UpdateRow,
  WorklistCacheMeta,
} from '../app/ports';
import type { WorklistRow } from '../app/worklist-row';

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byAccount = <T extends { accountNumber: string }>(rows: T[]) => rows.sort((a, b) => byString(a.accountNumber, b.accountNumber));
const clone = <T>(v: T): T => structuredClone(v);

class Table<T> {
  readonly rows = new Map<string, T>();
  values(filter: (row: T) => boolean = () => true): T[] {
    return [...this.rows.values()].filter(filter).map(clone);
  }
}

export function createMemoryStorage(): DeviceStorage {
  let closed = false;
  const writeErrorListeners = new Set<(e: Error) => void>();
  const write = <T>(op: () => T): Promise<T> => {
    if (closed) {
      const e = new Error('the storage is closed');
      for (const l of writeErrorListeners) l(e);
      return Promise.reject(e);
    }
    try {
      return Promise.resolve(op());
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      for (const l of writeErrorListeners) l(error);
      return Promise.reject(error);
    }
  };
  const read = <T>(op: () => T): Promise<T> => Promise.resolve(op());

  const portfolios = new Table<Portfolio>();
  const accounts = new Table<Account>();
  const contacts = new Table<CollectionsContact>();
  const documents = new Table<LedgerDocument>();
  const payments = new Table<Payment>();
  const cursors = new Table<LedgerCursor & { pending?: LedgerPullProgress }>();
  const updates: { seq: number; room: string; update: Uint8Array }[] = [];
  let seq = 0;
  const roomSync = new Table<RoomSyncState>();
  const quarantine = new Table<QuarantinedRecord>();
  const worklist = new Table<WorklistRow>();
  const worklistMeta = new Table<WorklistCacheMeta>();
  const archives = new Table<FactArchiveRow>();
  let deviceId: string | undefined;
  let session: StoredSession | null = null;

  const k = (...parts: string[]) => parts.join('\u0000');
  const of = (pid: string) => (r: { portfolioId: string }) => r.portfolioId === pid;

  return {
    ledger: {
      cursor: (pid) =>
        read(() => {
          const row = cursors.rows.get(pid);
          return row === undefined || row.pending !== undefined ? undefined : { portfolioId: row.portfolioId, cursor: row.cursor, pulledAt: row.pulledAt };
        }),
      pullProgress: (pid) => read(() => clone(cursors.rows.get(pid)?.pending)),
      applyPull: (delta: LedgerDelta, pulledAt, portfolio, progress) =>
        write(() => {
          const pid = delta.portfolioId;
          const foreign = [...delta.accounts, ...delta.contacts, ...delta.documents, ...delta.payments].find((r) => r.portfolioId !== pid);
          if (foreign !== undefined) throw new RangeError(`a row of portfolio ${foreign.portfolioId} in a pull of ${pid}`);
          if (portfolio !== undefined) portfolios.rows.set(pid, clone(portfolio));
          else if (!portfolios.rows.has(pid)) portfolios.rows.set(pid, { id: pid, name: pid });
          for (const a of delta.accounts) accounts.rows.set(k(pid, a.number), clone(a));
          for (const c of delta.contacts) contacts.rows.set(k(pid, c.id), clone(c));
          for (const d of delta.documents) documents.rows.set(k(pid, documentKey(d)), clone(d));
          for (const p of delta.payments) payments.rows.set(k(pid, p.id), clone(p));
          cursors.rows.set(pid, progress === undefined ? { portfolioId: pid, cursor: delta.cursor, pulledAt } : { portfolioId: pid, cursor: delta.since, pulledAt, pending: { ...progress } });
        }),
      clear: (pid) =>
        write(() => {
          for (const t of [accounts, contacts, documents, payments] as Table<{ portfolioId: string }>[])
            for (const [key, row] of t.rows) if (row.portfolioId === pid) t.rows.delete(key);
          cursors.rows.delete(pid);
        }),
      portfolio: (pid) => read(() => clone(portfolios.rows.get(pid))),
      portfolios: () => read(() => portfolios.values()),
      accounts: (pid) => read(() => accounts.values(of(pid)).sort((a, b) => byString(a.number, b.number))),
      contacts: (pid) => read(() => byAccount(contacts.values(of(pid)))),
      openDocuments: (pid) => read(() => byAccount(documents.values((d) => d.portfolioId === pid && d.status === 'open'))),
      paymentsFrom: (pid, from: CalendarDate) =>
        read(() => byAccount(payments.values((p) => p.portfolioId === pid && p.receivedDate >= from).sort((a, b) => byString(a.receivedDate, b.receivedDate)))),
      paymentsBetween: (pid, from, before) =>
        read(() =>
          byAccount(payments.values((p) => p.portfolioId === pid && p.receivedDate >= from && p.receivedDate < before).sort((a, b) => byString(a.receivedDate, b.receivedDate))),
        ),
      accountDocuments: (pid, accountNumber) => read(() => documents.values((d) => d.portfolioId === pid && d.accountNumber === accountNumber)),
      accountPayments: (pid, accountNumber) => read(() => payments.values((p) => p.portfolioId === pid && p.accountNumber === accountNumber)),
      findDocuments: (pid, prefix, limit) =>
        read(() =>
          documents
            .values((d) => d.portfolioId === pid && d.number.startsWith(prefix))
            .sort((a, b) => byString(a.number, b.number))
            .slice(0, limit),
        ),
      ledger: (pid) =>
        read((): Ledger | undefined => {
          const portfolio = portfolios.rows.get(pid);
          if (portfolio === undefined) return undefined;
          return { portfolio: clone(portfolio), accounts: accounts.values(of(pid)), contacts: contacts.values(of(pid)), documents: documents.values(of(pid)), payments: payments.values(of(pid)) };
        }),
      invalidRows: () => 0,
    },
    updates: {
      load: (room) => read((): UpdateRow[] => updates.filter((u) => u.room === room).map((u) => ({ seq: u.seq, update: u.update.slice() }))),
      append: (room, list) =>
        write(() => {
          for (const update of list) updates.push({ seq: ++seq, room, update: update.slice() });
        }),
      compact: (room, merge) =>
        write(() => {
          const rows = updates.filter((u) => u.room === room);
          if (rows.length <= 1) return 0;
          const merged = merge(rows.map((r) => r.update));
          for (const r of rows) updates.splice(updates.indexOf(r), 1);
          updates.push({ seq: ++seq, room, update: merged.slice() });
          return rows.length;
        }),
      count: (room) => read(() => updates.filter((u) => u.room === room).length),
      rooms: (pid) => read(() => [...new Set(updates.filter((u) => u.room.startsWith(`${pid}.`)).map((u) => u.room))]),
    },
    roomSync: {
      get: (room) => read(() => clone(roomSync.rows.get(room))),
      put: (state) => write(() => void roomSync.rows.set(state.room, clone(state))),
      list: (pid) => read(() => roomSync.values(of(pid))),
    },
    quarantine: {
      put: (records) =>
        write(() => {
          for (const r of records) quarantine.rows.set(k(r.room, r.key), clone(r));
        }),
      list: (pid) => read(() => quarantine.values(of(pid))),
      count: (pid) => read(() => quarantine.values(of(pid)).length),
    },
    worklist: {
      meta: (pid) => read(() => clone(worklistMeta.rows.get(pid))),
      replace: (meta, rows) =>
        write(() => {
          for (const [key, row] of worklist.rows) if (row.portfolioId === meta.portfolioId) worklist.rows.delete(key);
          for (const r of rows) if (r.portfolioId === meta.portfolioId) worklist.rows.set(k(r.portfolioId, r.accountNumber), clone(r));
          worklistMeta.rows.set(meta.portfolioId, clone(meta));
        }),
      put: (pid, rows) =>
        write(() => {
          for (const r of rows) if (r.portfolioId === pid) worklist.rows.set(k(pid, r.accountNumber), clone(r));
        }),
      top: (pid, options) =>
        read(() =>
          worklist
            .values((r) => r.portfolioId === pid && (options.assignee === undefined || r.assignee === (options.assignee ?? '')))
            // The Dexie index order: score descending, then the key (account number) descending.
            .sort((a, b) => b.score - a.score || byString(b.accountNumber, a.accountNumber))
            .slice(0, options.limit),
        ),
      clear: (pid) =>
        write(() => {
          for (const [key, row] of worklist.rows) if (row.portfolioId === pid) worklist.rows.delete(key);
          worklistMeta.rows.delete(pid);
        }),
    },
    device: {
      deviceId: (make) =>
        write(() => {
          deviceId ??= make();
          return deviceId;
        }),
      session: () => read(() => clone(session)),
      saveSession: (s) => write(() => void (session = clone(s))),
    },
    archives: {
      put: (row) => write(() => void archives.rows.set(k(row.portfolioId, row.period), clone(row))),
      list: (pid) => read(() => archives.values(of(pid))),
      periods: (pid) => read(() => archives.values(of(pid)).map((r) => r.period).sort()),
    },
    onWriteError(listener) {
      writeErrorListeners.add(listener);
      return () => writeErrorListeners.delete(listener);
    },
    close() {
      closed = true;
      return Promise.resolve();
    },
  };
}
