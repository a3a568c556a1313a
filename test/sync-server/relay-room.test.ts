/**
 * The relay on a bare HTTP server with storage the test controls: a load that has not finished yet, an
 * append that fails. The full server is in relay.test.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FACTS_MAP } from '../../src/protocol/rooms';
import { createLogger } from '../../sync-server/logger';
import type { RelayIdentity } from '../../sync-server/relay/admission';
import { encodeSyncStep1, encodeSyncUpdate } from '../../sync-server/relay/messages';
import { RelayMetrics } from '../../sync-server/relay/metrics';
import type { RoomPersistence, StoredLog } from '../../sync-server/relay/persistence';
import { Relay } from '../../sync-server/relay/relay';
import { connectRaw, decodeServerMessage, eventually } from '../helpers/relay-clients';

const NOW = Date.parse('2026-11-24T12:00:00.000Z');
const ROOM = 'acme.facts.2026-11';

const identity: RelayIdentity = {
  verify: (token) =>
    Promise.resolve(
      token === 'good'
        ? { ok: true, claims: { v: 1, sub: 'u-ana', name: 'Ana', role: 'collector', portfolios: ['acme'], iat: 0, exp: 2 ** 40 } }
        : { ok: false, reason: 'invalid' },
    ),
  currentUser: () => ({ role: 'collector', portfolios: ['acme'] }),
  portfolioExists: (id) => id === 'acme',
};

/** Storage whose loads and appends wait until the test releases them, and whose appends can be made to fail. */
class ControlledStore implements RoomPersistence {
  readonly logs = new Map<string, Uint8Array[]>();
  failAppends = false;
  holdAppends = false;
  private releases: (() => void)[] = [];
  private appendReleases: (() => void)[] = [];

  get pendingLoads(): number {
    return this.releases.length;
  }

  get pendingAppends(): number {
    return this.appendReleases.length;
  }

  load(room: string): Promise<StoredLog> {
    return new Promise((resolve) => {
      this.releases.push(() => {
        const updates = [...(this.logs.get(room) ?? [])];
        resolve({ updates, entries: updates.length, bytes: updates.reduce((n, u) => n + u.length, 0) });
      });
    });
  }

  release(): void {
    for (const r of this.releases.splice(0)) r();
  }

  releaseAppends(): void {
    for (const r of this.appendReleases.splice(0)) r();
  }

  append(room: string, update: Uint8Array): Promise<void> {
    if (this.failAppends) return Promise.reject(new Error('disk full'));
    const write = (): void => {
      const log = this.logs.get(room) ?? [];
      log.push(update);
      this.logs.set(room, log);
    };
    if (!this.holdAppends) return Promise.resolve(write());
    return new Promise((resolve) => this.appendReleases.push(() => resolve(write())));
  }

  compact(room: string, snapshot: Uint8Array): Promise<void> {
    this.logs.set(room, [snapshot]);
    return Promise.resolve();
  }

