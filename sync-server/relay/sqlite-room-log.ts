/**
 * The relay's room logs (persistence.ts) in a SQLite file of their own, `rooms.sqlite` in the data
 * folder, written on the event loop.
 *
 * Why a file of its own, written synchronously: an append is one indexed insert and its commit (WAL,
 * synchronous = NORMAL: a write of the touched pages, no fsync), ~20–30 µs. That is less than handing
 * it to another thread and hearing back, and under load a thread hop costs more still, since the two
 * threads wait for a CPU. The fact store's projection writes from the SQLite writer's worker
 * (sqlite-writer.ts); in the same file as the logs, the event loop's append would wait for that
 * worker's write lock. The file's WAL is checkpointed by its own WalCheckpointer (wal-checkpointer.ts),
 * so no append ever waits for a checkpoint's fsync either.
 *
 * The table: one row per accepted update; the rowid is the seq (a new row's rowid is above every row
 * there, so a room's rows are in append order), so an append is one insert into the table and one into
 * the (room, seq) index, and a load is one range scan of that index. Compaction replaces a room's rows
 * with one merged update in one transaction.
 *
 * Logs written before this file existed (the ledger file's `room_updates`) are moved here when the
 * server opens them: `moveLegacyRoomLogs`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations, type Migration } from '../store/migrations';
import type { RoomPersistence, StoredLog } from './persistence';

export const ROOM_LOG_MIGRATIONS: readonly Migration[] = [
  {
    id: '2026-11-26-01-room-log',
    sql: `
      CREATE TABLE room_updates (
        seq INTEGER PRIMARY KEY,
        room TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX room_updates_room ON room_updates (room, seq);
    `,
  },
];

/** Opens (creating and migrating if needed) a room log file: WAL, synchronous = NORMAL. */
export function openRoomLogDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  applyMigrations(db, ROOM_LOG_MIGRATIONS);
  return db;
}

/** A room's rows as a StoredLog. */
function storedLogOf(rows: readonly { data: Uint8Array }[]): StoredLog {
  let bytes = 0;
  const updates = rows.map((r) => {
    bytes += r.data.length;
    return new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.length);
  });
  return { updates, entries: rows.length, bytes };
}

export class SqliteRoomLog implements RoomPersistence {
  readonly db: Database.Database;
  private readonly insert;
  private readonly select;
  private readonly clear;
  private readonly replace;

  constructor(db: Database.Database) {
    this.db = db;
    this.insert = db.prepare<[string, Uint8Array]>('INSERT INTO room_updates (room, data) VALUES (?, ?)');
    this.select = db.prepare<[string], { data: Buffer }>('SELECT data FROM room_updates WHERE room = ? ORDER BY seq');
    this.clear = db.prepare<[string]>('DELETE FROM room_updates WHERE room = ?');
    this.replace = db.transaction((room: string, snapshot: Uint8Array) => {
      this.clear.run(room);
      this.insert.run(room, snapshot);
    });
  }

  /** The log now (seeding, operations, tests). */
  loadNow(room: string): StoredLog {
    return storedLogOf(this.select.all(room));
  }

  /** Appends and commits on the calling thread (the relay, the demo seeder, the CLI). */
  appendNow(room: string, update: Uint8Array): void {
    this.insert.run(room, update);
  }

  load(room: string): Promise<StoredLog> {
    return settled(() => this.loadNow(room));
  }

  append(room: string, update: Uint8Array): Promise<void> {
    return settled(() => {
      this.appendNow(room, update);
    });
  }

  compact(room: string, snapshot: Uint8Array): Promise<void> {
    return settled(() => {
      this.replace(room, snapshot);
    });
  }

  /** Every call commits before it returns: nothing is ever in flight. */
  drained(): Promise<void> {
    return Promise.resolve();
  }

  /** Rooms with a log, for operations and the demo. */
  rooms(): string[] {
    return this.db.prepare<[], string>('SELECT DISTINCT room FROM room_updates ORDER BY room').pluck().all();
  }
}

/** Runs `fn` now (SQLite commits synchronously) and reports its outcome as a settled promise. */
function settled<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

/**
 * Moves the room logs an older server kept in the ledger file (its `room_updates` table) into the room
 * log file, then drops that table. Safe to run again after a crash at any point: rows keep their seq
 * and are copied with INSERT OR IGNORE in one transaction of the room log file, and the ledger's table
 * is dropped only after that transaction committed. Returns the rows moved (0 when there was nothing).
 */
export function moveLegacyRoomLogs(ledger: Database.Database, roomLog: SqliteRoomLog): number {
  const legacy = ledger.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'room_updates'").get();
  if (legacy === undefined || legacy.n === 0) return 0;
  const copy = roomLog.db.prepare<[number, string, Uint8Array]>('INSERT OR IGNORE INTO room_updates (seq, room, data) VALUES (?, ?, ?)');
  let moved = 0;
  roomLog.db.transaction(() => {
    for (const r of ledger.prepare<[], { seq: number; room: string; data: Buffer }>('SELECT seq, room, data FROM room_updates ORDER BY seq').iterate()) moved += copy.run(r.seq, r.room, r.data).changes;
  })();
  ledger.exec('DROP TABLE room_updates');
  return moved;
}
