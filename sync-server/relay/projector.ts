/**
 * The server as a peer (DESIGN.md §3): fact map entries a client added to a facts room are parsed with
 * `factSchema` and written to the fact store keyed by their ULID (insert-or-ignore, so projecting the
 * same fact twice changes nothing), stamped with the server's receipt time and the sender's user id. An
 * entry that is not a valid fact of this portfolio under its own id goes to the quarantine with the
 * reason, is counted, and is never applied; nothing here throws into the relay.
 *
 * Off the fan-out's path, and off the event loop: the room hands over an update's added entries once the
 * update is durable and fanned out (`enqueue`); every FLUSH_MS the batches queued meanwhile are posted
 * together, as they are, to the ProjectionStore, whose worker validates them (projection-plan.ts: a zod
 * parse per entry) and writes them in one commit (worker-projection-store.ts). Handing each update over
 * on its own cost the event loop ~20 µs of postMessage per update at 1,000 updates/s, and validating on
 * the event loop made ~8 % of its garbage; a fact reaches the fact store (reports, the ERP
 * export, the month's archive) a few milliseconds later instead. A projection that fails, or is lost
 * with the process, is redone when the room next loads (`catchUp`): the room's log holds every fact,
 * and the fact store is keyed by the fact's id. `drained` resolves once everything queued is written.
 */
import * as Y from 'yjs';
import type { Logger } from '../logger';
import type { FactStore } from '../store/fact-store';
import type { FactQuarantine } from '../store/sqlite-fact-quarantine';
import type { ProjectionStore } from './persistence';
import type { RelayMetrics } from './metrics';
import type { PostedEntry, ProjectionJob } from './projection-plan';

/** The `received_by` of facts the catch-up projected: their sender is no longer known. */
export const CATCH_UP_SENDER = 'relay:catch-up';

export interface AddedEntry {
  readonly key: string;
  readonly value: unknown;
  /** True when the key already held a value: facts are immutable, so this is refused. */
  readonly overwrite: boolean;
}

/** A durable update's added entries, waiting for the next flush; its receipt time in ms. */
export interface QueuedBatch {
  readonly portfolioId: string;
  readonly room: string;
  readonly entries: readonly AddedEntry[];
  readonly receivedAtMs: number;
  readonly receivedBy: string;
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
    for (const b of queued) void this.write({ portfolioId: b.portfolioId, room: b.room, entries: postable(b.entries), receivedAtMs: b.receivedAtMs, receivedBy: b.receivedBy });
  };

  /** Writes a projection and counts it; a failure is logged and counted, and left to the catch-up. */
  private write(job: ProjectionJob): Promise<void> {
    if (job.entries.length === 0) return Promise.resolve();
    return this.store.project(job).then(
      (r) => this.counted(job, r.projected, r.quarantined),
      (e: unknown) => {
        this.metrics.projectionFailures.inc();
        this.log.error({ err: e, room: job.room, entries: job.entries.length }, 'projection failed: the room\'s next load projects its facts again');
      },
    );
  }

  /** Counts a written projection (once committed, so a rolled-back one is not counted). */
  private counted(job: ProjectionJob, projected: number, quarantined: readonly string[]): void {
    this.metrics.factsProjected.inc(projected);
    for (const reason of quarantined) this.metrics.factsQuarantined.inc({ reason });
    if (quarantined.length > 0) this.log.warn({ room: job.room, by: job.receivedBy, reasons: quarantined }, 'facts quarantined');
  }

  /**
   * Catch-up when a facts room is loaded: a process killed after an update's append committed but with
   * its projection lost (or a log written by an older relay that projected separately) leaves facts in
   * the room's log that the fact store lacks, and the month's archive is served from the store. Every
   * key of the loaded doc that is neither in the store nor already quarantined for this room is prepared
   * again, marked as received by the catch-up, and written.
   */
  catchUp(o: { portfolioId: string; room: string; entries: ReadonlyMap<string, unknown>; receivedAtMs: number }): void {
    if (o.entries.size === 0) return;
    const missing = this.facts.missingIds(o.portfolioId, [...o.entries.keys()]);
    if (missing.length === 0) return;
    const refused = this.quarantine.keysOf(o.room);
    const entries: AddedEntry[] = [];
    for (const key of missing) if (!refused.has(key)) entries.push({ key, value: o.entries.get(key), overwrite: false });
    if (entries.length === 0) return;
    this.log.warn({ room: o.room, facts: entries.length }, 'projecting facts the fact store lacked (after a crash?)');
    void this.write({ portfolioId: o.portfolioId, room: o.room, entries: postable(entries), receivedAtMs: o.receivedAtMs, receivedBy: CATCH_UP_SENDER });
  }
}

/** Entries as they can cross to the writer's worker: a nested Yjs type (never a fact) is flagged instead. */
function postable(entries: readonly AddedEntry[]): readonly PostedEntry[] {
  if (!entries.some((e) => e.value instanceof Y.AbstractType)) return entries;
  return entries.map((e) => (e.value instanceof Y.AbstractType ? { key: e.key, overwrite: e.overwrite, nested: true } : e));
}

