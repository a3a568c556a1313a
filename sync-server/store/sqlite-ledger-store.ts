/**
 * The embedded ledger store: SQLite through better-sqlite3 in WAL mode, one file in DATA_DIR.
 *
 * Change cursor: `meta.seq` is bumped once per commit and every row written by that commit carries it.
 * A device that has applied everything up to cursor N asks for rows with seq > N. Unchanged rows of a
 * re-import are not rewritten (the upsert's WHERE compares every column), so they keep their old seq and
 * a daily re-import of a 100k-row extract sends a device only the rows that really changed.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CalendarDate } from '../../src/domain/calendar';
import type { CurrencyCode, Minor } from '../../src/domain/money';
import type {
  Account,
  Allocation,
  CollectionsContact,
  ContactChannel,
  DoNotContact,
  Ledger,
  LedgerDocument,
  Payment,
  Portfolio,
  RiskGrade,
} from '../../src/domain/ledger';
import { applyMigrations, MIGRATIONS } from './migrations';
import {
  LedgerPageError,
  type AccountHistory,
  type CommitOptions,
  type CommitSummary,
  type LedgerBatch,
  type LedgerDelta,
  type LedgerPage,
  type LedgerPageRequest,
  type LedgerStore,
} from './ledger-store';

type Db = Database.Database;

interface AccountRow {
  portfolio_id: string;
  number: string;
  name: string;
  segment: string;
  tags: string;
  credit_limit_minor: number | null;
  credit_limit_currency: string | null;
  risk_grade: string | null;
  time_zone: string;
  language: string;
  restrictions: string;
}

interface ContactRow {
  portfolio_id: string;
  id: string;
  account_number: string;
  name: string;
  role: CollectionsContact['role'];
  is_primary: number;
  channels: string;
}

interface DocumentRow {
  portfolio_id: string;
  account_number: string;
  number: string;
  kind: LedgerDocument['kind'];
  issue_date: string;
  due_date: string;
  currency: string;
  original_minor: number;
  open_minor: number;
  status: LedgerDocument['status'];
  paid_date: string | null;
  erp_disputed: number;
}

interface PaymentRow {
  portfolio_id: string;
  id: string;
  account_number: string;
  received_date: string;
  currency: string;
  amount_minor: number;
  method: Payment['method'];
  reference: string;
  allocations: string;
}

export function migrate(db: Db): string[] {
  return applyMigrations(db, MIGRATIONS);
}

export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function accountToRow(portfolioId: string, a: Account): AccountRow {
  return {
    portfolio_id: portfolioId,
    number: a.number,
    name: a.name,
    segment: a.segment,
    tags: JSON.stringify(a.tags),
    credit_limit_minor: a.creditLimit?.amount ?? null,
    credit_limit_currency: a.creditLimit?.currency ?? null,
    risk_grade: a.riskGrade ?? null,
    time_zone: a.timeZone,
    language: a.language,
    restrictions: JSON.stringify(a.restrictions),
  };
}

function rowToAccount(r: AccountRow): Account {
  const a: Account = {
    portfolioId: r.portfolio_id,
    number: r.number,
    name: r.name,
    segment: r.segment,
    tags: JSON.parse(r.tags) as string[],
    timeZone: r.time_zone,
    language: r.language,
    restrictions: JSON.parse(r.restrictions) as DoNotContact,
  };
  if (r.credit_limit_minor !== null && r.credit_limit_currency !== null)
    a.creditLimit = { amount: r.credit_limit_minor as Minor, currency: r.credit_limit_currency as CurrencyCode };
  if (r.risk_grade !== null) a.riskGrade = r.risk_grade as RiskGrade;
  return a;
}

function contactToRow(portfolioId: string, c: CollectionsContact): ContactRow {
  return {
    portfolio_id: portfolioId,
    id: c.id,
    account_number: c.accountNumber,
    name: c.name,
    role: c.role,
    is_primary: c.primary ? 1 : 0,
    channels: JSON.stringify(c.channels),
  };
}

function rowToContact(r: ContactRow): CollectionsContact {
  return {
    portfolioId: r.portfolio_id,
    id: r.id,
    accountNumber: r.account_number,
    name: r.name,
    role: r.role,
    primary: r.is_primary === 1,
    channels: JSON.parse(r.channels) as ContactChannel[],
  };
}

function documentToRow(portfolioId: string, d: LedgerDocument): DocumentRow {
  return {
    portfolio_id: portfolioId,
    account_number: d.accountNumber,
    number: d.number,
    kind: d.kind,
    issue_date: d.issueDate,
    due_date: d.dueDate,
    currency: d.currency,
    original_minor: d.original,
    open_minor: d.open,
    status: d.status,
    paid_date: d.paidDate ?? null,
    erp_disputed: d.erpDisputed ? 1 : 0,
  };
}

function rowToDocument(r: DocumentRow): LedgerDocument {
  const d: LedgerDocument = {
    portfolioId: r.portfolio_id,
    accountNumber: r.account_number,
    number: r.number,
    kind: r.kind,
    issueDate: r.issue_date as CalendarDate,
    dueDate: r.due_date as CalendarDate,
    currency: r.currency as CurrencyCode,
    original: r.original_minor as Minor,
    open: r.open_minor as Minor,
    status: r.status,
    erpDisputed: r.erp_disputed === 1,
  };
  if (r.paid_date !== null) d.paidDate = r.paid_date as CalendarDate;
  return d;
}

function paymentToRow(portfolioId: string, p: Payment): PaymentRow {
  return {
    portfolio_id: portfolioId,
    id: p.id,
    account_number: p.accountNumber,
    received_date: p.receivedDate,
    currency: p.currency,
    amount_minor: p.amount,
    method: p.method,
    reference: p.reference,
    allocations: JSON.stringify(p.allocations),
  };
}

function rowToPayment(r: PaymentRow): Payment {
  return {
    portfolioId: r.portfolio_id,
    id: r.id,
    accountNumber: r.account_number,
    receivedDate: r.received_date as CalendarDate,
    currency: r.currency as CurrencyCode,
    amount: r.amount_minor as Minor,
    method: r.method,
    reference: r.reference,
    allocations: JSON.parse(r.allocations) as Allocation[],
  };
}

/** `INSERT … ON CONFLICT DO UPDATE … WHERE <some column differs>`: an unchanged row is left alone. */
function upsertSql(table: string, key: readonly string[], columns: readonly string[]): string {
  const all = [...key, ...columns, 'seq'];
  const set = [...columns, 'seq'].map((c) => `${c} = excluded.${c}`).join(', ');
  const differs = columns.map((c) => `${table}.${c} IS NOT excluded.${c}`).join(' OR ');
  return `INSERT INTO ${table} (${all.join(', ')}) VALUES (${all.map((c) => `@${c}`).join(', ')})
    ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${set} WHERE ${differs}`;
}

