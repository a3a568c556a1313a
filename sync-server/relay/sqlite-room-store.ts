import type Database from 'better-sqlite3';
import type { RoomPersistence, StoredLog } from './persistence';

/**
 * Room update logs in the server's SQLite file (table `room_updates`, migration 04). One row per
 * accepted update; the rowid is the seq, so appends are one indexed insert and a load is one range
 * scan of the (room, seq) index.
 */
export class SqliteRoomStore implements RoomPersistence {
  private readonly db: Database.Database;
  private readonly insert;
  private readonly select;
  private readonly remove;

  constructor(db: Database.Database) {
    this.db = db;
    this.insert = db.prepare<[string, Uint8Array]>('INSERT INTO room_updates (room, data) VALUES (?, ?)');
    this.select = db.prepare<[string], { seq: number; data: Buffer }>('SELECT seq, data FROM room_updates WHERE room = ? ORDER BY seq');
    this.remove = db.prepare<[string, number]>('DELETE FROM room_updates WHERE room = ? AND seq <= ?');
  }

  load(room: string): Promise<StoredLog> {
    return Promise.resolve(this.loadNow(room));
  }

  /** The log now, for the demo seeder and tests (the relay uses `load`). */
  loadNow(room: string): StoredLog {
    const rows = this.select.all(room);
    let bytes = 0;
    const updates = rows.map((r) => {
      bytes += r.data.length;
      return new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.length);
    });
    return { updates, entries: rows.length, bytes, lastSeq: rows.at(-1)?.seq ?? 0 };
  }

  append(room: string, update: Uint8Array): { seq: number } {
    return { seq: Number(this.insert.run(room, update).lastInsertRowid) };
  }

  compact(room: string, snapshot: Uint8Array, uptoSeq: number): { seq: number } {
    return this.db.transaction(() => {
      this.remove.run(room, uptoSeq);
      return { seq: Number(this.insert.run(room, snapshot).lastInsertRowid) };
    }).immediate();
  }

  /** Rooms with a log, for operations and the demo. */
  rooms(): string[] {
    return this.db.prepare<[], string>('SELECT DISTINCT room FROM room_updates ORDER BY room').pluck().all();
  }
}
