import { DATE_FORMATS } from '../../domain/calendar';
import { ACCOUNT_FIELDS, DOCUMENT_FIELDS, REQUIRED_FIELDS, type MappedField } from '../../domain/import/mapping';

export interface BuiltMapping {
  readonly delimiter: ',' | ';' | '\t' | '|';
  readonly dateFormat: (typeof DATE_FORMATS)[number];
  readonly decimal: '.' | ',';
  readonly currency: string;
  readonly columns: Partial<Record<MappedField, string>>;
}

export function mappingJson(b: BuiltMapping): Record<string, unknown> {
  return {
    name: 'custom',
    delimiter: b.delimiter,
    dateFormat: b.dateFormat,
    decimal: { decimal: b.decimal, thousands: b.decimal === '.' ? ',' : '.' },
    currency: b.currency,
    columns: Object.fromEntries(Object.entries(b.columns).filter(([, c]) => c !== undefined && c !== '')),
  };
}

const FIELD_LABELS: Readonly<Record<MappedField, string>> = {
  accountNumber: 'Account number',
  accountName: 'Customer name',
  segment: 'Segment',
  tags: 'Tags',
  timeZone: 'Time zone',
  language: 'Language',
  riskGrade: 'Risk grade',
  creditLimit: 'Credit limit',
  documentNumber: 'Invoice number',
  documentType: 'Document type',
  issueDate: 'Issue date',
  dueDate: 'Due date',
  amount: 'Amount',
  openAmount: 'Open amount',
  currency: 'Currency',
  paidDate: 'Paid date',
  disputed: 'Disputed',
};

const REQUIRED: ReadonlySet<string> = new Set(REQUIRED_FIELDS);

/** A mapping from the file's own header: which column feeds each field, and how the file writes dates and amounts. */
export function MappingBuilder({ header, value, onChange }: { readonly header: readonly string[]; readonly value: BuiltMapping; readonly onChange: (next: BuiltMapping) => void }) {
  return (
    <fieldset className="stack">
      <legend>Your file’s columns</legend>
      <div className="two-up">
        <div>
          <label htmlFor="mb-date">Dates are written</label>
          <select id="mb-date" value={value.dateFormat} onChange={(e) => onChange({ ...value, dateFormat: e.target.value as BuiltMapping['dateFormat'] })}>
            {DATE_FORMATS.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="mb-decimal">Decimal mark</label>
          <select id="mb-decimal" value={value.decimal} onChange={(e) => onChange({ ...value, decimal: e.target.value as '.' | ',' })}>
            <option value=".">1,234.56</option>
            <option value=",">1.234,56</option>
          </select>
        </div>
        <div>
          <label htmlFor="mb-currency">Currency when the file has none</label>
          <input id="mb-currency" maxLength={3} value={value.currency} onChange={(e) => onChange({ ...value, currency: e.target.value.toUpperCase() })} />
        </div>
      </div>
      <div className="two-up">
        {[...ACCOUNT_FIELDS, ...DOCUMENT_FIELDS].map((field) => (
          <div key={field}>
            <label htmlFor={`mb-${field}`}>
              {FIELD_LABELS[field]}
              {REQUIRED.has(field) ? ' (required)' : ''}
            </label>
            <select id={`mb-${field}`} value={value.columns[field] ?? ''} onChange={(e) => onChange({ ...value, columns: { ...value.columns, [field]: e.target.value } })}>
              <option value="">Not in the file</option>
              {header.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** Columns whose name matches a field's usual names are preselected: most ERPs name them plainly. */
export function guessColumns(header: readonly string[]): Partial<Record<MappedField, string>> {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
  const byNorm = new Map(header.map((h) => [norm(h), h]));
  const out: Partial<Record<MappedField, string>> = {};
  for (const field of [...ACCOUNT_FIELDS, ...DOCUMENT_FIELDS]) {
    const snake = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const hit = byNorm.get(norm(field)) ?? byNorm.get(norm(snake));
    if (hit !== undefined) out[field] = hit;
  }
  return out;
}
