/**
 * The relay's persistence (persistence.ts) in the server's SQLite file, written from the SQLite
 * writer's worker (sqlite-writer.ts): an update's append and the projection of the facts it added are
 * one job, so one transaction, and under load one commit serves the jobs that arrived meanwhile. The
 * relay's event loop only posts jobs and hears back; the commits, the index updates and the WAL writes
 * run on another thread.
 */
import type Database from 'better-sqlite3';
import type { Logger } from '../logger';
import { FACT_INSERT_SQL, factInsertParams } from '../store/sqlite-fact-store';
import { QUARANTINE_INSERT_SQL, quarantineInsertParams } from '../store/sqlite-fact-quarantine';
import { SqliteWriter, type StepResult, type WriteStep } from '../store/sqlite-writer';
import type { AppendResult, ProjectionWrite, RoomPersistence, StoredLog } from './persistence';
import { ROOM_LOG_SQL, storedLogOf } from './sqlite-room-store';

const STATEMENTS = {
  append: ROOM_LOG_SQL.append,
  load: ROOM_LOG_SQL.load,
  clear: ROOM_LOG_SQL.clear,
  fact: FACT_INSERT_SQL,
  quarantine: QUARANTINE_INSERT_SQL,
};

function projectionSteps(steps: WriteStep[], p: ProjectionWrite): void {
  for (const f of p.facts) steps.push({ s: 'fact', p: factInsertParams(p.portfolioId, f, p.receivedAt, p.receivedBy) });
  for (const q of p.quarantined) steps.push({ s: 'quarantine', p: quarantineInsertParams(q) });
}

/** Facts written by a job's fact steps (a fact already stored counts 0). */
function projectedOf(steps: readonly WriteStep[], results: readonly StepResult[]): number {
  let n = 0;
  for (let i = 0; i < steps.length; i++) if (steps[i]?.s === 'fact') n += results[i]?.changes ?? 0;
  return n;
}

export class WorkerRoomStore implements RoomPersistence {
  readonly writer: SqliteWriter;

  constructor(db: Database.Database, o: { log?: Logger } = {}) {
    this.writer = new SqliteWriter(db, STATEMENTS, o);
  }

  async load(room: string): Promise<StoredLog> {
    const [r] = await this.writer.submit([{ s: 'load', p: [room] }]);
    return storedLogOf((r?.rows ?? []) as { data: Uint8Array }[]);
  }

  async append(room: string, update: Uint8Array, projection?: ProjectionWrite): Promise<AppendResult> {
    const steps: WriteStep[] = [{ s: 'append', p: [room, update] }];
    if (projection !== undefined) projectionSteps(steps, projection);
    const results = await this.writer.submit(steps);
    return { projected: projection === undefined ? 0 : projectedOf(steps, results) };
  }

  async compact(room: string, snapshot: Uint8Array): Promise<void> {
    await this.writer.submit([
      { s: 'clear', p: [room] },
      { s: 'append', p: [room, snapshot] },
    ]);
  }

  async project(projection: ProjectionWrite): Promise<{ projected: number }> {
    const steps: WriteStep[] = [];
    projectionSteps(steps, projection);
    if (steps.length === 0) return { projected: 0 };
    return { projected: projectedOf(steps, await this.writer.submit(steps)) };
  }

  drained(): Promise<void> {
    return this.writer.drained();
  }

  /** Waits for what is queued, then closes the worker's connection. */
  stop(): Promise<void> {
    return this.writer.stop();
  }
}