  drained(): Promise<void> {
    return Promise.resolve();
  }
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function relayOn(store: ControlledStore): Promise<{ url: string; relay: Relay }> {
  const relay = new Relay({ identity, persistence: store, metrics: new RelayMetrics({ defaultMetrics: false }), log: createLogger() }, { now: () => NOW });
  const server: Server = createServer((_req, res) => res.end());
  relay.attach(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanup.push(async () => {
    await relay.close();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, relay };
}

function storedFact(): { update: Uint8Array; id: string } {
  const doc = new Y.Doc();
  const id = '01JA0000000000000000000000';
  doc.getMap(FACTS_MAP).set(id, { v: 1 });
  return { update: Y.encodeStateAsUpdate(doc), id };
}

describe('relay rooms', () => {
  it('answers nothing before the room’s persisted state is loaded, then answers from it', async () => {
    const store = new ControlledStore();
    const stored = storedFact();
    store.logs.set(ROOM, [stored.update]);
    const { url } = await relayOn(store);
    const raw = connectRaw(url, ROOM, 'good');
    await raw.opened;
    // The client's step 1 arrives while the room is still loading.
    raw.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    await eventually(() => {
      expect(store.pendingLoads).toBe(1);
    });
    // A round trip later: still nothing sent.
    await new Promise<void>((r) => raw.ws.ping(undefined, undefined, () => r()));
    expect(raw.messages).toHaveLength(0);
    store.release();
    const got = await eventually(() => {
      expect(raw.messages.length).toBeGreaterThanOrEqual(3);
      return raw.messages.map(decodeServerMessage);
    });
    expect(got[0]?.kind).toBe('sync-step1');
    const step2 = got[1];
    if (step2?.kind !== 'sync-step2') throw new Error(`expected a step 2, got ${step2?.kind}`);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, step2.update);
    expect(doc.getMap(FACTS_MAP).has(stored.id)).toBe(true);
    raw.ws.close();
  });

  it('fails a room whose append fails: its clients are closed with 1011 and it reloads without the lost update', async () => {
    const store = new ControlledStore();
    const { url, relay } = await relayOn(store);
    const raw = connectRaw(url, ROOM, 'good');
    await raw.opened;
    store.release();
    await eventually(() => {
      expect(relay.room(ROOM)?.isReady).toBe(true);
    });
    store.failAppends = true;
    raw.ws.send(encodeSyncUpdate(storedFact().update));
    expect((await raw.closed).code).toBe(1011);
    expect(relay.room(ROOM)).toBeUndefined();
    store.failAppends = false;
    const again = connectRaw(url, ROOM, 'good');
    await again.opened;
    store.release();
    await eventually(() => {
      expect(relay.room(ROOM)?.isReady).toBe(true);
    });
    expect(relay.room(ROOM)?.doc.getMap(FACTS_MAP).size).toBe(0);
    again.ws.close();
  });

  it('fans an update out, acknowledges it and answers a joiner only once its append is durable', async () => {
    const store = new ControlledStore();
    const { url, relay } = await relayOn(store);
    const sender = connectRaw(url, ROOM, 'good');
    const teammate = connectRaw(url, ROOM, 'good');
    await Promise.all([sender.opened, teammate.opened]);
    store.release();
    await eventually(() => {
      expect(relay.room(ROOM)?.isReady).toBe(true);
      // Each got its greeting (the room's state vector).
      expect(sender.messages.length).toBeGreaterThanOrEqual(1);
      expect(teammate.messages.length).toBeGreaterThanOrEqual(1);
    });
    const before = { sender: sender.messages.length, teammate: teammate.messages.length };
    store.holdAppends = true;
    const fact = storedFact();
    sender.ws.send(encodeSyncUpdate(fact.update));
    await eventually(() => {
      expect(store.pendingAppends).toBe(1);
    });
    // Applied in memory, not durable: a joiner's step 1 waits too.
    expect(relay.room(ROOM)?.appendsInFlight).toBe(1);
    const joiner = connectRaw(url, ROOM, 'good');
    await joiner.opened;
    joiner.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    // Round trips to each socket: the relay has read everything sent, and sent nothing of the update.
    await Promise.all([sender, teammate, joiner].map((c) => new Promise<void>((r) => c.ws.ping(undefined, undefined, () => r()))));
    expect(teammate.messages.length).toBe(before.teammate);
    expect(sender.messages.length).toBe(before.sender);
    expect(joiner.messages).toHaveLength(0);
    expect(store.logs.get(ROOM) ?? []).toHaveLength(0);
    store.releaseAppends();
    const toTeammate = await eventually(() => {
      expect(teammate.messages.length).toBe(before.teammate + 1);
      return decodeServerMessage(teammate.messages.at(-1) as Uint8Array);
    });
    if (toTeammate.kind !== 'sync-update') throw new Error(`expected the update, got ${toTeammate.kind}`);
    // The sender's ack: a step 1 whose state vector holds the update.
    const ack = await eventually(() => {
      expect(sender.messages.length).toBe(before.sender + 1);
      return decodeServerMessage(sender.messages.at(-1) as Uint8Array);
    });
    if (ack.kind !== 'sync-step1') throw new Error(`expected an ack, got ${ack.kind}`);
    const senderDoc = new Y.Doc();
    Y.applyUpdate(senderDoc, fact.update);
    expect(ack.stateVector).toEqual(Y.decodeStateVector(Y.encodeStateVector(senderDoc)));
    // The joiner: greeted and answered from the durable state, which now holds the fact.
    const joined = await eventually(() => {
      const got = joiner.messages.map(decodeServerMessage);
      const step2 = got.find((m) => m.kind === 'sync-step2');
      if (step2?.kind !== 'sync-step2') throw new Error('no step 2 yet');
      return step2;
    });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, joined.update);
    expect(doc.getMap(FACTS_MAP).has(fact.id)).toBe(true);
    expect(store.logs.get(ROOM)).toHaveLength(1);
    for (const c of [sender, teammate, joiner]) c.ws.close();
  });
});
