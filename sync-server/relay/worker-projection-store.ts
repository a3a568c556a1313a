/**
 * The projector's writes (projector.ts) into the server's SQLite file, from the SQLite writer's worker
 * (sqlite-writer.ts): the fact store's inserts and their index updates, and the quarantine's, run on
 * another thread, and under load one commit serves every projection that arrived meanwhile. The relay's
 * event loop only posts the rows and hears back.
 */
import type Database from 'better-sqlite3';
import type { Logger } from '../logger';
import { FACT_INSERT_SQL, factInsertParams } from '../store/sqlite-fact-store';
import { QUARANTINE_INSERT_SQL, quarantineInsertParams } from '../store/sqlite-fact-quarantine';
import { SqliteWriter, type WriteStep } from '../store/sqlite-writer';
import type { ProjectionStore, ProjectionWrite } from './persistence';

const STATEMENTS = { fact: FACT_INSERT_SQL, quarantine: QUARANTINE_INSERT_SQL };

export class WorkerProjectionStore implements ProjectionStore {
  readonly writer: SqliteWriter;

  constructor(db: Database.Database, o: { log?: Logger } = {}) {
    this.writer = new SqliteWriter(db, STATEMENTS, o);
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
