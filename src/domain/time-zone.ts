/**
 * Local wall time in an IANA time zone, for rules that speak in the debtor's local time (calling hours).
 *
 * How it works. Everything reduces to one question: what is the zone's UTC offset at a given instant?
 * `Intl.DateTimeFormat#formatToParts` answers it (local wall fields minus the instant), but costs a few
 * microseconds and creating a formatter costs far more, so:
 * - one formatter per zone, created once and kept;
 * - offsets are cached per (zone, UTC hour bucket). A bucket is resolved by asking Intl at its first and
 *   last millisecond. Equal answers mean no transition inside (transitions are months apart, so an hour
 *   never holds two). Different answers mean a transition inside the hour, which happens mid-hour in
 *   zones like America/St_Johns (−3:30) or Australia/Lord_Howe (30-minute DST): the exact millisecond is
 *   found by bisection (~22 Intl calls, once per transition) and stored with the bucket. After that every
 *   lookup in the hour is a Map hit, which is what the worklist's 20k accounts at one instant need.
 * Local fields then follow by arithmetic on (instant + offset) with calendar.ts's epoch-day functions.
 *
 * Local → UTC (`instantOfLocal`) is the inverse, and not a function: a spring-forward gap has wall times
 * that never happen and a fall-back overlap has wall times that happen twice. Candidates are built from
 * the offsets a day before and a day after (the technique Temporal specifies); each candidate is kept only
 * if it reads back as the requested wall time. Documented choices:
 * - ambiguous (fall back): the EARLIER instant, the first time the clock shows that wall time;
 * - non-existent (spring forward): the transition instant itself, the first instant whose wall clock
 *   reads at or after the requested time (02:30 on the US spring-forward day → 03:00 EDT), which is what
 *   "not before 02:30 local" means.
 */
import type { CalendarDate, EpochDay } from './calendar';
import { dateOfDay, dayOf, daysFromCivil } from './calendar';
import type { Instant } from './facts';

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface LocalParts {
  readonly date: CalendarDate;
  /** Minutes since local midnight, 0..1439 (seconds dropped). */
  readonly minutes: number;
  readonly weekday: Weekday;
}

/**
 * Milliseconds since the epoch of an instant string (facts.ts `instantSchema`: `YYYY-MM-DDTHH:MM:SS[.f]Z`).
 * Char-code arithmetic rather than Date.parse: the worklist converts tens of thousands per run.
 */
export function instantMs(instant: Instant): number {
  // Inlined digits, no helper closure: tsx wraps named inner functions in a per-call helper (calendar.ts).
  const s = instant;
  const y = (s.charCodeAt(0) - 48) * 1000 + (s.charCodeAt(1) - 48) * 100 + (s.charCodeAt(2) - 48) * 10 + (s.charCodeAt(3) - 48);
  const mo = (s.charCodeAt(5) - 48) * 10 + (s.charCodeAt(6) - 48);
  const d = (s.charCodeAt(8) - 48) * 10 + (s.charCodeAt(9) - 48);
  const h = (s.charCodeAt(11) - 48) * 10 + (s.charCodeAt(12) - 48);
  const mi = (s.charCodeAt(14) - 48) * 10 + (s.charCodeAt(15) - 48);
  const sec = (s.charCodeAt(17) - 48) * 10 + (s.charCodeAt(18) - 48);
  let ms = daysFromCivil(y, mo, d) * MS_PER_DAY + h * MS_PER_HOUR + mi * MS_PER_MINUTE + sec * 1000;
  if (s.charCodeAt(19) === 46 /* '.' */) {
    // .5 is 500 ms, .05 is 50 ms: scale by the position of each fraction digit.
    let scale = 100;
    for (let i = 20; i < s.length - 1 && scale >= 1; i++, scale /= 10) ms += (s.charCodeAt(i) - 48) * scale;
  }
  return ms;
}

