import type { CalendarDate } from '../../src/domain/calendar';
import type { Ledger } from '../../src/domain/ledger';
import { analyzePortfolio } from '../../src/domain/kpi';
import type { LedgerStore } from '../store/ledger-store';

type Analysis = ReturnType<typeof analyzePortfolio>;

/**
 * Aging and KPIs for the API. Loading a 400k-document ledger from SQLite costs far more than analysing
 * it, so the ledger is kept in memory per portfolio until an import moves the cursor.
 */
export class Analytics {
  private readonly ledgers = new Map<string, { cursor: number; ledger: Ledger }>();
  private readonly store: LedgerStore;

  constructor(store: LedgerStore) {
    this.store = store;
  }

  private ledger(portfolioId: string): Ledger {
    const cursor = this.store.cursor();
    const cached = this.ledgers.get(portfolioId);
    if (cached && cached.cursor === cursor) return cached.ledger;
    const ledger = this.store.ledger(portfolioId);
    this.ledgers.set(portfolioId, { cursor, ledger });
    return ledger;
  }

  analyze(portfolioId: string, asOf: CalendarDate, from?: CalendarDate): Analysis {
    return analyzePortfolio(this.ledger(portfolioId), asOf, from === undefined ? {} : { ceiFrom: from });
  }
}
