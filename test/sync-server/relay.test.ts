import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE } from '../../src/protocol/close-codes';
import { FACTS_MAP } from '../../src/protocol/rooms';
import { SYNC_SUBPROTOCOL } from '../../src/protocol/sync-auth';
import { roomLogDbPath } from '../../sync-server/config';
import { encodeSyncStep1, encodeSyncUpdate } from '../../sync-server/relay/messages';
import { fact } from '../helpers/facts';
import { connectRaw, decodeServerMessage, eventually, metric, type TestProvider, RelayTestKit, synced } from '../helpers/relay-clients';
import { startTestServer, type TestServer } from '../helpers/server';

const NOW = Date.parse('2026-11-24T12:00:00.000Z');
const ROOM = 'acme.facts.2026-11';

const kit = new RelayTestKit();
afterEach(() => kit.teardown());

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const s = await startTestServer({ ...options, relay: { now: () => NOW, ...options.relay } });
  s.store.ensurePortfolio({ id: 'acme', name: 'Acme' });
  s.store.ensurePortfolio({ id: 'other', name: 'Other' });
  kit.add(() => s.stop());
  return s;
}

const facts = (p: TestProvider) => p.doc.getMap(FACTS_MAP);

function addFact(p: TestProvider, n: number) {
  const f = fact('activity', { channel: 'call', outcome: 'no-answer', documentNumbers: [], at: new Date(NOW - 60_000 + n).toISOString() });
  facts(p).set(f.id, f);
  return f;
}

