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

/** Storage whose loads wait until the test releases them, and whose appends can be made to fail. */
class ControlledStore implements RoomPersistence {
  readonly logs = new Map<string, Uint8Array[]>();
  failAppends = false;
  private releases: (() => void)[] = [];

  get pendingLoads(): number {
    return this.releases.length;
  }

  load(room: string): Promise<StoredLog> {
    return new Promise((resolve) => {
      this.releases.push(() => {
        const updates = [...(this.logs.get(room) ?? [])];
        resolve({ updates, entries: updates.length, bytes: updates.reduce((n, u) => n + u.length, 0), lastSeq: updates.length });
      });
    });
  }

  release(): void {
    for (const r of this.releases.splice(0)) r();
  }

  append(room: string, update: Uint8Array): { seq: number } {
    if (this.failAppends) throw new Error('disk full');
    const log = this.logs.get(room) ?? [];
    log.push(update);
    this.logs.set(room, log);
    return { seq: log.length };
  }

  compact(room: string, snapshot: Uint8Array): { seq: number } {
    this.logs.set(room, [snapshot]);
    return { seq: 1 };
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
});
