/**
 * The end of the acknowledgement exchange (docs/sync.md, "Server acknowledgement", rule 4), found by
 * the convergence fuzz (seed 90). A stock client answers every sync step 1 with a step 2 of what the
 * relay lacks by state vector, and that step 2 always carries the client's whole delete set, since
 * state vectors do not cover deletions. Once a doc holds one deletion — any overwritten key: every
 * edit of a setting in the config room, or two devices writing one fact key at once — that step 2 is
 * never empty. The relay used to acknowledge it with a step 1, which the client answered with the same
 * step 2, and so on, until the rate limit closed the connection with 4429 and a stock provider stopped
 * reconnecting for good.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SETTINGS_MAP } from '../../src/protocol/rooms';
import { encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from '../../sync-server/relay/messages';
import { connectProvider, connectRaw, decodeServerMessage, eventually, type DecodedServerMessage, type RawClient, type TestProvider } from '../helpers/relay-clients';
import { startTestServer, type TestServer } from '../helpers/server';
import { quiet } from '../helpers/sync-fuzz';

const NOW = Date.parse('2026-11-24T12:00:00.000Z');
const ROOM = 'acme.config';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function server(): Promise<TestServer> {
  const s = await startTestServer({ relay: { now: () => NOW } });
  s.store.ensurePortfolio({ id: 'acme', name: 'Acme' });
  cleanup.push(() => s.stop());
  return s;
}

/**
 * Sends `n` step 1s, waiting for each answer (a step 2 and a step 1). The relay handles a connection's
 * frames in order and flushes an ack on the next turn of its loop, so an ack of anything sent before
 * the first of them arrives before the last answer.
 */
async function roundTrips(raw: RawClient, stateVector: Uint8Array, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const before = raw.messages.length;
    raw.ws.send(encodeSyncStep1(stateVector));
    await eventually(() => {
      expect(raw.messages.length).toBeGreaterThanOrEqual(before + 2);
    });
  }
}

