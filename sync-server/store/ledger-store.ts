import type { CalendarDate } from '../../src/domain/calendar';
import type { Account, CollectionsContact, Ledger, LedgerDelta, LedgerDocument, Payment, Portfolio } from '../../src/domain/ledger';

export type { LedgerDelta };

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
  /** The newest cursor: it moves whenever any commit writes. */
  cursor(): number;
  ledger(portfolioId: string): Ledger;
  close(): void;
}
