/** Records that failed their schema where they were read, keyed by (room, key) (QuarantineRepository). */
import { z } from 'zod';
import type { QuarantinedRecord, QuarantineRepository } from '../app/ports';
import type { DbAccess } from './db-access';
import { parseRows, RowCounter } from './parse-rows';

const quarantineSchema = z.object({
  portfolioId: z.string().min(1),
  room: z.string().min(1),
  key: z.string(),
  raw: z.string(),
  issues: z.array(z.string()),
  at: z.string(),
});

export class DexieQuarantineRepository implements QuarantineRepository {
  private readonly access: DbAccess;
  private readonly counter = new RowCounter();

  constructor(access: DbAccess) {
    this.access = access;
  }

  async put(records: readonly QuarantinedRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.access.write((db) =>
      db.quarantine.bulkPut(records.map((r) => ({ portfolioId: r.portfolioId, room: r.room, key: r.key, raw: r.raw, issues: [...r.issues], at: r.at }))),
    );
  }

  list(portfolioId: string): Promise<QuarantinedRecord[]> {
    return this.access.read(async (db) => parseRows(quarantineSchema, await db.quarantine.where('portfolioId').equals(portfolioId).toArray(), this.counter));
  }

  count(portfolioId: string): Promise<number> {
    return this.access.read((db) => db.quarantine.where('portfolioId').equals(portfolioId).count());
  }
}
