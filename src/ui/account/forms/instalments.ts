/**
 * An instalment plan from a total, a first date, a count and a frequency: amounts split exactly in
 * minor units (largest remainder, so they add up to the total), dates strictly increasing.
 */
import { addDays, addMonths, isCalendarDate, type CalendarDate } from '../../../domain/calendar';
import { minor, splitProportionally } from '../../../domain/money';

export const FREQUENCIES = { week: 'Weekly', fortnight: 'Every two weeks', month: 'Monthly' } as const;
export type Frequency = keyof typeof FREQUENCIES;

export function planInstalments(total: number, first: string, count: number, every: Frequency): { dueDate: CalendarDate; amount: number }[] {
  if (!isCalendarDate(first) || count < 1 || total <= 0) return [];
  const amounts = splitProportionally(minor(total), new Array<number>(count).fill(1));
  return amounts.map((amount, i) => ({
    amount,
    dueDate: every === 'month' ? addMonths(first, i) : addDays(first, i * (every === 'week' ? 7 : 14)),
  }));
}