/**
 * The tables of a paged pull, in page order, with their keys (the order rows are paged in) and what a
 * `device` snapshot keeps. A continuation key is `<table>:<JSON array of the last row's key>`.
 */
const PAGE_TABLES = [
  { table: 'accounts', key: ['number'], device: null },
  { table: 'contacts', key: ['id'], device: null },
  { table: 'documents', key: ['account_number', 'number'], device: "status = 'open' OR coalesce(paid_date, due_date) >= @from" },
  { table: 'payments', key: ['id'], device: 'received_date >= @from' },
] as const;
type PageTable = (typeof PAGE_TABLES)[number]['table'];

function pageSql(t: (typeof PAGE_TABLES)[number], delta: boolean, after: boolean, device: boolean): string {
  const where = ['portfolio_id = @portfolio'];
  if (delta) where.push('seq > @since');
  if (after) where.push(`(${t.key.join(', ')}) > (${t.key.map((_, i) => `@k${i}`).join(', ')})`);
  if (device && t.device !== null) where.push(`(${t.device})`);
  return `SELECT * FROM ${t.table} WHERE ${where.join(' AND ')} ORDER BY ${t.key.join(', ')} LIMIT @limit`;
}

function parseAfter(after: string): { index: number; key: string[] } {
  const colon = after.indexOf(':');
  const index = PAGE_TABLES.findIndex((t) => t.table === after.slice(0, colon));
  const table = PAGE_TABLES[index];
  let key: unknown;
  try {
    key = JSON.parse(after.slice(colon + 1));
  } catch {
    key = undefined;
  }
  if (table === undefined || !Array.isArray(key) || key.length !== table.key.length || !key.every((k) => typeof k === 'string'))
    throw new LedgerPageError('bad_after', 'after must be the next of an earlier page');
  return { index, key };
}

