/** Archived fact months fetched over HTTP, kept per (portfolio, period) (FactArchiveRepository). */
import { Dexie } from 'dexie';
import { z } from 'zod';
import type { FactArchiveRepository, FactArchiveRow } from '../app/ports';
import type { DbAccess } from './db-access';
import { parseRows, RowCounter } from './parse-rows';

const archiveSchema = z.object({ portfolioId: z.string().min(1), period: z.string(), facts: z.array(z.unknown()), fetchedAt: z.string() });

const { minKey, maxKey } = Dexie;

export class DexieFactArchiveRepository implements FactArchiveRepository {
  private readonly access: DbAccess;
  private readonly counter = new RowCounter();

  constructor(access: DbAccess) {
    this.access = access;
  }

  async put(row: FactArchiveRow): Promise<void> {
    await this.access.write((db) => db.factArchives.put({ portfolioId: row.portfolioId, period: row.period, facts: [...row.facts], fetchedAt: row.fetchedAt }));
  }

  list(portfolioId: string): Promise<FactArchiveRow[]> {
    return this.access.read(async (db) => parseRows(archiveSchema, await db.factArchives.where('portfolioId').equals(portfolioId).toArray(), this.counter));
  }

  periods(portfolioId: string): Promise<string[]> {
    return this.access.read(async (db) =>
      (await db.factArchives.where('[portfolioId+period]').between([portfolioId, minKey], [portfolioId, maxKey]).primaryKeys()).map((k) => k[1]),
    );
  }
}
