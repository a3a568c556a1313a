/**
 * Issue 4's durability proofs at the relay level, with stock y-websocket clients:
 * - a device offline for a week with 500 facts reconnects and converges, and nothing is lost;
 * - a relay killed (SIGKILL, a crash rather than a shutdown) at random points of a writer's stream
 *   loses nothing it had acknowledged — by the ack contract of docs/sync.md, a change is acknowledged
 *   once a sync step 1 from the relay covers it — and the writer's later updates arrive once it is back.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawData } from 'ws';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fact } from '../../src/domain/facts';
import { ulidOf } from '../../src/domain/ulid';
import { FACTS_MAP, writePeriodFor } from '../../src/protocol/rooms';
import { syncSubprotocols } from '../../src/protocol/sync-auth';
import { roomLogDbPath } from '../../sync-server/config';
import { Prng } from '../../sync-server/demo/prng';
import { FuzzReplica } from '../helpers/fuzz-replica';
import { randomFact } from '../helpers/random-facts';
import { connectProvider, decodeServerMessage, eventually, relayUrl } from '../helpers/relay-clients';
import { RelayHost } from '../helpers/relay-host';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process';
import { startTestServer } from '../helpers/server';
import { settled } from '../helpers/sync-fuzz';

const DAY = 86_400_000;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('relay durability: a week offline', () => {
  // Early December: the week straddles two months, so the device's facts go to two rooms.
  const NOW = '2026-12-03T12:00:00.000Z';
  const ROOMS = ['acme.facts.2026-11', 'acme.facts.2026-12'];

  it('a device offline for a week with 500 facts reconnects and converges with a team that kept writing; nothing is lost', async () => {
    const host = await RelayHost.start({ now: () => Date.parse(NOW) });
    cleanup.push(() => host.stop());
    host.server.store.ensurePortfolio({ id: 'acme', name: 'Acme' });
    const replica = async (index: number) => {
      const r = new FuzzReplica({ index, userId: `u-${index}`, rooms: ROOMS, token: await host.tokenFor('collector', ['acme']), url: () => host.url, online: true });
      cleanup.push(() => r.destroy());
      return r;
    };
    const away = await replica(0);
    const team = [await replica(1), await replica(2)];
    const everyone = [away, ...team];
    await settled(host, everyone, ROOMS, true);
    away.disconnect();

    const rng = new Prng(2026);
    const written = new Map<string, Fact>();
    let serial = 0;
    const write = (r: FuzzReplica, atMs: number): Fact => {
      const f = randomFact(rng, { id: ulidOf(atMs, ++serial), at: new Date(atMs).toISOString(), portfolioId: 'acme', by: r.userId, deviceId: `dev-${r.index}` });
      // As the app does: the doc of the fact's month while it is live.
      r.write(`acme.facts.${writePeriodFor(f.at, NOW)}`, [f]);
      written.set(f.id, f);
      return f;
    };
    const start = Date.parse(NOW) - 7 * DAY;
    const times = Array.from({ length: 500 }, () => start + rng.int(7 * DAY)).sort((a, b) => a - b);
    const offline: Fact[] = [];
    for (const [i, t] of times.entries()) {
      offline.push(write(away, t));
      // The team works through the same week, online: every tenth fact, one of theirs.
      if (i % 10 === 0) {
        write(team[(i / 10) % 2] ?? away, t);
        await turn();
      }
    }
    await settled(host, team, ROOMS, true);
    const relayHas = (id: string) => ROOMS.some((room) => host.server.relay.relay.room(room)?.doc.getMap(FACTS_MAP).has(id));
    expect(offline.filter((f) => relayHas(f.id))).toEqual([]);

    away.connect();
    await settled(host, everyone, ROOMS, true);

    const union = new Map<string, unknown>();
    for (const room of ROOMS) {
      const atRelay = host.server.relay.relay.room(room)?.doc.getMap(FACTS_MAP).toJSON();
      for (const r of everyone) expect(r.facts(room).toJSON()).toEqual(atRelay);
      const stored = new Y.Doc();
      for (const u of host.server.relay.rooms.loadNow(room).updates) Y.applyUpdate(stored, u);
      expect(stored.getMap(FACTS_MAP).toJSON()).toEqual(atRelay);
      for (const [k, v] of Object.entries(atRelay ?? {})) union.set(k, v);
    }
    expect(offline.length).toBe(500);
    expect(union.size).toBe(written.size);
    for (const [id, f] of written) expect(union.get(id)).toEqual(f);
    // The week spans both months' rooms, and the server projected every fact (after the fan-out).
    for (const room of ROOMS) expect(away.facts(room).size).toBeGreaterThan(0);
    await host.server.relay.relay.persisted();
    expect(new Set(host.server.facts.list('acme').map((f) => f.id))).toEqual(new Set(written.keys()));
  });
});

describe('relay durability: killed mid-stream', () => {
  const NOW = '2026-11-24T12:00:00.000Z';
  const ROOM = 'acme.facts.2026-11';

  /** The room's facts as the log on disk holds them (opening the file replays its WAL, as a restart does). */
  function factsOnDisk(dataDir: string): Map<string, unknown> {
    const db = new Database(roomLogDbPath(dataDir));
    try {
      const doc = new Y.Doc();
      for (const row of db.prepare<[string], Buffer>('SELECT data FROM room_updates WHERE room = ? ORDER BY seq').pluck().all(ROOM)) Y.applyUpdate(doc, row);
      return new Map(Object.entries(doc.getMap(FACTS_MAP).toJSON()));
    } finally {
      db.close();
    }
  }

  /** A `ws` WebSocket for the provider that also hands every frame it receives to `onFrame`. */
  function recordingWebSocket(onFrame: (bytes: Uint8Array) => void): typeof globalThis.WebSocket {
    class Recording extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols);
        this.on('message', (data: RawData) => {
          onFrame(data instanceof ArrayBuffer ? new Uint8Array(data) : Array.isArray(data) ? new Uint8Array(Buffer.concat(data)) : new Uint8Array(data));
        });
      }
    }
    return Recording as unknown as typeof globalThis.WebSocket;
  }

  it.each([1, 2])('seed %i: every update the relay acknowledged survives a SIGKILL; the writer’s later updates arrive after the restart', async (seed) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dunwell-kill-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    // The portfolio and the users go into the data folder first, through an in-process server.
    const setup = await startTestServer({ dataDir, relay: { now: () => Date.parse(NOW) } });
    setup.store.ensurePortfolio({ id: 'acme', name: 'Acme' });
    const writerToken = await setup.tokenFor('collector', ['acme']);
    const readerToken = await setup.tokenFor('viewer', ['acme']);
    await setup.stop();

    let relay: RelayProcess = await startRelayProcess({ dataDir, now: NOW });
    cleanup.push(() => relay.kill());
    const port = relay.port;

    const doc = new Y.Doc();
    /** The writer's entry in the newest state vector the relay sent: every clock below it is durable. */
    let acked = 0;
    const provider = new WebsocketProvider(relayUrl(relay.url), ROOM, doc, {
      WebSocketPolyfill: recordingWebSocket((bytes) => {
        const m = decodeServerMessage(bytes);
        if (m.kind === 'sync-step1') acked = Math.max(acked, m.stateVector.get(doc.clientID) ?? 0);
      }),
      disableBc: true,
      maxBackoffTime: 50,
      protocols: syncSubprotocols(writerToken),
    });
    cleanup.push(() => {
      provider.destroy();
      doc.destroy();
    });
    await eventually(() => {
      expect(provider.synced).toBe(true);
    });

    const rng = new Prng(seed);
    const written: { fact: Fact; clock: number }[] = [];
    const write = () => {
      const atMs = Date.parse(NOW) - rng.int(DAY);
      const fact = randomFact(rng, { id: ulidOf(atMs, written.length + 1), at: new Date(atMs).toISOString(), portfolioId: 'acme', by: 'writer', deviceId: 'dev-writer' });
      written.push({ fact, clock: Y.getState(doc.store, doc.clientID) });
      doc.getMap(FACTS_MAP).set(fact.id, fact);
    };

    const TOTAL = 300;
    const kills = [rng.between(20, 120), rng.between(150, 250)];
    const OUTAGE = 25;
    let restartAt = -1;
    let down = false;
    const checked: number[] = [];
    for (let i = 0; i < TOTAL; i++) {
      write();
      // The stream moves at the network's pace: now and then the writer waits for the relay to
      // acknowledge what it just wrote (while the relay is up); otherwise writes pile up in flight.
      if (!down && rng.chance(0.2)) {
        const clock = Y.getState(doc.store, doc.clientID);
        await eventually(() => {
          expect(acked).toBe(clock);
        });
      } else if (rng.chance(0.5)) await turn();
      if (kills.includes(i)) {
        down = true;
        await relay.kill();
        // Every frame the relay sent before it died has been read once the provider sees the close.
        await eventually(() => {
          expect(provider.wsconnected).toBe(false);
        });
        const ackedFacts = written.filter((w) => w.clock < acked).map((w) => w.fact);
        const onDisk = factsOnDisk(dataDir);
        for (const f of ackedFacts) expect(onDisk.get(f.id), `acknowledged fact ${f.id} after the kill at write ${i}`).toEqual(f);
        checked.push(ackedFacts.length);
        restartAt = i + OUTAGE;
      }
      if (i === restartAt) {
        // The writer has kept writing offline; the relay comes back on the same port and data folder.
        relay = await startRelayProcess({ dataDir, port, now: NOW });
        down = false;
        const ackedFacts = written.filter((w) => w.clock < acked).map((w) => w.fact);
        const reader = connectProvider(relay.url, ROOM, readerToken);
        try {
          await eventually(() => {
            expect(reader.provider.synced).toBe(true);
          });
          const served = reader.doc.getMap(FACTS_MAP);
          for (const f of ackedFacts) expect(served.get(f.id)).toEqual(f);
        } finally {
          reader.destroy();
        }
      }
    }
    // Each kill came mid-stream, after the relay had acknowledged part of it.
    expect(checked).toHaveLength(2);
    for (const n of checked) expect(n).toBeGreaterThan(0);

    // The writer reconnected on its own; the relay ends up acknowledging every write, and a crash now
    // still loses nothing.
    await eventually(() => {
      expect(acked).toBe(Y.getState(doc.store, doc.clientID));
    }, 20_000);
    await relay.kill();
    const onDisk = factsOnDisk(dataDir);
    expect(onDisk.size).toBe(TOTAL);
    for (const { fact } of written) expect(onDisk.get(fact.id)).toEqual(fact);
  });
});
