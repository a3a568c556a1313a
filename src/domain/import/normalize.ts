/**
 * Turns the rows of an ERP extract (already split into cells, every cell a string) into ledger accounts,
 * documents and payments, reporting every bad cell with its spreadsheet row, its column and what was
 * expected. Pure: reading the CSV text is sync-server/import/csv.ts's job.
 *
 * How it works: the mapping is compiled once (column names resolved against the header, one memoised
 * reader per field), then one pass over the rows. Each row is checked in full — all its errors are
 * reported, not only the first — and yields a document or nothing. Two maps catch what one row cannot:
 * the first row that gave each account attribute (a later row that disagrees is an error naming both
 * rows), and the first row of each account + document number (a second one is a duplicate). Documents
 * issued after `asOf` pass every check and are then skipped, so a file's errors do not depend on the
 * replay date. The row helpers share mutable row state instead of being closures made per row: at 100k
 * rows the allocations, not the checks, were the cost.
 */
import { addDays, type CalendarDate } from '../calendar';
import { portfolioIdSchema, RISK_GRADES, type Account, type LedgerDocument, type Payment } from '../ledger';
import { toDecimalString, type CurrencyCode, type Minor, type Money } from '../money';
import { buildAccount, setAttribute, type AccountAttribute, type AccountDraft } from './account-draft';
import { amountReader, booleanReader, dateReader, documentTypeReader, memo, textReader, toCurrency, toLanguage, toTimeZone, type Read } from './cells';
import { ErrorLog, clip, type ImportError } from './import-error';
import { resolveColumns, type ImportMapping, type MappedField } from './mapping';

export { importErrorSchema, MAX_REPORTED_ERRORS, type ImportError } from './import-error';

export interface NormalizeContext {
  readonly portfolioId: string;
  /** Replay the extract as it stood at the end of this day (see docs/import.md). */
  readonly asOf?: CalendarDate;
  /** Spreadsheet row of records[0]: 2 when the header is row 1. */
  readonly firstRow: number;
  /** The header's column names; by default the keys of the first record. */
  readonly columns?: readonly string[];
  /** Rows the reader already reported (a broken quote, a wrong number of values): not checked again. */
  readonly exclude?: ReadonlySet<number>;
}

export interface NormalizeResult {
  accounts: Account[];
  documents: LedgerDocument[];
  payments: Payment[];
  /** The first MAX_REPORTED_ERRORS errors, in row order. */
  errors: ImportError[];
  /** All errors, including those beyond the cap. */
  errorCount: number;
  /** Valid rows of documents issued after `asOf`. */
  skipped: number;
}

type Cells = Readonly<Record<string, string | undefined>>;

