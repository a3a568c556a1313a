import type { WorklistEntry } from '../../domain/worklist';
import { formatDateTime, formatNumber } from '../common/format';
import { ACTION_LABELS, COMPONENT_LABELS } from '../common/labels';

/** What the strategy says to do next, why, and the whole score behind the account's rank. */
export function NextActionCard({ entry }: { readonly entry: WorklistEntry | undefined }) {
  if (entry === undefined) return null;
  const { decision } = entry;
  const next = decision.next;
  return (
    <section className="card" aria-labelledby="next-heading">
      <h2 id="next-heading">Next action</h2>
      {next === null ? (
        <p>{decision.waiting?.detail ?? 'Nothing to do now.'}</p>
      ) : (
        <>
          <p className="big">
            {ACTION_LABELS[next.kind]}
            {entry.dueAt !== undefined && <span className="muted"> · due {formatDateTime(entry.dueAt)}</span>}
          </p>
          <p>{next.reason}</p>
        </>
      )}
      {decision.matched.length > 0 && <p className="muted small">Level because: {decision.matched.join('; ')}</p>}
      <details>
        <summary>
          Priority score {formatNumber(entry.score)}: why
        </summary>
        <table className="compact">
          <tbody>
            {entry.components.map((c) => (
              <tr key={c.id}>
                <th scope="row">{COMPONENT_LABELS[c.id]}</th>
                <td className="num">+{formatNumber(c.points, 1)}</td>
                <td>{c.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
