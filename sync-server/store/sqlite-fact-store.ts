import type Database from 'better-sqlite3';
import { factSchema, type Fact } from '../../src/domain/facts';
import { shiftPeriod } from '../../src/protocol/rooms';
import type { FactStore } from './fact-store';

/**
 * The insert of one fact, idempotent by (portfolio, id). Exported with its parameters for the relay's
 * projection, which writes facts from the SQLite writer's worker (worker-projection-store.ts).
 */
export const FACT_INSERT_SQL = `INSERT INTO facts (portfolio_id, id, account_number, type, at, by_user, device_id, body, received_at, received_by)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (portfolio_id, id) DO NOTHING`;

/** FACT_INSERT_SQL's parameters for a fact already validated with factSchema. */
export function factInsertParams(portfolioId: string, f: Fact, receivedAt: string, receivedBy: string | undefined): unknown[] {
  return [portfolioId, f.id, f.accountNumber, f.type, f.at, f.by, f.deviceId, JSON.stringify(f), receivedAt, receivedBy ?? null];
}

/**
 * Every read of the fact store. Each goes through an index (tested), and the table has no index that
 * none of them uses: every projected fact writes each index's page.
 */
export const FACT_READ_SQL = {
  all: 'SELECT body FROM facts WHERE portfolio_id = ? ORDER BY at, id',
  byAccount: 'SELECT body FROM facts WHERE portfolio_id = ? AND account_number = ? ORDER BY at, id',
  has: 'SELECT 1 FROM facts WHERE portfolio_id = ? AND id = ?',
  count: 'SELECT count(*) FROM facts WHERE portfolio_id = ?',
  byTime: 'SELECT body FROM facts WHERE portfolio_id = ? AND at >= ? AND at < ? ORDER BY at, id',
} as const;

/**
 * Facts in the same SQLite file as the ledger. Bodies are validated with zod on the way in and trusted on
 * the way out: this table is written only through `put`, and re-parsing 200k facts on every worklist
 * would cost more than the worklist itself.
 */
export class SqliteFactStore implements FactStore {
  private readonly insert;
  private readonly all;
  private readonly byAccount;
  private readonly counter;
  private readonly byTime;
  private readonly has;
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
    this.insert = db.prepare(FACT_INSERT_SQL);
    this.all = db.prepare<[string], string>(FACT_READ_SQL.all).pluck();
    this.byAccount = db.prepare<[string, string], string>(FACT_READ_SQL.byAccount).pluck();
    this.has = db.prepare<[string, string], number>(FACT_READ_SQL.has).pluck();
    this.counter = db.prepare<[string], number>(FACT_READ_SQL.count).pluck();
    this.byTime = db.prepare<[string, string, string], string>(FACT_READ_SQL.byTime).pluck();
  }

  put(portfolioId: string, facts: readonly Fact[], receivedAt: string, receivedBy?: string): { inserted: number } {
    const parsed = facts.map((f, i) => {
      const r = factSchema.safeParse(f);
      if (!r.success) throw new RangeError(`fact ${i} (${String((f as { id?: unknown }).id)}): ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`);
      if (r.data.portfolioId !== portfolioId) throw new RangeError(`fact ${r.data.id} belongs to portfolio ${r.data.portfolioId}, not ${portfolioId}`);
      return r.data;
    });
    const run = this.db.transaction(() => {
      let inserted = 0;
      for (const f of parsed) inserted += this.insert.run(...factInsertParams(portfolioId, f, receivedAt, receivedBy)).changes;
      return { inserted };
    });
    return run.immediate();
  }

  missingIds(portfolioId: string, ids: readonly string[]): string[] {
    // One primary-key probe per id, in one read transaction: a month room holds some thousands.
    return this.db.transaction(() => ids.filter((id) => this.has.get(portfolioId, id) === undefined))();
  }

  list(portfolioId: string, accountNumber?: string): Fact[] {
    const rows = accountNumber === undefined ? this.all.all(portfolioId) : this.byAccount.all(portfolioId, accountNumber);
    return rows.map((body) => JSON.parse(body) as Fact);
  }

  listPeriod(portfolioId: string, period: string): Fact[] {
    // Instants sort as strings, and every instant of month M starts with "M-": [M, next M) is the month.
    return this.byTime.all(portfolioId, period, shiftPeriod(period, 1)).map((body) => JSON.parse(body) as Fact);
  }

  count(portfolioId: string): number {
    return this.counter.get(portfolioId) ?? 0;
  }
}
