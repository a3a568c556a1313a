import { defaultDueDateAging, type AgingConfig } from '../../domain/aging';
import { formatMoney } from '../common/format';

/**
 * A row's open balance by aging bucket: a thin bar for the eye (the same colours as the account's
 * aging bar) and one sentence for a screen reader. Only the buckets that hold money are named.
 */
export function RowAging({ buckets, currency, aging }: { readonly buckets: readonly number[]; readonly currency: string; readonly aging: AgingConfig | undefined }) {
  const config = aging ?? defaultDueDateAging;
  const total = buckets.reduce((s, b) => s + Math.max(0, b), 0);
  if (total === 0) return null;
  const named = buckets
    .map((amount, i) => ({ amount, label: config.buckets[i]?.label ?? `bucket ${String(i + 1)}` }))
    .filter((b) => b.amount !== 0)
    .map((b) => `${b.label} ${formatMoney(b.amount, currency)}`)
    .join(', ');
  return (
    <div className="row-aging">
      <div className="aging-bar row-aging-bar" aria-hidden="true">
        {buckets.map((amount, i) =>
          amount > 0 ? <span key={config.buckets[i]?.id ?? i} className={`aging-seg aging-${Math.min(i, 5)}`} style={{ flexGrow: amount / total }} /> : null,
        )}
      </div>
      <span className="visually-hidden">Open balance by aging bucket: {named}</span>
    </div>
  );
}
