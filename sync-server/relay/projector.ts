/**
 * The server as a peer (DESIGN.md §3): fact map entries a client added to a facts room are parsed with
 * `factSchema` and written to the fact store keyed by their ULID (insert-or-ignore, so projecting the
 * same fact twice changes nothing), stamped with the server's receipt time and the sender's user id. An
 * entry that is not a valid fact of this portfolio under its own id goes to the quarantine with the
 * reason, is counted, and is never applied; nothing here throws into the relay.
 *
 * Off the fan-out's path: the room hands over an update's added entries once the update is durable and
 * fanned out (`enqueue`); every FLUSH_MS the batches queued meanwhile are validated (a zod parse per
 * entry) and handed together to the ProjectionStore, which writes them from the SQLite writer's worker
 * (worker-projection-store.ts) in one message; the worker commits what it received once a second.
 * Handing each update over on its own cost the event loop ~20 µs of postMessage per update at 1,000
 * updates/s; a fact reaches the fact store (reports, the ERP export, the month's archive) within about
 * a second instead (PROJECTION_COMMIT_DELAY_MS). A projection that
 * fails, or is lost with the process, is redone when the room next loads (`catchUp`): the room's log
 * holds every fact, and the fact store is keyed by the fact's id. `drained` resolves once everything
 * queued is written.
 */
import * as Y from 'yjs';
import { factSchema, type Fact } from '../../src/domain/facts';
import type { Logger } from '../logger';
import type { FactStore } from '../store/fact-store';
import type { FactQuarantine, QuarantinedFact } from '../store/sqlite-fact-quarantine';
import type { ProjectionStore, ProjectionWrite } from './persistence';
import type { RelayMetrics } from './metrics';

/** The `received_by` of facts the catch-up projected: their sender is no longer known. */
export const CATCH_UP_SENDER = 'relay:catch-up';

export interface AddedEntry {
  readonly key: string;
  readonly value: unknown;
  /** True when the key already held a value: facts are immutable, so this is refused. */
  readonly overwrite: boolean;
}

/** One accepted update's added entries, with its receipt time and sender. */
export interface ProjectionBatch {
  readonly portfolioId: string;
  readonly room: string;
  readonly entries: readonly AddedEntry[];
  readonly receivedAt: string;
  readonly receivedBy: string;
}

/** A durable update's added entries, waiting for the next flush; its receipt time in ms. */
export interface QueuedBatch extends Omit<ProjectionBatch, 'receivedAt'> {
  readonly receivedAtMs: number;
}

/** How long accepted updates' facts wait to be projected together. */
export const FLUSH_MS = 20;

export class FactProjector {
  private readonly facts: FactStore;
  private readonly quarantine: FactQuarantine;
  private readonly store: ProjectionStore;
  private readonly metrics: RelayMetrics;
  private readonly log: Logger;
  private queue: QueuedBatch[] = [];
  private timer: NodeJS.Timeout | undefined;

  /** `facts` and `quarantine` are read on the event loop (the catch-up); writes go through `store`. */
  constructor(o: { facts: FactStore; quarantine: FactQuarantine; store: ProjectionStore; metrics: RelayMetrics; log: Logger }) {
    this.facts = o.facts;
    this.quarantine = o.quarantine;
    this.store = o.store;
    this.metrics = o.metrics;
    this.log = o.log;
  }

  /** Queues a durable update's added entries; validated and written within FLUSH_MS. */
  enqueue(batch: QueuedBatch): void {
    this.queue.push(batch);
    this.timer ??= setTimeout(this.flush, FLUSH_MS);
  }

  /** Resolves once every batch queued or written so far is written (or has failed). */
  drained(): Promise<void> {
    this.flush();
    return this.store.drained();
  }

  private readonly flush = (): void => {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const queued = this.queue;
    this.queue = [];
    for (const b of queued) void this.write(b.room, this.prepare({ portfolioId: b.portfolioId, room: b.room, entries: b.entries, receivedAt: new Date(b.receivedAtMs).toISOString(), receivedBy: b.receivedBy }));
  };

