import { lazy, Suspense } from 'react';
import type { Session } from '../../app/collector-app';
import { Link } from '../common/Link';
import type { ManagerTab } from '../common/router';
import { ScreenHeading } from '../common/ScreenHeading';
import { BulkAssign } from './BulkAssign';
import { EscalationQueue } from './EscalationQueue';
import { TeamView } from './TeamView';

// Charts (uPlot) and the editor's simulation preview load when their tab is opened.
const Dashboard = lazy(() => import('./Dashboard').then((m) => ({ default: m.Dashboard })));
const StrategyEditor = lazy(() => import('./StrategyEditor').then((m) => ({ default: m.StrategyEditor })));
const ImportWizard = lazy(() => import('./ImportWizard').then((m) => ({ default: m.ImportWizard })));

const TABS: readonly { readonly id: ManagerTab; readonly label: string }[] = [
  { id: 'escalations', label: 'Escalations' },
  { id: 'team', label: 'Team' },
  { id: 'dashboard', label: 'Aging and KPIs' },
  { id: 'assign', label: 'Assign' },
  { id: 'strategies', label: 'Strategies' },
  { id: 'import', label: 'Import' },
];

export function ManagerScreen({ tab, session }: { readonly tab: ManagerTab; readonly session: Session }) {
  const label = TABS.find((t) => t.id === tab)?.label ?? 'Manager';
  return (
    <div className="screen">
      <ScreenHeading title={label}>{label}</ScreenHeading>
      <nav aria-label="Manager" className="tabs">
        {TABS.map((t) => (
          <Link key={t.id} to={`/manager/${t.id}`} aria-current={t.id === tab ? 'page' : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
      <Suspense fallback={<p role="status">Loading…</p>}>
        {tab === 'escalations' && <EscalationQueue />}
        {tab === 'team' && <TeamView />}
        {tab === 'dashboard' && <Dashboard />}
        {tab === 'assign' && <BulkAssign />}
        {tab === 'strategies' && <StrategyEditor session={session} />}
        {tab === 'import' && <ImportWizard />}
      </Suspense>
    </div>
  );
}
