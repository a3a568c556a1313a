import { useMemo, useState } from 'react';
import type uPlot from 'uplot';
import type { SimulationResult } from '../../domain/simulation';
import type { Strategy } from '../../domain/strategy';
import { formatDate, formatNumber } from '../common/format';
import { ACTION_LABELS } from '../common/labels';
import type { StrategyLab } from './manager-port';
import { UPlotChart } from './UPlotChart';

const COLOURS = ['#1f4e5f', '#bf8700', '#cf222e', '#2da44e', '#8250df', '#0969da', '#6e7781', '#db6d28', '#a40e26'];

/** What the strategy would do over the next days if the ledger stood still: actions per day, levels reached. */
export function SimulationPreview({ lab, strategy }: { readonly lab: StrategyLab; readonly strategy: Strategy }) {
  const [days, setDays] = useState(30);
  const [state, setState] = useState<{ busy: boolean; result: SimulationResult | null; error: string | null }>({ busy: false, result: null, error: null });
  const runIt = () => {
    setState({ busy: true, result: null, error: null });
    lab.simulate(strategy, days).then(
      (result) => setState({ busy: false, result, error: null }),
      (e: unknown) => setState({ busy: false, result: null, error: e instanceof Error ? e.message : String(e) }),
    );
  };
  return (
    <section className="card" aria-labelledby="sim-heading">
      <h2 id="sim-heading">Preview</h2>
      <div className="button-row">
        <label htmlFor="sim-days">Days</label>
        <select id="sim-days" value={days} onChange={(e) => setDays(Number(e.target.value))} style={{ width: 'auto' }}>
          {[7, 14, 30, 60, 90].map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
        <button type="button" onClick={runIt} disabled={state.busy} aria-busy={state.busy}>
          {state.busy ? 'Simulating…' : 'Simulate'}
        </button>
      </div>
      {state.error !== null && <p role="alert">{state.error}</p>}
      {state.result !== null && <SimulationResultView result={state.result} />}
    </section>
  );
}

function SimulationResultView({ result }: { readonly result: SimulationResult }) {
  const kinds = useMemo(() => Object.keys(result.totals).filter((k) => (result.totals[k] ?? 0) > 0), [result]);
  const data = useMemo((): uPlot.AlignedData => [result.perDay.map((_, i) => i), ...kinds.map((k) => result.perDay.map((d) => d.actions[k] ?? 0))], [result, kinds]);
  const options = useMemo(
    (): Omit<uPlot.Options, 'width' | 'height'> => ({
      scales: { x: { time: false } },
      axes: [{ values: (_u, splits) => splits.map((i) => { const d = result.perDay[i]; return d === undefined ? '' : formatDate(d.date); }) }, {}],
      series: [{ label: 'Day' }, ...kinds.map((k, i) => ({ label: ACTION_LABELS[k as keyof typeof ACTION_LABELS] ?? k, stroke: COLOURS[i % COLOURS.length] ?? '#000', width: 2 }))],
    }),
    [result, kinds],
  );
  return (
    <>
      <UPlotChart label={`Actions per day over ${result.days} days`} options={options} data={data} />
      <table className="compact">
        <caption>Actions over {formatNumber(result.days)} days</caption>
        <tbody>
          {kinds.map((k) => (
            <tr key={k}>
              <th scope="row">{ACTION_LABELS[k as keyof typeof ACTION_LABELS] ?? k}</th>
              <td className="num">{formatNumber(result.totals[k] ?? 0)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Accounts escalated at the end</th>
            <td className="num">{formatNumber(result.escalatedAccounts)}</td>
          </tr>
        </tbody>
      </table>
      <table className="compact">
        <caption>Accounts reaching each level</caption>
        <tbody>
          {result.levels.map((l) => (
            <tr key={`${l.strategyId}:${l.levelId}`}>
              <th scope="row">{l.levelName}</th>
              <td className="num">{formatNumber(l.accounts)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="muted small">
        {result.assumptions.map((a) => (
          <li key={a}>{a}</li>
        ))}
      </ul>
    </>
  );
}
