/**
 * Reading the CSV text: byte-order mark, quotes, line endings, blank lines, and papaparse's own errors
 * placed on the right spreadsheet row (the record's index + 2, however many lines a quoted value spans).
 */
import { describe, expect, it } from 'vitest';
import { BASE, COLUMNS, csvOf, run } from './build';

const line = (over: Partial<typeof BASE> = {}) => COLUMNS.map((c) => ({ ...BASE, ...over })[c]).join(',');
const HEADER = COLUMNS.join(',');

describe('CSV reading', () => {
  it('strips a UTF-8 byte-order mark before the first header', () => {
    const r = run(`\uFEFF${csvOf([{}])}`);
    expect(r.errors).toEqual([]);
    expect(r.accounts[0]?.number).toBe('C1');
  });

  it('reads quoted values holding commas, quotes and line breaks', () => {
    const name = '"Acme, ""North""\nDivision"';
    const text = `${HEADER}\n${line({ account_name: name, document_number: 'D1' })}\n`;
    const r = run(text);
    expect(r.errors).toEqual([]);
    expect(r.accounts[0]?.name).toBe('Acme, "North"\nDivision');
  });

  it('numbers rows by record, not by line, after a multi-line value', () => {
    const text = [
      HEADER,
      line({ account_name: '"two\nlines"', document_number: 'D1', account_number: 'C0' }),
      line({ account_name: '"three\nlines\nhere"', document_number: 'D2' }),
      line({ account_name: '"three\nlines\nhere"', document_number: 'D3', amount: 'oops' }),
    ].join('\n');
    const r = run(text);
    // The bad record starts on text line 7 but is the spreadsheet's row 4.
    expect(r.errors).toEqual([{ row: 4, column: 'amount', value: 'oops', expected: 'an amount in USD with at most 2 decimals, like 1234.50' }]);
  });

  it('reads CRLF line endings, also inside quoted values', () => {
    const text = `${HEADER}\r\n${line({ document_number: 'D1' })}\r\n${line({ document_number: 'D2', account_name: '"a\r\nb"', account_number: 'C2' })}\r\n`;
    const r = run(text);
    expect(r.errors).toEqual([]);
    expect(r.documents.map((d) => d.number)).toEqual(['D1', 'D2']);
    expect(r.documents[1]?.accountNumber).toBe('C2');
    expect(r.accounts[1]?.name).toBe('a\r\nb');
  });

  it('ignores blank lines, trailing or between records, and does not count them as rows', () => {
    const text = `${HEADER}\n${line({ document_number: 'D1' })}\n\n   \n${line({ document_number: 'D2', amount: 'bad' })}\n\n\n \r\n`;
    const r = run(text);
    expect(r.rows).toBe(2);
    expect(r.errors.map((e) => e.row)).toEqual([3]);
  });

  it('a header-only file is zero rows and no error', () => {
    for (const text of [HEADER, `${HEADER}\n`, `\uFEFF${HEADER}\r\n\r\n`]) {
      const r = run(text);
      expect(r).toMatchObject({ rows: 0, errors: [], errorCount: 0, documents: [], accounts: [], payments: [], skipped: 0 });
    }
  });

  it('an empty file lacks every required column', () => {
    const r = run('');
    expect(r.rows).toBe(0);
    expect(r.errors.map((e) => e.column)).toEqual(['account_number', 'document_number', 'issue_date', 'due_date', 'amount']);
    expect(r.errors.every((e) => e.row === 1)).toBe(true);
  });

  it('an unclosed quote is reported on the row where it opens; the rows it swallowed are not imported', () => {
    const text = [
      HEADER,
      line({ account_name: '"two\nlines"', document_number: 'D1', account_number: 'C0' }),
      line({ document_number: 'D2' }),
      line({ document_number: 'D3', account_name: '"Acme' }),
      line({ document_number: 'D4' }),
    ].join('\n');
    const r = run(text);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ row: 4, column: 'account_name' });
    expect(r.errors[0]?.value).toMatch(/^Acme,retail/);
    expect(r.errors[0]?.expected).toContain('a closing double quote');
    expect(r.documents.map((d) => d.number)).toEqual(['D1', 'D2']);
  });

  it('a stray quote inside a quoted value is reported on its row', () => {
    const text = [HEADER, line({ document_number: 'D1' }), line({ document_number: 'D2', account_name: '"Acme "North" Ltd"' }), line({ document_number: 'D3' })].join('\n');
    const r = run(text);
    expect(r.errors[0]).toMatchObject({ row: 3 });
    expect(r.errors[0]?.expected).toContain('a quote inside a quoted value is written twice');
    expect(r.documents.map((d) => d.number)).toContain('D1');
  });

  it('a row with too many values is reported and not imported', () => {
    const text = [HEADER, line({ document_number: 'D1' }), line({ document_number: 'D2', account_name: 'Acme, Inc.' }), line({ document_number: 'D3' })].join('\n');
    const r = run(text);
    expect(r.errors).toEqual([
      { row: 3, column: 'disputed', value: 'false', expected: '13 values like the header, found 14: a value holding "," must be in double quotes' },
    ]);
    expect(r.documents.map((d) => d.number)).toEqual(['D1', 'D3']);
  });

  it('a row with too few values is reported and not imported', () => {
    const short = line({ document_number: 'D2' }).split(',').slice(0, 10).join(',');
    const r = run([HEADER, line({ document_number: 'D1' }), short].join('\n'));
    expect(r.errors).toEqual([{ row: 3, column: 'open_amount', value: '', expected: '13 values like the header, found 10' }]);
    expect(r.documents).toHaveLength(1);
  });

  it('a mapped column twice in the header is ambiguous', () => {
    const r = run(`${HEADER},amount\n${line()},5.00\n`);
    expect(r.errors).toEqual([{ row: 1, column: 'amount', value: 'amount', expected: 'a single column named amount (the header has it more than once)' }]);
    expect(r.documents).toEqual([]);
  });

  it('finds a column whatever its case and surrounding spaces', () => {
    const r = run(csvOf([{}]).replace('account_number', ' Account_Number '));
    expect(r.errors).toEqual([]);
    expect(r.documents).toHaveLength(1);
  });

  it('values stay text: leading zeros, long digit strings and "1e5" are kept as written', () => {
    const r = run(csvOf([{ account_number: '000123', document_number: '0001e5' }, { account_number: '000123', document_number: '12345678901234567890' }]));
    expect(r.errors).toEqual([]);
    expect(r.documents.map((d) => [d.accountNumber, d.number])).toEqual([
      ['000123', '0001e5'],
      ['000123', '12345678901234567890'],
    ]);
  });
});
