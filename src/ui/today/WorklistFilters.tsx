import { useId } from 'react';
import type { AgingConfig } from '../../domain/aging';
import { defaultDueDateAging } from '../../domain/aging';
import { NEXT_ACTION_KINDS } from '../../domain/strategy';
import { ACTION_LABELS } from '../common/labels';
import type { TodayFilters } from './worklist-filter-state';

const SCOPES = [
  { id: 'mine', label: 'Mine' },
  { id: 'team', label: 'Team' },
  { id: 'unassigned', label: 'Unassigned' },
] as const;

interface Props {
  readonly filters: TodayFilters;
  readonly aging: AgingConfig | undefined;
  readonly onChange: (next: TodayFilters) => void;
}

export function WorklistFilters({ filters, aging, onChange }: Props) {
  const id = useId();
  const set = <K extends keyof TodayFilters>(key: K, value: TodayFilters[K]) => onChange({ ...filters, [key]: value });
  return (
    <form className="filters" role="search" aria-label="Filter the worklist" onSubmit={(e) => e.preventDefault()}>
      <div className="search-field">
        <label htmlFor={`${id}-search`}>Search</label>
        <input
          id={`${id}-search`}
          type="search"
          placeholder="Customer, account or invoice number"
          value={filters.search}
          onChange={(e) => set('search', e.target.value)}
          autoComplete="off"
        />
      </div>
      <fieldset className="segmented">
        <legend>Accounts</legend>
        {SCOPES.map((s) => (
          <label key={s.id} className={filters.scope === s.id ? 'checked' : undefined}>
            <input type="radio" name={`${id}-scope`} value={s.id} checked={filters.scope === s.id} onChange={() => set('scope', s.id)} />
            {s.label}
          </label>
        ))}
      </fieldset>
      <div className="filter-selects">
        <div>
          <label htmlFor={`${id}-bucket`}>Aging bucket</label>
          <select id={`${id}-bucket`} value={filters.bucket} onChange={(e) => set('bucket', e.target.value)}>
            <option value="">All</option>
            {(aging ?? defaultDueDateAging).buckets.map((b) => (
              <option key={b.id} value={b.id}>
                {b.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-action`}>Next action</label>
          <select id={`${id}-action`} value={filters.actionKind} onChange={(e) => set('actionKind', e.target.value as TodayFilters['actionKind'])}>
            <option value="">All</option>
            {NEXT_ACTION_KINDS.map((k) => (
              <option key={k} value={k}>
                {ACTION_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-due`}>Due</label>
          <select id={`${id}-due`} value={filters.due} onChange={(e) => set('due', e.target.value as TodayFilters['due'])}>
            <option value="">Any time</option>
            <option value="due">Due today</option>
            <option value="overdue">Overdue</option>
          </select>
        </div>
      </div>
    </form>
  );
}
