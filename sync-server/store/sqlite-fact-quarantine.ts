import type Database from 'better-sqlite3';

/** A fact map entry the projector refused, with why; kept for a person to look at. */
export interface QuarantinedFact {
  readonly portfolioId: string;
  readonly room: string;
  readonly key: string;
  /** `invalid` (schema), `id_mismatch`, `wrong_portfolio`, `not_json`, `overwritten`. */
  readonly reason: string;
  readonly detail: string;
  /** The entry as JSON, or null when it was not JSON (a nested Yjs type). */
  readonly body: string | null;
  readonly receivedAt: string;
  readonly receivedBy: string;
}

export interface FactQuarantine {
  add(entries: readonly QuarantinedFact[]): void;
  list(portfolioId: string): QuarantinedFact[];
  /** The keys of a room already quarantined (the relay's catch-up does not refuse them twice). */
  keysOf(room: string): Set<string>;
}

/** The insert of one refused entry; exported with its parameters for the relay's projection (sqlite-writer.ts). */
export const QUARANTINE_INSERT_SQL = 'INSERT INTO fact_quarantine (portfolio_id, room, key, reason, detail, body, received_at, received_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

export function quarantineInsertParams(e: QuarantinedFact): unknown[] {
  return [e.portfolioId, e.room, e.key, e.reason, e.detail, e.body, e.receivedAt, e.receivedBy];
}

interface Row {
  portfolio_id: string;
  room: string;
  key: string;
  reason: string;
  detail: string;
  body: string | null;
  received_at: string;
  received_by: string;
}

/** The quarantine in the server's SQLite file (table `fact_quarantine`, migration 04). */
export class SqliteFactQuarantine implements FactQuarantine {
  private readonly db: Database.Database;
  private readonly insert;
  private readonly select;
  private readonly selectKeys;

  constructor(db: Database.Database) {
    this.db = db;
    this.insert = db.prepare(QUARANTINE_INSERT_SQL);
    this.select = db.prepare<[string], Row>('SELECT * FROM fact_quarantine WHERE portfolio_id = ? ORDER BY id');
    this.selectKeys = db.prepare<[string], string>('SELECT key FROM fact_quarantine WHERE room = ?').pluck();
  }

  add(entries: readonly QuarantinedFact[]): void {
    this.db.transaction(() => {
      for (const e of entries) this.insert.run(...quarantineInsertParams(e));
    })();
  }

  keysOf(room: string): Set<string> {
    return new Set(this.selectKeys.all(room));
  }

  list(portfolioId: string): QuarantinedFact[] {
    return this.select.all(portfolioId).map((r) => ({
      portfolioId: r.portfolio_id,
      room: r.room,
      key: r.key,
      reason: r.reason,
      detail: r.detail,
      body: r.body,
      receivedAt: r.received_at,
      receivedBy: r.received_by,
    }));
  }
}
