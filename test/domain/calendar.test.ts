import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  dateOfDay,
  dayOf,
  daysBetween,
  endOfMonth,
  isCalendarDate,
  parseDate,
  type CalendarDate,
} from '../../src/domain/calendar';

const d = (s: string) => s as CalendarDate;

describe('calendar', () => {
  it('epoch day round-trips against the platform calendar for 0001..9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: -719162, max: 2932896 }), (day) => {
        const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
        expect(dateOfDay(day)).toBe(iso);
        expect(dayOf(iso)).toBe(day);
      }),
    );
  });

  it('knows leap days: 2012-02-29 and 2000-02-29 exist, 2013-02-29 and 1900-02-29 do not', () => {
    expect(isCalendarDate('2012-02-29')).toBe(true);
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('2013-02-29')).toBe(false);
    expect(isCalendarDate('1900-02-29')).toBe(false);
    expect(isCalendarDate('2013-13-01')).toBe(false);
    expect(daysBetween(d('2012-02-28'), d('2012-03-01'))).toBe(2);
    expect(daysBetween(d('2013-02-28'), d('2013-03-01'))).toBe(1);
  });

  it('adds months clamped to the month end', () => {
    expect(addMonths(d('2013-01-31'), 1)).toBe('2013-02-28');
    expect(addMonths(d('2012-01-31'), 1)).toBe('2012-02-29');
    expect(addMonths(d('2012-12-15'), 2)).toBe('2013-02-15');
    expect(addMonths(d('2013-03-31'), -1)).toBe('2013-02-28');
    expect(endOfMonth(d('2012-02-10'))).toBe('2012-02-29');
    expect(addDays(d('2012-12-31'), 1)).toBe('2013-01-01');
  });

  it('parses only the declared format', () => {
    expect(parseDate('3/4/2013', 'M/D/YYYY')).toBe('2013-03-04');
    expect(parseDate('3/4/2013', 'D/M/YYYY')).toBe('2013-04-03');
    expect(parseDate('2013-03-04', 'YYYY-MM-DD')).toBe('2013-03-04');
    expect(parseDate('13/4/2013', 'M/D/YYYY')).toBeUndefined();
    expect(parseDate('2/29/2013', 'M/D/YYYY')).toBeUndefined();
    expect(parseDate('2013-03-04', 'M/D/YYYY')).toBeUndefined();
    expect(parseDate('', 'YYYY-MM-DD')).toBeUndefined();
  });
});
