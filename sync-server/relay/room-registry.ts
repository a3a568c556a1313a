/**
 * The rooms this node holds in memory, by name. A room is created (and starts loading) when its first
 * connection arrives, and unloaded once it has had no connection for `idleUnloadMs`: a timer checks
 * after each room goes idle, and `unloadIdle` can be called directly (tests, operations) with any age.
 */
import type { Room as RoomId } from '../../src/protocol/rooms';
import { Room, type RoomDeps } from './room';

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly deps: Omit<RoomDeps, 'onFailed'>;
  private readonly idleUnloadMs: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(deps: Omit<RoomDeps, 'onFailed'>, idleUnloadMs: number) {
    this.deps = deps;
    this.idleUnloadMs = idleUnloadMs;
  }

  /** The room, loaded or loading; created on first use. */
  acquire(name: string, id: RoomId): Room {
    let room = this.rooms.get(name);
    if (room === undefined) {
      room = new Room(name, id, { ...this.deps, onFailed: (r) => this.forget(r) });
      this.rooms.set(name, room);
      this.deps.metrics.roomsLoaded.set(this.rooms.size);
      // A room whose load fails is dropped so the next connection tries again.
      const created = room;
      created.ready.catch(() => this.forget(created));
    }
    return room;
  }

  get(name: string): Room | undefined {
    return this.rooms.get(name);
  }

  get size(): number {
    return this.rooms.size;
  }

  /** Called when a room's last connection left: check again once it could be old enough. */
  noteIdle(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.unloadIdle(this.idleUnloadMs);
      if ([...this.rooms.values()].some((r) => r.peers.size === 0)) this.noteIdle();
    }, this.idleUnloadMs + 10);
    this.timer.unref();
  }

  /** Unloads rooms without connections for at least `olderThanMs`; returns how many. */
  unloadIdle(olderThanMs: number = this.idleUnloadMs): number {
    const now = this.deps.now();
    let n = 0;
    for (const room of [...this.rooms.values()]) {
      if (room.peers.size > 0 || !room.isReady || room.idleSince === undefined || now - room.idleSince < olderThanMs) continue;
      this.rooms.delete(room.name);
      room.unload();
      this.deps.metrics.roomUnloads.inc();
      n++;
    }
    this.deps.metrics.roomsLoaded.set(this.rooms.size);
    return n;
  }

  /** Unloads every room (at shutdown, after the connections are closed). */
  unloadAll(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const room of this.rooms.values()) room.unload();
    this.rooms.clear();
    this.deps.metrics.roomsLoaded.set(0);
  }

  private forget(room: Room): void {
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
    this.deps.metrics.roomsLoaded.set(this.rooms.size);
  }
}
