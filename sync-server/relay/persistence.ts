/**
 * Where a room's document lives between loads: an append-only log of Yjs updates per room, replaced by
 * one merged update when it grows (compaction). The embedded adapter is a SQLite file of its own,
 * written on the event loop (sqlite-room-log.ts); a shared engine (PostgreSQL) is the scale-out adapter
 * (DESIGN.md §3).
 *
 * Contract of RoomPersistence:
 * - every call takes effect in the order it was made (a `load` sees every `append` and `compact`
 *   made before it), and its promise settles in that order;
 * - `load` returns the room's updates in append order (applying them in any order gives the same doc,
 *   order only keeps loads cheap) with the log's size; an unknown room is an empty log;
 * - `append` resolves once the update is durable; the relay fans an update out, and acknowledges it,
 *   only then;
 * - `compact` replaces every entry of the room with `snapshot`, atomically (the snapshot holds
 *   everything appended before it);
 * - `drained` resolves once every call made so far has settled.
 *
 * The facts an update added are projected into the fact store after it is durable, by the projector
 * (projector.ts) through a ProjectionStore: a projection lost to a crash is redone when the room next
 * loads (the catch-up), because the room's log holds every fact.
 */
import type { Fact } from '../../src/domain/facts';
import type { QuarantinedFact } from '../store/sqlite-fact-quarantine';

export interface StoredLog {
  readonly updates: readonly Uint8Array[];
  readonly entries: number;
  readonly bytes: number;
}

export interface RoomPersistence {
  load(room: string): Promise<StoredLog>;
  append(room: string, update: Uint8Array): Promise<void>;
  compact(room: string, snapshot: Uint8Array): Promise<void>;
  drained(): Promise<void>;
}

/** Facts an update added, validated, for the fact store, and the entries refused, for the quarantine. */
export interface ProjectionWrite {
  readonly portfolioId: string;
  readonly facts: readonly Fact[];
  readonly receivedAt: string;
  readonly receivedBy: string;
  readonly quarantined: readonly QuarantinedFact[];
}

/** Writes projections: each all or nothing, in the order given. */
export interface ProjectionStore {
  /** Resolves once written, with the facts the store did not hold yet (a fact is stored once by id). */
  project(write: ProjectionWrite): Promise<{ readonly projected: number }>;
  drained(): Promise<void>;
}
