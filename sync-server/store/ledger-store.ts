import type { CalendarDate } from '../../src/domain/calendar';
import type { Account, CollectionsContact, Ledger, LedgerDelta, LedgerDocument, Payment, Portfolio } from '../../src/domain/ledger';
import type { AccountHistory, LedgerPage, LedgerScope } from '../../src/domain/ledger-page';

export type { AccountHistory, LedgerDelta, LedgerPage };

/** One page of a pull (docs/api.md, the ledger route; src/domain/ledger-page.ts for the rules). */
export interface LedgerPageRequest {
  /** 0: a snapshot; else the rows written after this cursor. */
  readonly since: number;
  /** Rows in this page at most; undefined: every row in one answer. */
  readonly limit?: number;
  /** The `next` of the previous page of the same pull. */
  readonly after?: string;
  /** The cursor of the pull's first page (given with `after`): every page carries it. */
  readonly cursor?: number;
  readonly scope: LedgerScope;
  /** Scope `device`: the first day of the history window (closed documents, payments). */
  readonly historyFrom: CalendarDate;
}

/** A page request the store cannot answer: `code` is the API's error code. */
export class LedgerPageError extends Error {
  readonly code: 'bad_after' | 'bad_cursor';
  constructor(code: 'bad_after' | 'bad_cursor', message: string) {
    super(message);
    this.name = 'LedgerPageError';
    this.code = code;
  }
}

/** What one import brings: the rows of the ERP extract, already parsed and valid. */
export interface LedgerBatch {
  readonly accounts: readonly Account[];
  readonly contacts?: readonly CollectionsContact[];
  readonly documents: readonly LedgerDocument[];
  readonly payments: readonly Payment[];
}

export interface CommitOptions {
  /** A full extract lists every document the ERP still knows: open documents missing from it are closed. */
  readonly full: boolean;
  /** The extract's date: closing date of documents a full extract no longer lists. */
  readonly asOf: CalendarDate;
  readonly source: string;
  readonly mapping: string;
  readonly rows: number;
  readonly rejected: number;
}

export interface CommitSummary {
  readonly importId: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly closed: number;
  readonly cursor: number;
}

/**
 * The server's ledger store. Contract, which every adapter keeps (see test/sync-server/ledger-store.contract.ts):
 * - `commit` is all or nothing: after an error nothing of the batch is visible.
 * - Re-committing the same rows is idempotent: keyed by account number (+ document number), unchanged
 *   rows are not rewritten and do not move the cursor; changed ones are updated in place.
 * - A full extract closes (status `closed`, open 0, `paidDate` = asOf) the open documents it does not
 *   list; nothing is ever deleted.
 * - `changes(p, n)` returns every row whose last write came after cursor n, and a cursor to ask with next.
 */
export interface LedgerStore {
  ensurePortfolio(portfolio: Portfolio): void;
  getPortfolio(id: string): Portfolio | undefined;
  listPortfolios(): Portfolio[];
  commit(portfolioId: string, batch: LedgerBatch, options: CommitOptions): CommitSummary;
  changes(portfolioId: string, since: number): LedgerDelta;
  /**
   * One page of a pull, tables in the order accounts, contacts, documents, payments, each in key order,
   * read in one read transaction. A snapshot in `device` scope keeps open documents, documents whose
   * paid date (else due date) is on or after `historyFrom`, and payments received from then on; a delta
   * (since > 0) keeps every row written after `since`. Throws LedgerPageError for a continuation key it
   * did not make or a cursor ahead of its own.
   */
  changesPage(portfolioId: string, request: LedgerPageRequest): LedgerPage;
  /** Every document and payment of one account (the history a device does not hold). */
  accountHistory(portfolioId: string, accountNumber: string): AccountHistory;
  /** The newest cursor: it moves whenever any commit writes. */
  cursor(): number;
  ledger(portfolioId: string): Ledger;
  close(): void;
}
