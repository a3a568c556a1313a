/**
 * Amounts typed by people, in their locale: "1,234.56" in English, "1.234,56" in German. Parsed exactly
 * into minor units by the engine's parseAmount with the locale's separators, then with a plain "."
 * decimal (what a number pad types) as the fallback. Never through a float.
 */
import { parseAmount, type CurrencyCode, type DecimalStyle } from '../../domain/money';

let localeStyle: DecimalStyle | undefined;

function styleOfLocale(): DecimalStyle {
  if (localeStyle !== undefined) return localeStyle;
  const parts = new Intl.NumberFormat(undefined).formatToParts(12345.6);
  const decimal = parts.find((p) => p.type === 'decimal')?.value === ',' ? ',' : '.';
  const group = parts.find((p) => p.type === 'group')?.value ?? '';
  // Narrow and no-break spaces group thousands in French and others; the parser knows a plain space.
  const thousands = /^[\s\u00a0\u202f]$/.test(group) ? ' ' : group === "'" || group === '’' ? "'" : group === '.' || group === ',' ? group : '';
  localeStyle = { decimal, thousands: thousands === decimal ? '' : thousands };
  return localeStyle;
}

export function parseMoneyInput(text: string, currency: string): { ok: true; value: number } | { ok: false; message: string } {
  const s = text.replace(/[\u00a0\u202f]/g, ' ');
  const code = currency as CurrencyCode;
  const local = parseAmount(s, code, styleOfLocale());
  if (local.ok) return { ok: true, value: local.value };
  const plain = parseAmount(s, code, { decimal: '.', thousands: '' });
  if (plain.ok) return { ok: true, value: plain.value };
  return { ok: false, message: `Expected ${local.expected}` };
}

/** Today in the user's own time zone, as YYYY-MM-DD (a promise date is the collector's calendar day). */
export function localDate(ms = Date.now()): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A datetime-local input's value (the user's time) as a UTC instant. */
export function instantOfLocalInput(value: string): string | null {
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
