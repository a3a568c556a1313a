/**
 * The UI on the fake app layer, in a real browser: the screens can be looked at, clicked through and
 * checked with axe without a server, storage or sync. `?accounts=N` sizes the synthetic portfolio,
 * `?role=manager` signs in a manager, `?signedIn=0` starts at the sign-in screen.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { CalendarDate } from '../../../src/domain/calendar';
import { App } from '../../../src/ui/App';
import '../../../src/ui/styles.css';
import { generatePortfolio } from '../../../sync-server/demo/synthetic';
import { generateFacts } from '../../../sync-server/demo/synthetic-facts';
import { createFakeApp } from '../fake-collector-app';

const params = new URLSearchParams(window.location.search);
const accounts = Number(params.get('accounts') ?? '500');
const role = params.get('role') === 'manager' ? 'manager' : 'collector';
const asOfDate = '2025-06-30' as CalendarDate;
const asOf = '2025-06-30T15:00:00.000Z';
const ledger = generatePortfolio({ portfolioId: 'demo', accounts, seed: 7, asOf: asOfDate, name: 'Demo portfolio' });
const facts = generateFacts(ledger, { seed: 7, asOf: asOf });
const app = createFakeApp({ ledger, facts, asOf, user: { id: 'ana', name: 'Ana', role }, signedIn: params.get('signedIn') !== '0' });
Object.assign(window, { fakeApp: app });

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App app={app} updates={null} manager={app.manager} />
    </StrictMode>,
  );
