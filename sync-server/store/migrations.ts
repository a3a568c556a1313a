/**
 * Forward-only schema migrations of the server's SQLite store. A migration is never edited once it has
 * shipped: a change is a new entry. Ids sort by date so the order is the order they were written.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  readonly id: string;
  readonly sql: string;
}

/** Applies, each in its own transaction, the migrations of `list` the file has not had yet; returns their ids. */
export function applyMigrations(db: Database.Database, list: readonly Migration[]): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const done = new Set(db.prepare<[], { id: string }>('SELECT id FROM schema_migrations').all().map((r) => r.id));
  const applied: string[] = [];
  for (const m of list) {
    if (done.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(m.id, new Date().toISOString());
    })();
    applied.push(m.id);
  }
  return applied;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: '2026-11-24-01-ledger',
    sql: `
      CREATE TABLE portfolios (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      -- seq is the change cursor: every write of a row takes the next value of meta.seq, so a device
      -- that holds everything up to N asks for seq > N and gets exactly what changed.
      CREATE TABLE accounts (
        portfolio_id TEXT NOT NULL REFERENCES portfolios(id),
        number TEXT NOT NULL,
        name TEXT NOT NULL,
        segment TEXT NOT NULL,
        tags TEXT NOT NULL,
        credit_limit_minor INTEGER,
        credit_limit_currency TEXT,
        risk_grade TEXT,
        time_zone TEXT NOT NULL,
        language TEXT NOT NULL,
        restrictions TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (portfolio_id, number)
      ) WITHOUT ROWID;
      CREATE INDEX accounts_seq ON accounts (portfolio_id, seq);

      CREATE TABLE contacts (
        portfolio_id TEXT NOT NULL REFERENCES portfolios(id),
        id TEXT NOT NULL,
        account_number TEXT NOT NULL,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        is_primary INTEGER NOT NULL,
        channels TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (portfolio_id, id)
      ) WITHOUT ROWID;
      CREATE INDEX contacts_seq ON contacts (portfolio_id, seq);

      CREATE TABLE documents (
        portfolio_id TEXT NOT NULL REFERENCES portfolios(id),
        account_number TEXT NOT NULL,
        number TEXT NOT NULL,
        kind TEXT NOT NULL,
        issue_date TEXT NOT NULL,
        due_date TEXT NOT NULL,
        currency TEXT NOT NULL,
        original_minor INTEGER NOT NULL,
        open_minor INTEGER NOT NULL,
        status TEXT NOT NULL,
        paid_date TEXT,
        erp_disputed INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (portfolio_id, account_number, number)
      ) WITHOUT ROWID;
      CREATE INDEX documents_seq ON documents (portfolio_id, seq);

      CREATE TABLE payments (
        portfolio_id TEXT NOT NULL REFERENCES portfolios(id),
        id TEXT NOT NULL,
        account_number TEXT NOT NULL,
        received_date TEXT NOT NULL,
        currency TEXT NOT NULL,
        amount_minor INTEGER NOT NULL,
        method TEXT NOT NULL,
        reference TEXT NOT NULL,
        allocations TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (portfolio_id, id)
      ) WITHOUT ROWID;
      CREATE INDEX payments_seq ON payments (portfolio_id, seq);

      CREATE TABLE imports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        portfolio_id TEXT NOT NULL REFERENCES portfolios(id),
        at TEXT NOT NULL,
        source TEXT NOT NULL,
        mapping TEXT NOT NULL,
        as_of TEXT,
        full_extract INTEGER NOT NULL,
        rows INTEGER NOT NULL,
        inserted INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        unchanged INTEGER NOT NULL,
        closed INTEGER NOT NULL,
        rejected INTEGER NOT NULL
      );

      CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO meta (key, value) VALUES ('seq', 0);
    `,
  },
  {
    id: '2026-11-24-02-facts',
    sql: `
      -- Team facts as the server knows them: the projection of accepted facts (the relay writes here
      -- from the team-sync issue on; the demo seeds it). Keyed by the fact's ULID, so projecting the
      -- same fact twice is a no-op. The body is the fact as validated on the way in.
      CREATE TABLE facts (
        portfolio_id TEXT NOT NULL REFERENCES portfolios(id),
        id TEXT NOT NULL,
        account_number TEXT NOT NULL,
        type TEXT NOT NULL,
        at TEXT NOT NULL,
        by_user TEXT NOT NULL,
        device_id TEXT NOT NULL,
        body TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (portfolio_id, id)
      ) WITHOUT ROWID;
      CREATE INDEX facts_account ON facts (portfolio_id, account_number, at);
      CREATE INDEX facts_type ON facts (portfolio_id, type, at);
    `,
  },
  {
    id: '2026-11-24-03-users',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('collector', 'manager', 'viewer', 'admin')),
        password_hash TEXT,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      -- A team works some portfolios; a user sees the portfolios of the teams they belong to.
      CREATE TABLE teams (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE team_portfolios (
        team_id TEXT NOT NULL REFERENCES teams(id),
        portfolio_id TEXT NOT NULL,
        PRIMARY KEY (team_id, portfolio_id)
      ) WITHOUT ROWID;
      CREATE TABLE team_members (
        team_id TEXT NOT NULL REFERENCES teams(id),
        user_id TEXT NOT NULL REFERENCES users(id),
        PRIMARY KEY (team_id, user_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    id: '2026-11-24-04-relay',
    sql: `
      -- The relay's rooms: each room's Yjs updates in the order they were accepted; compaction replaces
      -- a room's rows with one merged update. AUTOINCREMENT so a seq is never reused after a compaction.
      CREATE TABLE room_updates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        room TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX room_updates_room ON room_updates (room, seq);
      -- Who sent a fact the relay projected (null for facts that came another way: the demo, imports).
      ALTER TABLE facts ADD COLUMN received_by TEXT;
      -- The archive of a month reads facts by time.
      CREATE INDEX facts_at ON facts (portfolio_id, at);
      -- Fact map entries the projector refused: kept for a person to look at, never applied.
      CREATE TABLE fact_quarantine (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        portfolio_id TEXT NOT NULL,
        room TEXT NOT NULL,
        key TEXT NOT NULL,
        reason TEXT NOT NULL,
        detail TEXT NOT NULL,
        body TEXT,
        received_at TEXT NOT NULL,
        received_by TEXT NOT NULL
      );
      CREATE INDEX fact_quarantine_portfolio ON fact_quarantine (portfolio_id, id);
    `,
  },
  {
    id: '2026-11-25-01-ledger-history',
    sql: `
      -- An account's history read on demand by a device (GET /api/portfolios/:id/accounts/:number/history):
      -- its payments without a scan of the portfolio's.
      CREATE INDEX payments_account ON payments (portfolio_id, account_number, received_date);
    `,
  },
  {
    id: '2026-11-27-01-facts-type-index',
    sql: `
      -- No query reads facts by type (the fact store reads by portfolio, account, id or time), and
      -- every projected fact paid for this index: one more B-tree page written per fact, to the WAL
      -- and again by the checkpoint.
      DROP INDEX IF EXISTS facts_type;
    `,
  },
];
