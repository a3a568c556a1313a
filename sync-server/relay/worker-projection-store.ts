/**
 * The projector's writes (projector.ts) into the server's SQLite file, from the SQLite writer's worker
 * (sqlite-writer.ts): the fact store's inserts and their index updates, and the quarantine's, run on
 * another thread, and one commit a second serves every projection that arrived meanwhile. The relay's
 * event loop only posts the rows and hears back.
 */
import type Database from 'better-sqlite3';
import type { Logger } from '../logger';
import { FACT_INSERT_SQL, factInsertParams } from '../store/sqlite-fact-store';
import { QUARANTINE_INSERT_SQL, quarantineInsertParams } from '../store/sqlite-fact-quarantine';
import { SqliteWriter, type WriteStep } from '../store/sqlite-writer';
import type { ProjectionStore, ProjectionWrite } from './persistence';

const STATEMENTS = { fact: FACT_INSERT_SQL, quarantine: QUARANTINE_INSERT_SQL };

/**
 * How long projected facts wait in the worker to be committed together. At ~1,000 facts/s over 200
 * portfolios, a commit every 20 ms wrote each fact's pages of the table and its indexes on their own
 * (about one page per B-tree per fact, each to the WAL and again by the checkpoint); a commit a second
 * shares a portfolio's pages among its facts of that second. In three interleaved pairs of relay bench
 * runs (2026-11-24) the server's CPU per update was 290–302 µs with it, 325–332 µs without (docs/sync.md,
 * "Where the relay's time goes"). A fact reaches the fact store (reports, the ERP export, the month's
 * archive) within about a second; one lost with the process is projected again when its room next
 * loads (projector.ts, `catchUp`).
 */
export const PROJECTION_COMMIT_DELAY_MS = 1000;

export class WorkerProjectionStore implements ProjectionStore {
  readonly writer: SqliteWriter;

  constructor(db: Database.Database, o: { log?: Logger } = {}) {
    this.writer = new SqliteWriter(db, STATEMENTS, { ...o, commitDelayMs: PROJECTION_COMMIT_DELAY_MS });
  }

  async project(p: ProjectionWrite): Promise<{ projected: number }> {
    const steps: WriteStep[] = [];
    for (const f of p.facts) steps.push({ s: 'fact', p: factInsertParams(p.portfolioId, f, p.receivedAt, p.receivedBy) });
    for (const q of p.quarantined) steps.push({ s: 'quarantine', p: quarantineInsertParams(q) });
    if (steps.length === 0) return { projected: 0 };
    const results = await this.writer.submit(steps);
    let projected = 0;
    // The fact steps come first; a fact already stored changes nothing.
    for (let i = 0; i < p.facts.length; i++) projected += results[i]?.changes ?? 0;
    return { projected };
  }

  drained(): Promise<void> {
    return this.writer.drained();
  }

  /** Waits for what is queued, then closes the worker's connection. */
  stop(): Promise<void> {
    return this.writer.stop();
  }
}
