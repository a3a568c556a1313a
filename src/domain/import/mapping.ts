/**
 * An import mapping: which column of an ERP's CSV extract feeds which ledger field, and how that
 * extract writes dates, amounts, yes/no and document types. Formats are declared, never guessed
 * (3/4/2013 is a different day in M/D/YYYY and D/M/YYYY), so a mapping is the whole contract of a file.
 *
 * A mapping is JSON so a credit manager can keep one per ERP next to the extracts. It may extend a
 * preset (`"extends": "ibm"`) and override parts of it: top-level keys replace, `columns` and `constants`
 * merge key by key, and a `null` there removes the preset's entry. See docs/import.md.
 */
import { z } from 'zod';
import { DATE_FORMATS } from '../calendar';
import { currencySchema, parseAmount } from '../money';
import { riskGradeSchema, timeZoneSchema } from '../ledger';
import { PRESETS, PRESET_NAMES, type PresetName } from './presets';

const columnNameSchema = z.string().trim().min(1, { message: 'expected a column name' });

/** A column for an amount, a date, a flag or a plain key: its name, and whether the file may lack it. */
export const columnRefSchema = z
  .union([
    columnNameSchema,
    z.strictObject({
      column: columnNameSchema,
      /** The file may lack this column (one mapping for extracts with and without it). */
      optional: z.boolean().default(false),
    }),
  ])
  .transform((r) => (typeof r === 'string' ? { column: r, optional: false } : r));
export type ColumnRef = z.output<typeof columnRefSchema>;

/**
 * A column for a text attribute. `values` translates the ERP's words (matched without regard to case),
 * any other word being an error; `template` then wraps the value, `{value}` standing for it
 * ("country-{value}" turns 391 into country-391).
 */
export const textColumnRefSchema = z
  .union([
    columnNameSchema,
    z.strictObject({
      column: columnNameSchema,
      optional: z.boolean().default(false),
      values: z.record(z.string(), z.string()).optional(),
      template: z.string().includes('{value}', { message: 'a template must contain {value}' }).optional(),
      /** Tags only: one cell may hold several tags separated by this (default ";"). */
      separator: z.string().min(1).optional(),
    }),
  ])
  .transform((r) => (typeof r === 'string' ? { column: r, optional: false } : r));
export type TextColumnRef = z.output<typeof textColumnRefSchema>;

export const ACCOUNT_FIELDS = ['accountNumber', 'accountName', 'segment', 'tags', 'timeZone', 'language', 'riskGrade', 'creditLimit'] as const;
export const DOCUMENT_FIELDS = [
  'documentNumber',
  'documentType',
  'issueDate',
  'dueDate',
  'amount',
  'openAmount',
  'currency',
  'paidDate',
  'disputed',
] as const;
export type MappedField = (typeof ACCOUNT_FIELDS)[number] | (typeof DOCUMENT_FIELDS)[number];

/** Every field but these may be left unmapped; dueDate may be, when `constants.termsDays` computes it. */
export const REQUIRED_FIELDS = ['accountNumber', 'documentNumber', 'issueDate', 'dueDate', 'amount'] as const;

export const columnsSchema = z.strictObject({
  accountNumber: columnRefSchema.optional(),
  accountName: textColumnRefSchema.optional(),
  segment: textColumnRefSchema.optional(),
  tags: textColumnRefSchema.optional(),
  timeZone: textColumnRefSchema.optional(),
  language: textColumnRefSchema.optional(),
  riskGrade: textColumnRefSchema.optional(),
  creditLimit: columnRefSchema.optional(),
  documentNumber: columnRefSchema.optional(),
  documentType: columnRefSchema.optional(),
  issueDate: columnRefSchema.optional(),
  dueDate: columnRefSchema.optional(),
  amount: columnRefSchema.optional(),
  openAmount: columnRefSchema.optional(),
  currency: columnRefSchema.optional(),
  paidDate: columnRefSchema.optional(),
  disputed: columnRefSchema.optional(),
});

