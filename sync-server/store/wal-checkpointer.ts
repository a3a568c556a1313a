/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit pushes
 * the WAL past 1,000 pages, on the committing thread: in the relay that is an update's append, on the
 * event loop, and it fsyncs the WAL and the database (2–120 ms each on this disk), so every ~140 updates
 * one fan-out waited for two fsyncs. Here the main connection turns the automatic checkpoint off
 * (`wal_autocheckpoint = 0`) and a worker thread with its own connection to the same file checkpoints:
 * - PASSIVE every `intervalMs` while the file changes: copies committed frames into the database without
 *   taking the writer's lock, so the main thread's commits never wait for it; once every frame is copied,
 *   the next commit starts the WAL over from its beginning, so the file does not grow;
 * - TRUNCATE once the file has been idle for a tick with everything copied (the WAL file shrinks to 0).
 *   It takes the writer's lock, but with nothing left to copy it holds it for a truncate only.
 * Commits stay as durable as before (WAL, synchronous = NORMAL: a commit survives a killed process; the
 * checkpoint is what syncs to disk, as it was). If the worker fails, the main connection gets its
 * automatic checkpoint back. `stop` ends the worker and closes its connection first, so the main
 * connection, closed last, does the final checkpoint as before.
 *
 * The worker is plain JavaScript evaluated from a string (no TypeScript loader in a worker under
 * vitest), with better-sqlite3 resolved here and passed in.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { Logger } from '../logger';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
// TRUNCATE waits for the writer's lock; PASSIVE never waits.
db.pragma('busy_timeout = 1000');
let lastVersion = -1;
let truncated = false;
const tick = () => {
  try {
    // data_version changes when another connection committed since this connection last looked.
    const version = db.pragma('data_version', { simple: true });
    const changed = version !== lastVersion;
    lastVersion = version;
    if (changed) {
      const [r] = db.pragma('wal_checkpoint(PASSIVE)');
      truncated = false;
      parentPort.postMessage({ type: 'checkpoint', mode: 'passive', log: r.log, checkpointed: r.checkpointed, busy: r.busy });
    } else if (!truncated) {
      const [r] = db.pragma('wal_checkpoint(TRUNCATE)');
      truncated = r.busy === 0;
      parentPort.postMessage({ type: 'checkpoint', mode: 'truncate', log: r.log, checkpointed: r.checkpointed, busy: r.busy });
    }
  } catch (e) {
    parentPort.postMessage({ type: 'error', message: String(e && e.message || e) });
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

export interface CheckpointStats {
  passive: number;
  truncate: number;
  /** Frames in the WAL at the last checkpoint, and how many of them were in the database after it. */
  lastLog: number;
  lastCheckpointed: number;
}

export class WalCheckpointer {
  readonly stats: CheckpointStats = { passive: 0, truncate: 0, lastLog: 0, lastCheckpointed: 0 };
  private readonly db: Database.Database;
  private readonly worker: Worker;
  private readonly log: Logger | undefined;
  private stopped = false;

  /** Starts checkpointing `db` (a WAL-mode file database) from a worker; `intervalMs` between looks. */
  constructor(db: Database.Database, o: { intervalMs?: number; log?: Logger } = {}) {
    this.db = db;
    this.log = o.log;
    db.pragma('wal_autocheckpoint = 0');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // It holds one connection and a timer: a small heap keeps its RSS small.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
      workerData: { file: db.name, driver: createRequire(import.meta.url).resolve('better-sqlite3'), intervalMs: o.intervalMs ?? 250 },
    });
    // A checkpointer alone does not keep the process alive.
    this.worker.unref();
    this.worker.on('message', (m: { type: string; mode?: string; log?: number; checkpointed?: number; message?: string }) => {
      if (m.type === 'checkpoint') {
        if (m.mode === 'truncate') this.stats.truncate++;
        else this.stats.passive++;
        this.stats.lastLog = m.log ?? 0;
        this.stats.lastCheckpointed = m.checkpointed ?? 0;
      } else if (m.type === 'error') {
        this.log?.warn({ err: m.message }, 'WAL checkpoint failed');
      }
    });
    this.worker.on('error', (e) => this.fallBack(e));
    this.worker.on('exit', (code) => {
      if (!this.stopped) this.fallBack(new Error(`checkpoint worker exited with ${code}`));
    });
  }

  /** Ends the worker (its connection closed) before the main connection closes. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const exited = new Promise<void>((done) => this.worker.once('exit', () => done()));
    // Unreferenced, it would not keep the process alive until it exits: a shutdown with nothing else
    // left (SIGTERM to `dunwell serve`) ended with this await unsettled, exit code 13, the main
    // connections never closed.
    this.worker.ref();
    this.worker.postMessage('stop');
    await exited;
  }

  private fallBack(e: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    this.log?.error({ err: e }, 'WAL checkpoint worker failed: back to automatic checkpoints');
    if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
  }
}
