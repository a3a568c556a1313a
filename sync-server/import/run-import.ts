/**
 * One import, the same for the CLI and the HTTP API: parse and validate the whole file first, then
 * commit in one transaction or not at all. Modes:
 * - `all-or-nothing` (default): any bad row rejects the file; nothing is written.
 * - `partial`: the valid rows are committed and the bad ones reported.
 * - `dry-run`: only the report.
 * A full extract closes the open documents it does not list, so it cannot be combined with `partial`:
 * a rejected row's document would be "missing" from the extract and closed by mistake.
 */
import type { CalendarDate } from '../../src/domain/calendar';
import type { ImportError } from '../../src/domain/import/normalize';
import type { ImportMapping } from '../../src/domain/import/mapping';
import type { CommitSummary, LedgerStore } from '../store/ledger-store';
import { parseInvoiceCsv } from './csv';

export const IMPORT_MODES = ['all-or-nothing', 'partial', 'dry-run'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export interface ImportRequest {
  readonly portfolioId: string;
  readonly text: string;
  readonly mapping: ImportMapping;
  readonly mappingName: string;
  readonly asOf?: CalendarDate;
  readonly mode: ImportMode;
  readonly full: boolean;
  readonly source: string;
  /** The server's date, for closing documents when the request names no as-of date. */
  readonly today: CalendarDate;
}

export interface ImportReport {
  readonly status: 'committed' | 'rejected' | 'dry-run';
  readonly portfolioId: string;
  readonly rows: number;
  readonly skipped: number;
  readonly valid: { readonly accounts: number; readonly documents: number; readonly payments: number };
  readonly errorCount: number;
  readonly errors: readonly ImportError[];
  readonly commit?: CommitSummary;
}

export class ImportUsageError extends Error {}

export function runImport(store: LedgerStore, request: ImportRequest): ImportReport {
  if (request.full && request.mode === 'partial')
    throw new ImportUsageError('a full extract cannot be imported partially: its rejected rows would close their documents');
  if (!store.getPortfolio(request.portfolioId)) store.ensurePortfolio({ id: request.portfolioId, name: request.portfolioId });
  const ctx = request.asOf === undefined ? { portfolioId: request.portfolioId } : { portfolioId: request.portfolioId, asOf: request.asOf };
  const parsed = parseInvoiceCsv(request.text, request.mapping, ctx);
  const base = {
    portfolioId: request.portfolioId,
    rows: parsed.rows,
    skipped: parsed.skipped,
    valid: { accounts: parsed.accounts.length, documents: parsed.documents.length, payments: parsed.payments.length },
    errorCount: parsed.errorCount ?? parsed.errors.length,
    errors: parsed.errors,
  };
  if (request.mode === 'dry-run') return { status: 'dry-run', ...base };
  if (parsed.errors.length > 0 && request.mode === 'all-or-nothing') return { status: 'rejected', ...base };
  const commit = store.commit(request.portfolioId, parsed, {
    full: request.full,
    asOf: request.asOf ?? request.today,
    source: request.source,
    mapping: request.mappingName,
    rows: parsed.rows,
    rejected: base.errorCount,
  });
  return { status: 'committed', ...base, commit };
}
