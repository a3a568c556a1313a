import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { moveLegacyRoomLogs, openRoomLogDatabase, SqliteRoomLog } from '../../sync-server/relay/sqlite-room-log';
import { openDatabase } from '../../sync-server/store/sqlite-ledger-store';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0).reverse()) c();
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dunwell-room-log-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function roomLog(dir: string): SqliteRoomLog {
  const log = new SqliteRoomLog(openRoomLogDatabase(join(dir, 'rooms.sqlite')));
  cleanup.push(() => log.db.close());
  return log;
}

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('the room log file', () => {
  it('keeps each room’s updates in append order, and compaction replaces a room’s log with one update', async () => {
    const log = roomLog(folder());
    await log.append('a', bytes(1));
    await log.append('b', bytes(2));
    await log.append('a', bytes(3, 3));
    expect(await log.load('a')).toEqual({ updates: [bytes(1), bytes(3, 3)], entries: 2, bytes: 3 });
    await log.compact('a', bytes(9));
    await log.append('a', bytes(4));
    // The snapshot came after every row it replaced, and new rows come after it.
    expect((await log.load('a')).updates).toEqual([bytes(9), bytes(4)]);
    expect((await log.load('b')).updates).toEqual([bytes(2)]);
    expect(await log.load('nobody')).toEqual({ updates: [], entries: 0, bytes: 0 });
    expect(log.rooms()).toEqual(['a', 'b']);
  });

  it('rejects an append it could not commit, and keeps what it had', async () => {
    const log = roomLog(folder());
    await log.append('a', bytes(1));
    log.db.exec("CREATE TRIGGER refuse BEFORE INSERT ON room_updates BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    await expect(log.append('a', bytes(2))).rejects.toThrow(/disk full/);
    await expect(log.compact('a', bytes(3))).rejects.toThrow(/disk full/);
    expect((await log.load('a')).updates).toEqual([bytes(1)]);
  });
});

describe('room logs an older server kept in the ledger file', () => {
  function legacyLedger(dir: string) {
    // The ledger's migrations still create room_updates (migration 04), as an older server's file has it.
    const ledger = openDatabase(join(dir, 'ledger.sqlite'));
    cleanup.push(() => ledger.close());
    const insert = ledger.prepare('INSERT INTO room_updates (room, data) VALUES (?, ?)');
    insert.run('acme.facts.2026-11', bytes(1));
    insert.run('acme.config', bytes(2));
    insert.run('acme.facts.2026-11', bytes(3));
    return ledger;
  }
  const hasTable = (db: ReturnType<typeof openDatabase>) => db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'room_updates'").pluck().get() === 1;

  it('are moved into the room log file in their order, and the ledger’s table is dropped', async () => {
    const dir = folder();
    const ledger = legacyLedger(dir);
    const log = roomLog(dir);
    expect(moveLegacyRoomLogs(ledger, log)).toBe(3);
    expect(hasTable(ledger)).toBe(false);
    expect((await log.load('acme.facts.2026-11')).updates).toEqual([bytes(1), bytes(3)]);
    await log.append('acme.facts.2026-11', bytes(4));
    expect((await log.load('acme.facts.2026-11')).updates).toEqual([bytes(1), bytes(3), bytes(4)]);
    expect(moveLegacyRoomLogs(ledger, log)).toBe(0);
  });

  it('are not doubled when a crash came after the copy and before the drop', async () => {
    const dir = folder();
    const ledger = legacyLedger(dir);
    const log = roomLog(dir);
    // The copy committed, the process died: the rows are in both files.
    log.db.exec(`ATTACH '${join(dir, 'ledger.sqlite')}' AS old`);
    log.db.exec('INSERT INTO room_updates (seq, room, data) SELECT seq, room, data FROM old.room_updates');
    log.db.exec('DETACH old');
    expect(moveLegacyRoomLogs(ledger, log)).toBe(0);
    expect(hasTable(ledger)).toBe(false);
    expect((await log.load('acme.facts.2026-11')).updates).toEqual([bytes(1), bytes(3)]);
    expect((await log.load('acme.config')).updates).toEqual([bytes(2)]);
  });
});
