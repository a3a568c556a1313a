/** Small CSV files for the import tests, in the generic Dunwell format unless a test says otherwise. */
import type { CalendarDate } from '../../src/domain/calendar';
import { resolveMapping, type ImportMapping } from '../../src/domain/import/mapping';
import { parseInvoiceCsv, type ImportResult } from '../../sync-server/import/csv';

export const COLUMNS = [
  'account_number',
  'account_name',
  'segment',
  'time_zone',
  'document_number',
  'document_type',
  'issue_date',
  'due_date',
  'currency',
  'amount',
  'open_amount',
  'paid_date',
  'disputed',
] as const;
export type Row = Partial<Record<(typeof COLUMNS)[number], string>>;

/** A valid invoice: each test changes only the cell it is about. */
export const BASE: Required<Row> = {
  account_number: 'C1',
  account_name: 'Acme',
  segment: 'retail',
  time_zone: 'America/Chicago',
  document_number: 'INV-1',
  document_type: 'invoice',
  issue_date: '2024-01-10',
  due_date: '2024-02-09',
  currency: 'USD',
  amount: '100.00',
  open_amount: '100.00',
  paid_date: '',
  disputed: 'false',
};

/** A CSV with a header and one line per row; rows default to BASE with numbered document numbers. */
export function csvOf(rows: readonly Row[], columns: readonly string[] = COLUMNS): string {
  const lines = rows.map((r, i) => {
    const row: Record<string, string> = { ...BASE, document_number: `INV-${i + 1}`, ...r };
    return columns.map((c) => row[c] ?? '').join(',');
  });
  return [columns.join(','), ...lines].join('\n') + '\n';
}

export function mappingOf(input: unknown): ImportMapping {
  const m = resolveMapping(input);
  if (!m.ok) throw new Error(m.error);
  return m.mapping;
}

export function run(text: string, mapping: unknown = 'dunwell', asOf?: string): ImportResult {
  const ctx = asOf === undefined ? { portfolioId: 'test' } : { portfolioId: 'test', asOf: asOf as CalendarDate };
  return parseInvoiceCsv(text, mappingOf(mapping), ctx);
}
