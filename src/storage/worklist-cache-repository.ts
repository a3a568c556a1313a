/**
 * The derived worklist cache (WorklistCacheRepository): rows by account, read by score through the
 * `[portfolioId+score]` and `[portfolioId+assignee+score]` indexes, highest first, `limit` rows: the
 * top of Today without touching the other 20k rows.
 */
import { Dexie } from 'dexie';
import { z } from 'zod';
import type { WorklistCacheMeta, WorklistCacheRepository } from '../app/ports';
import { worklistRowSchema, type WorklistRow } from '../app/worklist-row';
import type { DbAccess } from './db-access';
import { parseRow, parseRows, RowCounter } from './parse-rows';

const metaSchema = z.object({
  portfolioId: z.string().min(1),
  engineVersion: z.number().int(),
  asOf: z.string(),
  count: z.number().int().nonnegative(),
});

const { minKey, maxKey } = Dexie;

export class DexieWorklistCacheRepository implements WorklistCacheRepository {
  private readonly access: DbAccess;
  private readonly counter = new RowCounter();

  constructor(access: DbAccess) {
    this.access = access;
  }

  invalidRows(): number {
    return this.counter.invalid;
  }

  meta(portfolioId: string): Promise<WorklistCacheMeta | undefined> {
    return this.access.read(async (db) => parseRow(metaSchema, await db.worklistMeta.get(portfolioId), this.counter));
  }

  async replace(meta: WorklistCacheMeta, rows: readonly WorklistRow[]): Promise<void> {
    const pid = meta.portfolioId;
    await this.access.write((db) =>
      db.transaction('rw', [db.worklist, db.worklistMeta], async () => {
        await db.worklist.where('[portfolioId+accountNumber]').between([pid, minKey], [pid, maxKey]).delete();
        await db.worklist.bulkPut(rows.filter((r) => r.portfolioId === pid));
        await db.worklistMeta.put({ portfolioId: pid, engineVersion: meta.engineVersion, asOf: meta.asOf, count: meta.count });
      }),
    );
  }

  async put(portfolioId: string, rows: readonly WorklistRow[]): Promise<void> {
    const mine = rows.filter((r) => r.portfolioId === portfolioId);
    if (mine.length === 0) return;
    await this.access.write((db) => db.worklist.bulkPut(mine));
  }

  top(portfolioId: string, options: { readonly assignee?: string | null; readonly limit: number }): Promise<WorklistRow[]> {
    return this.access.read(async (db) => {
      const query =
        options.assignee === undefined
          ? db.worklist.where('[portfolioId+score]').between([portfolioId, minKey], [portfolioId, maxKey])
          : db.worklist.where('[portfolioId+assignee+score]').between([portfolioId, options.assignee ?? '', minKey], [portfolioId, options.assignee ?? '', maxKey]);
      return parseRows(worklistRowSchema, await query.reverse().limit(options.limit).toArray(), this.counter);
    });
  }

  async clear(portfolioId: string): Promise<void> {
    await this.access.write((db) =>
      db.transaction('rw', [db.worklist, db.worklistMeta], async () => {
        await db.worklist.where('[portfolioId+accountNumber]').between([portfolioId, minKey], [portfolioId, maxKey]).delete();
        await db.worklistMeta.delete(portfolioId);
      }),
    );
  }
}
