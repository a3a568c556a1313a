/**
 * Money as integer minor units with an ISO 4217 currency. Never a float: 0.1 + 0.2 is not a sum a
 * ledger may produce. Amounts are safe integers (|n| ≤ 2^53 − 1, about 90 trillion dollars in cents),
 * checked where they are made, so plain `+` on them stays exact.
 *
 * The number of minor digits comes from the platform's ISO 4217 data through Intl (JPY 0, USD 2, KWD 3),
 * the same table the formatter uses, so parsing and display cannot disagree.
 */
import { z } from 'zod';

export type CurrencyCode = string & { readonly __brand: 'CurrencyCode' };
/** A whole number of minor units (cents for USD), possibly negative (credits). */
export type Minor = number & { readonly __brand: 'Minor' };

export interface Money {
  readonly amount: Minor;
  readonly currency: CurrencyCode;
}

const CURRENCY = /^[A-Z]{3}$/;
let known: ReadonlySet<string> | undefined;

/**
 * An ISO 4217 code the platform knows. Intl formats any well-formed code (it would print "XYZ 1.00"),
 * so the check is against its list of supported currencies, not a trial format.
 */
export function isCurrencyCode(s: string): s is CurrencyCode {
  if (!CURRENCY.test(s)) return false;
  known ??= new Set(Intl.supportedValuesOf('currency'));
  return known.has(s);
}

export const currencySchema = z
  .string()
  .refine(isCurrencyCode, { message: 'expected an ISO 4217 currency code such as USD' });

export const minorSchema = z
  .number()
  .int({ message: 'expected a whole number of minor units' })
  .refine(Number.isSafeInteger, { message: 'amount out of range' })
  .transform((n) => n as Minor);

export const moneySchema = z.object({ amount: minorSchema, currency: currencySchema });

