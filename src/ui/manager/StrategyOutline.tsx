import { actionLabel, type Strategy, type StrategyInput } from '../../domain/strategy';
import { formatNumber } from '../common/format';

/**
 * The strategy as a collector reads it: levels in order, each with its condition and steps. The
 * delays, the manual flags and the minimum contact delay are edited here; the rest in the JSON.
 */
export function StrategyOutline({ strategy, onChange }: { readonly strategy: Strategy; readonly onChange: (next: StrategyInput) => void }) {
  const setStep = (l: number, s: number, patch: { afterDays?: number; manual?: boolean }) =>
    onChange({
      ...strategy,
      levels: strategy.levels.map((level, li) => (li !== l ? level : { ...level, steps: level.steps.map((step, si) => (si !== s ? step : { ...step, ...patch })) })),
    });
  return (
    <div className="card">
      <label htmlFor="st-delay">Minimum days between contacts</label>
      <input
        id="st-delay"
        type="number"
        min={0}
        max={90}
        value={strategy.minContactDelayDays}
        onChange={(e) => onChange({ ...strategy, minContactDelayDays: Math.max(0, Math.min(90, Number(e.target.value) || 0)) })}
      />
      <ol className="steps">
        {strategy.levels.map((level, l) => (
          <li key={level.id}>
            <h3>{level.name}</h3>
            <p className="muted small">When: {Object.keys(level.when).length === 0 ? 'always' : JSON.stringify(level.when)}</p>
            {level.steps.length === 0 ? (
              <p className="muted small">No steps: accounts here wait.</p>
            ) : (
              <table className="compact">
                <thead>
                  <tr>
                    <th scope="col">Step</th>
                    <th scope="col">Days after</th>
                    <th scope="col">Manual</th>
                  </tr>
                </thead>
                <tbody>
                  {level.steps.map((step, s) => (
                    <tr key={step.id}>
                      <th scope="row">{step.name ?? actionLabel(step.action)}</th>
                      <td>
                        <input
                          type="number"
                          min={s === 0 ? -60 : 0}
                          max={365}
                          value={step.afterDays}
                          aria-label={`Days after, ${step.name ?? actionLabel(step.action)} in ${level.name}`}
                          onChange={(e) => setStep(l, s, { afterDays: Math.trunc(Number(e.target.value) || 0) })}
                        />
                      </td>
                      <td>
                        <label className="touch-check">
                          <input
                            type="checkbox"
                            checked={step.manual}
                            aria-label={`Manual, ${step.name ?? actionLabel(step.action)} in ${level.name}`}
                            onChange={(e) => setStep(l, s, { manual: e.target.checked })}
                          />
                        </label>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </li>
        ))}
      </ol>
      <p className="muted small">{formatNumber(strategy.pauses.length)} pause windows.</p>
    </div>
  );
}
