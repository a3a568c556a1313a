/**
 * Readers for one CSV cell each, built once per import from the mapping. A reader returns the value or
 * the words of what was expected, never throws, so the import can name the row and the column.
 *
 * An extract of 100k rows repeats the same few hundred dates, currencies and time zones, so the readers
 * memoise by the raw text: most cells are then one Map lookup instead of a regex and a calendar
 * conversion.
 */
import { parseDate, type CalendarDate, type DateFormat } from '../calendar';
import { isCurrencyCode, minorDigits, parseAmount, type CurrencyCode, type DecimalStyle, type Minor } from '../money';
import { fold, type ImportMapping, type TextColumnRef } from './mapping';

export type Read<T> = { ok: true; value: T } | { ok: false; expected: string };

const DATE_EXAMPLE: Record<DateFormat, string> = { 'YYYY-MM-DD': '2013-01-31', 'M/D/YYYY': '1/31/2013', 'D/M/YYYY': '31/1/2013' };
const DATE_SHAPE: Record<DateFormat, RegExp> = {
  'YYYY-MM-DD': /^\d{4}-\d{1,2}-\d{1,2}$/,
  'M/D/YYYY': /^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$/,
  'D/M/YYYY': /^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$/,
};

export function dateReader(format: DateFormat): (text: string) => Read<CalendarDate> {
  const cache = new Map<string, Read<CalendarDate>>();
  const wanted = `a date in ${format}, such as ${DATE_EXAMPLE[format]}`;
  return (text) => {
    let r = cache.get(text);
    if (r === undefined) {
      const d = parseDate(text, format);
      if (d !== undefined) r = { ok: true, value: d };
      else if (DATE_SHAPE[format].test(text)) r = { ok: false, expected: `a real calendar date in ${format}: ${text} does not exist` };
      else {
        const other = (Object.keys(DATE_SHAPE) as DateFormat[]).find((f) => f !== format && parseDate(text, f) !== undefined);
        // A whole file in another format usually means the mapping declares the wrong one: say so.
        r = { ok: false, expected: other === undefined ? wanted : `${wanted} (this looks like ${other}: check the mapping's dateFormat)` };
      }
      cache.set(text, r);
    }
    return r;
  };
}

/**
 * parseAmount, with a fast path for the plain "-1234.56" most extracts write; anything else (symbols,
 * separators, parentheses, errors) goes through parseAmount itself, which alone words the errors.
 */
export function amountReader(style: DecimalStyle): (text: string, currency: CurrencyCode) => Read<Minor> {
  const plain = style.decimal === '.' ? /^(-?)(\d{1,15})(?:\.(\d{1,3}))?$/ : /^(-?)(\d{1,15})(?:,(\d{1,3}))?$/;
  return (text, currency) => {
    const m = plain.exec(text);
    if (m !== null) {
      const digits = minorDigits(currency);
      const frac = m[3] ?? '';
      if (frac.length <= digits) {
        const value = Number((m[2] ?? '') + frac.padEnd(digits, '0'));
        if (Number.isSafeInteger(value)) return { ok: true, value: (m[1] === '-' && value !== 0 ? -value : value) as Minor };
      }
    }
    const r = parseAmount(text, currency, style);
    return r.ok ? { ok: true, value: r.value } : { ok: false, expected: r.expected };
  };
}

export function booleanReader(words: ImportMapping['booleans']): (text: string) => Read<boolean> {
  const map = new Map<string, boolean>();
  for (const w of words.true) map.set(fold(w), true);
  for (const w of words.false) map.set(fold(w), false);
  const expected = `one of ${[...words.true, ...words.false].join(', ')}`;
  return (text) => {
    const v = map.get(fold(text));
    return v === undefined ? { ok: false, expected } : { ok: true, value: v };
  };
}

export function documentTypeReader(words: ImportMapping['documentTypes']): (text: string) => Read<'invoice' | 'credit_note'> {
  const map = new Map<string, 'invoice' | 'credit_note'>();
  for (const w of words.invoice) map.set(fold(w), 'invoice');
  for (const w of words.creditNote) map.set(fold(w), 'credit_note');
  const expected = `one of ${[...words.invoice, ...words.creditNote].join(', ')} (or leave it empty: the sign of the amount decides)`;
  return (text) => {
    const v = map.get(fold(text));
    return v === undefined ? { ok: false, expected } : { ok: true, value: v };
  };
}

/** The ERP's words translated by `values` (if any), then wrapped by `template` (if any). */
export function textReader(ref: TextColumnRef | undefined): (text: string) => Read<string> {
  const values = ref?.values;
  const template = ref?.template;
  const map = values === undefined ? undefined : new Map(Object.entries(values).map(([k, v]) => [fold(k), v] as const));
  const expected = values === undefined ? '' : `one of ${Object.keys(values).join(', ')}`;
  return (text) => {
    let v = text;
    if (map !== undefined) {
      const t = map.get(fold(text));
      if (t === undefined) return { ok: false, expected };
      v = t;
    }
    return { ok: true, value: template === undefined ? v : template.replaceAll('{value}', v) };
  };
}

/** A validity check memoised by text, for checks that go through Intl (time zones, languages, currencies). */
export function memo<T>(check: (text: string) => T | undefined, expected: string): (text: string) => Read<T> {
  const cache = new Map<string, Read<T>>();
  return (text) => {
    let r = cache.get(text);
    if (r === undefined) {
      const v = check(text);
      r = v === undefined ? { ok: false, expected } : { ok: true, value: v };
      cache.set(text, r);
    }
    return r;
  };
}

export function toCurrency(text: string): CurrencyCode | undefined {
  const s = text.toUpperCase();
  return isCurrencyCode(s) ? s : undefined;
}

export function toTimeZone(text: string): string | undefined {
  try {
    // The canonical spelling, so "america/chicago" and "America/Chicago" are one account attribute.
    return new Intl.DateTimeFormat('en', { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

export function toLanguage(text: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(text)[0];
  } catch {
    return undefined;
  }
}