const ACCOUNT_COLUMNS = ['name', 'segment', 'tags', 'credit_limit_minor', 'credit_limit_currency', 'risk_grade', 'time_zone', 'language', 'restrictions'] as const;
const CONTACT_COLUMNS = ['account_number', 'name', 'role', 'is_primary', 'channels'] as const;
const DOCUMENT_COLUMNS = ['kind', 'issue_date', 'due_date', 'currency', 'original_minor', 'open_minor', 'status', 'paid_date', 'erp_disputed'] as const;
const PAYMENT_COLUMNS = ['account_number', 'received_date', 'currency', 'amount_minor', 'method', 'reference', 'allocations'] as const;

export class SqliteLedgerStore implements LedgerStore {
  readonly db: Db;
  private readonly statements;

  constructor(file: string) {
    this.db = openDatabase(file);
    const db = this.db;
    this.statements = {
      upsertAccount: db.prepare(upsertSql('accounts', ['portfolio_id', 'number'], ACCOUNT_COLUMNS)),
      upsertContact: db.prepare(upsertSql('contacts', ['portfolio_id', 'id'], CONTACT_COLUMNS)),
      upsertDocument: db.prepare(upsertSql('documents', ['portfolio_id', 'account_number', 'number'], DOCUMENT_COLUMNS)),
      upsertPayment: db.prepare(upsertSql('payments', ['portfolio_id', 'id'], PAYMENT_COLUMNS)),
      nextSeq: db.prepare<[], { value: number }>("UPDATE meta SET value = value + 1 WHERE key = 'seq' RETURNING value"),
      seq: db.prepare<[], { value: number }>("SELECT value FROM meta WHERE key = 'seq'"),
      accountsSince: db.prepare<[string, number], AccountRow>('SELECT * FROM accounts WHERE portfolio_id = ? AND seq > ? ORDER BY number'),
      contactsSince: db.prepare<[string, number], ContactRow>('SELECT * FROM contacts WHERE portfolio_id = ? AND seq > ? ORDER BY id'),
      documentsSince: db.prepare<[string, number], DocumentRow>(
        'SELECT * FROM documents WHERE portfolio_id = ? AND seq > ? ORDER BY account_number, number',
      ),
      paymentsSince: db.prepare<[string, number], PaymentRow>('SELECT * FROM payments WHERE portfolio_id = ? AND seq > ? ORDER BY id'),
      accountDocuments: db.prepare<[string, string], DocumentRow>('SELECT * FROM documents WHERE portfolio_id = ? AND account_number = ? ORDER BY number'),
      accountPayments: db.prepare<[string, string], PaymentRow>(
        'SELECT * FROM payments WHERE portfolio_id = ? AND account_number = ? ORDER BY received_date, id',
      ),
      existingAccounts: db.prepare<[string], { k: string }>('SELECT number AS k FROM accounts WHERE portfolio_id = ?').pluck(),
      existingContacts: db.prepare<[string], { k: string }>('SELECT id AS k FROM contacts WHERE portfolio_id = ?').pluck(),
      existingDocuments: db
        .prepare<[string], { k: string }>("SELECT account_number || char(0) || number AS k FROM documents WHERE portfolio_id = ?")
        .pluck(),
      existingPayments: db.prepare<[string], { k: string }>('SELECT id AS k FROM payments WHERE portfolio_id = ?').pluck(),
      portfolio: db.prepare<[string], Portfolio>('SELECT id, name FROM portfolios WHERE id = ?'),
      portfolios: db.prepare<[], Portfolio>('SELECT id, name FROM portfolios ORDER BY id'),
      insertPortfolio: db.prepare('INSERT INTO portfolios (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name'),
      insertImport: db.prepare(`INSERT INTO imports (portfolio_id, at, source, mapping, as_of, full_extract, rows, inserted, updated, unchanged, closed, rejected)
        VALUES (@portfolio_id, @at, @source, @mapping, @as_of, @full_extract, @rows, @inserted, @updated, @unchanged, @closed, @rejected)`),
    };
  }

