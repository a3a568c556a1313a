/**
 * Built into the bench's copy of the PWA (build.ts) and loaded into a page of the app's origin: the
 * app's own storage code (createDexieStorage) on the device's database, so the in-page figures time
 * the very query the app runs, in Chromium's IndexedDB.
 */
import { createDexieStorage, type DexieStorage } from '../../../src/storage/dexie-storage';

export interface TopTimes {
  readonly samples: number[];
  readonly rows: number;
}

export interface StorageProbe {
  /** The ledger copy's cursor and row counts, once the pull's transaction committed (undefined before). */
  ledgerCopy(portfolioId: string): Promise<{ cursor: number; accounts: number; documents: number; payments: number; contacts: number } | undefined>;
  /** The worklist cache's meta (written some seconds after the list goes live). */
  cacheCount(portfolioId: string): Promise<number | undefined>;
  /** `runs` timed reads of the top `limit` rows through the app's WorklistCacheRepository.top. */
  top(portfolioId: string, assignee: string | undefined, limit: number, runs: number): Promise<TopTimes>;
  close(): Promise<void>;
}

function probe(): StorageProbe {
  let storage: DexieStorage | undefined;
  const open = () => (storage ??= createDexieStorage());
  return {
    async ledgerCopy(portfolioId) {
      const s = open();
      const cursor = await s.ledger.cursor(portfolioId);
      if (cursor === undefined) return undefined;
      // Counts straight from the tables' primary keys: reading 700k rows through the schemas would time the probe.
      return s.access.read(async (db) => {
        const range = (t: typeof db.accounts | typeof db.contacts | typeof db.payments) => t.where(':id').between([portfolioId], [portfolioId, []]).count();
        return {
          cursor: cursor.cursor,
          accounts: await range(db.accounts),
          contacts: await range(db.contacts),
          payments: await range(db.payments),
          documents: await db.documents.where(':id').between([portfolioId], [portfolioId, []]).count(),
        };
      });
    },
    async cacheCount(portfolioId) {
      return (await open().worklist.meta(portfolioId))?.count;
    },
    async top(portfolioId, assignee, limit, runs) {
      const repo = open().worklist;
      const options = assignee === undefined ? { limit } : { assignee, limit };
      // Warm the connection and the query path as the app's second read would find them.
      for (let i = 0; i < 5; i++) await repo.top(portfolioId, options);
      const samples: number[] = [];
      let rows = 0;
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        rows = (await repo.top(portfolioId, options)).length;
        samples.push(performance.now() - t0);
      }
      return { samples, rows };
    },
    async close() {
      await storage?.close();
      storage = undefined;
    },
  };
}

(globalThis as { dunwellProbe?: StorageProbe }).dunwellProbe = probe();
