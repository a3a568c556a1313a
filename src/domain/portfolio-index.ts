/**
 * The ledger and the facts grouped by account, built once per portfolio so the per-account engine
 * (fold → strategy → compliance → score) reads only its own rows. Grouping is one pass over each list.
 */
import type { Fact } from './facts';
import type { Account, CollectionsContact, Ledger, LedgerDocument, Payment } from './ledger';

export interface AccountSlice {
  readonly account: Account;
  contacts: CollectionsContact[];
  documents: LedgerDocument[];
  payments: Payment[];
  facts: Fact[];
}

export interface PortfolioIndex {
  readonly portfolioId: string;
  /** In the ledger's account order. */
  readonly accounts: Map<string, AccountSlice>;
  /** Facts naming an account the ledger does not have (yet): kept, not shown, never dropped. */
  readonly orphanFacts: Fact[];
}

/**
 * `openDocumentsOnly`: keep only open documents. The worklist needs nothing else (settled history is
 * the KPIs' business), and skipping the three settled documents in four is most of its cost.
 */
export function indexPortfolio(ledger: Ledger, facts: readonly Fact[], options: { openDocumentsOnly?: boolean } = {}): PortfolioIndex {
  const accounts = new Map<string, AccountSlice>();
  for (const account of ledger.accounts) accounts.set(account.number, { account, contacts: [], documents: [], payments: [], facts: [] });
  for (const c of ledger.contacts) accounts.get(c.accountNumber)?.contacts.push(c);
  const openOnly = options.openDocumentsOnly === true;
  // Rows usually come grouped by account (ERP extracts, Dexie's account index, the generators), so the
  // previous row's slice is tried before the map: most rows then cost a string comparison, not a hash.
  let lastKey = '';
  let last: AccountSlice | undefined;
  const sliceOf = (key: string): AccountSlice | undefined => {
    if (key !== lastKey) {
      lastKey = key;
      last = accounts.get(key);
    }
    return last;
  };
  for (const c of ledger.contacts) sliceOf(c.accountNumber)?.contacts.push(c);
  for (const d of ledger.documents) if (!openOnly || d.status === 'open') sliceOf(d.accountNumber)?.documents.push(d);
  for (const p of ledger.payments) sliceOf(p.accountNumber)?.payments.push(p);
  const orphanFacts: Fact[] = [];
  for (const f of facts) {
    const slice = sliceOf(f.accountNumber);
    if (slice) slice.facts.push(f);
    else orphanFacts.push(f);
  }
  return { portfolioId: ledger.portfolio.id, accounts, orphanFacts };
}