describe('relay: sync', () => {
  it('two stock providers with valid tokens converge, with the token in the subprotocol or the query', async () => {
    const s = await server();
    const a = kit.provider(s, ROOM, await s.tokenFor('collector', ['acme']));
    const b = kit.provider(s, ROOM, await s.tokenFor('collector', ['acme']), { via: 'query' });
    await Promise.all([synced(a), synced(b)]);
    const fa = addFact(a, 1);
    const fb = addFact(b, 2);
    await eventually(() => {
      expect(facts(a).get(fb.id)).toEqual(fb);
      expect(facts(b).get(fa.id)).toEqual(fa);
    });
    expect(a.provider.ws?.protocol).toBe(SYNC_SUBPROTOCOL);
  });

  it('relays awareness and removes a client’s presence when it disconnects', async () => {
    const s = await server();
    const a = kit.provider(s, ROOM, await s.tokenFor('collector', ['acme']));
    const b = kit.provider(s, ROOM, await s.tokenFor('collector', ['acme']));
    await Promise.all([synced(a), synced(b)]);
    a.provider.awareness.setLocalStateField('account', 'C1');
    await eventually(() => {
      expect(b.provider.awareness.getStates().get(a.doc.clientID)).toEqual({ account: 'C1' });
    });
    a.provider.disconnect();
    await eventually(() => {
      expect(b.provider.awareness.getStates().has(a.doc.clientID)).toBe(false);
    });
  });

  it('acknowledges a persisted update with a sync step 1 carrying the room’s state vector after it', async () => {
    const s = await server();
    const raw = connectRaw(s.url, ROOM, await s.tokenFor('collector', ['acme']));
    await raw.opened;
    // On connect: the room's state vector (empty room: no clients).
    await eventually(() => {
      const first = raw.messages[0];
      expect(first && decodeServerMessage(first)).toEqual({ kind: 'sync-step1', stateVector: new Map() });
    });
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const f = fact('activity', { channel: 'visit', outcome: 'right-party-contact', documentNumbers: [], at: '2026-11-24T10:00:00.000Z' });
    doc.getMap(FACTS_MAP).set(f.id, f);
    const before = raw.messages.length;
    raw.ws.send(encodeSyncUpdate(updates[0] ?? new Uint8Array()));
    const ack = await eventually(() => {
      const m = raw.messages.slice(before).map(decodeServerMessage).find((x) => x.kind === 'sync-step1');
      expect(m).toBeDefined();
      return m;
    });
    expect(ack).toEqual({ kind: 'sync-step1', stateVector: new Map([[doc.clientID, Y.getState(doc.store, doc.clientID)]]) });
    // Client step 1 → step 2 (what it lacks: nothing) followed by the server's step 1.
    const mark = raw.messages.length;
    raw.ws.send(encodeSyncStep1(Y.encodeStateVector(doc)));
    const answer = await eventually(() => {
      const got = raw.messages.slice(mark).map(decodeServerMessage);
      expect(got.length).toBeGreaterThanOrEqual(2);
      return got;
    });
    expect(answer[0]?.kind).toBe('sync-step2');
    expect(answer[1]).toEqual({ kind: 'sync-step1', stateVector: new Map([[doc.clientID, Y.getState(doc.store, doc.clientID)]]) });
    raw.ws.close();
  });

  it('persists an update in SQLite before a second client receives it', async () => {
    const s = await server();
    const a = kit.provider(s, ROOM, await s.tokenFor('collector', ['acme']));
    const b = kit.provider(s, ROOM, await s.tokenFor('collector', ['acme']));
    await Promise.all([synced(a), synced(b)]);
    const reader = new Database(roomLogDbPath(s.dataDir), { readonly: true });
    kit.add(() => {
      reader.close();
    });
    const inStore = (id: string) => {
      const doc = new Y.Doc();
      for (const row of reader.prepare<[string], Buffer>('SELECT data FROM room_updates WHERE room = ? ORDER BY seq').pluck().all(ROOM)) Y.applyUpdate(doc, row);
      return doc.getMap(FACTS_MAP).has(id);
    };
    const seen: boolean[] = [];
    facts(b).observe((e) => {
      for (const key of e.keysChanged) seen.push(inStore(String(key)));
    });
    for (let i = 0; i < 20; i++) addFact(a, i);
    await eventually(() => {
      expect(seen).toHaveLength(20);
    });
    expect(seen.every(Boolean)).toBe(true);
  });

  it('loses nothing it persisted when the server restarts mid-stream on the same data folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dunwell-relay-'));
    kit.add(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await startTestServer({ dataDir, relay: { now: () => NOW } });
    first.store.ensurePortfolio({ id: 'acme', name: 'Acme' });
    const token = await first.tokenFor('collector', ['acme']);
    const port = first.port;
    const a = kit.provider(first, ROOM, token);
    await synced(a);
    const written: string[] = [];
    // Keep writing while the server goes down and comes back: some facts reach it, some wait offline.
    const writer = (async () => {
      for (let i = 0; i < 200; i++) {
        written.push(addFact(a, i).id);
        if (i % 10 === 0) await new Promise((r) => setImmediate(r));
      }
    })();
    await eventually(() => {
      expect(written.length).toBeGreaterThan(30);
    });
    await first.stop();
    await writer;
    const persisted = persistedFacts(dataDir, ROOM);
    expect(persisted.size).toBeGreaterThan(0);
    const second = await startTestServer({ dataDir, port, relay: { now: () => NOW } });
    kit.add(() => second.stop());
    const fresh = kit.provider(second, ROOM, token);
    await synced(fresh);
    await eventually(() => {
      for (const id of persisted) expect(facts(fresh).has(id)).toBe(true);
    });
    // The writer reconnects on its own and its offline facts arrive too.
    await eventually(() => {
      expect(written.every((id) => facts(fresh).has(id))).toBe(true);
    }, 20_000);
  });

  it('compacts a long log into one update and keeps the state', async () => {
    const s = await server({ relay: { now: () => NOW, compaction: { maxUpdates: 10, maxBytes: 1 << 30 } } });
    const a = kit.provider(s, ROOM, await s.tokenFor('collector', ['acme']));
    await synced(a);
    const ids = Array.from({ length: 25 }, (_, i) => addFact(a, i).id);
    await eventually(async () => {
      expect(await metric(s.url, 'dunwell_relay_compactions_total')).toBeGreaterThanOrEqual(2);
    });
    await eventually(() => {
      expect(s.relay.rooms.loadNow(ROOM).entries).toBeLessThanOrEqual(11);
      expect(persistedFacts(s.dataDir, ROOM).size).toBe(25);
    });
    const b = kit.provider(s, ROOM, await s.tokenFor('collector', ['acme']));
    await synced(b);
    await eventually(() => {
      expect(ids.every((id) => facts(b).has(id))).toBe(true);
    });
  });

  it('unloads an idle room and reloads it from storage for the next connection', async () => {
    const s = await server();
    const a = kit.provider(s, ROOM, await s.tokenFor('collector', ['acme']));
    await synced(a);
    const ids = [addFact(a, 1).id, addFact(a, 2).id, addFact(a, 3).id];
    await eventually(() => {
      expect(persistedFacts(s.dataDir, ROOM).size).toBe(3);
    });
    expect(s.relay.relay.unloadIdleRooms(0)).toBe(0);
    a.destroy();
    await eventually(() => {
      expect(s.relay.relay.stats().connections).toBe(0);
    });
    expect(s.relay.relay.unloadIdleRooms(0)).toBe(1);
    expect(s.relay.relay.room(ROOM)).toBeUndefined();
    // Unloading compacted the three updates into one (written by the SQLite writer's worker).
    await s.relay.relay.persisted();
    expect(s.relay.rooms.loadNow(ROOM).entries).toBe(1);
    const b = kit.provider(s, ROOM, await s.tokenFor('collector', ['acme']));
    await synced(b);
    expect(ids.every((id) => facts(b).has(id))).toBe(true);
    expect(await metric(s.url, 'dunwell_relay_room_unloads_total')).toBe(1);
  });
});

