import type { BucketAmount } from './account-figures';
import { formatMoney } from '../common/format';

/**
 * The open balance split by aging bucket: a bar for the eye, and the same figures as a list for a
 * screen reader (the bar itself is hidden from it).
 */
export function AgingBar({ buckets, currency }: { readonly buckets: readonly BucketAmount[]; readonly currency: string }) {
  const positive = buckets.filter((b) => b.amount > 0);
  const total = positive.reduce((s, b) => s + b.amount, 0);
  if (total === 0) return <p className="muted">Nothing open.</p>;
  return (
    <figure className="aging">
      <div className="aging-bar" aria-hidden="true">
        {buckets.map((b, i) =>
          b.amount > 0 ? <span key={b.id} className={`aging-seg aging-${Math.min(i, 5)}`} style={{ flexGrow: b.amount / total }} title={`${b.label}: ${formatMoney(b.amount, currency)}`} /> : null,
        )}
      </div>
      <figcaption>
        <ul className="aging-legend" aria-label="Open balance by aging bucket">
          {buckets.map((b, i) =>
            b.amount !== 0 ? (
              <li key={b.id}>
                <span className={`aging-swatch aging-${Math.min(i, 5)}`} aria-hidden="true" />
                {b.label}: {formatMoney(b.amount, currency)}
              </li>
            ) : null,
          )}
        </ul>
      </figcaption>
    </figure>
  );
}
