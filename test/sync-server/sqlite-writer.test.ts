import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../sync-server/store/sqlite-ledger-store';
import { SqliteWriter } from '../../sync-server/store/sqlite-writer';

describe('SQLite writes from a worker', () => {
  const cleanup: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  function setup(o: { commitDelayMs?: number } = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'dunwell-writer-'));
    const db = openDatabase(join(dir, 'dunwell.db'));
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
    const writer = new SqliteWriter(
      db,
      {
        put: 'INSERT INTO t (k, v) VALUES (?, ?)',
        bump: 'UPDATE t SET v = v + 1 WHERE k = ?',
        get: 'SELECT k, v FROM t WHERE k = ?',
      },
      o,
    );
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanup.push(() => {
      db.close();
    });
    cleanup.push(() => writer.stop());
    return { db, writer };
  }

  it('runs jobs in the order submitted; a read sees the writes submitted before it; the main connection sees what resolved', async () => {
    const { db, writer } = setup();
    const put = writer.submit([{ s: 'put', p: ['a', 1] }]);
    const bumps = Array.from({ length: 50 }, () => writer.submit([{ s: 'bump', p: ['a'] }]));
    const read = writer.submit([{ s: 'get', p: ['a'] }]);
    expect(writer.pending).toBe(52);
    expect((await put)[0]).toMatchObject({ changes: 1, rowid: 1 });
    for (const b of await Promise.all(bumps)) expect(b[0]?.changes).toBe(1);
    expect((await read)[0]?.rows).toEqual([{ k: 'a', v: 51 }]);
    expect(db.prepare('SELECT v FROM t WHERE k = ?').pluck().get('a')).toBe(51);
    await writer.drained();
    expect(writer.pending).toBe(0);
  });

  it('fails a job whose statement fails, whole, and only that job, though it was committed in a group with others', async () => {
    const { db, writer } = setup();
    const jobs = [
      writer.submit([{ s: 'put', p: ['x', 1] }]),
      // Its second step breaks the primary key: its first step must not stay either.
      writer.submit([
        { s: 'put', p: ['y', 1] },
        { s: 'put', p: ['x', 2] },
      ]),
      writer.submit([{ s: 'put', p: ['z', 1] }]),
      writer.submit([{ s: 'nope', p: [] }]),
    ];
    const settled = await Promise.allSettled(jobs);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    expect(String((settled[3] as PromiseRejectedResult).reason)).toMatch(/unknown statement nope/);
    expect(db.prepare('SELECT k FROM t ORDER BY k').pluck().all()).toEqual(['x', 'z']);
    // The writer goes on.
    await writer.submit([{ s: 'put', p: ['y', 3] }]);
    expect(db.prepare('SELECT v FROM t WHERE k = ?').pluck().get('y')).toBe(3);
  });

  it('stops only after what was submitted is written, and refuses jobs after that', async () => {
    const { db, writer } = setup();
    const jobs = Array.from({ length: 20 }, (_, i) => writer.submit([{ s: 'put', p: [`k${i}`, i] }]));
    await writer.stop();
    await Promise.all(jobs);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(20);
    await expect(writer.submit([{ s: 'put', p: ['late', 0] }])).rejects.toThrow(/stopped/);
  });

  describe('with a commit delay', () => {
    /** What the test asserts does not happen: given the time a warm worker needs many times over. */
    const aWhile = () => new Promise((done) => setTimeout(done, 150));

    it('holds jobs from several turns for one commit, which drained() makes at once', async () => {
      // A delay no test waits for: only drained() can commit these.
      const { db, writer } = setup({ commitDelayMs: 600_000 });
      // The worker is started and has answered once.
      const warm = writer.submit([{ s: 'get', p: ['none'] }]);
      await writer.drained();
      await warm;
      const settled: string[] = [];
      const first = writer.submit([{ s: 'put', p: ['a', 1] }]).then(() => settled.push('a'));
      await aWhile();
      const second = writer.submit([{ s: 'put', p: ['b', 2] }]).then(() => settled.push('b'));
      await aWhile();
      expect(settled).toEqual([]);
      expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
      await writer.drained();
      await Promise.all([first, second]);
      expect(settled).toEqual(['a', 'b']);
      expect(db.prepare('SELECT k FROM t ORDER BY k').pluck().all()).toEqual(['a', 'b']);
      // The writer goes on, delaying again.
      const third = writer.submit([{ s: 'get', p: ['a'] }]);
      await writer.drained();
      expect((await third)[0]?.rows).toEqual([{ k: 'a', v: 1 }]);
    });

    it('commits on its own once the first job has waited the delay', async () => {
      const { db, writer } = setup({ commitDelayMs: 20 });
      const results = await Promise.all([writer.submit([{ s: 'put', p: ['a', 1] }]), writer.submit([{ s: 'bump', p: ['a'] }])]);
      expect(results.map((r) => r[0]?.changes)).toEqual([1, 1]);
      expect(db.prepare('SELECT v FROM t WHERE k = ?').pluck().get('a')).toBe(2);
    });

    it('fails only the failing job of a delayed group, and stop() commits what waits', async () => {
      const { db, writer } = setup({ commitDelayMs: 600_000 });
      const jobs = [writer.submit([{ s: 'put', p: ['x', 1] }]), writer.submit([{ s: 'put', p: ['x', 2] }]), writer.submit([{ s: 'put', p: ['y', 1] }])];
      const outcomes = Promise.allSettled(jobs);
      await writer.stop();
      const settled = await outcomes;
      expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(db.prepare('SELECT k FROM t ORDER BY k').pluck().all()).toEqual(['x', 'y']);
    });
  });
});
