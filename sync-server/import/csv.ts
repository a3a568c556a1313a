/**
 * Reads an ERP's CSV extract into ledger rows: papaparse splits the text (quotes, embedded commas and
 * line breaks, CRLF), src/domain/import checks and normalises the cells.
 *
 * Row numbers: a record's row is its index + 2 (the header is row 1). A quoted value may span several
 * lines and blank lines are skipped, so this is the record's row as a spreadsheet shows it, not a line
 * number of the text file. papaparse's own `row` on quote errors counts raw lines, so those errors are
 * placed by their character offset instead (see `quoteErrorRows`).
 */
import Papa from 'papaparse';
import type { ParseError } from 'papaparse';
import type { CalendarDate } from '../../src/domain/calendar';
import { mappedColumns, type ImportMapping } from '../../src/domain/import/mapping';
import { MAX_REPORTED_ERRORS, normalizeRecords, type ImportError, type NormalizeResult } from '../../src/domain/import/normalize';

export interface ImportResult extends NormalizeResult {
  /** Records in the file, the header not counted. */
  rows: number;
}

export interface CsvImportContext {
  readonly portfolioId: string;
  readonly asOf?: CalendarDate;
}

type CsvRecord = Record<string, string | string[] | undefined>;

const FIRST_ROW = 2;

export function parseInvoiceCsv(text: string, mapping: ImportMapping, ctx: CsvImportContext): ImportResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const options = { header: true, skipEmptyLines: 'greedy', dynamicTyping: false, delimiter: mapping.delimiter } as const;
  const parsed = Papa.parse<CsvRecord>(body, options);
  const records = parsed.data;
  const columns = parsed.meta.fields ?? [];
  const reader: ImportError[] = [];

  const duplicates = duplicateColumns(mapping, parsed.meta.renamedHeaders);
  if (duplicates.length > 0) {
    // Which of the two columns is meant cannot be known: stop at the header, like a missing column.
    return { rows: records.length, accounts: [], documents: [], payments: [], errors: duplicates, errorCount: duplicates.length, skipped: 0 };
  }

  const exclude = new Set<number>();
  const quoteErrors = parsed.errors.filter((e) => e.type === 'Quotes');
  if (quoteErrors.length > 0) {
    const rows = quoteErrorRows(body, options, quoteErrors);
    quoteErrors.forEach((e, i) => {
      const row = rows[i] ?? 1;
      if (exclude.has(row)) return;
      exclude.add(row);
      const rec = records[row - FIRST_ROW];
      const column = rec === undefined ? '' : lastFilledColumn(rec, columns);
      const value = rec === undefined ? '' : firstLine(String(rec[column] ?? ''));
      reader.push({
        row,
        column,
        value,
        expected:
          e.code === 'MissingQuotes'
            ? 'a closing double quote for the value that opens one on this row (the rest of the file was read into it)'
            : 'a value either wholly in double quotes or not quoted at all (a quote inside a quoted value is written twice: "")',
      });
    });
  }
  for (const e of parsed.errors) {
    if (e.type !== 'FieldMismatch' || e.row === undefined) continue;
    const row = e.row + FIRST_ROW;
    if (exclude.has(row)) continue;
    exclude.add(row);
    const rec = records[e.row] ?? {};
    const extra = rec['__parsed_extra'];
    if (e.code === 'TooManyFields' && Array.isArray(extra)) {
      reader.push({
        row,
        column: columns.at(-1) ?? '',
        value: extra.join(mapping.delimiter),
        expected: `${columns.length} values like the header, found ${columns.length + extra.length}: a value holding "${mapping.delimiter}" must be in double quotes`,
      });
    } else {
      const found = columns.filter((c) => rec[c] !== undefined).length;
      reader.push({
        row,
        column: columns[found] ?? '',
        value: '',
        expected: `${columns.length} values like the header, found ${found}`,
      });
    }
  }

  const ctxN = { portfolioId: ctx.portfolioId, firstRow: FIRST_ROW, columns, exclude, ...(ctx.asOf === undefined ? {} : { asOf: ctx.asOf }) };
  // Records of an excluded row may hold a string[] (papaparse's extras); normalize never reads those rows.
  const result = normalizeRecords(records as Record<string, string | undefined>[], mapping, ctxN);
  const all = reader.length === 0 ? result.errors : [...reader, ...result.errors].sort((a, b) => a.row - b.row);
  return {
    rows: records.length,
    ...result,
    errors: all.slice(0, MAX_REPORTED_ERRORS),
    errorCount: reader.length + result.errorCount,
  };
}

/** A mapped column that appears twice in the header (papaparse renames the second to `name_1`). */
function duplicateColumns(mapping: ImportMapping, renamed: Record<string, string> | null | undefined): ImportError[] {
  // papaparse says null, not undefined, when nothing was renamed (its types say otherwise).
  if (renamed === undefined || renamed === null) return [];
  const mapped = new Set(mappedColumns(mapping).map((c) => c.column.trim().toLowerCase()));
  const seen = new Set<string>();
  const out: ImportError[] = [];
  for (const original of Object.values(renamed)) {
    const k = original.trim().toLowerCase();
    if (!mapped.has(k) || seen.has(k)) continue;
    seen.add(k);
    out.push({ row: 1, column: original, value: original, expected: `a single column named ${original} (the header has it more than once)` });
  }
  return out;
}

/**
 * The spreadsheet row of each quote error, from its character offset: a second, streaming parse gives
 * where each record ends. Only paid for a file that has such an error.
 */
function quoteErrorRows(body: string, options: Papa.ParseConfig<CsvRecord>, errors: readonly ParseError[]): number[] {
  const headerEnd = Papa.parse<string[]>(body, { delimiter: options.delimiter ?? ',', preview: 1 }).meta.cursor;
  const ends: number[] = [];
  Papa.parse<CsvRecord>(body, { ...options, step: (r) => void ends.push(r.meta.cursor) });
  return errors.map((e) => {
    const at = e.index ?? body.length;
    if (at < headerEnd || ends.length === 0) return 1;
    let lo = 0;
    let hi = ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ends[mid] ?? 0) > at) hi = mid;
      else lo = mid + 1;
    }
    return lo + FIRST_ROW;
  });
}

function lastFilledColumn(rec: CsvRecord, columns: readonly string[]): string {
  for (let i = columns.length - 1; i >= 0; i--) {
    const c = columns[i];
    if (c !== undefined && rec[c] !== undefined) return c;
  }
  return '';
}

function firstLine(value: string): string {
  const line = value.split(/\r?\n/, 1)[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}
