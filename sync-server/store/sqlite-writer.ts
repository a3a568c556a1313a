/**
 * Writes to the server's SQLite file from a worker thread, so the relay's event loop never waits for a
 * commit. The relay keeps its rule (DESIGN.md §3: an update is persisted before it is fanned out); it
 * just waits for the commit asynchronously and serves other sockets meanwhile.
 *
 * A job is a list of steps, each a named statement with its parameters. Jobs run in the order they
 * were submitted, and each job is all-or-nothing:
 * - jobs submitted in one turn of the event loop are posted to the worker as one message, on the next
 *   turn (one structured clone and one wake-up of the worker for all of them);
 * - group commit: when the worker commits, it also takes every message already waiting on its port
 *   (receiveMessageOnPort) and runs all their jobs in one IMMEDIATE transaction, so under load one
 *   commit (one WAL append of the touched pages) serves many updates;
 * - `commitDelayMs` (0 by default: at once) lets a job wait that long for others to share its commit.
 *   No transaction is open meanwhile (the jobs wait in the worker's memory), so no other writer of the
 *   file waits for them; `drained` and `stop` commit what waits at once;
 * - if that transaction fails, each job is run again in its own transaction, so one bad job costs only
 *   its own caller a failure;
 * - a job's promise resolves once its transaction has committed (WAL, synchronous = NORMAL, as on the
 *   main connection: it survives a killed process), with one result per step: `changes` and `rowid` of
 *   a write, `rows` of a read. A read in a job sees every job submitted before it.
 * If the worker dies, the jobs it held are rejected (their transaction never committed) and the next
 * job starts a new worker.
 *
 * The worker is plain JavaScript evaluated from a string (no TypeScript loader in a worker under vitest),
 * with better-sqlite3 resolved here and passed in; the SQL comes from the stores that own the tables.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { Logger } from '../logger';

const WORKER_SOURCE = `
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
// Per-connection settings, as the main connection has them (journal_mode WAL is the file's own).
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
// Checkpoints are the checkpointer's (wal-checkpointer.ts), never inside one of these commits.
db.pragma('wal_autocheckpoint = 0');
const statements = new Map();
for (const [name, sql] of Object.entries(workerData.statements)) statements.set(name, db.prepare(sql));
const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');
const runJob = (job) => {
  const out = [];
  for (const step of job.steps) {
    const s = statements.get(step.s);
    if (s === undefined) throw new Error('unknown statement ' + step.s);
    if (s.reader) out.push({ rows: s.all(...step.p) });
    else {
      const r = s.run(...step.p);
      out.push({ changes: r.changes, rowid: Number(r.lastInsertRowid) });
    }
  }
  return out;
};
const inOwnTransaction = (job) => {
  try {
    return { id: job.id, ok: true, results: db.transaction(() => runJob(job)).immediate() };
  } catch (e) {
    return { id: job.id, ok: false, error: String((e && e.message) || e) };
  }
};
// Jobs received and not yet committed; the timer commits them once the first has waited commitDelayMs.
let pending = [];
let timer = undefined;
let stopping = false;
// A message is jobs, 'flush' (commit what waits now) or 'stop' (commit what waits, then close).
const take = (m) => {
  if (m === 'stop') stopping = true;
  else if (m !== 'flush') for (const job of m) pending.push(job);
};
const commitPending = () => {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  for (let m = receiveMessageOnPort(parentPort); m !== undefined; m = receiveMessageOnPort(parentPort)) take(m.message);
  const jobs = pending;
  pending = [];
  if (jobs.length > 0) {
    let replies;
    try {
      begin.run();
      replies = jobs.map((job) => ({ id: job.id, ok: true, results: runJob(job) }));
      commit.run();
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      replies = jobs.map(inOwnTransaction);
    }
    parentPort.postMessage(replies);
  }
  if (stopping) {
    db.close();
    parentPort.close();
  }
};
parentPort.on('message', (m) => {
  take(m);
  if (stopping || m === 'flush' || workerData.commitDelayMs === 0) commitPending();
  else if (timer === undefined) timer = setTimeout(commitPending, workerData.commitDelayMs);
});
`;

/** One statement of a job: its name (a key of the writer's statements) and its parameters. */
export interface WriteStep {
  readonly s: string;
  readonly p: readonly unknown[];
}

