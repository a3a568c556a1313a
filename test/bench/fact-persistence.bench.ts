/**
 * How the device persists its Yjs fact docs: the plain update log (src/sync/persisted-doc.ts over
 * src/storage/update-log-repository.ts) against y-dexie (DexieYProvider), both on fake-indexeddb, for a
 * month doc of ~50k facts. docs/sync-client.md records the figures and the choice.
 *
 * Figures: the cost of saving one fact (a collector logging a call: one Yjs update, one transaction,
 * awaited), the cost of saving 50k facts arriving in batches of 500 (a sync), and the time to load the
 * doc at start (rows read and applied, the Y.Doc ready), from many rows and after compaction.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { Dexie } from 'dexie';
import yDexie, { DexieYProvider } from 'y-dexie';
import type * as Y from 'yjs';
import type { Fact } from '../../src/domain/facts';
import { createDexieStorage } from '../../src/storage/dexie-storage';
import { PersistedDoc } from '../../src/sync/persisted-doc';
import { decodeFact } from '../../src/sync/fact-codec';
import { BENCHMARK_PORTFOLIO, generatePortfolio } from '../../sync-server/demo/synthetic';
import { generateFacts } from '../../sync-server/demo/synthetic-facts';
import { quantile, report } from './measure';

const asOf = `${BENCHMARK_PORTFOLIO.asOf}T15:00:00.000Z`;
const facts: Fact[] = generateFacts(generatePortfolio({ ...BENCHMARK_PORTFOLIO, accounts: 5000 }), { seed: 1, asOf }).slice(0, 50_000);
const N = facts.length;
const BATCH = 500;
const SINGLE = 300;
const ROOM = 'bench.facts.2025-06';

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function singles(name: string, samples: number[]): void {
  samples.sort((a, b) => a - b);
  report({ name, n: 1, median_ms: quantile(samples, 0.5), p99_ms: quantile(samples, 0.99), runs: samples.length });
}

// --- plain update log -----------------------------------------------------------------------------
{
  const storage = createDexieStorage({ name: 'plain', indexedDB: new IDBFactory(), IDBKeyRange });
  // Compaction off while writing, so the loads below read the rows the writes left.
  const doc = new PersistedDoc(ROOM, storage.updates, { compactAt: Number.MAX_SAFE_INTEGER });
  await doc.load();
  const map = doc.doc.getMap('facts');
  const samples: number[] = [];
  for (let i = 0; i < SINGLE; i++) {
    const f = facts[i] as Fact;
    samples.push(await timeIt(async () => {
      map.set(f.id, f);
      await doc.flush();
    }));
  }
  singles('fact persistence (plain update log): save one fact, awaited', samples);
  const bulk = await timeIt(async () => {
    for (let i = SINGLE; i < N; i += BATCH) {
      doc.doc.transact(() => {
        for (const f of facts.slice(i, i + BATCH)) map.set(f.id, f);
      });
      await doc.flush();
    }
  });
  report({ name: `fact persistence (plain update log): save ${N} facts in batches of ${BATCH}`, n: N, median_ms: bulk, runs: 1 });
  await doc.close();
  const rows = await storage.updates.count(ROOM);
  const loadRows = await timeIt(async () => {
    const again = new PersistedDoc(ROOM, storage.updates, { compactAt: Number.MAX_SAFE_INTEGER });
    await again.load();
    if (again.doc.getMap('facts').size !== N) throw new Error('plain log lost facts');
    await again.close();
  });
  report({ name: `fact persistence (plain update log): load a doc of ${N} facts from ${rows} rows`, n: N, median_ms: loadRows, runs: 1, rows });
  const compact = await timeIt(async () => {
    const c = new PersistedDoc(ROOM, storage.updates);
    await c.load();
    await c.compact();
    await c.close();
  });
  report({ name: `fact persistence (plain update log): compact ${rows} rows into one (load included)`, n: N, median_ms: compact, runs: 1 });
  const loads: number[] = [];
  for (let run = 0; run < 3; run++)
    loads.push(await timeIt(async () => {
      const again = new PersistedDoc(ROOM, storage.updates);
      await again.load();
      await again.close();
    }));
  loads.sort((a, b) => a - b);
  report({ name: `fact persistence (plain update log): load a doc of ${N} facts from 1 compacted row`, n: N, median_ms: quantile(loads, 0.5), runs: loads.length });

  // What both persistences need after a load: every record through the fact codec.
  const loaded = new PersistedDoc(ROOM, storage.updates);
  await loaded.load();
  const decode = await timeIt(() => {
    let ok = 0;
    loaded.doc.getMap('facts').forEach((v, k) => {
      if (decodeFact(k, v, { room: ROOM, portfolioId: 'bench', at: asOf }).ok) ok++;
    });
    if (ok !== N) throw new Error(`codec refused ${N - ok} facts`);
    return Promise.resolve();
  });
  report({ name: `fact persistence: decode ${N} facts with factSchema (either persistence)`, n: N, median_ms: decode, runs: 1 });
  await loaded.close();
  await storage.close();
}

// --- y-dexie --------------------------------------------------------------------------------------
{
  const indexedDB = new IDBFactory();
  // y-dexie loads through liveQuery, which does nothing without Dexie's global indexedDB (Node has none).
  Dexie.dependencies.indexedDB = indexedDB;
  Dexie.dependencies.IDBKeyRange = IDBKeyRange;
  // y-dexie logs as it releases docs; stdout is for figures only.
  const toStderr = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(' ')}\n`);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  const open = () => {
    const db = new Dexie('ydexie', { addons: [yDexie], indexedDB, IDBKeyRange });
    db.version(1).stores({ docs: 'id, doc: Y.Doc' });
    return db;
  };
  const db = open();
  await db.table('docs').add({ id: ROOM });
  const row = (await db.table('docs').get(ROOM)) as { doc: Y.Doc };
  const doc = row.doc;
  const provider = DexieYProvider.load(doc);
  await provider.whenLoaded;
  const updatesTable = db.tables.find((t) => t.name !== 'docs')?.name ?? '';
  // y-dexie adds each update in its own transaction; a read created after them runs after them.
  const flushed = () => db.table(updatesTable).count();
  const map = doc.getMap('facts');
  const samples: number[] = [];
  for (let i = 0; i < SINGLE; i++) {
    const f = facts[i] as Fact;
    samples.push(await timeIt(async () => {
      map.set(f.id, f);
      await flushed();
    }));
  }
  singles('fact persistence (y-dexie): save one fact, awaited', samples);
  const bulk = await timeIt(async () => {
    for (let i = SINGLE; i < N; i += BATCH) {
      doc.transact(() => {
        for (const f of facts.slice(i, i + BATCH)) map.set(f.id, f);
      });
      await flushed();
    }
  });
  report({ name: `fact persistence (y-dexie): save ${N} facts in batches of ${BATCH}`, n: N, median_ms: bulk, runs: 1 });
  const rows = await flushed();
  DexieYProvider.release(doc);
  db.close();

  const load = async () => {
    const db2 = open();
    const r = (await db2.table('docs').get(ROOM)) as { doc: Y.Doc };
    const p = DexieYProvider.load(r.doc);
    await p.whenLoaded;
    const size = r.doc.getMap('facts').size;
    DexieYProvider.release(r.doc);
    db2.close();
    if (size !== N) throw new Error(`y-dexie loaded ${size} of ${N} facts`);
  };
  report({ name: `fact persistence (y-dexie): load a doc of ${N} facts from ${rows} rows`, n: N, median_ms: await timeIt(load), runs: 1, rows });
  const db3 = open();
  const compress = await timeIt(() => Dexie.waitFor(import('y-dexie').then((m) => m.compressYDocs(db3))));
  db3.close();
  report({ name: `fact persistence (y-dexie): compressYDocs of ${rows} rows`, n: N, median_ms: compress, runs: 1 });
  const loads: number[] = [];
  for (let run = 0; run < 3; run++) loads.push(await timeIt(load));
  loads.sort((a, b) => a - b);
  report({ name: `fact persistence (y-dexie): load a doc of ${N} facts after compressYDocs`, n: N, median_ms: quantile(loads, 0.5), runs: loads.length });
}
