/**
 * A Y.Doc backed by the device's update log (UpdateLogRepository): loaded from its rows, and every
 * update after that appended.
 *
 * How it works. Loading merges the room's rows (Y.mergeUpdates) and applies them in one go with the
 * LOADED origin, which the update handler skips. Updates from then on (local writes, merged relay
 * updates) are queued; one write at a time takes everything queued so far into one transaction
 * (IndexedDB's cost is per transaction, and a sync of 500 updates should not be 500 of them). `flush`
 * resolves when everything queued before it is stored, or rejects with the write error; a failed batch
 * goes back to the head of the queue and is retried by the next write. When a room holds more than
 * `compactAt` rows they are merged into one, in one transaction (the repository's `compact`).
 */
import * as Y from 'yjs';
import type { UpdateLogRepository } from '../app/ports';

export const LOADED = Symbol('loaded from the update log');
export const DEFAULT_COMPACT_AT = 200;

export class PersistedDoc {
  readonly room: string;
  readonly doc: Y.Doc;
  private readonly log: UpdateLogRepository;
  private readonly compactAt: number;
  private queue: Uint8Array[] = [];
  private scheduled = false;
  private tail: Promise<void> = Promise.resolve();
  private rows = 0;
  private readonly errorListeners = new Set<(e: Error) => void>();
  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === LOADED) return;
    this.queue.push(update);
    this.schedule();
  };

  constructor(room: string, log: UpdateLogRepository, options: { doc?: Y.Doc; compactAt?: number } = {}) {
    this.room = room;
    this.log = log;
    this.doc = options.doc ?? new Y.Doc();
    this.compactAt = options.compactAt ?? DEFAULT_COMPACT_AT;
  }

  /** Applies the stored rows, then starts persisting. Returns how many rows there were. */
  async load(): Promise<number> {
    const rows = await this.log.load(this.room);
    if (rows.length > 0) Y.applyUpdate(this.doc, rows.length === 1 ? (rows[0]?.update ?? new Uint8Array()) : Y.mergeUpdates(rows.map((r) => r.update)), LOADED);
    this.rows = rows.length;
    this.doc.on('update', this.onUpdate);
    if (this.rows > this.compactAt) await this.compact();
    return rows.length;
  }

  /** Resolves once every update queued before the call is stored; rejects with the write's error. */
  flush(): Promise<void> {
    if (this.queue.length > 0 && !this.scheduled) this.schedule();
    return this.tail;
  }

  onError(listener: (e: Error) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /** Stops persisting (the doc stays usable); waits for writes in flight. */
  async close(): Promise<void> {
    this.doc.off('update', this.onUpdate);
    await this.flush().catch(() => undefined);
  }

  async compact(): Promise<void> {
    const replaced = await this.log.compact(this.room, (updates) => Y.mergeUpdates([...updates]));
    if (replaced > 0) this.rows = this.rows - replaced + 1;
  }

  private schedule(): void {
    this.scheduled = true;
    // Each write waits for the one before, whatever became of it.
    this.tail = this.tail.catch(() => undefined).then(() => this.write());
  }

  private async write(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    try {
      // One row per write: the batch merged (a sync's many small updates cost one row, not hundreds).
      await this.log.append(this.room, [batch.length === 1 ? (batch[0] as Uint8Array) : Y.mergeUpdates(batch)]);
    } catch (e) {
      // Keep the batch for the next write; the caller of flush and the listeners hear of the failure.
      this.queue = batch.concat(this.queue);
      const error = e instanceof Error ? e : new Error(String(e));
      for (const l of this.errorListeners) l(error);
      throw error;
    }
    this.rows += 1;
    if (this.rows > this.compactAt) await this.compact().catch(() => undefined);
  }
}