export function minor(n: number): Minor {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a whole number of minor units: ${n}`);
  return n as Minor;
}

export const ZERO = 0 as Minor;

const digitsCache = new Map<string, number>();

/** Minor-unit digits of a currency (2 for USD, 0 for JPY, 3 for KWD). */
export function minorDigits(currency: CurrencyCode): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, d);
  }
  return d;
}

export function money(amount: number, currency: CurrencyCode): Money {
  return { amount: minor(amount), currency };
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`currency mismatch: ${a.currency} and ${b.currency}`);
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

export function negate(a: Money): Money {
  return money(-(a.amount as number), a.currency);
}

export function sumMinor(values: Iterable<number>): Minor {
  let s = 0;
  for (const v of values) s += v;
  return minor(s);
}

/**
 * Splits `total` into parts proportional to `weights` by the largest-remainder method: the parts are
 * whole minor units and add up to `total` exactly (an instalment plan of $100 in 3 is 33.34, 33.33, 33.33).
 * Ties in remainder go to the earlier part, so the split is deterministic.
 */
export function splitProportionally(total: Minor, weights: readonly number[]): Minor[] {
  if (weights.length === 0) throw new RangeError('nothing to split into');
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new RangeError('weights must be non-negative integers');
  // Summed as BigInt: a float sum of large safe weights rounds, and the parts would then not add up.
  const big = weights.reduce((a, w) => a + BigInt(w), 0n);
  if (big === 0n) throw new RangeError('weights must not all be zero');
  const sign = total < 0 ? -1n : 1n;
  const abs = BigInt(Math.abs(total));
  const parts = weights.map((w) => (abs * BigInt(w)) / big);
  const rema = weights.map((w, i) => ({ i, r: (abs * BigInt(w)) % big }));
  let left = abs - parts.reduce((a, b) => a + b, 0n);
  rema.sort((x, y) => (y.r > x.r ? 1 : y.r < x.r ? -1 : x.i - y.i));
  for (const { i } of rema) {
    if (left === 0n) break;
    parts[i] = (parts[i] ?? 0n) + 1n;
    left -= 1n;
  }
  // Signed in BigInt, which has no −0, so a zero part of a negative total is a plain 0.
  return parts.map((p) => minor(Number(sign * p)));
}

export type DecimalStyle = { decimal: '.' | ','; thousands: ',' | '.' | ' ' | "'" | '' };

/**
 * Parses a written amount exactly into minor units: "1,234.56", "$1,234.56", "(12.00)" and "-12.00" for
 * credits, "1.234,56" with a comma decimal. More fraction digits than the currency has is an error, not
 * a rounding: an extract that says 10.005 USD is wrong and must be fixed at its source.
 * Returns a message instead of throwing so an import can name the row and column.
 */
export function parseAmount(
  text: string,
  currency: CurrencyCode,
  style: DecimalStyle = { decimal: '.', thousands: ',' },
): { ok: true; value: Minor } | { ok: false; expected: string } {
  let s = text.trim();
  const expected = `an amount in ${currency} with at most ${minorDigits(currency)} decimals, like ${example(currency, style)}`;
  if (s === '') return { ok: false, expected };
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  if (s.startsWith('-') || s.startsWith('−')) {
    if (negative) return { ok: false, expected };
    negative = true;
    s = s.slice(1).trim();
  } else if (s.endsWith('-')) {
    negative = true;
    s = s.slice(0, -1).trim();
  }
  // Currency symbols and codes around the number: $, €, £, ¥, "USD", "US$". A sign or a parenthesis is
  // not a symbol: stripping it would turn "$-12.00" into a positive amount.
  s = s
    .replace(/^[A-Z]{3}\s*/, '')
    .replace(/\s*[A-Z]{3}$/, '')
    .replace(/^[^\d.,\s()\-−]{1,3}\s*/u, '')
    .replace(/\s*[^\d.,\s()\-−]{1,3}$/u, '');
  // Text with no digit at all ("N/A", "$", "-") is not zero, it is missing.
  if (!/\d/.test(s)) return { ok: false, expected };
  if (s.startsWith('-')) {
    if (negative) return { ok: false, expected };
    negative = true;
    s = s.slice(1);
  }
  const { decimal, thousands } = style;
  let intPart = s;
  let fracPart = '';
  const at = s.lastIndexOf(decimal);
  if (at >= 0) {
    intPart = s.slice(0, at);
    fracPart = s.slice(at + 1);
  }
  if (thousands !== '' && intPart.includes(thousands)) {
    const groups = intPart.split(thousands);
    if (!/^\d{1,3}$/.test(groups[0] ?? '') || groups.slice(1).some((g) => !/^\d{3}$/.test(g))) return { ok: false, expected };
    intPart = groups.join('');
  }
  if (intPart === '') intPart = '0';
  if (!/^\d+$/.test(intPart) || !/^\d*$/.test(fracPart)) return { ok: false, expected };
  const digits = minorDigits(currency);
  if (fracPart.length > digits) return { ok: false, expected };
  const value = Number(intPart + fracPart.padEnd(digits, '0'));
  if (!Number.isSafeInteger(value)) return { ok: false, expected };
  return { ok: true, value: minor(negative && value !== 0 ? -value : value) };
}

function example(currency: CurrencyCode, style: DecimalStyle): string {
  const digits = minorDigits(currency);
  const frac = digits > 0 ? style.decimal + '50'.padEnd(digits, '0').slice(0, digits) : '';
  return `1${style.thousands}234${frac}`;
}

/** Decimal text of minor units without locale, for CSV export and logs: -1234.5 USD → "-1234.50". */
export function toDecimalString(amount: Minor, currency: CurrencyCode): string {
  const digits = minorDigits(currency);
  const neg = amount < 0;
  const s = String(Math.abs(amount)).padStart(digits + 1, '0');
  const body = digits === 0 ? s : `${s.slice(0, -digits)}.${s.slice(-digits)}`;
  return neg ? `-${body}` : body;
}

/** Locale formatting for people; the value is exact because minor units convert with one division. */
export function formatMoney(amount: Minor, currency: CurrencyCode, locale?: string): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount / 10 ** digits);
}
