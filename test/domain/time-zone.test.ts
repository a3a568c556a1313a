import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CalendarDate } from '../../src/domain/calendar';
import { dayOf } from '../../src/domain/calendar';
import { instantMs, instantOfLocal, localParts, localPartsOfMs, msOfLocal, zoneOffsetMs } from '../../src/domain/time-zone';

const d = (s: string) => s as CalendarDate;
const hm = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

const ZONES = [
  'America/New_York',
  'America/Chicago',
  'Pacific/Honolulu',
  'Asia/Tokyo',
  'Europe/London',
  'America/St_Johns',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'America/Santiago',
  'UTC',
] as const;

/** The reference: a fresh formatter, independent of the module's caches, giving local wall ms. */
const refFormatters = new Map<string, Intl.DateTimeFormat>();
function refWall(ms: number, tz: string): number {
  let f = refFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    refFormatters.set(tz, f);
  }
  // sv-SE prints "2026-03-08 03:00:00".
  const s = f.format(ms);
  return Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10)), Number(s.slice(11, 13)) % 24, Number(s.slice(14, 16)), Number(s.slice(17, 19))) + (((ms % 1000) + 1000) % 1000);
}

describe('time-zone: localParts', () => {
  it.each([
    ['2026-06-15T11:59:00.000Z', 'America/New_York', '2026-06-15', '07:59', 1],
    ['2026-01-15T12:59:00.000Z', 'America/New_York', '2026-01-15', '07:59', 4],
    ['2026-06-15T12:59:00.000Z', 'America/Chicago', '2026-06-15', '07:59', 1],
    ['2026-06-15T17:59:00.000Z', 'Pacific/Honolulu', '2026-06-15', '07:59', 1],
    ['2026-06-14T22:59:00.000Z', 'Asia/Tokyo', '2026-06-15', '07:59', 1],
    ['2026-06-15T06:59:00.000Z', 'Europe/London', '2026-06-15', '07:59', 1],
    ['2026-01-15T07:59:00.000Z', 'Europe/London', '2026-01-15', '07:59', 4],
    ['2026-01-01T00:00:00.000Z', 'Asia/Kathmandu', '2026-01-01', '05:45', 4],
    ['2026-01-01T00:00:00Z', 'UTC', '2026-01-01', '00:00', 4],
    ['2026-03-08T06:59:59.999Z', 'America/New_York', '2026-03-08', '01:59', 0],
    ['2026-03-08T07:00:00.000Z', 'America/New_York', '2026-03-08', '03:00', 0],
    ['2026-11-01T05:59:59.999Z', 'America/New_York', '2026-11-01', '01:59', 0],
    ['2026-11-01T06:00:00.000Z', 'America/New_York', '2026-11-01', '01:00', 0],
    ['2026-03-29T00:59:59.999Z', 'Europe/London', '2026-03-29', '00:59', 0],
    ['2026-03-29T01:00:00.000Z', 'Europe/London', '2026-03-29', '02:00', 0],
    ['2026-10-25T00:59:59.999Z', 'Europe/London', '2026-10-25', '01:59', 0],
    ['2026-10-25T01:00:00.000Z', 'Europe/London', '2026-10-25', '01:00', 0],
  ])('%s in %s is %s %s (weekday %i)', (instant, tz, date, time, weekday) => {
    expect(localParts(instant, tz)).toEqual({ date, minutes: hm(time), weekday });
  });

  it('finds a transition in the middle of a UTC hour (St John’s −3:30, Lord Howe’s 30-minute DST), whatever was asked first', () => {
    // Ask the later half of the hour first, so a cache that stored one offset per hour would answer wrongly.
    expect(localParts('2026-03-08T05:45:00.000Z', 'America/St_Johns')).toMatchObject({ minutes: hm('03:15') });
    expect(localParts('2026-03-08T05:10:00.000Z', 'America/St_Johns')).toMatchObject({ minutes: hm('01:40') });
    expect(localParts('2026-03-08T05:29:59.999Z', 'America/St_Johns')).toMatchObject({ minutes: hm('01:59') });
    expect(localParts('2026-03-08T05:30:00.000Z', 'America/St_Johns')).toMatchObject({ minutes: hm('03:00') });
    expect(localParts('2026-10-03T15:45:00.000Z', 'Australia/Lord_Howe')).toMatchObject({ date: '2026-10-04', minutes: hm('02:45') });
    expect(localParts('2026-10-03T15:29:00.000Z', 'Australia/Lord_Howe')).toMatchObject({ date: '2026-10-04', minutes: hm('01:59') });
  });

  it('agrees with a fresh Intl formatter at random instants 1990–2045 in zones with odd offsets and DST', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2045, 0, 1) }), fc.constantFrom(...ZONES), (ms, tz) => {
        expect(zoneOffsetMs(ms, tz)).toBe(refWall(ms, tz) - ms);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with Intl to the millisecond around transitions', () => {
    const transitions = [
      ['2026-03-08T07:00:00.000Z', 'America/New_York'],
      ['2026-11-01T06:00:00.000Z', 'America/New_York'],
      ['2026-03-29T01:00:00.000Z', 'Europe/London'],
      ['2026-10-25T01:00:00.000Z', 'Europe/London'],
      ['2026-03-08T05:30:00.000Z', 'America/St_Johns'],
      ['2026-10-03T15:30:00.000Z', 'Australia/Lord_Howe'],
    ] as const;
    fc.assert(
      fc.property(fc.constantFrom(...transitions), fc.integer({ min: -2 * 3_600_000, max: 2 * 3_600_000 }), ([at, tz], delta) => {
        const ms = instantMs(at) + delta;
        expect(zoneOffsetMs(ms, tz)).toBe(refWall(ms, tz) - ms);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('time-zone: instantMs', () => {
  it('parses every precision the instant schema allows, like Date.parse', () => {
    for (const s of ['2026-11-24T14:05:00Z', '2026-11-24T14:05:00.5Z', '2026-11-24T14:05:00.05Z', '2026-11-24T14:05:00.123Z', '1970-01-01T00:00:00.000Z'])
      expect(instantMs(s)).toBe(Date.parse(s));
  });
});

describe('time-zone: instantOfLocal', () => {
  it.each([
    ['2026-06-15', '08:00', 'America/New_York', '2026-06-15T12:00:00.000Z'],
    ['2026-01-15', '08:00', 'America/New_York', '2026-01-15T13:00:00.000Z'],
    ['2026-06-15', '08:00', 'Asia/Tokyo', '2026-06-14T23:00:00.000Z'],
    ['2026-06-15', '08:00', 'Pacific/Honolulu', '2026-06-15T18:00:00.000Z'],
    ['2026-03-08', '08:00', 'America/New_York', '2026-03-08T12:00:00.000Z'],
    ['2026-11-01', '08:00', 'America/New_York', '2026-11-01T13:00:00.000Z'],
    // Gap: 02:30 never happens on the US spring-forward day → the transition instant (03:00 EDT).
    ['2026-03-08', '02:30', 'America/New_York', '2026-03-08T07:00:00.000Z'],
    // Overlap: 01:30 happens twice on the fall-back day → the earlier one (EDT).
    ['2026-11-01', '01:30', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['2026-03-29', '01:30', 'Europe/London', '2026-03-29T01:00:00.000Z'],
    ['2026-10-25', '01:30', 'Europe/London', '2026-10-25T00:30:00.000Z'],
    ['2026-10-04', '02:15', 'Australia/Lord_Howe', '2026-10-03T15:30:00.000Z'],
  ])('%s %s in %s is %s', (date, time, tz, expected) => {
    expect(instantOfLocal(d(date), hm(time), tz)).toBe(expected);
  });

  it('returns the first instant whose wall clock reads at or after the requested local time', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayOf('1995-01-01'), max: dayOf('2040-12-31') }), fc.integer({ min: 0, max: 1439 }), fc.constantFrom(...ZONES), (day, minutes, tz) => {
        const target = day * 86_400_000 + minutes * 60_000;
        const ms = msOfLocal(day, minutes, tz);
        expect(refWall(ms, tz)).toBeGreaterThanOrEqual(target);
        expect(refWall(ms - 1, tz)).toBeLessThan(target);
        // Exactly the wall time, unless it fell in a gap (then the clock jumped over it at ms).
        if (refWall(ms, tz) !== target) expect(refWall(ms, tz) - refWall(ms - 1, tz)).toBeGreaterThan(1);
        else expect(localPartsOfMs(ms, tz)).toMatchObject({ minutes });
      }),
      { numRuns: 2000 },
    );
  });
});
