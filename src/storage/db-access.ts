/**
 * Every repository reaches the database through here, for two reasons:
 * - WebKit closes IndexedDB connections of a backgrounded page (DESIGN.md §8): Dexie then fails every
 *   call with DatabaseClosedError (or the browser's InvalidStateError). The operation is retried once
 *   on a reopened connection, unless we closed the database ourselves.
 * - A write that still fails is reported to the listeners (the app shows it), then rethrown.
 */
import type { DeviceDb } from './device-db';

const CLOSED_ERRORS = new Set(['DatabaseClosedError', 'InvalidStateError']);

function isClosedError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (CLOSED_ERRORS.has(e.name)) return true;
  const inner = (e as { inner?: unknown }).inner;
  return inner instanceof Error && CLOSED_ERRORS.has(inner.name);
}

export class DbAccess {
  readonly db: DeviceDb;
  private closedByUs = false;
  private reopening: Promise<void> | undefined;
  private readonly writeErrorListeners = new Set<(error: Error) => void>();
  /** Reopens after a dropped connection, for tests and the indicator. */
  reopenCount = 0;

  constructor(db: DeviceDb) {
    this.db = db;
  }

  async read<T>(op: (db: DeviceDb) => Promise<T>): Promise<T> {
    try {
      return await op(this.db);
    } catch (e) {
      if (!isClosedError(e) || this.closedByUs) throw e;
      await this.reopen();
      return await op(this.db);
    }
  }

  async write<T>(op: (db: DeviceDb) => Promise<T>): Promise<T> {
    try {
      return await this.read(op);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      for (const l of this.writeErrorListeners) l(error);
      throw error;
    }
  }

  onWriteError(listener: (error: Error) => void): () => void {
    this.writeErrorListeners.add(listener);
    return () => this.writeErrorListeners.delete(listener);
  }

  close(): void {
    this.closedByUs = true;
    this.db.close();
  }

  private reopen(): Promise<void> {
    // Concurrent failures share one reopen.
    this.reopening ??= (async () => {
      try {
        if (this.db.isOpen()) this.db.close({ disableAutoOpen: false });
        await this.db.open();
        this.reopenCount++;
      } finally {
        this.reopening = undefined;
      }
    })();
    return this.reopening;
  }
}
