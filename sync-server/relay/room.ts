/**
 * One room: a Yjs doc, its awareness, the connections in it, and its persisted update log.
 *
 * How an update goes through:
 *  1. the connection has decoded the whole update (messages.ts) and checked the sender may write;
 *  2. `accept` applies it with the connection as transaction origin (synchronously, so two updates
 *     never interleave); the doc's `update` event hands back what actually changed (nothing for a
 *     duplicate, or for structs still waiting for a dependency);
 *  3. that change is appended to the room's log (sqlite-room-log.ts: committed on the event loop, in a
 *     file of its own; an asynchronous adapter works too). Appends settle in the order they were made;
 *  4. only once it is durable is the change published on the bus and fanned out to the other
 *     connections (and to the sender too when the update completed structs held pending: the change then
 *     holds more than the sender sent); its sender is acknowledged as soon as no append of the room is in
 *     flight, with the doc's state vector then (all of it durable; one encoding for every peer
 *     acknowledged at that moment). With the embedded log that is at once; with an asynchronous one, a
 *     room written without a pause acknowledges at its first pause;
 *  5. then, in a facts room, the fact map entries it added go to the projector (projector.ts), which
 *     validates and writes them into the fact store within about a second, off the fan-out's path;
 *  6. the log is compacted into one update when it grows past its limits.
 * Nothing leaves the room before it is durable: while appends are in flight, a joining client's greeting
 * and a step 1's answer wait until they have settled (`whenPersisted`), as does the ack of a duplicate.
 * If applying throws or an append fails, the in-memory doc may hold something the log does not, so the
 * room fails: its connections are closed with 1011 (clients retry) and the next connection reloads it
 * from the log. A client's step 1 or step 2 is never answered before the room has loaded: `ready`.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { FACTS_MAP, type Room as RoomName } from '../../src/protocol/rooms';
import type { Logger } from '../logger';
import type { RoomBus } from './bus';
import { encodeAwarenessMessage, encodeStateVectorStep1, encodeSyncStep2, encodeSyncUpdate } from './messages';
import type { RelayMetrics } from './metrics';
import type { RoomPersistence } from './persistence';
import type { AddedEntry, FactProjector } from './projector';

/** What a room needs of a connection. */
export interface Peer {
  readonly userId: string;
  /** Sends a binary message; false when the connection is gone or was just closed as too slow. */
  send(message: Uint8Array): boolean;
  /** The room holds this peer's update durably; `step1` is a sync step 1 with the room's durable state vector. */
  acknowledge(step1: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface CompactionLimits {
  /** Compact when the log holds more entries than this. */
  readonly maxUpdates: number;
  /** Or when the updates appended since the last compaction exceed this many bytes. */
  readonly maxBytes: number;
}

export const DEFAULT_COMPACTION: CompactionLimits = { maxUpdates: 500, maxBytes: 1024 * 1024 };

export interface RoomDeps {
  readonly persistence: RoomPersistence;
  readonly bus: RoomBus;
  readonly metrics: RelayMetrics;
  readonly log: Logger;
  readonly compaction: CompactionLimits;
  readonly projector?: FactProjector;
  readonly now: () => number;
  /** Called when the room failed and must be dropped from the registry. */
  readonly onFailed: (room: Room) => void;
}

const LOAD = Symbol('load');
const REMOTE = Symbol('remote');

export class Room {
  readonly name: string;
  readonly id: RoomName;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly peers = new Set<Peer>();
  /** Resolves once the persisted log is applied; rejects if it cannot be read. */
  readonly ready: Promise<void>;
  /** When the last peer left (the registry unloads rooms idle long enough). */
  idleSince: number | undefined;
  private state: 'loading' | 'ready' | 'failed' | 'unloaded' = 'loading';
  private readonly deps: RoomDeps;
  private entries = 0;
  /** Appends made and not settled yet, and what waits for them all to settle. */
  private inFlight = 0;
  private afterPersisted: (() => void)[] = [];
  /** Peers whose updates are durable and not yet acknowledged: acknowledged together once no append is in flight. */
  private toAcknowledge = new Set<Peer>();
  private tailBytes = 0;
  private changes: Uint8Array[] = [];
  private added: AddedEntry[] = [];
  /** Awareness client ids each peer has announced, removed for it when it leaves. */
  private readonly controlled = new Map<Peer, Set<number>>();
  private readonly unsubscribe: () => void;

  constructor(name: string, id: RoomName, deps: RoomDeps) {
    this.name = name;
    this.id = id;
    this.deps = deps;
    this.doc = new Y.Doc();
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    // The relay is not a participant: it has no presence of its own.
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== LOAD && origin !== REMOTE) this.changes.push(update);
    });
    if (id.kind === 'facts') {
      this.doc.getMap(FACTS_MAP).observe((event, tr) => {
        if (tr.origin === LOAD || tr.origin === REMOTE) return;
        // `event.keys`, not `event.changes`: a map's changes are its keys, and `changes` also builds delta and sets.
        for (const [key, change] of event.keys)
          if (change.action !== 'delete') this.added.push({ key, value: event.target.get(key), overwrite: change.action === 'update' });
      });
    }
    this.awareness.on('update', this.onAwareness);
    this.unsubscribe = deps.bus.subscribe(name, (update) => this.applyRemote(update));
    this.ready = this.load();
  }

  get isReady(): boolean {
    return this.state === 'ready';
  }

  private async load(): Promise<void> {
    const started = performance.now();
    const log = await this.deps.persistence.load(this.name);
    if (this.state !== 'loading') return;
    Y.transact(
      this.doc,
      () => {
        for (const u of log.updates) {
          try {
            Y.applyUpdate(this.doc, u, LOAD);
          } catch (e) {
            // Only accepted updates are stored, so this is a damaged file: say so, keep the rest.
            this.deps.log.error({ err: e, room: this.name }, 'a stored update could not be applied');
          }
        }
      },
      LOAD,
    );
    this.entries = log.entries;
    this.tailBytes = log.entries > 1 ? log.bytes - (log.updates[0]?.length ?? 0) : 0;
    this.state = 'ready';
    if (this.id.kind === 'facts' && this.deps.projector !== undefined) {
      const map = this.doc.getMap(FACTS_MAP);
      this.deps.projector.catchUp({ portfolioId: this.id.portfolioId, room: this.name, entries: new Map(map.entries()), receivedAt: new Date(this.deps.now()).toISOString() });
    }
    this.deps.metrics.roomLoads.inc();
    this.deps.log.debug({ room: this.name, entries: log.entries, bytes: log.bytes, ms: Math.round(performance.now() - started) }, 'room loaded');
  }

  join(peer: Peer): void {
    this.peers.add(peer);
    this.idleSince = undefined;
  }

  /** What a peer receives on joining (once appends in flight have settled): the room's state vector, then everyone's presence. */
  greet(peer: Peer): void {
    this.whenPersisted(() => this.greetNow(peer));
  }

  private greetNow(peer: Peer): void {
    peer.send(encodeStateVectorStep1(this.doc));
    const states = this.awareness.getStates();
    if (states.size > 0) peer.send(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])));
  }

  leave(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    const ids = this.controlled.get(peer);
    this.controlled.delete(peer);
    if (ids !== undefined && ids.size > 0 && this.state === 'ready') awarenessProtocol.removeAwarenessStates(this.awareness, [...ids], null);
    if (this.peers.size === 0) this.idleSince = this.deps.now();
  }

  /**
   * A client's step 1: what it lacks (step 2), then the room's state vector (step 1) so it sends what we
   * lack; once appends in flight have settled, so the answer holds nothing that is not durable.
   */
  answerStep1(peer: Peer, stateVector: Uint8Array): void {
    this.whenPersisted(() => {
      if (this.state !== 'ready' || !this.peers.has(peer)) return;
      peer.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector)));
      peer.send(encodeStateVectorStep1(this.doc));
    });
  }

  /** Acknowledges an update that changed nothing (a duplicate) once the room's appends have settled. */
  acknowledgeDuplicate(peer: Peer): void {
    this.toAcknowledge.add(peer);
    if (this.inFlight === 0) this.acknowledgeDurable();
  }

  /**
   * Sends the pending acknowledgements, with the doc's state vector: called only when no append is in
   * flight, so everything in the doc, and so in that vector, is durable. One vector serves every peer
   * acknowledged at that moment (an encoding walks the doc's clients).
   */
  private acknowledgeDurable(): void {
    if (this.toAcknowledge.size === 0 || this.state !== 'ready') return;
    const step1 = encodeStateVectorStep1(this.doc);
    for (const p of this.toAcknowledge) if (this.peers.has(p)) p.acknowledge(step1);
    this.toAcknowledge.clear();
  }

  /**
   * Whether `update` carries structs and the room's doc holds every one of them (integrated, not
   * pending): a sender of such an update is behind on the room's state vector.
   */
  holdsAllStructsOf(update: Uint8Array): boolean {
    const carried = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update));
    if (carried.size === 0) return false;
    for (const [client, clock] of carried) if (Y.getState(this.doc.store, client) < clock) return false;
    return true;
  }

  /** Appends in flight (made, not yet durable). */
  get appendsInFlight(): number {
    return this.inFlight;
  }

  /** Runs `fn` now if no append is in flight, else once all have settled (then the doc is all durable). */
  whenPersisted(fn: () => void): void {
    if (this.inFlight === 0) fn();
    else this.afterPersisted.push(fn);
  }

  /**
   * Applies a decoded update from `peer` and appends what changed; the fan-out, the sender's ack and the
   * projection of the facts it added follow once that is durable. `unchanged`: the doc already held all
   * of it (or holds it pending its dependencies); `failed`: the room failed.
   */
  accept(peer: Peer, update: Uint8Array): 'changed' | 'unchanged' | 'failed' {
    if (this.state !== 'ready') return 'failed';
    this.changes = [];
    this.added = [];
    // Structs or deletions held pending (their dependencies had not arrived) were sent by someone else;
    // if this update completes them, the change holds more than the sender sent, and the sender needs it too.
    const completesPending = this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null;
    try {
      Y.applyUpdate(this.doc, update, peer);
    } catch (e) {
      this.fail('an update could not be applied', e);
      return 'failed';
    }
    const changes = this.changes;
    const added = this.added;
    this.changes = [];
    this.added = [];
    if (changes.length === 0) return 'unchanged';
    const change = changes.length === 1 ? (changes[0] as Uint8Array) : Y.mergeUpdates(changes);
    const receivedAtMs = this.deps.now();
    const started = performance.now();
    this.inFlight++;
    this.deps.persistence.append(this.name, change).then(
      () => {
        this.deps.metrics.persistSeconds.observe((performance.now() - started) / 1000);
        if (this.state !== 'ready') return;
        this.deps.bus.publish(this.name, change);
        this.fanOut(change, completesPending ? undefined : peer);
        this.toAcknowledge.add(peer);
        this.settled();
        if (added.length > 0 && this.deps.projector !== undefined && this.id.kind === 'facts')
          this.deps.projector.enqueue({ portfolioId: this.id.portfolioId, room: this.name, entries: added, receivedAtMs, receivedBy: peer.userId });
      },
      (e: unknown) => this.fail('an update could not be persisted', e),
    );
    this.entries += 1;
    this.tailBytes += change.length;
    if (this.entries > this.deps.compaction.maxUpdates || this.tailBytes > this.deps.compaction.maxBytes) this.compact();
    return 'changed';
  }

  private settled(): void {
    this.inFlight--;
    if (this.inFlight > 0) return;
    this.acknowledgeDurable();
    if (this.afterPersisted.length === 0) return;
    const waiting = this.afterPersisted;
    this.afterPersisted = [];
    for (const fn of waiting) fn();
  }

  applyAwareness(peer: Peer, update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, peer);
  }

  awarenessOfAll(): Uint8Array {
    return encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]));
  }

  /**
   * Replaces the log with one update holding the whole doc (pending structs included). Appends settle in
   * order, so the snapshot, which holds every change appended before it, replaces exactly those.
   */
  compact(): void {
    if (this.state !== 'ready') return;
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    const entriesBefore = this.entries;
    this.entries = 1;
    this.tailBytes = 0;
    this.deps.persistence.compact(this.name, snapshot).then(
      () => {
        this.deps.metrics.compactions.inc();
        this.deps.log.debug({ room: this.name, bytes: snapshot.length }, 'room compacted');
      },
      (e: unknown) => {
        // The log is intact (compaction is one transaction); try again at the next update.
        this.entries += entriesBefore;
        this.deps.log.error({ err: e, room: this.name }, 'compaction failed');
      },
    );
  }

  get logEntries(): number {
    return this.entries;
  }

  /** Frees the room; compacts first when the log has more than one entry, so the next load is one read. */
  unload(): void {
    if (this.state === 'unloaded') return;
    if (this.state === 'ready' && this.entries > 1) this.compact();
    this.dispose();
  }

  private dispose(): void {
    this.state = 'unloaded';
    this.unsubscribe();
    this.awareness.off('update', this.onAwareness);
    this.awareness.destroy();
    this.doc.destroy();
  }

  private fail(what: string, e: unknown): void {
    this.deps.log.error({ err: e, room: this.name }, what);
    // Each append in flight when the room failed or was unloaded settles too: once is enough.
    if (this.state === 'failed' || this.state === 'unloaded') return;
    this.state = 'failed';
    for (const p of [...this.peers]) p.close(1011, 'room failed: reconnect');
    this.peers.clear();
    this.deps.onFailed(this);
    this.afterPersisted = [];
    this.toAcknowledge.clear();
    this.dispose();
  }

  private fanOut(update: Uint8Array, except: Peer | undefined): void {
    const message = encodeSyncUpdate(update);
    let sent = 0;
    for (const p of this.peers) if (p !== except && p.send(message)) sent++;
    this.deps.metrics.updatesOut.inc(sent);
  }

  private applyRemote(update: Uint8Array): void {
    if (this.state !== 'ready') return;
    this.changes = [];
    try {
      Y.applyUpdate(this.doc, update, REMOTE);
    } catch (e) {
      this.deps.log.error({ err: e, room: this.name }, 'an update from another node could not be applied');
      return;
    }
    this.fanOut(update, undefined);
  }

  private readonly onAwareness = (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    const peer = origin instanceof Object && this.peers.has(origin as Peer) ? (origin as Peer) : undefined;
    if (peer !== undefined) {
      let ids = this.controlled.get(peer);
      if (ids === undefined) this.controlled.set(peer, (ids = new Set()));
      for (const id of [...change.added, ...change.updated]) ids.add(id);
      for (const id of change.removed) ids.delete(id);
    }
    const changed = [...change.added, ...change.updated, ...change.removed];
    const message = encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    // The sender already knows its own presence; everyone else hears it.
    for (const p of this.peers) if (p !== peer) p.send(message);
  };
}
