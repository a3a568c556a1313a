import { useMemo } from 'react';
import type uPlot from 'uplot';
import { formatMoney, formatNumber } from '../common/format';
import { barSeries, categoryAxis, UPlotChart } from './UPlotChart';
import { minorDigits, type CurrencyCode } from '../../domain/money';

interface Props {
  readonly title: string;
  readonly currency: string;
  readonly buckets: readonly { readonly id: string; readonly label: string }[];
  /** Minor units per bucket. */
  readonly amounts: readonly number[];
  /** Accounts or documents per bucket; shown in the table only. */
  readonly counts?: readonly number[];
}

/** Amounts by aging bucket as bars, with the same figures in a table. */
export function AgingChart({ title, currency, buckets, amounts, counts }: Props) {
  const names = useMemo(() => buckets.map((b) => b.label), [buckets]);
  const scale = 10 ** minorDigits(currency as CurrencyCode);
  const data = useMemo((): uPlot.AlignedData => [names.map((_, i) => i), amounts.map((a) => a / scale)], [names, amounts, scale]);
  const options = useMemo(
    (): Omit<uPlot.Options, 'width' | 'height'> => ({
      legend: { show: false },
      scales: { x: { time: false, range: [-0.5, names.length - 0.5] } },
      axes: [categoryAxis(names), { values: (_u, splits) => splits.map((v) => formatNumber(v)), size: 70 }],
      series: [{}, barSeries(currency, '#1f4e5f', 'rgba(31, 78, 95, 0.6)')],
    }),
    [names, currency],
  );
  return (
    <figure className="card">
      <figcaption>
        <h3>{title}</h3>
      </figcaption>
      <UPlotChart label={title} options={options} data={data} />
      <table className="compact">
        <thead>
          <tr>
            <th scope="col">Aging bucket</th>
            <th scope="col" className="num">
              Amount
            </th>
            {counts !== undefined && (
              <th scope="col" className="num">
                Count
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {buckets.map((b, i) => (
            <tr key={b.id}>
              <th scope="row">{b.label}</th>
              <td className="num">{formatMoney(amounts[i] ?? 0, currency)}</td>
              {counts !== undefined && <td className="num">{formatNumber(counts[i] ?? 0)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