export function normalizeRecords(records: readonly Cells[], mapping: ImportMapping, ctx: NormalizeContext): NormalizeResult {
  const portfolioId = portfolioIdSchema.parse(ctx.portfolioId);
  const log = new ErrorLog();
  const out: NormalizeResult = { accounts: [], documents: [], payments: [], errors: log.errors, errorCount: 0, skipped: 0 };
  const header = ctx.columns ?? (records[0] === undefined ? [] : Object.keys(records[0]));
  const { columns: col, missing } = resolveColumns(mapping, header);
  if (missing.length > 0) {
    // Every row would repeat the same complaint: stop at the header.
    for (const c of missing) log.add({ row: 1, column: c, value: '', expected: `a column named ${c}` });
    out.errorCount = log.count;
    return out;
  }

  const { constants } = mapping;
  const asOf = ctx.asOf;
  const readDate = dateReader(mapping.dateFormat);
  const readAmount = amountReader(mapping.decimal);
  const readBool = booleanReader(mapping.booleans);
  const readType = documentTypeReader(mapping.documentTypes);
  const readName = textReader(mapping.columns.accountName);
  const readSegment = textReader(mapping.columns.segment);
  const readTag = textReader(mapping.columns.tags);
  const tagSeparator = mapping.columns.tags?.separator ?? ';';
  const readTags = (t: string) => splitTags(t, tagSeparator, readTag);
  const readCurrency = memo(toCurrency, 'an ISO 4217 currency code such as USD');
  const tzText = textReader(mapping.columns.timeZone);
  const tz = memo(toTimeZone, 'an IANA time zone such as America/Chicago');
  const readTimeZone = (t: string) => then(tzText(t), tz);
  const languageText = textReader(mapping.columns.language);
  const language = memo(toLanguage, 'a language tag such as en or fr-CA');
  const readLanguage = (t: string) => then(languageText(t), language);
  const riskText = textReader(mapping.columns.riskGrade);
  const risk = memo((s) => RISK_GRADES.find((g) => g === s.toUpperCase()), `a risk grade, one of ${RISK_GRADES.join(', ')}`);
  const readRisk = (t: string) => then(riskText(t), risk);
  const creditNoteWord = mapping.documentTypes.creditNote[0] ?? 'credit_note';

  const accounts = new Map<string, AccountDraft>();
  const documentRows = new Map<string, number>();

  // The row being read, shared by the helpers below.
  let rec: Cells = {};
  let row = 0;
  let bad: boolean;
  let rowCurrency: CurrencyCode = mapping.currency;

  const cell = (field: MappedField): string => {
    const key = col[field];
    if (key === undefined) return '';
    const v = rec[key];
    return v === undefined ? '' : v.trim();
  };
  const fail = (field: MappedField, value: string, expected: string): undefined => {
    log.add({ row, column: col[field] ?? field, value: clip(value), expected });
    bad = true;
    return undefined;
  };
  /** An optional cell: empty is "not given"; otherwise the reader's value, or an error. */
  const optional = <T>(field: MappedField, read: (text: string) => Read<T>): T | undefined => {
    const text = cell(field);
    if (text === '') return undefined;
    const r = read(text);
    return r.ok ? r.value : fail(field, text, r.expected);
  };
  const requiredDate = (field: 'issueDate' | 'dueDate', what: string): CalendarDate | undefined => {
    const text = cell(field);
    const r = readDate(text);
    if (r.ok) return r.value;
    return fail(field, text, text === '' ? `${what} in ${mapping.dateFormat}` : r.expected);
  };
  const readRowAmount = (t: string) => readAmount(t, rowCurrency);
  /** First row to give an attribute sets it; a later row must agree. */
  const give = (acc: AccountDraft | undefined, attr: AccountAttribute, key: string, shown: string, value: string | Money): void => {
    if (acc === undefined) return;
    const first = acc.given.get(attr);
    if (first === undefined) {
      acc.given.set(attr, { row, key, shown });
      setAttribute(acc, attr, value);
    } else if (first.key !== key) {
      fail(attr, cell(attr), `${first.shown} as on row ${first.row}: every row of account ${acc.number} must agree`);
    }
  };

  for (let i = 0; i < records.length; i++) {
    row = ctx.firstRow + i;
    if (ctx.exclude?.has(row) === true) continue;
    rec = records[i] ?? {};
    bad = false;

    // The account.
    const accountNumber = cell('accountNumber');
    let acc: AccountDraft | undefined;
    if (accountNumber === '') fail('accountNumber', '', 'an account number');
    else {
      acc = accounts.get(accountNumber);
      if (acc === undefined) {
        acc = { number: accountNumber, given: new Map(), used: false };
        accounts.set(accountNumber, acc);
      }
    }
    const currency = cell('currency') === '' ? mapping.currency : optional('currency', readCurrency);
    if (currency !== undefined) rowCurrency = currency;
    const name = optional('accountName', readName);
    if (name !== undefined) give(acc, 'accountName', name, name, name);
    const segment = optional('segment', readSegment);
    if (segment !== undefined) give(acc, 'segment', segment, segment, segment);
    const timeZone = optional('timeZone', readTimeZone);
    if (timeZone !== undefined) give(acc, 'timeZone', timeZone, timeZone, timeZone);
    const lang = optional('language', readLanguage);
    if (lang !== undefined) give(acc, 'language', lang, lang, lang);
    const grade = optional('riskGrade', readRisk);
    if (grade !== undefined) give(acc, 'riskGrade', grade, grade, grade);
    if (currency !== undefined) {
      const limit = optional('creditLimit', readRowAmount);
      if (limit !== undefined && limit < 0) fail('creditLimit', cell('creditLimit'), `a credit limit of zero or more in ${currency}`);
      else if (limit !== undefined) {
        const shown = `${toDecimalString(limit, currency)} ${currency}`;
        give(acc, 'creditLimit', shown, shown, { amount: limit, currency });
      }
    }
    const tags = optional('tags', readTags);

    // The document.
    const documentNumber = cell('documentNumber');
    if (documentNumber === '') fail('documentNumber', '', 'a document number');
    const issueDate = requiredDate('issueDate', 'an issue date');
    let dueDate: CalendarDate | undefined;
    if (cell('dueDate') !== '' || constants.termsDays === undefined) dueDate = requiredDate('dueDate', 'a due date');
    else if (issueDate !== undefined) dueDate = addDays(issueDate, constants.termsDays);
    if (issueDate !== undefined && dueDate !== undefined && dueDate < issueDate)
      fail('dueDate', cell('dueDate'), `a due date on or after the issue date ${issueDate}`);
    const paidDate = optional('paidDate', readDate);
    if (paidDate !== undefined && issueDate !== undefined && paidDate < issueDate)
      fail('paidDate', cell('paidDate'), `a paid date on or after the issue date ${issueDate}`);
    const disputed = optional('disputed', readBool) ?? false;
    const typed = optional('documentType', readType);

    let kind: 'invoice' | 'credit_note' = 'invoice';
    let original: number | undefined;
    let open: number | undefined;
    if (currency !== undefined) {
      const amountText = cell('amount');
      const written = readAmount(amountText, currency);
      if (!written.ok) fail('amount', amountText, written.expected);
      else {
        const w = written.value;
        kind = typed ?? (w < 0 ? 'credit_note' : 'invoice');
        if (kind === 'invoice' && w < 0) fail('amount', amountText, `a positive amount for an invoice (a credit note is typed ${creditNoteWord})`);
        // Ledger sign: an ERP may print a typed credit note either way; the ledger stores it negative.
        original = kind === 'credit_note' ? negative(w) : w;
        const o = optional('openAmount', readRowAmount);
        if (o !== undefined) {
          const openText = cell('openAmount');
          if (o !== 0 && w !== 0 && o < 0 !== w < 0)
            fail('openAmount', openText, `an open amount with the same sign as the amount ${toDecimalString(w, currency)}`);
          else if (Math.abs(o) > Math.abs(w))
            fail('openAmount', openText, `an open amount between 0 and the amount ${toDecimalString(w, currency)}`);
          else if (paidDate !== undefined && asOf === undefined && o !== 0)
            fail('openAmount', openText, `0, since ${col.paidDate ?? 'the paid date'} says the document is settled`);
          open = kind === 'credit_note' ? negative(o) : o;
        }
      }
    }

    if (acc === undefined) continue;
    if (documentNumber !== '') {
      const key = `${accountNumber}\u0000${documentNumber}`;
      const first = documentRows.get(key);
      if (first === undefined) documentRows.set(key, row);
      else fail('documentNumber', documentNumber, `a document number not already on row ${first} for account ${accountNumber}`);
    }
    if (bad || issueDate === undefined || dueDate === undefined || original === undefined || currency === undefined) continue;
    if (asOf !== undefined && issueDate > asOf) {
      out.skipped++;
      continue;
    }

    acc.used = true;
    if (tags !== undefined && (acc.tags === undefined || issueDate >= acc.tags.issueDate)) acc.tags = { tags, issueDate };
    const doc: LedgerDocument = {
      portfolioId,
      accountNumber,
      number: documentNumber,
      kind,
      issueDate,
      dueDate,
      currency,
      original: original as Minor,
      open: (open ?? original) as Minor,
      status: 'open',
      erpDisputed: disputed,
    };
    if (paidDate !== undefined && (asOf === undefined || paidDate <= asOf)) {
      doc.open = 0 as Minor;
      doc.status = 'paid';
      doc.paidDate = paidDate;
      // The settlement as a payment, so payment behaviour (days late) can be computed from the ledger;
      // a credit note is applied, not paid.
      if (kind === 'invoice' && original > 0)
        out.payments.push({
          portfolioId,
          id: `${accountNumber}:${documentNumber}:settle`,
          accountNumber,
          receivedDate: paidDate,
          currency,
          amount: original as Minor,
          method: 'transfer',
          reference: documentNumber,
          allocations: [{ documentNumber, amount: original as Minor }],
        });
    } else {
      // Settled after the replay date: on asOf it was still wholly owed, whatever the extract says now.
      if (paidDate !== undefined) doc.open = original as Minor;
      if (doc.open === 0) doc.status = 'paid';
    }
    out.documents.push(doc);
  }

  for (const acc of accounts.values()) if (acc.used) out.accounts.push(buildAccount(portfolioId, acc, mapping));
  // Within a row, in the file's column order, as the user reads it (rows are already in order).
  const position = new Map(header.map((h, i) => [h, i] as const));
  log.errors.sort((a, b) => a.row - b.row || (position.get(a.column) ?? -1) - (position.get(b.column) ?? -1));
  out.errorCount = log.count;
  return out;
}

/** −|n|, but never −0: a zero credit note must equal 0 wherever it is compared. */
function negative(n: number): number {
  return n === 0 ? 0 : -Math.abs(n);
}

function then<A, B>(r: Read<A>, next: (a: A) => Read<B>): Read<B> {
  return r.ok ? next(r.value) : r;
}

function splitTags(text: string, separator: string, read: (text: string) => Read<string>): Read<string[]> {
  const tags: string[] = [];
  for (const part of text.split(separator)) {
    const p = part.trim();
    if (p === '') continue;
    const r = read(p);
    if (!r.ok) return r;
    if (r.value !== '' && !tags.includes(r.value)) tags.push(r.value);
  }
  return { ok: true, value: tags };
}
