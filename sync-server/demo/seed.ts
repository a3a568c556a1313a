import type { CalendarDate } from '../../src/domain/calendar';
import type { LedgerStore } from '../store/ledger-store';
import { generatePortfolio } from './synthetic';

export interface DemoSummary {
  readonly portfolioId: string;
  readonly accounts: number;
  readonly contacts: number;
  readonly documents: number;
  readonly open: number;
  readonly payments: number;
}

/** Generates a synthetic portfolio and commits it as one full extract (so re-seeding is idempotent). */
export function seedDemo(store: LedgerStore, o: { portfolioId: string; accounts: number; seed: number; asOf: CalendarDate }): DemoSummary {
  const ledger = generatePortfolio({ portfolioId: o.portfolioId, accounts: o.accounts, seed: o.seed, asOf: o.asOf, name: 'Demo portfolio' });
  store.ensurePortfolio(ledger.portfolio);
  store.commit(o.portfolioId, ledger, {
    full: true,
    asOf: o.asOf,
    source: `demo --accounts ${o.accounts} --seed ${o.seed}`,
    mapping: 'synthetic',
    rows: ledger.documents.length,
    rejected: 0,
  });
  return {
    portfolioId: o.portfolioId,
    accounts: ledger.accounts.length,
    contacts: ledger.contacts.length,
    documents: ledger.documents.length,
    open: ledger.documents.filter((d) => d.status === 'open').length,
    payments: ledger.payments.length,
  };
}
