/**
 * Where a room's document lives between loads: an append-only log of Yjs updates per room, replaced by
 * one merged update when it grows (compaction). The embedded adapter is SQLite (sqlite-room-store.ts);
 * a shared engine (PostgreSQL) is the scale-out adapter (DESIGN.md §3).
 *
 * Contract:
 * - `load` returns the room's updates in append order (applying them in any order gives the same doc,
 *   order only keeps loads cheap) with the log's size; an unknown room is an empty log.
 * - `append` is durable when it returns; the relay fans an update out only after that. It is
 *   synchronous on purpose: the embedded store commits in microseconds, and a synchronous append keeps
 *   "persist, then fan out" ordered without a per-room queue. An asynchronous adapter changes this
 *   signature and Room.accept together (docs/sync.md, "Scale-out").
 * - `compact` replaces every entry up to and including `uptoSeq` with `snapshot`, atomically.
 */
export interface StoredLog {
  readonly updates: readonly Uint8Array[];
  readonly entries: number;
  readonly bytes: number;
  /** The seq of the newest entry, 0 for an empty log. */
  readonly lastSeq: number;
}

export interface RoomPersistence {
  load(room: string): Promise<StoredLog>;
  append(room: string, update: Uint8Array): { readonly seq: number };
  compact(room: string, snapshot: Uint8Array, uptoSeq: number): { readonly seq: number };
}
