/**
 * The built-in mappings, written exactly as a user's JSON mapping file would be (docs/import.md shows
 * them), so a user can copy one and change what their ERP does differently.
 */
import type { ImportMappingInput } from './mapping';

export const PRESET_NAMES = ['dunwell', 'ibm'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/**
 * The documented generic format: snake_case headers, ISO dates, '.' decimal and no thousands separator,
 * so a spreadsheet's locale cannot change how a file reads. Only the five key columns must be present.
 */
const dunwell = {
  name: 'dunwell',
  delimiter: ',',
  dateFormat: 'YYYY-MM-DD',
  decimal: { decimal: '.', thousands: '' },
  currency: 'USD',
  booleans: { true: ['true', 'yes', 'y', '1'], false: ['false', 'no', 'n', '0'] },
  documentTypes: { invoice: ['invoice'], creditNote: ['credit_note'] },
  columns: {
    accountNumber: 'account_number',
    accountName: { column: 'account_name', optional: true },
    segment: { column: 'segment', optional: true },
    tags: { column: 'tags', optional: true, separator: ';' },
    timeZone: { column: 'time_zone', optional: true },
    language: { column: 'language', optional: true },
    riskGrade: { column: 'risk_grade', optional: true },
    creditLimit: { column: 'credit_limit', optional: true },
    documentNumber: 'document_number',
    documentType: { column: 'document_type', optional: true },
    issueDate: 'issue_date',
    dueDate: 'due_date',
    currency: { column: 'currency', optional: true },
    amount: 'amount',
    openAmount: { column: 'open_amount', optional: true },
    paidDate: { column: 'paid_date', optional: true },
    disputed: { column: 'disputed', optional: true },
  },
  constants: {},
} satisfies ImportMappingInput;

/**
 * IBM's "Late Payment Histories" sample (shared/data/README.md). Every invoice in it is settled, so it
 * is meant to be replayed as of a date. The invoice number stays text: its leading zeros are part of it.
 * PaperlessBill is the billing channel on each invoice; as an account tag the newest invoice's wins.
 */
const ibm = {
  name: 'ibm',
  delimiter: ',',
  dateFormat: 'M/D/YYYY',
  decimal: { decimal: '.', thousands: ',' },
  currency: 'USD',
  booleans: { true: ['Yes'], false: ['No'] },
  columns: {
    accountNumber: 'customerID',
    segment: { column: 'countryCode', template: 'country-{value}' },
    tags: { column: 'PaperlessBill', values: { Electronic: 'paperless', Paper: 'paper' } },
    documentNumber: 'invoiceNumber',
    issueDate: 'InvoiceDate',
    dueDate: 'DueDate',
    amount: 'InvoiceAmount',
    paidDate: 'SettledDate',
    disputed: 'Disputed',
  },
  constants: {},
} satisfies ImportMappingInput;

export const PRESETS: Record<PresetName, ImportMappingInput> = { dunwell, ibm };