  /** Writes a projection and counts it; a failure is logged and counted, and left to the catch-up. */
  private write(room: string, write: ProjectionWrite): Promise<void> {
    if (write.facts.length === 0 && write.quarantined.length === 0) return Promise.resolve();
    return this.store.project(write).then(
      (r) => this.counted(room, write, r.projected),
      (e: unknown) => {
        this.metrics.projectionFailures.inc();
        this.log.error({ err: e, room, facts: write.facts.length }, 'projection failed: the room\'s next load projects its facts again');
      },
    );
  }

  /** Validates a batch's entries: the facts to store and the entries to quarantine, with why. */
  private prepare(o: ProjectionBatch): ProjectionWrite {
    const facts: Fact[] = [];
    const quarantined: QuarantinedFact[] = [];
    const refuse = (e: AddedEntry, reason: string, detail: string) =>
      quarantined.push({ portfolioId: o.portfolioId, room: o.room, key: e.key, reason, detail, body: jsonOf(e.value), receivedAt: o.receivedAt, receivedBy: o.receivedBy });
    for (const e of o.entries) {
      if (e.value instanceof Y.AbstractType) {
        refuse(e, 'not_json', 'a fact is plain JSON, not a nested Yjs type');
        continue;
      }
      if (e.overwrite) {
        refuse(e, 'overwritten', 'facts are immutable: a key is never set twice; the first value stays in the fact store');
        continue;
      }
      const parsed = factSchema.safeParse(e.value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        refuse(e, 'invalid', `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'not a fact'}`);
      } else if (parsed.data.id !== e.key) {
        refuse(e, 'id_mismatch', `the entry's key ${e.key} is not its id ${parsed.data.id}`);
      } else if (parsed.data.portfolioId !== o.portfolioId) {
        refuse(e, 'wrong_portfolio', `a fact of portfolio ${parsed.data.portfolioId} in a room of ${o.portfolioId}`);
      } else {
        facts.push(parsed.data);
      }
    }
    return { portfolioId: o.portfolioId, facts, receivedAt: o.receivedAt, receivedBy: o.receivedBy, quarantined };
  }

  /** Counts a written projection (once committed, so a rolled-back one is not counted). */
  private counted(room: string, write: ProjectionWrite, projected: number): void {
    this.metrics.factsProjected.inc(projected);
    for (const r of write.quarantined) this.metrics.factsQuarantined.inc({ reason: r.reason });
    if (write.quarantined.length > 0) this.log.warn({ room, by: write.receivedBy, reasons: write.quarantined.map((r) => r.reason) }, 'facts quarantined');
  }

  /**
   * Catch-up when a facts room is loaded: a process killed after an update's append committed but with
   * its projection lost (or a log written by an older relay that projected separately) leaves facts in
   * the room's log that the fact store lacks, and the month's archive is served from the store. Every
   * key of the loaded doc that is neither in the store nor already quarantined for this room is prepared
   * again, marked as received by the catch-up, and written.
   */
  catchUp(o: { portfolioId: string; room: string; entries: ReadonlyMap<string, unknown>; receivedAt: string }): void {
    if (o.entries.size === 0) return;
    const missing = this.facts.missingIds(o.portfolioId, [...o.entries.keys()]);
    if (missing.length === 0) return;
    const refused = this.quarantine.keysOf(o.room);
    const entries: AddedEntry[] = [];
    for (const key of missing) if (!refused.has(key)) entries.push({ key, value: o.entries.get(key), overwrite: false });
    if (entries.length === 0) return;
    this.log.warn({ room: o.room, facts: entries.length }, 'projecting facts the fact store lacked (after a crash?)');
    void this.write(o.room, this.prepare({ portfolioId: o.portfolioId, room: o.room, entries, receivedAt: o.receivedAt, receivedBy: CATCH_UP_SENDER }));
  }
}

function jsonOf(value: unknown): string | null {
  if (value instanceof Y.AbstractType) return null;
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return null;
  }
}
