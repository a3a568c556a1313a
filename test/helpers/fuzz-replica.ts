/**
 * A replica for sync fuzzing: one device holding one Y.Doc per room, each synced by a stock
 * `WebsocketProvider` (ws as its WebSocket, the token in the subprotocol list), as the app does. It
 * keeps an outbox of the updates it authored, so a schedule can hand them to a courier and deliver them
 * late and out of order, and it can be taken offline, brought back, or "reloaded" (a new provider on
 * the same doc, as after an app restart).
 */
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Fact } from '../../src/domain/facts';
import { FACTS_MAP } from '../../src/protocol/rooms';
import { syncSubprotocols } from '../../src/protocol/sync-auth';
import { relayUrl, WebSocketPolyfill } from './relay-clients';

/** Transaction origin of the replica's own writes (the only updates that go into its outbox). */
const LOCAL = Symbol('local write');

export class FuzzReplica {
  readonly index: number;
  readonly userId: string;
  readonly docs = new Map<string, Y.Doc>();
  /** Whether the schedule wants this replica online (its providers may still be reconnecting). */
  online: boolean;
  private readonly providers = new Map<string, WebsocketProvider>();
  private readonly outbox = new Map<string, Uint8Array[]>();
  /** Close codes each provider saw from the relay, for failure messages. */
  private readonly closes = new WeakMap<WebsocketProvider, number[]>();
  private readonly url: () => string;
  private readonly token: string;

  constructor(o: { index: number; userId: string; rooms: readonly string[]; token: string; url: () => string; online: boolean }) {
    this.index = o.index;
    this.userId = o.userId;
    this.token = o.token;
    this.url = o.url;
    this.online = o.online;
    for (const room of o.rooms) {
      const doc = new Y.Doc();
      const outbox: Uint8Array[] = [];
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === LOCAL) outbox.push(update);
      });
      this.docs.set(room, doc);
      this.outbox.set(room, outbox);
      this.providers.set(room, this.provider(room, doc));
    }
  }

  doc(room: string): Y.Doc {
    const doc = this.docs.get(room);
    if (doc === undefined) throw new Error(`replica ${this.index} has no doc for ${room}`);
    return doc;
  }

  facts(room: string): Y.Map<unknown> {
    return this.doc(room).getMap(FACTS_MAP);
  }

  /** Writes facts as the app does: the ULID as key, the plain JSON as value; one transaction for all. */
  write(room: string, facts: readonly Fact[]): void {
    const map = this.facts(room);
    this.doc(room).transact(() => {
      for (const f of facts) map.set(f.id, f);
    }, LOCAL);
  }

  /** The updates this replica authored in `room` since the last call. */
  takeOutbox(room: string): Uint8Array[] {
    const box = this.outbox.get(room) ?? [];
    return box.splice(0, box.length);
  }

  disconnect(): void {
    this.online = false;
    for (const p of this.providers.values()) p.disconnect();
  }

  connect(): void {
    this.online = true;
    for (const p of this.providers.values()) p.connect();
  }

  /** Drops the providers and makes new ones on the same docs: an app restart with its state kept. */
  reload(): void {
    for (const [room, p] of this.providers) {
      p.destroy();
      this.providers.set(room, this.provider(room, this.doc(room)));
    }
  }

  /** True once every provider has received the relay's state on its current connection. */
  get synced(): boolean {
    return [...this.providers.values()].every((p) => p.wsconnected && p.synced);
  }

  destroy(): void {
    for (const p of this.providers.values()) p.destroy();
    for (const d of this.docs.values()) d.destroy();
  }

  /** Each provider's connection state and the close codes it saw, for failure messages. */
  describe(): string {
    return [...this.providers]
      .map(([room, p]) => `${room}: ${p.wsconnected ? 'connected' : p.shouldConnect ? 'connecting' : 'offline'}${p.synced ? ', synced' : ''}, closes [${(this.closes.get(p) ?? []).join(' ')}]`)
      .join('; ');
  }

  private provider(room: string, doc: Y.Doc): WebsocketProvider {
    const p = new WebsocketProvider(relayUrl(this.url()), room, doc, {
      WebSocketPolyfill,
      disableBc: true,
      connect: this.online,
      // Short backoff: while the relay restarts, providers retry quickly instead of waiting seconds.
      maxBackoffTime: 50,
      protocols: syncSubprotocols(this.token),
    });
    const closes: number[] = [];
    this.closes.set(p, closes);
    p.on('connection-close', (event) => {
      if (event !== null) closes.push(event.code);
    });
    return p;
  }
}
