/**
 * The projector's writes (projector.ts) into the server's SQLite file, from the SQLite writer's worker
 * (sqlite-writer.ts): the worker validates the posted entries (projection-plan.ts, the writer's planner)
 * and runs the fact store's inserts and the quarantine's on its own thread, and under load one commit
 * serves every projection that arrived meanwhile. The relay's event loop only posts the entries and
 * hears back.
 */
import type Database from 'better-sqlite3';
import type { Logger } from '../logger';
import { SqliteWriter } from '../store/sqlite-writer';
import type { ProjectionStore } from './persistence';
import { PROJECTION_STATEMENTS, type ProjectionJob, type ProjectionNote } from './projection-plan';

/** The planner the writer's worker loads: this folder's projection-plan.ts. */
const PLANNER = new URL('./projection-plan.ts', import.meta.url).href;

export class WorkerProjectionStore implements ProjectionStore {
  readonly writer: SqliteWriter;

  constructor(db: Database.Database, o: { log?: Logger } = {}) {
    this.writer = new SqliteWriter(db, PROJECTION_STATEMENTS, { ...o, planner: PLANNER });
  }

  async project(job: ProjectionJob): Promise<{ projected: number; quarantined: readonly string[] }> {
    if (job.entries.length === 0) return { projected: 0, quarantined: [] };
    const { results, note: planned } = await this.writer.submitPlan(job);
    // The planner is projection-plan.ts: its note is a ProjectionNote.
    const note = planned as ProjectionNote;
    let projected = 0;
    // The fact steps come first; a fact already stored changes nothing.
    for (let i = 0; i < note.facts; i++) projected += results[i]?.changes ?? 0;
    return { projected, quarantined: note.quarantined };
  }

  drained(): Promise<void> {
    return this.writer.drained();
  }

  /** Waits for what is queued, then closes the worker's connection. */
  stop(): Promise<void> {
    return this.writer.stop();
  }
}