/** Values for fields the file has no column for, and fallbacks when a mapped cell is empty. */
export const constantsSchema = z.strictObject({
  segment: z.string().min(1).optional(),
  /** Added to every account, on top of any tags from a column. */
  tags: z.array(z.string().min(1)).optional(),
  timeZone: timeZoneSchema.optional(),
  language: z.string().min(1).optional(),
  riskGrade: riskGradeSchema.optional(),
  /** Written with a '.' decimal in the mapping's currency, e.g. "5000.00", whatever the file's style. */
  creditLimit: z.string().min(1).optional(),
  /** Payment terms: a due date is the issue date plus this many days when the file gives none. */
  termsDays: z.number().int().min(0).max(3650).optional(),
});

const wordListSchema = z.array(z.string()).min(1);

export const importMappingSchema = z
  .strictObject({
    name: z.string().min(1).default('custom'),
    description: z.string().optional(),
    /** Field separator of the file; ';' is common where the comma is the decimal mark. */
    delimiter: z.enum([',', ';', '\t', '|']).default(','),
    dateFormat: z.enum(DATE_FORMATS),
    decimal: z
      .strictObject({ decimal: z.enum(['.', ',']), thousands: z.enum([',', '.', ' ', "'", '']) })
      .default({ decimal: '.', thousands: ',' }),
    /** The currency of every amount when no currency column is mapped or its cell is empty. */
    currency: currencySchema,
    /** Words for yes and no, matched without regard to case; an empty cell is "no". */
    booleans: z
      .strictObject({ true: wordListSchema, false: wordListSchema })
      .default({ true: ['yes', 'y', 'true', '1'], false: ['no', 'n', 'false', '0'] }),
    /** Words of a document type column, matched without regard to case. */
    documentTypes: z
      .strictObject({ invoice: wordListSchema, creditNote: wordListSchema })
      .default({ invoice: ['invoice', 'inv'], creditNote: ['credit_note', 'credit note', 'credit', 'cn'] }),
    columns: columnsSchema,
    constants: constantsSchema.default({}),
  })
  .superRefine((m, ctx) => {
    for (const field of REQUIRED_FIELDS) {
      if (m.columns[field] !== undefined) continue;
      if (field === 'dueDate' && m.constants.termsDays !== undefined) continue;
      const hint = field === 'dueDate' ? ' (or constants.termsDays)' : '';
      ctx.addIssue({ code: 'custom', path: ['columns', field], message: `a column for ${field} is required${hint}` });
    }
    if (m.columns.accountNumber?.optional === true || m.columns.documentNumber?.optional === true || m.columns.amount?.optional === true)
      ctx.addIssue({ code: 'custom', path: ['columns'], message: 'the account number, document number and amount columns cannot be optional' });
    const yes = new Set(m.booleans.true.map(fold));
    const both = m.booleans.false.map(fold).filter((w) => yes.has(w));
    if (both.length > 0) ctx.addIssue({ code: 'custom', path: ['booleans'], message: `a word cannot mean both yes and no: ${both.join(', ')}` });
    const inv = new Set(m.documentTypes.invoice.map(fold));
    const clash = m.documentTypes.creditNote.map(fold).filter((w) => inv.has(w));
    if (clash.length > 0)
      ctx.addIssue({ code: 'custom', path: ['documentTypes'], message: `a word cannot mean both invoice and credit note: ${clash.join(', ')}` });
    if (m.decimal.decimal === m.decimal.thousands)
      ctx.addIssue({ code: 'custom', path: ['decimal'], message: 'the decimal mark and the thousands separator must differ' });
    if (m.constants.creditLimit !== undefined) {
      const r = parseAmount(m.constants.creditLimit, m.currency, { decimal: '.', thousands: '' });
      if (!r.ok || r.value < 0)
        ctx.addIssue({ code: 'custom', path: ['constants', 'creditLimit'], message: `expected ${r.ok ? 'a positive amount' : r.expected}` });
    }
  });
export type ImportMapping = z.output<typeof importMappingSchema>;
/** A mapping as written in JSON, before defaults. */
export type ImportMappingInput = z.input<typeof importMappingSchema>;