describe('relay: authentication and rooms', () => {
  async function closeCode(s: TestServer, room: string, token: string | undefined, protocols?: string[]) {
    const raw = connectRaw(s.url, room, token, protocols);
    const closed = await raw.closed;
    return closed.code;
  }

  it('refuses a missing, expired or forged token with 4401 after completing the upgrade', async () => {
    const s = await server();
    expect(await closeCode(s, ROOM, undefined)).toBe(CLOSE.unauthorized);
    const valid = await s.tokenFor('collector', ['acme']);
    const forged = `${valid.slice(0, -4)}AAAA`;
    expect(await closeCode(s, ROOM, forged)).toBe(CLOSE.unauthorized);
    const user = s.users.user('t-collector-1');
    if (user === undefined) throw new Error('no test user');
    const expired = (await s.tokens.issue({ id: user.id, name: user.name, role: user.role, portfolios: ['acme'] }, -60)).token;
    expect(await closeCode(s, ROOM, expired)).toBe(CLOSE.unauthorized);
    s.users.setDisabled(user.id, true);
    expect(await closeCode(s, ROOM, valid)).toBe(CLOSE.unauthorized);
    expect(await metric(s.url, 'dunwell_relay_refused_total', { reason: 'unauthorized' })).toBe(4);
  });

  it('stops a stock provider with a permanent close code instead of retrying', async () => {
    const s = await server();
    const p = kit.provider(s, ROOM, 'not-a-token');
    const closed = await new Promise<{ code: number }>((resolve) => p.provider.once('closed', (e) => resolve(e)));
    expect(closed.code).toBe(CLOSE.unauthorized);
    expect(p.provider.shouldConnect).toBe(false);
  });

  it('refuses another portfolio with 4403, and unknown rooms, portfolios and archived or future months with 4404', async () => {
    const s = await server();
    const token = await s.tokenFor('collector', ['acme']);
    expect(await closeCode(s, 'other.facts.2026-11', token)).toBe(CLOSE.forbidden);
    expect(await closeCode(s, 'acme.whatever', token)).toBe(CLOSE.notFound);
    expect(await closeCode(s, 'acme.facts.2026-08', token)).toBe(CLOSE.notFound);
    expect(await closeCode(s, 'acme.facts.2026-12', token)).toBe(CLOSE.notFound);
    const admin = await s.tokenFor('admin');
    expect(await closeCode(s, 'nowhere.config', admin)).toBe(CLOSE.notFound);
    // The live window: this month and the two before it, and the config room.
    for (const room of ['acme.facts.2026-09', 'acme.facts.2026-10', 'acme.config']) {
      const p = kit.provider(s, room, token);
      await synced(p);
    }
    expect(await metric(s.url, 'dunwell_relay_refused_total', { reason: 'forbidden' })).toBe(1);
    expect(await metric(s.url, 'dunwell_relay_refused_total', { reason: 'unknown_room' })).toBe(4);
  });

  it('ends live connections of a user who is disabled (4401) or taken off the portfolio (4403)', async () => {
    const s = await server();
    const tokenOf = async (id: string) => {
      await s.addUser({ id, role: 'collector', portfolios: ['acme'] });
      const user = s.users.user(id);
      if (user === undefined) throw new Error('no user');
      return (await s.auth.sessionFor(user)).token;
    };
    const ana = kit.provider(s, ROOM, await tokenOf('ana'));
    const ben = kit.provider(s, ROOM, await tokenOf('ben'));
    await Promise.all([synced(ana), synced(ben)]);
    s.users.setDisabled('ana', true);
    s.users.removeMember('team-ben', 'ben');
    s.relay.relay.recheckAccess();
    await eventually(() => {
      expect(ana.closes.at(-1)?.code).toBe(CLOSE.unauthorized);
      expect(ben.closes.at(-1)?.code).toBe(CLOSE.forbidden);
    });
  });

  it('refuses a client that speaks only another sync protocol version with 4426', async () => {
    const s = await server();
    const token = await s.tokenFor('collector', ['acme']);
    expect(await closeCode(s, ROOM, token, ['dunwell-sync.99', `dunwell-token.${token}`])).toBe(CLOSE.unsupportedVersion);
  });

  it('answers other paths with a plain 404', async () => {
    const s = await server();
    const raw = connectRaw(s.url.replace(/$/, '/elsewhere'), 'x', undefined);
    await expect(raw.opened).rejects.toThrow(/404/);
  });
});

function persistedFacts(dataDir: string, room: string): Set<string> {
  const db = new Database(roomLogDbPath(dataDir), { readonly: true });
  try {
    const doc = new Y.Doc();
    for (const row of db.prepare<[string], Buffer>('SELECT data FROM room_updates WHERE room = ? ORDER BY seq').pluck().all(room)) Y.applyUpdate(doc, row);
    return new Set(doc.getMap(FACTS_MAP).keys());
  } finally {
    db.close();
  }
}
