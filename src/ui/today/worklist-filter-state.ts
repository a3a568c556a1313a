/**
 * The Today filters, kept for the tab's life (sessionStorage) so that going into an account and back
 * finds the same list at the same scroll position.
 */
import { z } from 'zod';
import { NEXT_ACTION_KINDS } from '../../domain/strategy';
import { WORKLIST_SCOPES } from '../../domain/worklist';

export const todayFiltersSchema = z.object({
  scope: z.enum(WORKLIST_SCOPES),
  bucket: z.string(),
  actionKind: z.enum(NEXT_ACTION_KINDS).or(z.literal('')),
  due: z.enum(['', 'due', 'overdue']),
  search: z.string(),
});
export type TodayFilters = z.infer<typeof todayFiltersSchema>;

const KEY = 'dunwell.today.filters';

export function defaultFilters(isManager: boolean): TodayFilters {
  return { scope: isManager ? 'team' : 'mine', bucket: '', actionKind: '', due: '', search: '' };
}

export function loadFilters(isManager: boolean): TodayFilters {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (raw !== null) {
      const parsed = todayFiltersSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
    }
  } catch {
    // Storage refused (private mode) or old JSON: the defaults do.
  }
  return defaultFilters(isManager);
}

export function saveFilters(filters: TodayFilters): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(filters));
  } catch {
    // Not kept: the list still works, it just forgets the filters on reload.
  }
}

/** Where the list was scrolled to, for the way back from an account. */
export const todayScroll = { y: 0 };
