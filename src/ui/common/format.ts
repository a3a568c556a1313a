/**
 * Numbers, money, dates and times for people, through Intl in the user's locale (the browser's
 * languages). Formatters are built once per option set: a 20k-row list formats the same currencies
 * over and over, and `new Intl.NumberFormat` costs far more than `format`.
 *
 * Calendar dates (YYYY-MM-DD) are days, not instants: they are shown in UTC so no time zone moves them
 * to the day before.
 */
import type { CalendarDate } from '../../domain/calendar';
import { minorDigits, type CurrencyCode } from '../../domain/money';

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key);
  if (f === undefined) {
    f = make();
    cache.set(key, f);
  }
  return f as T;
}

export function formatMoney(amount: number, currency: string): string {
  // XXX is ISO 4217's "no currency": an account with nothing open; show a plain zero.
  if (currency === 'XXX') return formatNumber(amount);
  const f = cached(`money:${currency}`, () => new Intl.NumberFormat(undefined, { style: 'currency', currency }));
  return f.format(amount / 10 ** minorDigits(currency as CurrencyCode));
}

/** Money as a plain decimal for an input field's starting value (no symbol, no grouping). */
export function moneyInputValue(amount: number, currency: string): string {
  const digits = currency === 'XXX' ? 0 : minorDigits(currency as CurrencyCode);
  return (amount / 10 ** digits).toFixed(digits);
}

export function formatNumber(n: number, maximumFractionDigits = 0): string {
  return cached(`num:${maximumFractionDigits}`, () => new Intl.NumberFormat(undefined, { maximumFractionDigits })).format(n);
}

export function formatPercent(ratio: number): string {
  return cached('pct', () => new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 })).format(ratio);
}

export function formatBytes(bytes: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let i = 0;
  let v = bytes;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const unit = units[i] ?? 'byte';
  return cached(`bytes:${unit}`, () => new Intl.NumberFormat(undefined, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 })).format(v);
}

export function formatDate(date: CalendarDate | string): string {
  const [y, m, d] = date.split('-').map(Number);
  const ms = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
  return cached('date', () => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' })).format(ms);
}

/** An instant in the user's own time zone. */
export function formatDateTime(instant: string): string {
  return cached('datetime', () => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })).format(Date.parse(instant));
}

export function formatTime(instant: string): string {
  return cached('time', () => new Intl.DateTimeFormat(undefined, { timeStyle: 'short' })).format(Date.parse(instant));
}

/** An instant in another time zone (the debtor's), with the zone's name, for calling hours. */
export function formatDateTimeIn(instant: string, timeZone: string): string {
  // Fields, not dateStyle/timeStyle: Intl refuses timeZoneName beside the style shorthands.
  const f = () => new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone, timeZoneName: 'short' });
  return cached(`datetime:${timeZone}`, f).format(Date.parse(instant));
}

/**
 * "5 minutes ago", "in 2 days": the largest unit that fits. With `past`, an instant after `nowMs` (a
 * sync that landed since the clock was last read) is "now", never "in 6 seconds".
 */
export function formatRelative(instant: string, nowMs: number, past = false): string {
  const f = cached('rel', () => new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }));
  const raw = (Date.parse(instant) - nowMs) / 1000;
  const seconds = past ? Math.min(0, raw) : raw;
  const abs = Math.abs(seconds);
  if (abs < 60) return f.format(Math.round(seconds), 'second');
  if (abs < 3600) return f.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return f.format(Math.round(seconds / 3600), 'hour');
  return f.format(Math.round(seconds / 86_400), 'day');
}
