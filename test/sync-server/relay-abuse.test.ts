import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { CLOSE } from '../../src/protocol/close-codes';
import { FACTS_MAP } from '../../src/protocol/rooms';
import { encodeSyncUpdate } from '../../sync-server/relay/messages';
import type { RelayOptions } from '../../sync-server/relay/relay';
import { fact } from '../helpers/facts';
import { connectRaw, eventually, metric, type TestProvider, RelayTestKit, synced } from '../helpers/relay-clients';
import { startTestServer, type TestServer } from '../helpers/server';

const NOW = Date.parse('2026-11-24T12:00:00.000Z');
const ROOM = 'acme.facts.2026-11';

const kit = new RelayTestKit();
afterEach(() => kit.teardown());

async function server(relay: RelayOptions = {}): Promise<TestServer> {
  const s = await startTestServer({ relay: { now: () => NOW, ...relay } });
  s.store.ensurePortfolio({ id: 'acme', name: 'Acme' });
  kit.add(() => s.stop());
  return s;
}


let n = 0;
function addFact(p: TestProvider) {
  const f = fact('activity', { channel: 'call', outcome: 'no-answer', documentNumbers: [], at: new Date(NOW - 60_000 + ++n).toISOString() });
  p.doc.getMap(FACTS_MAP).set(f.id, f);
  return f;
}

/** A room stays healthy: a write from one client reaches the other. */
async function stillWorks(a: TestProvider, b: TestProvider) {
  const f = addFact(a);
  await eventually(() => {
    expect(b.doc.getMap(FACTS_MAP).get(f.id)).toEqual(f);
  });
}

async function refusedWith(s: TestServer, send: (ws: ReturnType<typeof connectRaw>['ws']) => void, token: string, room = ROOM) {
  const raw = connectRaw(s.url, room, token);
  await raw.opened;
  send(raw.ws);
  return (await raw.closed).code;
}