/** The instant string of milliseconds since the epoch, e.g. 2026-11-24T14:05:00.000Z. */
export function instantOf(ms: number): Instant {
  return new Date(ms).toISOString();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // en-US with h23 gives plain numeric fields; the era keeps years before 1 CE unambiguous.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset (local − UTC, in ms) at an instant, straight from Intl. Uncached: the slow path. */
export function intlOffsetMs(ms: number, timeZone: string): number {
  let y = 0;
  let mo = 0;
  let d = 0;
  let h = 0;
  let mi = 0;
  let s = 0;
  let bc = false;
  for (const p of formatterOf(timeZone).formatToParts(ms)) {
    switch (p.type) {
      case 'year':
        y = Number(p.value);
        break;
      case 'month':
        mo = Number(p.value);
        break;
      case 'day':
        d = Number(p.value);
        break;
      case 'hour':
        // Some ICU versions still print midnight as 24 even with h23.
        h = Number(p.value) % 24;
        break;
      case 'minute':
        mi = Number(p.value);
        break;
      case 'second':
        s = Number(p.value);
        break;
      case 'era':
        bc = p.value.startsWith('B');
        break;
      default:
        break;
    }
  }
  const wall = daysFromCivil(bc ? 1 - y : y, mo, d) * MS_PER_DAY + h * MS_PER_HOUR + mi * MS_PER_MINUTE + s * 1000;
  // Intl drops the milliseconds; drop them from the instant too so the offset is exact.
  return wall - (ms - mod(ms, 1000));
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** One resolved hour: the offset before `transitionAt` and from it on (equal, and +∞, when none). */
interface HourOffsets {
  readonly before: number;
  readonly after: number;
  readonly transitionAt: number;
}

interface ZoneCache {
  readonly hours: Map<number, HourOffsets>;
  lastBucket: number;
  lastEntry: HourOffsets | undefined;
}

/** Beyond this many cached hours (about 5.7 years) a zone's cache starts afresh: bounded memory. */
const MAX_HOURS_PER_ZONE = 50_000;

const zoneCaches = new Map<string, ZoneCache>();

function resolveHour(bucket: number, timeZone: string): HourOffsets {
  const start = bucket * MS_PER_HOUR;
  const end = start + MS_PER_HOUR - 1;
  const before = intlOffsetMs(start, timeZone);
  const after = intlOffsetMs(end, timeZone);
  if (before === after) return { before, after, transitionAt: Number.POSITIVE_INFINITY };
  // Invariant: offset(lo) = before, offset(hi) = after; narrow to adjacent milliseconds.
  let lo = start;
  let hi = end;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (intlOffsetMs(mid, timeZone) === before) lo = mid;
    else hi = mid;
  }
  return { before, after, transitionAt: hi };
}

/**
 * The zone's UTC offset (local − UTC, in ms) at an instant given in ms: a Map lookup once the instant's
 * hour has been seen. UTC and Etc/UTC skip Intl altogether.
 */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  let zc = zoneCaches.get(timeZone);
  if (!zc) {
    zc = { hours: new Map(), lastBucket: Number.NaN, lastEntry: undefined };
    zoneCaches.set(timeZone, zc);
  }
  const bucket = Math.floor(ms / MS_PER_HOUR);
  let entry = zc.lastBucket === bucket ? zc.lastEntry : zc.hours.get(bucket);
  if (!entry) {
    if (zc.hours.size >= MAX_HOURS_PER_ZONE) zc.hours.clear();
    entry = resolveHour(bucket, timeZone);
    zc.hours.set(bucket, entry);
  }
  zc.lastBucket = bucket;
  zc.lastEntry = entry;
  return ms < entry.transitionAt ? entry.before : entry.after;
}

/** Local date, minutes since local midnight and weekday of an instant in a zone. */
export function localParts(instant: Instant, timeZone: string): LocalParts {
  return localPartsOfMs(instantMs(instant), timeZone);
}

export function localPartsOfMs(ms: number, timeZone: string): LocalParts {
  const local = ms + zoneOffsetMs(ms, timeZone);
  const day: EpochDay = Math.floor(local / MS_PER_DAY);
  return {
    date: dateOfDay(day),
    minutes: Math.floor((local - day * MS_PER_DAY) / MS_PER_MINUTE),
    // 1970-01-01 was a Thursday (4).
    weekday: mod(day + 4, 7) as Weekday,
  };
}

/** Minutes since local midnight of an instant in ms, without building a date string (hot path). */
export function localMinutesOfMs(ms: number, timeZone: string): number {
  const local = ms + zoneOffsetMs(ms, timeZone);
  return Math.floor(mod(local, MS_PER_DAY) / MS_PER_MINUTE);
}

/**
 * The instant (ms) at which the wall clock in `timeZone` shows `minutes` after midnight of local day
 * `day` (minutes may exceed a day or be negative: plain wall-clock arithmetic). Ambiguous → the earlier
 * instant; in a gap → the transition instant (see the file header).
 */
export function msOfLocal(day: EpochDay, minutes: number, timeZone: string): number {
  const wall = day * MS_PER_DAY + minutes * MS_PER_MINUTE;
  const offBefore = zoneOffsetMs(wall - MS_PER_DAY, timeZone);
  const offAfter = zoneOffsetMs(wall + MS_PER_DAY, timeZone);
  const t1 = wall - offBefore;
  const t2 = wall - offAfter;
  const ok1 = zoneOffsetMs(t1, timeZone) === offBefore;
  const ok2 = zoneOffsetMs(t2, timeZone) === offAfter;
  if (ok1 && ok2) return Math.min(t1, t2);
  if (ok1) return t1;
  if (ok2) return t2;
  // A gap: the clock jumps from before to after somewhere in [t2, t1]; find the first instant on the
  // far side. Lookups here hit the hour cache, whose entry already holds the exact transition.
  let lo = Math.min(t1, t2);
  let hi = Math.max(t1, t2);
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (zoneOffsetMs(mid, timeZone) === offBefore) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The UTC instant of a local wall time; ambiguous → earlier, non-existent → the transition instant. */
export function instantOfLocal(date: CalendarDate, minutes: number, timeZone: string): Instant {
  return instantOf(msOfLocal(dayOf(date), minutes, timeZone));
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** 'HH:MM' of minutes since midnight. */
export function formatMinutes(minutes: number): string {
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/** Minutes since midnight of 'HH:MM' (validated by the caller's schema). */
export function parseMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** 'YYYY-MM-DD HH:MM' in the zone's local time: how a reason sentence shows an instant to a collector. */
export function formatLocal(ms: number, timeZone: string): string {
  const p = localPartsOfMs(ms, timeZone);
  return `${p.date} ${formatMinutes(p.minutes)}`;
}