  ensurePortfolio(portfolio: Portfolio): void {
    this.statements.insertPortfolio.run(portfolio.id, portfolio.name, new Date().toISOString());
  }

  getPortfolio(id: string): Portfolio | undefined {
    return this.statements.portfolio.get(id);
  }

  listPortfolios(): Portfolio[] {
    return this.statements.portfolios.all();
  }

  commit(portfolioId: string, batch: LedgerBatch, options: CommitOptions): CommitSummary {
    const s = this.statements;
    const run = this.db.transaction((): CommitSummary => {
      if (!this.getPortfolio(portfolioId)) throw new Error(`unknown portfolio ${portfolioId}`);
      const seq = s.nextSeq.get()?.value ?? 0;
      let inserted = 0;
      let updated = 0;
      let unchanged = 0;
      const tally = (existing: Set<unknown>, key: string, changes: number) => {
        if (!existing.has(key)) inserted++;
        else if (changes > 0) updated++;
        else unchanged++;
      };
      const accounts = new Set<unknown>(s.existingAccounts.all(portfolioId));
      for (const a of batch.accounts) tally(accounts, a.number, s.upsertAccount.run({ ...accountToRow(portfolioId, a), seq }).changes);
      const contacts = new Set<unknown>(s.existingContacts.all(portfolioId));
      for (const c of batch.contacts ?? []) tally(contacts, c.id, s.upsertContact.run({ ...contactToRow(portfolioId, c), seq }).changes);
      const documents = new Set<unknown>(s.existingDocuments.all(portfolioId));
      for (const d of batch.documents)
        tally(documents, `${d.accountNumber}\u0000${d.number}`, s.upsertDocument.run({ ...documentToRow(portfolioId, d), seq }).changes);
      const payments = new Set<unknown>(s.existingPayments.all(portfolioId));
      for (const p of batch.payments) tally(payments, p.id, s.upsertPayment.run({ ...paymentToRow(portfolioId, p), seq }).changes);

      let closed = 0;
      if (options.full) closed = this.closeMissing(portfolioId, batch, options.asOf, seq);
      const importId = Number(
        s.insertImport.run({
          portfolio_id: portfolioId,
          at: new Date().toISOString(),
          source: options.source,
          mapping: options.mapping,
          as_of: options.asOf,
          full_extract: options.full ? 1 : 0,
          rows: options.rows,
          inserted,
          updated,
          unchanged,
          closed,
          rejected: options.rejected,
        }).lastInsertRowid,
      );
      return { importId, inserted, updated, unchanged, closed, cursor: seq };
    });
    return run.immediate();
  }

  /** Closes the open documents of the portfolio that a full extract does not list. */
  private closeMissing(portfolioId: string, batch: LedgerBatch, asOf: CalendarDate, seq: number): number {
    this.db.exec('CREATE TEMP TABLE IF NOT EXISTS extract_keys (account_number TEXT NOT NULL, number TEXT NOT NULL, PRIMARY KEY (account_number, number)) WITHOUT ROWID');
    this.db.exec('DELETE FROM temp.extract_keys');
    const insert = this.db.prepare('INSERT OR IGNORE INTO temp.extract_keys (account_number, number) VALUES (?, ?)');
    for (const d of batch.documents) insert.run(d.accountNumber, d.number);
    const result = this.db
      .prepare(
        `UPDATE documents SET status = 'closed', open_minor = 0, paid_date = ?, seq = ?
         WHERE portfolio_id = ? AND status = 'open'
           AND NOT EXISTS (SELECT 1 FROM temp.extract_keys k WHERE k.account_number = documents.account_number AND k.number = documents.number)`,
      )
      .run(asOf, seq, portfolioId);
    this.db.exec('DELETE FROM temp.extract_keys');
    return result.changes;
  }

