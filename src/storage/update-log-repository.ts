/**
 * The Yjs update log in Dexie (UpdateLogRepository in src/app/ports.ts): one row per persisted update,
 * indexed by room. Yjs updates commute, so the order of rows only matters for reading them back
 * cheaply.
 */
import { z } from 'zod';
import type { UpdateLogRepository, UpdateRow } from '../app/ports';
import type { DbAccess } from './db-access';
import { parseRows, RowCounter } from './parse-rows';

const updateRowSchema = z.object({ seq: z.number().int().positive(), room: z.string().min(1), update: z.instanceof(Uint8Array) });

export class DexieUpdateLogRepository implements UpdateLogRepository {
  private readonly access: DbAccess;
  private readonly counter = new RowCounter();

  constructor(access: DbAccess) {
    this.access = access;
  }

  invalidRows(): number {
    return this.counter.invalid;
  }

  load(room: string): Promise<UpdateRow[]> {
    return this.access.read(async (db) =>
      parseRows(updateRowSchema, await db.updates.where('room').equals(room).toArray(), this.counter).map((r) => ({ seq: r.seq, update: r.update })),
    );
  }

  async append(room: string, updates: readonly Uint8Array[]): Promise<void> {
    if (updates.length === 0) return;
    await this.access.write((db) => db.updates.bulkAdd(updates.map((update) => ({ room, update }))));
  }

  compact(room: string, merge: (updates: readonly Uint8Array[]) => Uint8Array): Promise<number> {
    return this.access.write((db) =>
      db.transaction('rw', db.updates, async () => {
        const rows = parseRows(updateRowSchema, await db.updates.where('room').equals(room).toArray(), this.counter);
        if (rows.length <= 1) return 0;
        // merge runs inside the transaction (synchronously): no other writer can slip between read and delete.
        const merged = merge(rows.map((r) => r.update));
        await db.updates.bulkDelete(rows.map((r) => r.seq));
        await db.updates.add({ room, update: merged });
        return rows.length;
      }),
    );
  }

  count(room: string): Promise<number> {
    return this.access.read((db) => db.updates.where('room').equals(room).count());
  }

  rooms(portfolioId: string): Promise<string[]> {
    return this.access.read(async (db) => (await db.updates.where('room').startsWith(`${portfolioId}.`).uniqueKeys()).map(String));
  }
}
