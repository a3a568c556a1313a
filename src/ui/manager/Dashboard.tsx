import { useContext, useMemo } from 'react';
import { defaultDueDateAging } from '../../domain/aging';
import { ManagerContext } from '../app-context';
import { formatNumber, formatPercent } from '../common/format';
import { useAppRead } from '../common/useApp';
import { useAsync } from '../common/useAsync';
import { AgingChart } from './AgingChart';
import { localKpis } from './local-kpis';
import { ServerKpis } from './ServerKpis';

/** Aging, DSO, CEI and the team's promise and contact rates. */
export function Dashboard() {
  const manager = useContext(ManagerContext);
  const entries = useAppRead((a) => a.worklist({ scope: 'team' }), 'team');
  const asOf = useAppRead((a) => a.asOf(), '');
  const aging = useAppRead((a) => a.agingConfig(), '') ?? defaultDueDateAging;
  const local = useMemo(() => localKpis(entries, asOf), [entries, asOf]);
  const portfolioAging = useAsync(manager === null ? null : () => manager.aging(), `aging:${manager === null ? '' : 'on'}`);
  const kpis = useAsync(manager === null ? null : () => manager.kpis(), `kpis:${manager === null ? '' : 'on'}`);
  return (
    <>
      <section aria-labelledby="team-rates">
        <h2 id="team-rates">Team, from this device</h2>
        <dl className="kpis">
          <div>
            <dt>Accounts</dt>
            <dd>{formatNumber(local.accounts)}</dd>
          </div>
          <div>
            <dt>Promise-kept rate</dt>
            <dd>{local.promisesEnded === 0 ? '—' : formatPercent(local.promisesKept / local.promisesEnded)}</dd>
          </div>
          <div>
            <dt>Right-party contacts, 30 days</dt>
            <dd>{local.contacts === 0 ? '—' : formatPercent(local.conversations / local.contacts)}</dd>
          </div>
          <div>
            <dt>Open disputes</dt>
            <dd>{formatNumber(local.openDisputes)}</dd>
          </div>
        </dl>
        {[...local.byCurrency].map(([currency, c]) => (
          <AgingChart
            key={currency}
            title={`Past due by aging bucket of the oldest invoice, ${currency}`}
            currency={currency}
            buckets={aging.buckets.filter((b) => b.id !== 'current').map((b) => ({ id: b.id, label: b.label }))}
            amounts={aging.buckets.filter((b) => b.id !== 'current').map((b) => c.pastDue.get(b.id) ?? 0)}
            counts={aging.buckets.filter((b) => b.id !== 'current').map((b) => c.accounts.get(b.id) ?? 0)}
          />
        ))}
      </section>
      <section aria-labelledby="server-kpis">
        <h2 id="server-kpis">Portfolio aging, DSO and CEI (from the server)</h2>
        {manager === null ? (
          <p>The server’s figures are not available in this version of the app.</p>
        ) : (
          <ServerKpis aging={portfolioAging} kpis={kpis} />
        )}
      </section>
    </>
  );
}