  changes(portfolioId: string, since: number): LedgerDelta {
    const s = this.statements;
    const read = this.db.transaction(
      (): LedgerDelta => ({
        portfolioId,
        since,
        cursor: s.seq.get()?.value ?? 0,
        accounts: s.accountsSince.all(portfolioId, since).map(rowToAccount),
        contacts: s.contactsSince.all(portfolioId, since).map(rowToContact),
        documents: s.documentsSince.all(portfolioId, since).map(rowToDocument),
        payments: s.paymentsSince.all(portfolioId, since).map(rowToPayment),
      }),
    );
    return read.deferred();
  }

  private readonly pageStatements = new Map<string, Database.Statement<Record<string, unknown>>>();

  private pageRows(t: (typeof PAGE_TABLES)[number], delta: boolean, after: boolean, device: boolean, params: Record<string, unknown>): unknown[] {
    const id = `${t.table}:${String(delta)}:${String(after)}:${String(device)}`;
    let statement = this.pageStatements.get(id);
    if (statement === undefined) {
      statement = this.db.prepare<Record<string, unknown>>(pageSql(t, delta, after, device));
      this.pageStatements.set(id, statement);
    }
    return statement.all(params);
  }

  changesPage(portfolioId: string, request: LedgerPageRequest): LedgerPage {
    const start = request.after === undefined ? { index: 0, key: undefined } : parseAfter(request.after);
    const delta = request.since > 0;
    const device = !delta && request.scope === 'device';
    const read = this.db.transaction((): LedgerPage => {
      const now = this.cursor();
      if (request.cursor !== undefined && request.cursor > now)
        throw new LedgerPageError('bad_cursor', `cursor ${request.cursor} is ahead of the server's (${now}): start the pull again`);
      const page: LedgerPage = {
        portfolioId,
        since: request.since,
        cursor: request.cursor ?? now,
        scope: request.scope,
        ...(request.scope === 'device' ? { historyFrom: request.historyFrom } : {}),
        accounts: [],
        contacts: [],
        documents: [],
        payments: [],
        next: null,
      };
      let left = request.limit ?? Number.POSITIVE_INFINITY;
      for (let i = start.index; i < PAGE_TABLES.length && left > 0; i++) {
        const t = PAGE_TABLES[i];
        if (t === undefined) break;
        const key = i === start.index ? start.key : undefined;
        const params: Record<string, unknown> = { portfolio: portfolioId, limit: Number.isFinite(left) ? left : -1 };
        if (delta) params.since = request.since;
        if (device && t.device !== null) params.from = request.historyFrom;
        key?.forEach((k, j) => (params[`k${j}`] = k));
        const rows = this.pageRows(t, delta, key !== undefined, device, params);
        this.pushRows(page, t.table, rows);
        left -= rows.length;
        if (left === 0) {
          const last = rows[rows.length - 1] as Record<string, string>;
          page.next = `${t.table}:${JSON.stringify(t.key.map((c) => last[c]))}`;
        }
      }
      return page;
    });
    return read.deferred();
  }

  private pushRows(page: LedgerPage, table: PageTable, rows: unknown[]): void {
    if (table === 'accounts') for (const r of rows) page.accounts.push(rowToAccount(r as AccountRow));
    else if (table === 'contacts') for (const r of rows) page.contacts.push(rowToContact(r as ContactRow));
    else if (table === 'documents') for (const r of rows) page.documents.push(rowToDocument(r as DocumentRow));
    else for (const r of rows) page.payments.push(rowToPayment(r as PaymentRow));
  }

  accountHistory(portfolioId: string, accountNumber: string): AccountHistory {
    const s = this.statements;
    const read = this.db.transaction(
      (): AccountHistory => ({
        portfolioId,
        accountNumber,
        cursor: this.cursor(),
        documents: s.accountDocuments.all(portfolioId, accountNumber).map(rowToDocument),
        payments: s.accountPayments.all(portfolioId, accountNumber).map(rowToPayment),
      }),
    );
    return read.deferred();
  }

  cursor(): number {
    return this.statements.seq.get()?.value ?? 0;
  }

  ledger(portfolioId: string): Ledger {
    const portfolio = this.getPortfolio(portfolioId);
    if (!portfolio) throw new Error(`unknown portfolio ${portfolioId}`);
    const all = this.changes(portfolioId, 0);
    return { portfolio, accounts: all.accounts, contacts: all.contacts, documents: all.documents, payments: all.payments };
  }

  close(): void {
    this.db.close();
  }
}