export function fold(word: string): string {
  return word.trim().toLowerCase();
}

export type MappingResult = { ok: true; mapping: ImportMapping } | { ok: false; error: string };

const extendsSchema = z.looseObject({ extends: z.enum(PRESET_NAMES).optional() });

/**
 * A preset name ("ibm", "dunwell"), a mapping object parsed from JSON, or JSON text. Returns a message
 * instead of throwing, so the CLI and the HTTP API can both show it.
 */
export function resolveMapping(input: unknown): MappingResult {
  let value = input;
  if (typeof value === 'string') {
    const s = value.trim();
    if (isPresetName(s)) return { ok: true, mapping: importMappingSchema.parse(PRESETS[s]) };
    if (!s.startsWith('{')) return { ok: false, error: `unknown mapping preset "${s}": expected ${PRESET_NAMES.join(' or ')}, or a mapping JSON` };
    try {
      value = JSON.parse(s) as unknown;
    } catch (e) {
      return { ok: false, error: `the mapping is not JSON: ${(e as Error).message}` };
    }
  }
  const head = extendsSchema.safeParse(value);
  if (!head.success) return { ok: false, error: describe(head.error, `"extends" must be ${PRESET_NAMES.join(' or ')}`) };
  const { extends: base, ...own } = head.data;
  const merged = mergeMapping(base === undefined ? {} : PRESETS[base], own);
  const parsed = importMappingSchema.safeParse(merged);
  if (!parsed.success) return { ok: false, error: describe(parsed.error) };
  return { ok: true, mapping: parsed.data };
}

export function isPresetName(s: string): s is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(s);
}

/** Top-level keys replace; `columns` and `constants` merge key by key and `null` deletes a key. */
function mergeMapping(base: Record<string, unknown>, own: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base, ...own };
  for (const key of ['columns', 'constants'] as const) {
    const b = base[key];
    const o = own[key];
    if (!isPlainObject(o)) continue;
    const m = new Map(Object.entries(isPlainObject(b) ? b : {}));
    for (const [k, v] of Object.entries(o)) {
      if (v === null) m.delete(k);
      else m.set(k, v);
    }
    out[key] = Object.fromEntries(m);
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(error: z.ZodError, fallback?: string): string {
  const issues = error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    return path === '' ? i.message : `${path}: ${i.message}`;
  });
  return issues.length > 0 ? issues.join('; ') : (fallback ?? 'invalid mapping');
}

/** The columns a mapping names, each once: what the file's header is checked against. */
export function mappedColumns(mapping: ImportMapping): { field: MappedField; column: string; optional: boolean }[] {
  const out: { field: MappedField; column: string; optional: boolean }[] = [];
  for (const field of [...ACCOUNT_FIELDS, ...DOCUMENT_FIELDS]) {
    const ref = mapping.columns[field];
    if (ref !== undefined) out.push({ field, column: ref.column, optional: ref.optional });
  }
  return out;
}

/**
 * Finds each mapped column in a header: by its exact name, else ignoring surrounding spaces and case
 * (spreadsheets pad and re-case headers). Returns the header's own spelling of each found column, and
 * the columns the mapping requires but the header lacks.
 */
export function resolveColumns(
  mapping: ImportMapping,
  header: readonly string[],
): { columns: Partial<Record<MappedField, string>>; missing: string[] } {
  const exact = new Set(header);
  const loose = new Map<string, string | null>();
  for (const h of header) {
    const k = h.trim().toLowerCase();
    loose.set(k, loose.has(k) ? null : h);
  }
  const columns: Partial<Record<MappedField, string>> = {};
  const missing: string[] = [];
  for (const { field, column, optional } of mappedColumns(mapping)) {
    const key = exact.has(column) ? column : loose.get(column.trim().toLowerCase());
    if (typeof key === 'string') columns[field] = key;
    else if (!optional && !missing.includes(column)) missing.push(column);
  }
  return { columns, missing };
}
