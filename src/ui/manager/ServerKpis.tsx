import type { PortfolioAging } from '../../domain/aging';
import type { PortfolioKpis } from '../../domain/kpi';
import { formatDate, formatMoney, formatNumber, formatPercent } from '../common/format';
import type { AsyncState } from '../common/useAsync';
import { AgingChart } from './AgingChart';

const days = (n: number | null) => (n === null ? '—' : `${formatNumber(n, 1)} days`);

/** The server's aging and KPIs per currency; offline, it says why there is nothing to show. */
export function ServerKpis({ aging, kpis }: { readonly aging: AsyncState<PortfolioAging>; readonly kpis: AsyncState<PortfolioKpis> }) {
  if (aging.status === 'loading' || kpis.status === 'loading') return <p role="status">Asking the server…</p>;
  if (aging.status === 'failed' || kpis.status === 'failed')
    return <p role="status">The server could not be reached ({aging.status === 'failed' ? aging.error : kpis.status === 'failed' ? kpis.error : ''}). These figures need it; the ones above are from this device.</p>;
  const a = aging.value;
  const k = kpis.value;
  return (
    <>
      <p className="muted">As of {formatDate(k.asOf)}; CEI from {formatDate(k.settings.cei.from)} to {formatDate(k.settings.cei.to)}.</p>
      {Object.entries(k.byCurrency).map(([currency, c]) => (
        <div key={currency}>
          <h3>{currency}</h3>
          <dl className="kpis">
            <div>
              <dt>Receivables</dt>
              <dd>{formatMoney(c.receivables, currency)}</dd>
            </div>
            <div>
              <dt>Past due</dt>
              <dd>{formatMoney(c.pastDueReceivables, currency)}</dd>
            </div>
            <div>
              <dt>DSO (countback)</dt>
              <dd>{days(c.dso.days)}</dd>
            </div>
            <div>
              <dt>Best possible DSO</dt>
              <dd>{days(c.bestPossibleDso.days)}</dd>
            </div>
            <div>
              <dt>Average days delinquent</dt>
              <dd>{days(c.averageDaysDelinquent)}</dd>
            </div>
            <div>
              <dt>CEI</dt>
              <dd>{c.cei.percent === null ? '—' : formatPercent(c.cei.percent / 100)}</dd>
            </div>
            <div>
              <dt>Average days late</dt>
              <dd>{days(c.daysLate.averageDaysLate)}</dd>
            </div>
          </dl>
          {a.portfolio[currency as keyof typeof a.portfolio] !== undefined && (
            <AgingChart
              title={`Aging, ${currency}`}
              currency={currency}
              buckets={a.buckets}
              amounts={a.portfolio[currency as keyof typeof a.portfolio]?.buckets ?? []}
              counts={a.portfolio[currency as keyof typeof a.portfolio]?.counts ?? []}
            />
          )}
          {c.rollRates.length > 0 && (
            <table className="compact">
              <caption>Roll rates</caption>
              <thead>
                <tr>
                  <th scope="col">From</th>
                  <th scope="col" className="num">
                    Balance
                  </th>
                  <th scope="col" className="num">
                    Rolled
                  </th>
                  <th scope="col" className="num">
                    Rate
                  </th>
                </tr>
              </thead>
              <tbody>
                {c.rollRates.map((r) => (
                  <tr key={r.fromBucket}>
                    <th scope="row">
                      {r.fromBucket} → {r.toBucket}
                    </th>
                    <td className="num">{formatMoney(r.balance, currency)}</td>
                    <td className="num">{formatMoney(r.rolled, currency)}</td>
                    <td className="num">{r.rate === null ? '—' : formatPercent(r.rate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </>
  );
}
