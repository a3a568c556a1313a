/**
 * Where a room's document lives between loads: an append-only log of Yjs updates per room, replaced by
 * one merged update when it grows (compaction). The embedded adapter writes the server's SQLite file
 * from a worker thread (worker-room-store.ts); a shared engine (PostgreSQL) is the scale-out adapter
 * (DESIGN.md §3).
 *
 * Contract:
 * - every call takes effect in the order it was made (a `load` sees every `append` and `compact`
 *   made before it), and its promise settles in that order;
 * - `load` returns the room's updates in append order (applying them in any order gives the same doc,
 *   order only keeps loads cheap) with the log's size; an unknown room is an empty log;
 * - `append` resolves once the update is durable, together with the projection of the facts it added
 *   (one transaction: both or neither); the relay fans an update out, and acknowledges it, only then;
 * - `compact` replaces every entry of the room with `snapshot`, atomically (the snapshot holds
 *   everything appended before it);
 * - `project` writes a projection alone (the catch-up of a room loaded after a crash);
 * - `drained` resolves once every call made so far has settled.
 */
import type { Fact } from '../../src/domain/facts';
import type { QuarantinedFact } from '../store/sqlite-fact-quarantine';

export interface StoredLog {
  readonly updates: readonly Uint8Array[];
  readonly entries: number;
  readonly bytes: number;
}

/** Facts an update added, validated, for the fact store, and the entries refused, for the quarantine. */
export interface ProjectionWrite {
  readonly portfolioId: string;
  readonly facts: readonly Fact[];
  readonly receivedAt: string;
  readonly receivedBy: string;
  readonly quarantined: readonly QuarantinedFact[];
}

export interface AppendResult {
  /** Facts of the projection the fact store did not hold yet (a fact is stored once by id). */
  readonly projected: number;
}

export interface RoomPersistence {
  load(room: string): Promise<StoredLog>;
  append(room: string, update: Uint8Array, projection?: ProjectionWrite): Promise<AppendResult>;
  compact(room: string, snapshot: Uint8Array): Promise<void>;
  project(projection: ProjectionWrite): Promise<{ readonly projected: number }>;
  drained(): Promise<void>;
}