export interface StepResult {
  readonly changes?: number;
  readonly rowid?: number;
  readonly rows?: unknown[];
}

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly results?: StepResult[];
  readonly error?: string;
}

interface Waiting {
  resolve(results: StepResult[]): void;
  reject(e: Error): void;
}

interface Job {
  readonly id: number;
  readonly steps: readonly WriteStep[];
}

export class SqliteWriter {
  private readonly file: string;
  private readonly statements: Readonly<Record<string, string>>;
  private readonly log: Logger | undefined;
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  /** Jobs submitted in this turn of the event loop, posted together on the next. */
  private outbox: Job[] = [];
  private idle: (() => void)[] = [];
  private stopped = false;

  private readonly commitDelayMs: number;

  /**
   * `statements`: name → SQL, prepared once in the worker. `db` only names the file (a WAL-mode file
   * database). `commitDelayMs`: how long a job may wait for others to commit with (0: none).
   */
  constructor(db: Database.Database, statements: Readonly<Record<string, string>>, o: { log?: Logger; commitDelayMs?: number } = {}) {
    this.file = db.name;
    this.commitDelayMs = o.commitDelayMs ?? 0;
    this.statements = statements;
    this.log = o.log;
  }

  /** Runs the steps as one all-or-nothing job after every job submitted before it. */
  submit(steps: readonly WriteStep[]): Promise<StepResult[]> {
    if (this.stopped) return Promise.reject(new Error('the SQLite writer is stopped'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<StepResult[]>((resolve, reject) => {
      // While a job waits, the worker keeps the process alive; an idle writer does not.
      if (this.waiting.size === 0) worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.outbox.push({ id, steps });
      if (this.outbox.length === 1) setImmediate(this.post);
    });
  }

  private readonly post = (): void => {
    const jobs = this.outbox;
    this.outbox = [];
    if (jobs.length > 0) this.worker?.postMessage(jobs);
  };

  /** Jobs submitted and not yet answered. */
  get pending(): number {
    return this.waiting.size;
  }

  /** Resolves once every job submitted so far has been answered; jobs waiting for a group commit are committed now. */
  drained(): Promise<void> {
    if (this.waiting.size === 0) return Promise.resolve();
    this.post();
    if (this.commitDelayMs > 0) this.worker?.postMessage('flush');
    return new Promise((done) => this.idle.push(done));
  }

  /** Waits for the jobs submitted so far, then closes the worker's connection (before the main one closes). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    await this.drained();
    this.stopped = true;
    const worker = this.worker;
    this.worker = undefined;
    if (worker === undefined) return;
    const exited = new Promise<void>((done) => worker.once('exit', () => done()));
    // Referenced until it exits (an idle writer is not): see WalCheckpointer.stop.
    worker.ref();
    worker.postMessage('stop');
    await exited;
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // It holds one connection and the jobs in flight: a small heap keeps its RSS small.
      resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
      workerData: { file: this.file, driver: createRequire(import.meta.url).resolve('better-sqlite3'), statements: this.statements, commitDelayMs: this.commitDelayMs },
    });
    worker.unref();
    worker.on('message', (replies: Reply[]) => this.answer(replies));
    worker.on('error', (e) => this.lost(worker, e));
    worker.on('exit', (code) => this.lost(worker, new Error(`the SQLite writer's worker exited with ${code}`)));
    this.worker = worker;
    return worker;
  }

  private answer(replies: readonly Reply[]): void {
    for (const r of replies) {
      const w = this.waiting.get(r.id);
      if (w === undefined) continue;
      this.waiting.delete(r.id);
      if (r.ok) w.resolve(r.results ?? []);
      else w.reject(new Error(r.error ?? 'write failed'));
    }
    this.settle();
  }

  /** The worker is gone: what it held never committed, so its callers hear so; the next job starts a new one. */
  private lost(worker: Worker, e: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.outbox = [];
    if (this.stopped) return;
    this.log?.error({ err: e, jobs: this.waiting.size }, 'SQLite writer worker failed');
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) w.reject(e);
    this.settle();
  }

  private settle(): void {
    if (this.waiting.size > 0) return;
    this.worker?.unref();
    for (const done of this.idle.splice(0)) done();
  }
}
