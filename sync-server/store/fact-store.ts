import type { Fact } from '../../src/domain/facts';

/**
 * The server's copy of a portfolio's team facts. Contract:
 * - `put` is idempotent by fact id: a fact already held is not written again (facts are immutable, so
 *   the same id always carries the same body) and is not counted as inserted;
 * - `put` is all or nothing;
 * - `list` returns every fact of the portfolio (optionally of one account), ordered by `at`, then id;
 * - `listPeriod` those whose `at` falls in a calendar month (UTC), same order: a month's archive.
 * `receivedAt` is the server's clock when the fact arrived (DESIGN.md §8: never order by a client clock
 * alone); `receivedBy` the user whose connection delivered it, when it came through the relay.
 */
export interface FactStore {
  put(portfolioId: string, facts: readonly Fact[], receivedAt: string, receivedBy?: string): { inserted: number };
  list(portfolioId: string, accountNumber?: string): Fact[];
  listPeriod(portfolioId: string, period: string): Fact[];
  count(portfolioId: string): number;
  /** Of `ids`, those the store does not hold for the portfolio (the relay's catch-up after a crash). */
  missingIds(portfolioId: string, ids: readonly string[]): string[];
}
