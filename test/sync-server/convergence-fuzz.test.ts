/**
 * Convergence fuzz (issue 4, DESIGN.md §7): seeded schedules of 5–6 stock y-websocket replicas on a
 * real relay, with random writes, concurrent same-key writes, disconnects, reloads, off-relay
 * exchanges, late and shuffled deliveries, idle unloads and relay restarts from SQLite; every replica
 * ends equal to the others, to the relay and to its persisted log, with every fact anyone wrote
 * (test/helpers/sync-fuzz.ts says how).
 *
 * `npm test` runs FUZZ_SCHEDULES (default 200) schedules from FUZZ_SEED (default 1); `npm run fuzz`
 * runs 2,000 from a random start it prints. A failing seed prints a one-line reproduction; add it to
 * PINNED_SEEDS so it runs on every `npm test` from then on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACTS_MAP } from '../../src/protocol/rooms';
import { connectProvider, eventually, type TestProvider } from '../helpers/relay-clients';
import { RelayHost } from '../helpers/relay-host';
import { makeSchedule } from '../helpers/fuzz-schedule';
import { FUZZ_RELAY_OPTIONS, runSchedule, type FuzzStats, type ScheduleResult } from '../helpers/sync-fuzz';

/** Seeds that once failed, with what they found. Every one runs on every `npm test`. */
const PINNED_SEEDS: readonly { seed: number; found: string }[] = [
  {
    seed: 90,
    // Two replicas wrote one key at once; the loser became a deletion, and a stock client's step 2 then
    // always carries its delete set. The relay acknowledged every such step 2 with a step 1, which the
    // client answered with the same step 2, until the rate limit closed both with 4429 and the stock
    // provider stopped for good. Fixed in sync-server/relay/connection.ts (relay-ack.test.ts).
    found: 'endless step 1 / step 2 exchange once a doc holds a deletion; replicas cut off with 4429',
  },
  {
    seed: 100560,
    // A courier brought the relay a replica's later updates first (held pending); a teammate that had
    // the earlier ones passed them on, completing the pending structs, but the relay fanned the change
    // out to everyone except that teammate, who lacked the rest until it reconnected. Fixed in
    // sync-server/relay/room.ts (relay-pending.test.ts).
    found: 'an update that completes pending structs was not sent back to its sender',
  },
  // These three failed on the harness, not the relay: a replica that holds structs from a courier with a
  // gap completes them when the relay sends the rest, and a stock provider never forwards what a
  // transaction of its own origin integrated, so the replica was ahead of the relay mid-schedule.
  // Equality is now demanded at the end of a schedule only (sync-fuzz.ts, `settled`).
  { seed: 201200, found: 'mid-schedule equality too strict for a stock client holding off-relay structs' },
  { seed: 201278, found: 'mid-schedule equality too strict for a stock client holding off-relay structs' },
  { seed: 201629, found: 'mid-schedule equality too strict for a stock client holding off-relay structs' },
];

const COUNT = Number(process.env.FUZZ_SCHEDULES ?? 200);
// Exploring (`npm run fuzz`) starts somewhere new each run unless told; `npm test` is always the same.
const START = Number(process.env.FUZZ_SEED ?? (process.env.FUZZ_SCHEDULES === undefined ? 1 : Math.floor(Math.random() * 1e9)));
if (process.env.FUZZ_SCHEDULES !== undefined) console.log(`convergence fuzz: ${COUNT} schedules from seed ${START}`);

// Every stock provider adds a process 'exit' listener; a schedule holds a dozen, the final check 40.
process.setMaxListeners(100);

let host: RelayHost;
const results: ScheduleResult[] = [];
let run = 0;

beforeAll(async () => {
  host = await RelayHost.start(FUZZ_RELAY_OPTIONS);
});
afterAll(async () => {
  await host.stop();
});

async function check(seed: number): Promise<void> {
  try {
    results.push(await runSchedule(host, makeSchedule(seed), `${++run}-${seed}`));
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    throw e;
  }
}

describe('convergence fuzz: pinned seeds', () => {
  it.each(PINNED_SEEDS.map((p) => [p.seed, p.found] as const))('seed %i (%s)', async (seed) => {
    await check(seed);
  });
  it('pins each seed once', () => {
    expect(new Set(PINNED_SEEDS.map((p) => p.seed)).size).toBe(PINNED_SEEDS.length);
  });
});

describe('convergence fuzz', () => {
  for (let i = 0; i < COUNT; i++) {
    const seed = START + i;
    it(`seed ${seed}`, async () => {
      await check(seed);
    });
  }

  it('after a final restart, the relay serves every schedule’s converged state from SQLite', async () => {
    expect(results.length).toBeGreaterThan(0);
    await host.restart();
    const admin = await host.tokenFor('admin', []);
    const rooms = results.flatMap((r) => [...r.rooms]);
    // In batches, so thousands of rooms do not open thousands of sockets at once.
    for (let i = 0; i < rooms.length; i += 40) {
      const batch = rooms.slice(i, i + 40).map(([name, facts]) => ({ facts, reader: connectProvider(host.url, name, admin) }));
      try {
        await eventually(() => {
          for (const b of batch) expect(b.reader.provider.synced).toBe(true);
        }, 20_000);
        for (const b of batch) expect(readerFacts(b.reader)).toEqual(b.facts);
      } finally {
        for (const b of batch) b.reader.destroy();
      }
    }
  });

  it('went through what it claims to: restarts, concurrent same-key writes, off-relay exchanges, structs held pending at the relay and at replicas, compaction', async () => {
    const total = (k: keyof FuzzStats) => results.reduce((n, r) => n + r.stats[k], 0);
    const summary = { schedules: results.length, facts: total('facts'), restarts: host.restarts, sameKeyWrites: total('sameKeyWrites'), offRelayExchanges: total('offRelayExchanges'), relayPending: total('relayPending'), replicaPending: total('replicaPending'), compactions: await host.compactions() };
    if (process.env.FUZZ_SCHEDULES !== undefined) console.log(`convergence fuzz: ${JSON.stringify(summary)}`);
    // Below a few dozen schedules (a single seed rerun) some of these may simply not come up.
    if (results.length < 50) return;
    for (const [what, n] of Object.entries(summary)) expect(n, what).toBeGreaterThan(0);
  });
});

const readerFacts = (p: TestProvider) => p.doc.getMap(FACTS_MAP).toJSON();
