import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../sync-server/store/sqlite-ledger-store';
import { WalCheckpointer } from '../../sync-server/store/wal-checkpointer';
import { eventually } from '../helpers/relay-clients';

describe('WAL checkpoints from a worker', () => {
  const cleanup: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('turns the automatic checkpoint off, checkpoints from the worker, truncates the WAL once idle, and stops before the main connection closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dunwell-ckpt-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'dunwell.db');
    const db = openDatabase(file);
    const checkpointer = new WalCheckpointer(db, { intervalMs: 20 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    db.exec('CREATE TABLE t (x BLOB)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    // Far past the 1,000 pages at which a commit would checkpoint by itself.
    for (let i = 0; i < 3000; i++) insert.run(Buffer.alloc(2000, i % 251));
    await eventually(() => {
      expect(checkpointer.stats.passive).toBeGreaterThan(0);
    });
    await eventually(() => {
      expect(checkpointer.stats.truncate).toBeGreaterThan(0);
      expect(statSync(`${file}-wal`).size).toBe(0);
    });
    await checkpointer.stop();
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(3000);
    db.close();
    // The main connection closed last, so it checkpointed and removed the WAL as usual.
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});
