/**
 * One room of a portfolio on the device: its Y.Doc backed by the update log, its connection to the
 * relay while the room is live, and what the indicator needs about it (connected, last server sync,
 * pending changes measured against the relay's state vector, persisted per room so an offline reload
 * shows the same).
 */
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { DocSyncStatus, RoomSyncState, RoomSyncStateRepository, UpdateLogRepository } from '../app/ports';
import { CoalescedWriter } from './coalesced-writer';
import { Listeners } from './listeners';
import { covers, NOTHING_PENDING, pendingOf, type Pending } from './pending-changes';
import { PersistedDoc } from './persisted-doc';
import type { RoomConnection, Transport } from './transport';

export interface RoomDocDeps {
  readonly updates: UpdateLogRepository;
  readonly roomSync: RoomSyncStateRepository;
  readonly now: () => string;
  readonly onStorageError: (e: unknown) => void;
  readonly compactAt?: number;
}

/** Merges `b` into `a`: every client's clock is the larger of the two. */
function maxStateVector(a: Uint8Array | null, b: Uint8Array): Uint8Array {
  if (a === null) return b;
  const merged = Y.decodeStateVector(a);
  for (const [client, clock] of Y.decodeStateVector(b)) if ((merged.get(client) ?? 0) < clock) merged.set(client, clock);
  return Y.encodeStateVector(merged);
}

export class RoomDoc {
  readonly room: string;
  readonly portfolioId: string;
  readonly persisted: PersistedDoc;
  private readonly deps: RoomDocDeps;
  private connection: RoomConnection | null = null;
  private connected = false;
  private serverStateVector: Uint8Array | null = null;
  private lastServerSyncAt: string | null = null;
  private pending: Pending = NOTHING_PENDING;
  private pendingDirty = true;
  private pendingSeenAt: string | null = null;
  private liveFlag: boolean;
  private receivedServerState = false;
  private readonly syncedListeners = new Listeners<[]>();
  private readonly changed = new Listeners<[]>();
  private readonly refused = new Listeners<[number, string]>();
  private readonly saver: CoalescedWriter<RoomSyncState>;
  private readonly onLocalUpdate = (): void => this.markDirty();

  constructor(room: string, portfolioId: string, live: boolean, deps: RoomDocDeps) {
    this.room = room;
    this.portfolioId = portfolioId;
    this.liveFlag = live;
    this.deps = deps;
    this.persisted = new PersistedDoc(room, deps.updates, deps.compactAt === undefined ? {} : { compactAt: deps.compactAt });
    this.persisted.onError(deps.onStorageError);
    this.saver = new CoalescedWriter((s) => deps.roomSync.put(s), deps.onStorageError);
  }

  get doc(): Y.Doc {
    return this.persisted.doc;
  }

  get live(): boolean {
    return this.liveFlag;
  }

  async load(): Promise<void> {
    const [state] = await Promise.all([this.deps.roomSync.get(this.room), this.persisted.load()]);
    if (state !== undefined) {
      this.serverStateVector = state.serverStateVector;
      this.lastServerSyncAt = state.lastServerSyncAt;
    }
    this.doc.on('update', this.onLocalUpdate);
  }

  onChange(listener: () => void): () => void {
    return this.changed.add(listener);
  }

  onRefused(listener: (code: number, reason: string) => void): () => void {
    return this.refused.add(listener);
  }

  connect(transport: Transport, token: string, awareness?: Awareness): void {
    if (this.connection !== null || !this.liveFlag) return;
    const c = transport.connect(this.room, this.doc, awareness === undefined ? { token } : { token, awareness });
    this.connection = c;
    c.onState((s) => {
      this.connected = s === 'connected';
      this.changed.emit();
    });
    c.onServerState((sv, from) => this.serverState(sv, from));
    c.onRefused((code, reason) => this.refused.emit(code, reason));
    c.onSynced(() => {
      this.receivedServerState = true;
      this.syncedListeners.emit();
    });
  }

  /** The relay's state has been received at least once since this room connected. */
  get hasServerState(): boolean {
    return this.receivedServerState;
  }

  onSynced(listener: () => void): () => void {
    return this.syncedListeners.add(listener);
  }

  setToken(token: string): void {
    this.connection?.setToken(token);
  }

  reconnect(): void {
    this.connection?.reconnect();
  }

  /** Stops syncing (offline by choice, sign-out, or the month was archived); the doc stays loaded. */
  disconnect(): void {
    const c = this.connection;
    if (c === null) return;
    this.connection = null;
    c.close();
    if (this.connected) {
      this.connected = false;
      this.changed.emit();
    }
  }

  /** The room left the live window (or the relay says it is archived): read-only from now on. */
  archive(): void {
    this.liveFlag = false;
    this.disconnect();
    this.changed.emit();
  }

  status(): DocSyncStatus {
    if (this.pendingDirty) {
      this.pendingDirty = false;
      this.pending = pendingOf(this.doc, this.serverStateVector);
      if (this.pending.count === 0) this.pendingSeenAt = null;
      else this.pendingSeenAt ??= this.deps.now();
    }
    return {
      room: this.room,
      live: this.liveFlag,
      connected: this.connected,
      lastServerSyncAt: this.lastServerSyncAt,
      pendingChanges: this.pending.count,
      pendingSince: this.pending.count === 0 ? null : (this.pending.oldestAt ?? this.pendingSeenAt),
    };
  }

  async close(): Promise<void> {
    this.disconnect();
    this.doc.off('update', this.onLocalUpdate);
    await this.persisted.close();
    await this.saver.idle();
    this.changed.clear();
    this.refused.clear();
    this.syncedListeners.clear();
    this.doc.destroy();
  }

  async flushState(): Promise<void> {
    await this.saver.idle();
  }

  private markDirty(): void {
    this.pendingDirty = true;
    this.changed.emit();
  }

  private serverState(sv: Uint8Array, from: 'step1' | 'update'): void {
    // A step 1 is the relay's whole state now; a relayed update only tells us it holds at least that.
    this.serverStateVector = from === 'step1' ? sv : maxStateVector(this.serverStateVector, sv);
    if (covers(this.serverStateVector, Y.encodeStateVector(this.doc))) this.lastServerSyncAt = this.deps.now();
    this.pendingDirty = true;
    this.saver.set({ room: this.room, portfolioId: this.portfolioId, serverStateVector: this.serverStateVector, lastServerSyncAt: this.lastServerSyncAt });
    this.changed.emit();
  }
}
