import type { CalendarDate } from '../../src/domain/calendar';
import type { Instant } from '../../src/domain/facts';
import type { FactStore } from '../store/fact-store';
import type { LedgerStore } from '../store/ledger-store';
import { seedFactRooms, type RoomSeedTarget } from '../relay/seed-rooms';
import { generatePortfolio } from './synthetic';
import { generateFacts } from './synthetic-facts';

export interface DemoSummary {
  readonly portfolioId: string;
  readonly accounts: number;
  readonly contacts: number;
  readonly documents: number;
  readonly open: number;
  readonly payments: number;
  readonly facts: number;
  /** Facts put into live rooms by this seeding (absent when no room store was given). */
  readonly roomFacts?: number;
}

export interface DemoOptions {
  readonly portfolioId: string;
  readonly accounts: number;
  readonly seed: number;
  readonly asOf: CalendarDate;
  /** The team's work on the portfolio happened up to this instant (default: the end of `asOf`'s working day). */
  readonly now?: Instant;
  /**
   * The relay's room store: when given, the facts of the live months also go into their rooms (one
   * update per month), so a device that connects receives the demo's history; older ones stay archive.
   */
  readonly rooms?: RoomSeedTarget;
}

/**
 * Generates a synthetic portfolio with its team's history and commits the ledger as one full extract
 * and the facts idempotently (so re-seeding with the same options changes nothing), in the fact store
 * and, with `rooms`, in the live months' rooms of the relay.
 */
export function seedDemo(ledgerStore: LedgerStore, factStore: FactStore, o: DemoOptions): DemoSummary {
  const ledger = generatePortfolio({ portfolioId: o.portfolioId, accounts: o.accounts, seed: o.seed, asOf: o.asOf, name: 'Demo portfolio' });
  const now = o.now ?? `${o.asOf}T17:00:00.000Z`;
  const facts = generateFacts(ledger, { seed: o.seed, asOf: now });
  ledgerStore.ensurePortfolio(ledger.portfolio);
  ledgerStore.commit(o.portfolioId, ledger, {
    full: true,
    asOf: o.asOf,
    source: `demo --accounts ${o.accounts} --seed ${o.seed}`,
    mapping: 'synthetic',
    rows: ledger.documents.length,
    rejected: 0,
  });
  factStore.put(o.portfolioId, facts, now);
  const rooms = o.rooms === undefined ? undefined : seedFactRooms(o.rooms, o.portfolioId, facts, now);
  return {
    portfolioId: o.portfolioId,
    accounts: ledger.accounts.length,
    contacts: ledger.contacts.length,
    documents: ledger.documents.length,
    open: ledger.documents.filter((d) => d.status === 'open').length,
    payments: ledger.payments.length,
    facts: facts.length,
    ...(rooms === undefined ? {} : { roomFacts: rooms.added }),
  };
}
