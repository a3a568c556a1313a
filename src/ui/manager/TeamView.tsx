import { useMemo } from 'react';
import { formatDate, formatMoney, formatNumber, formatPercent } from '../common/format';
import { CHANNEL_LABELS } from '../common/labels';
import { useApp, useAppRead } from '../common/useApp';
import { teamDay } from './team-data';

const moneyList = (m: Readonly<Record<string, number>>) =>
  Object.entries(m)
    .map(([c, v]) => formatMoney(v, c))
    .join(', ') || '—';

/** Who did what today: contacts by channel, conversations, promises to pay taken and kept, disputes, money collected in the field. */
export function TeamView() {
  const app = useApp();
  const entries = useAppRead((a) => a.worklist({ scope: 'team' }), 'team');
  const today = useAppRead((a) => a.asOf(), '').slice(0, 10);
  const rows = useMemo(() => teamDay(entries, today, (n) => app.account(n)), [entries, today, app]);
  return (
    <section aria-label="Team today">
      <p className="muted">{formatDate(today)}</p>
      {rows.length === 0 ? (
        <p className="empty">Nobody has logged anything today yet.</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="Team today" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Collector</th>
                <th scope="col" className="num">
                  Contacts
                </th>
                <th scope="col">By channel</th>
                <th scope="col" className="num">
                  Conversations
                </th>
                <th scope="col" className="num">
                  Promises to pay taken
                </th>
                <th scope="col">Promised</th>
                <th scope="col" className="num">
                  Promise-kept rate
                </th>
                <th scope="col" className="num">
                  Disputes
                </th>
                <th scope="col">Collected</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.collector}>
                  <th scope="row">{r.collector}</th>
                  <td className="num">{formatNumber(r.contacts)}</td>
                  <td>
                    {Object.entries(r.byChannel)
                      .map(([c, n]) => `${CHANNEL_LABELS[c as keyof typeof CHANNEL_LABELS] ?? c} ${formatNumber(n)}`)
                      .join(', ') || '—'}
                  </td>
                  <td className="num">{formatNumber(r.conversations)}</td>
                  <td className="num">{formatNumber(r.promisesTaken)}</td>
                  <td>{moneyList(r.promisedAmount)}</td>
                  <td className="num">
                    {r.promisesEnded === 0 ? '—' : `${formatPercent(r.promisesKept / r.promisesEnded)} (${formatNumber(r.promisesKept)}/${formatNumber(r.promisesEnded)})`}
                  </td>
                  <td className="num">{formatNumber(r.disputes)}</td>
                  <td>{moneyList(r.collected)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
