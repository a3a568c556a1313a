/**
 * Instants as milliseconds for the strategy's hot path. Instants arrive as ISO strings in UTC (schema
 * checked where they were read), so they are parsed by char codes on top of `dayOf`, and printed back
 * without Date: evaluating 20k accounts parses a few instants each, and Date.parse costs several times
 * more. Whole days are UTC days; the debtor's local time is the compliance pack's concern.
 */
import { dateOfDay, dayOf, type CalendarDate, type EpochDay } from './calendar';
import type { Instant } from './facts';
import { flat } from './retained';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** Milliseconds since the epoch of an instant: one parser for the engine, in time-zone.ts. */
export { instantMs } from './time-zone';

/** Midnight UTC starting a calendar date. */
export function dayStartMs(date: CalendarDate | string): number {
  return dayOf(date) * DAY_MS;
}

export function dayOfMs(ms: number): EpochDay {
  return Math.floor(ms / DAY_MS);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

// Memoized: a worklist run prints the same few hundred days over and over (due dates, entry dates).
const dateCache = new Map<EpochDay, CalendarDate>();

/** `dateOfDay`, memoized. */
export function dateOfEpochDay(day: EpochDay): CalendarDate {
  let s = dateCache.get(day);
  if (s === undefined) {
    if (dateCache.size >= 20_000) dateCache.clear();
    s = dateOfDay(day);
    dateCache.set(day, s);
  }
  return s;
}

/** The UTC calendar date of an instant in milliseconds. */
export function dateOfMs(ms: number): CalendarDate {
  return dateOfEpochDay(Math.floor(ms / DAY_MS));
}

// Memoized too: due times repeat across accounts (a level's entry day, a step's date), and a worklist
// keeps every one it prints.
const instantCache = new Map<number, Instant>();

/** `YYYY-MM-DDTHH:MM:SS.mmmZ`, the shape Date#toISOString prints. */
export function instantOfMs(ms: number): Instant {
  let s = instantCache.get(ms);
  if (s === undefined) {
    if (instantCache.size >= 20_000) instantCache.clear();
    s = flat(printInstant(ms));
    instantCache.set(ms, s);
  }
  return s;
}

function printInstant(ms: number): Instant {
  const day = Math.floor(ms / DAY_MS);
  let rest = ms - day * DAY_MS;
  if (rest === 0) return `${dateOfEpochDay(day)}T00:00:00.000Z`;
  const h = Math.floor(rest / HOUR_MS);
  rest -= h * HOUR_MS;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const f = rest - s * 1000;
  const frac = f < 10 ? `00${f}` : f < 100 ? `0${f}` : String(f);
  return `${dateOfEpochDay(day)}T${pad2(h)}:${pad2(m)}:${pad2(s)}.${frac}Z`;
}

const dayStartCache = new Map<string, Instant>();

/** Midnight UTC starting a calendar date, as an instant (memoized, like the dates above). */
export function dayStartInstant(date: CalendarDate | string): Instant {
  let s = dayStartCache.get(date);
  if (s === undefined) {
    if (dayStartCache.size >= 20_000) dayStartCache.clear();
    s = flat(`${date.slice(0, 10)}T00:00:00.000Z`);
    dayStartCache.set(date, s);
  }
  return s;
}
