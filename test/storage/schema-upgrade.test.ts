/**
 * Dexie versions only move forward (DESIGN.md §6). Each golden fixture is data as an old version of the
 * device database stored it: written with that version's schema, then opened with today's code, every
 * repository must still read it. A published version's stores must never change (the fixture records
 * them): a new version is added instead.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CURRENT_SCHEMA_VERSION, DeviceDb, SCHEMA_VERSIONS } from '../../src/storage/device-db';
import { createDexieStorage } from '../../src/storage/dexie-storage';

const dir = join(import.meta.dirname, '../fixtures/storage');
const fixtureSchema = z.object({
  version: z.number().int().positive(),
  stores: z.record(z.string(), z.string()),
  rows: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
});

/** `{"$bytes":[…]}` in a fixture stands for a Uint8Array (JSON has none). */
function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (typeof value !== 'object' || value === null) return value;
  const bytes = (value as { $bytes?: unknown }).$bytes;
  if (Array.isArray(bytes)) return Uint8Array.from(bytes as number[]);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
}

const fixtures = readdirSync(dir)
  .filter((f) => /^device-db-v\d+\.json$/.test(f))
  .map((f) => fixtureSchema.parse(JSON.parse(readFileSync(join(dir, f), 'utf8'))));

describe('device database versions', () => {
  it('go up one by one, and there is a golden fixture of every version', () => {
    expect(SCHEMA_VERSIONS.map((v) => v.version)).toEqual(SCHEMA_VERSIONS.map((_, i) => i + 1));
    expect(fixtures.map((f) => f.version).sort()).toEqual(SCHEMA_VERSIONS.map((v) => v.version));
  });

  it('never change once published', () => {
    for (const f of fixtures) expect(SCHEMA_VERSIONS.find((v) => v.version === f.version)?.stores).toEqual(f.stores);
  });

  for (const fixture of fixtures)
    it(`open version ${fixture.version} data with version ${CURRENT_SCHEMA_VERSION} and read every table`, async () => {
      const indexedDB = new IDBFactory();
      const old = new DeviceDb('golden', { indexedDB, IDBKeyRange }, fixture.version);
      await old.open();
      await old.transaction('rw', old.tables, async () => {
        for (const [table, rows] of Object.entries(fixture.rows)) await old.table(table).bulkPut(rows.map(revive));
      });
      old.close();

      const s = createDexieStorage({ name: 'golden', indexedDB, IDBKeyRange });
      expect(s.access.db.verno).toBe(CURRENT_SCHEMA_VERSION);
      expect(await s.ledger.cursor('acme')).toEqual({ portfolioId: 'acme', cursor: 42, pulledAt: '2026-11-20T08:00:00.000Z' });
      expect((await s.ledger.accounts('acme')).map((a) => a.name)).toEqual(['Bolt & Nut Ltd']);
      expect(await s.ledger.contacts('acme')).toHaveLength(1);
      expect((await s.ledger.openDocuments('acme')).map((d) => d.number)).toEqual(['INV-1']);
      expect((await s.ledger.accountDocuments('acme', 'C1')).map((d) => d.number).sort()).toEqual(['INV-0', 'INV-1']);
      expect(await s.ledger.accountPayments('acme', 'C1')).toHaveLength(1);
      expect(s.ledger.invalidRows()).toBe(0);
      expect((await s.updates.load('acme.config')).map((r) => [...r.update])).toEqual([[0, 0]]);
      expect((await s.roomSync.get('acme.config'))?.lastServerSyncAt).toBe('2026-11-20T08:01:00.000Z');
      expect(await s.quarantine.count('acme')).toBe(1);
      expect((await s.worklist.top('acme', { assignee: 'ana', limit: 10 })).map((r) => r.score)).toEqual([42.5]);
      expect((await s.worklist.meta('acme'))?.engineVersion).toBe(1);
      expect(await s.device.deviceId(() => 'new')).toBe('dev-golden');
      expect((await s.device.session())?.user.id).toBe('ana');
      await s.close();
    });
});
