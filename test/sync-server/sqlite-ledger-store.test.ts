import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteLedgerStore, openDatabase } from '../../sync-server/store/sqlite-ledger-store';
import { MIGRATIONS } from '../../sync-server/store/migrations';
import { ledgerStoreContract } from './ledger-store.contract';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

ledgerStoreContract('sqlite in memory', () => ({ store: new SqliteLedgerStore(':memory:') }), { persistent: false });

ledgerStoreContract('sqlite file (WAL)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dunwell-store-'));
  dirs.push(dir);
  const file = join(dir, 'ledger.sqlite');
  return { store: new SqliteLedgerStore(file), reopen: () => new SqliteLedgerStore(file) };
}, { persistent: true });

describe('sqlite migrations', () => {
  it('apply once, forward only, and the file is in WAL mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dunwell-mig-'));
    dirs.push(dir);
    const file = join(dir, 'x.sqlite');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const ids = db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all();
    expect(ids).toEqual(MIGRATIONS.map((m) => m.id));
    db.close();
    const again = openDatabase(file);
    expect(again.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    again.close();
  });

  it('migration ids are unique and in order', () => {
    const ids = MIGRATIONS.map((m) => m.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