describe('relay: bad input', () => {
  it('drops and counts a viewer’s writes while the viewer still receives', async () => {
    const s = await server();
    const viewer = kit.provider(s, ROOM, await s.tokenFor('viewer', ['acme']));
    const collector = kit.provider(s, ROOM, await s.tokenFor('collector', ['acme']));
    await Promise.all([synced(viewer), synced(collector)]);
    const dropped = addFact(viewer);
    await eventually(async () => {
      expect(await metric(s.url, 'dunwell_relay_refused_total', { reason: 'read_only' })).toBe(1);
    });
    await stillWorks(collector, viewer);
    expect(collector.doc.getMap(FACTS_MAP).has(dropped.id)).toBe(false);
    expect(s.relay.relay.room(ROOM)?.doc.getMap(FACTS_MAP).has(dropped.id)).toBe(false);
    expect(viewer.provider.wsconnected).toBe(true);
  });

  it('closes a text frame with 4400 and counts it', async () => {
    const s = await server();
    const token = await s.tokenFor('collector', ['acme']);
    expect(await refusedWith(s, (ws) => ws.send('hello'), token)).toBe(CLOSE.protocolError);
    expect(await metric(s.url, 'dunwell_relay_refused_total', { reason: 'text_frame' })).toBe(1);
  });

  it('closes garbage and truncated updates with 4400, leaves the room’s doc untouched, and other clients carry on', async () => {
    const s = await server();
    const token = await s.tokenFor('collector', ['acme']);
    const a = kit.provider(s, ROOM, token);
    const b = kit.provider(s, ROOM, await s.tokenFor('collector', ['acme']));
    await Promise.all([synced(a), synced(b)]);
    await stillWorks(a, b);
    const room = s.relay.relay.room(ROOM);
    if (room === undefined) throw new Error('room not loaded');
    const before = Y.encodeStateAsUpdate(room.doc);
    const logBefore = s.relay.rooms.loadNow(ROOM).entries;

    // A real update, cut short; random bytes as an update; a message of an unknown type; a truncated frame.
    const doc = new Y.Doc();
    doc.getMap(FACTS_MAP).set('x', { big: 'y'.repeat(200) });
    const update = Y.encodeStateAsUpdate(doc);
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, update.slice(0, update.length - 40));
    const garbage = encodeSyncUpdate(Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) % 256));
    const frames = [encoding.toUint8Array(e), garbage, Uint8Array.of(9, 1, 2), encodeSyncUpdate(update).slice(0, 20)];
    for (const frame of frames) expect(await refusedWith(s, (ws) => ws.send(frame), token)).toBe(CLOSE.protocolError);

    expect(await metric(s.url, 'dunwell_relay_refused_total', { reason: 'malformed' })).toBe(frames.length);
    expect(Y.encodeStateAsUpdate(room.doc)).toEqual(before);
    expect(s.relay.relay.room(ROOM)).toBe(room);
    expect(s.relay.rooms.loadNow(ROOM).entries).toBe(logBefore);
    await stillWorks(b, a);
  });

  it('closes an oversized frame and counts it', async () => {
    const s = await server({ maxPayload: 64 * 1024 });
    const token = await s.tokenFor('collector', ['acme']);
    const code = await refusedWith(s, (ws) => ws.send(new Uint8Array(100 * 1024)), token);
    expect(code).toBe(1009);
    await eventually(async () => {
      expect(await metric(s.url, 'dunwell_relay_refused_total', { reason: 'oversized' })).toBe(1);
    });
  });

  it('closes a flooding connection with 4429 while another room keeps working', async () => {
    const s = await server({ rateLimits: { messagesPerSecond: 20, messageBurst: 50, bytesPerSecond: 1 << 20, byteBurst: 4 << 20 } });
    const token = await s.tokenFor('collector', ['acme']);
    const a = kit.provider(s, 'acme.config', token);
    const b = kit.provider(s, 'acme.config', await s.tokenFor('collector', ['acme']));
    await Promise.all([synced(a), synced(b)]);
    const code = await refusedWith(s, (ws) => {
      // query-awareness messages: the cheapest thing to ask for, 1,000 times at once.
      for (let i = 0; i < 1000; i++) ws.send(Uint8Array.of(3));
    }, token);
    expect(code).toBe(CLOSE.rateLimited);
    expect(await metric(s.url, 'dunwell_relay_refused_total', { reason: 'rate_limited' })).toBe(1);
    a.doc.getMap('settings').set('currency', 'USD');
    await eventually(() => {
      expect(b.doc.getMap('settings').get('currency')).toBe('USD');
    });
  });
});

describe('relay: metrics', () => {
  it('counts connections, rooms, updates and bytes in and out, and persistence latency', async () => {
    const s = await server();
    const a = kit.provider(s, ROOM, await s.tokenFor('collector', ['acme']));
    const b = kit.provider(s, ROOM, await s.tokenFor('collector', ['acme']));
    await Promise.all([synced(a), synced(b)]);
    await stillWorks(a, b);
    await stillWorks(b, a);
    expect(await metric(s.url, 'dunwell_relay_connections')).toBe(2);
    expect(await metric(s.url, 'dunwell_relay_rooms_loaded')).toBe(1);
    expect(await metric(s.url, 'dunwell_relay_updates_in_total')).toBeGreaterThanOrEqual(2);
    expect(await metric(s.url, 'dunwell_relay_updates_out_total')).toBeGreaterThanOrEqual(2);
    expect(await metric(s.url, 'dunwell_relay_bytes_in_total')).toBeGreaterThan(0);
    expect(await metric(s.url, 'dunwell_relay_bytes_out_total')).toBeGreaterThan(0);
    expect(await metric(s.url, 'dunwell_relay_persist_seconds_count')).toBeGreaterThanOrEqual(2);
    // Facts are projected after the fan-out, a few milliseconds later.
    await s.relay.relay.persisted();
    expect(await metric(s.url, 'dunwell_relay_facts_projected_total')).toBe(2);
    expect(await metric(s.url, 'dunwell_relay_projection_failures_total')).toBe(0);
    const page = await (await fetch(`${s.url}/metrics`)).text();
    expect(page).toContain('process_resident_memory_bytes');
    a.destroy();
    b.destroy();
    await eventually(async () => {
      expect(await metric(s.url, 'dunwell_relay_connections')).toBe(0);
    });
  });
});