describe('relay: the acknowledgement exchange ends', () => {
  it('does not acknowledge a step 2 that changes nothing, and still acknowledges a duplicate update', async () => {
    const s = await server();
    const raw = connectRaw(s.url, ROOM, await s.tokenFor('collector', ['acme']));
    await raw.opened;
    const next = async (from: number, kind: DecodedServerMessage['kind']) =>
      eventually(() => {
        const i = raw.messages.findIndex((m, j) => j >= from && decodeServerMessage(m).kind === kind);
        expect(i).toBeGreaterThanOrEqual(0);
        return i;
      });
    await next(0, 'sync-step1');

    // A setting edited twice: the first value is now a deletion in the client's doc.
    const doc = new Y.Doc();
    doc.getMap(SETTINGS_MAP).set('currency', 'EUR');
    doc.getMap(SETTINGS_MAP).set('currency', 'USD');
    let mark = raw.messages.length;
    raw.ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(doc)));
    const ackAt = await next(mark, 'sync-step1');
    const ack = decodeServerMessage(raw.messages[ackAt] ?? new Uint8Array());
    if (ack.kind !== 'sync-step1') throw new Error('expected a step 1');
    expect(ack.stateVector.get(doc.clientID)).toBe(Y.getState(doc.store, doc.clientID));

    // What a stock client answers to that step 1: nothing the relay lacks by state vector, but the delete set.
    const answer = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(new Map(ack.stateVector)));
    expect(Y.decodeUpdate(answer).ds.clients.size).toBeGreaterThan(0);
    mark = raw.messages.length;
    raw.ws.send(encodeSyncStep2(answer));
    await roundTrips(raw, Y.encodeStateVector(doc), 2);
    expect(raw.messages.slice(mark).map((m) => decodeServerMessage(m).kind)).toEqual(['sync-step2', 'sync-step1', 'sync-step2', 'sync-step1']);

    // An update the room already holds is acknowledged (its sender learns it is durable).
    mark = raw.messages.length;
    raw.ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(doc)));
    await next(mark, 'sync-step1');
    raw.ws.close();
  });

  it('acknowledges a step 2 whose structs reached the room by another way after the step 1 it answers', async () => {
    const s = await server();
    const token = await s.tokenFor('collector', ['acme']);
    const raw = connectRaw(s.url, ROOM, token);
    await raw.opened;
    const stepOnes = (from: number) => raw.messages.slice(from).map(decodeServerMessage).filter((m) => m.kind === 'sync-step1');
    // The greeting: the room's vector before the change.
    await eventually(() => {
      expect(stepOnes(0)).toHaveLength(1);
    });
    // The change reaches the room from another connection (the same device's second tab, or a teammate
    // who holds it too) after that greeting.
    const doc = new Y.Doc();
    doc.getMap(SETTINGS_MAP).set('currency', 'EUR');
    const change = Y.encodeStateAsUpdate(doc);
    const other = connectRaw(s.url, ROOM, token);
    cleanup.push(() => other.ws.close());
    await other.opened;
    other.ws.send(encodeSyncUpdate(change));
    await eventually(() => {
      expect(Y.getState(s.relay.relay.room(ROOM)?.doc.store ?? new Y.Doc().store, doc.clientID)).toBe(1);
    });
    // The first connection answers its greeting with the change: nothing new for the room, but its
    // sender needs a vector that covers it.
    const mark = raw.messages.length;
    raw.ws.send(encodeSyncStep2(change));
    await eventually(() => {
      const acks = stepOnes(mark);
      expect(acks).toHaveLength(1);
      const ack = acks[0];
      if (ack?.kind !== 'sync-step1') throw new Error('expected a step 1');
      expect(ack.stateVector.get(doc.clientID)).toBe(1);
    });
    // Its answer to that ack carries no struct the room holds: the exchange ends there.
    const answer = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc));
    raw.ws.send(encodeSyncStep2(answer));
    await roundTrips(raw, Y.encodeStateVector(doc), 2);
    expect(stepOnes(mark)).toHaveLength(3);
    raw.ws.close();
  });

  it('does not acknowledge a step 2 whose structs the room holds pending (their dependencies are missing)', async () => {
    const s = await server();
    const raw = connectRaw(s.url, ROOM, await s.tokenFor('collector', ['acme']));
    await raw.opened;
    await eventually(() => {
      expect(raw.messages.length).toBeGreaterThan(0);
    });
    const doc = new Y.Doc();
    doc.getMap(SETTINGS_MAP).set('currency', 'EUR');
    const first = Y.encodeStateAsUpdate(doc);
    doc.getMap(SETTINGS_MAP).set('language', 'pt');
    // Only the second change: it depends on the first (clock 0), which the room never got.
    const second = Y.encodeStateAsUpdate(doc, Y.encodeStateVectorFromUpdate(first));
    const mark = raw.messages.length;
    raw.ws.send(encodeSyncStep2(second));
    raw.ws.send(encodeSyncStep2(second));
    await roundTrips(raw, Y.encodeStateVector(new Y.Doc()), 1);
    // Only the answer to the step 1: no ack for either step 2.
    expect(raw.messages.slice(mark).map((m) => decodeServerMessage(m).kind)).toEqual(['sync-step2', 'sync-step1']);
    raw.ws.close();
  });

  it('two stock clients that edited the same setting at once agree, then fall silent and stay connected', async () => {
    const s = await server();
    const token = await s.tokenFor('collector', ['acme']);
    const provider = (): TestProvider => {
      const p = connectProvider(s.url, ROOM, token);
      cleanup.push(() => p.destroy());
      return p;
    };
    const a = provider();
    const b = provider();
    await eventually(() => {
      expect(a.provider.synced && b.provider.synced).toBe(true);
    });
    a.doc.getMap(SETTINGS_MAP).set('currency', 'EUR');
    b.doc.getMap(SETTINGS_MAP).set('currency', 'USD');
    await eventually(() => {
      expect(a.doc.getMap(SETTINGS_MAP).toJSON()).toEqual(b.doc.getMap(SETTINGS_MAP).toJSON());
      expect(s.relay.relay.room(ROOM)?.doc.getMap(SETTINGS_MAP).toJSON()).toEqual(a.doc.getMap(SETTINGS_MAP).toJSON());
    });
    await quiet(s, token, ROOM);
    expect([...a.closes, ...b.closes]).toEqual([]);
  });
});
