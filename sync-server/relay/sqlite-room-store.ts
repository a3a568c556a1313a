import type Database from 'better-sqlite3';
import type { StoredLog } from './persistence';

/**
 * The SQL of the room update logs (table `room_updates`, migration 04): one row per accepted update;
 * the rowid is the seq, so appends are one indexed insert and a load is one range scan of the (room,
 * seq) index. The relay runs these from the SQLite writer's worker (worker-room-store.ts).
 */
export const ROOM_LOG_SQL = {
  append: 'INSERT INTO room_updates (room, data) VALUES (?, ?)',
  load: 'SELECT seq, data FROM room_updates WHERE room = ? ORDER BY seq',
  clear: 'DELETE FROM room_updates WHERE room = ?',
} as const;

/** A room's rows as a StoredLog. */
export function storedLogOf(rows: readonly { data: Uint8Array }[]): StoredLog {
  let bytes = 0;
  const updates = rows.map((r) => {
    bytes += r.data.length;
    return new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.length);
  });
  return { updates, entries: rows.length, bytes };
}

/**
 * The room logs read and appended to on the calling thread, from the main connection: the demo seeder
 * and the CLI append with it before the relay runs, and tests read what the relay persisted.
 */
export class SqliteRoomStore {
  private readonly db: Database.Database;
  private readonly insert;
  private readonly select;

  constructor(db: Database.Database) {
    this.db = db;
    this.insert = db.prepare<[string, Uint8Array]>(ROOM_LOG_SQL.append);
    this.select = db.prepare<[string], { seq: number; data: Buffer }>(ROOM_LOG_SQL.load);
  }

  /** The log now. */
  loadNow(room: string): StoredLog {
    return storedLogOf(this.select.all(room));
  }

  append(room: string, update: Uint8Array): { seq: number } {
    return { seq: Number(this.insert.run(room, update).lastInsertRowid) };
  }

  /** Rooms with a log, for operations and the demo. */
  rooms(): string[] {
    return this.db.prepare<[], string>('SELECT DISTINCT room FROM room_updates ORDER BY room').pluck().all();
  }
}
