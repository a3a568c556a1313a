/**
 * What the UI may ask of the app (DESIGN.md §5): one facade, read through snapshots and changed only
 * through the typed command map (commands.ts). The UI never sees Dexie, Yjs or fetch.
 *
 * Reads are synchronous snapshots of in-memory state (the device's ledger copy, the facts and the
 * worklist are all held in memory once loaded), so React reads them with useSyncExternalStore:
 * `subscribe` fires after any change, and each read method returns the same object until something it
 * depends on changed (referential stability for React).
 *
 * Opening a portfolio (`openState()`): 'cached' first, when the device holds a worklist cache of this
 * engine version: `worklistRows` then answers from it (a cold start paints Today in milliseconds) while
 * the ledger and the facts load and the engine runs; 'live' once the Worklist is built, when `worklist`,
 * `account` and the commands work. `worklist` is empty before 'live'.
 *
 * The implementation is `createCollectorApp` (collector-app-impl.ts); the browser's composition is
 * `createBrowserApp` (src/browser-app.ts).
 */
import type { AccountState } from '../domain/account-state';
import type { AgingConfig } from '../domain/aging';
import type { Fact, Instant } from '../domain/facts';
import type { Account, CollectionsContact, LedgerDocument, Payment, Portfolio } from '../domain/ledger';
import type { WorklistEntry, WorklistFilter } from '../domain/worklist';
import type { Role } from '../protocol/token';
import type { CommandInput, CommandName, CommandResult } from './commands';
import type { WorklistRow } from './worklist-row';

export type { WorklistRow } from './worklist-row';

export interface SessionUser {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}

export interface Session {
  readonly user: SessionUser;
  /** Portfolios the user may open (`['*']` for an admin). */
  readonly portfolios: readonly string[];
  readonly expiresAt: Instant;
}

/** Per Yjs doc and overall: what the always-visible sync indicator shows. */
export interface SyncStatus {
  /** The browser thinks it has a network. */
  readonly online: boolean;
  /** Every live doc has an open socket to the relay. */
  readonly connected: boolean;
  /** When the relay last confirmed our state (its state vector covered ours), over all docs. */
  readonly lastServerSyncAt: Instant | null;
  /** Local facts the relay has not confirmed yet (by state vectors, not `provider.synced`). */
  readonly pendingChanges: number;
  /** Since when the oldest unconfirmed change has waited; null when nothing waits. */
  readonly pendingSince: Instant | null;
  /** The ledger copy's cursor and when it was last pulled. */
  readonly ledgerPulledAt: Instant | null;
  /** Signed out by the server (401/4401): the user must sign in again; local work is kept. */
  readonly needsSignIn: boolean;
  /** The last local save that failed (IndexedDB full, connection lost), null when saves work. */
  readonly storageError: string | null;
  /** Team records this device refused to act on (failed their schema); kept in the quarantine table. */
  readonly quarantined: number;
  readonly docs: readonly { readonly room: string; readonly connected: boolean; readonly lastServerSyncAt: Instant | null; readonly pendingChanges: number }[];
}

/** Who else is on which account right now (awareness). */
export interface PresenceUser {
  readonly userId: string;
  readonly name: string;
  readonly since: Instant;
}

export interface WorklistQuery extends WorklistFilter {
  /** Customer name, account number or invoice number (case-insensitive substring). */
  readonly search?: string;
}

/** One account as the workspace shows it. */
export interface AccountView {
  readonly account: Account;
  readonly contacts: readonly CollectionsContact[];
  /** Open and closed documents, newest first. */
  readonly documents: readonly LedgerDocument[];
  readonly payments: readonly Payment[];
  readonly state: AccountState;
  readonly entry: WorklistEntry | undefined;
  /** Facts of the account, newest first (the timeline merges these with ledger events). */
  readonly facts: readonly Fact[];
  /** Teammates on this account now (not me). */
  readonly presence: readonly PresenceUser[];
  /**
   * False while the account's settled history (paid and closed documents, older payments) is still
   * being read from the device: `documents` and `payments` then hold the open ones only. The app
   * notifies when it arrives.
   */
  readonly complete: boolean;
}

/** Where opening the portfolio stands (see the header). */
export interface OpenState {
  readonly phase: 'closed' | 'opening' | 'cached' | 'live' | 'failed';
  readonly portfolioId: string | null;
  /** Why opening failed (no copy on this device and no network, say). */
  readonly error: string | null;
}

export interface StorageUse {
  readonly usageBytes: number | null;
  readonly quotaBytes: number | null;
  readonly persisted: boolean;
}

export interface CollectorApp {
  // Session
  session(): Session | null;
  signIn(user: string, password: string): Promise<Session>;
  signOut(): Promise<void>;

  // The open portfolio
  portfolios(): readonly Portfolio[];
  portfolioId(): string | null;
  openPortfolio(id: string): Promise<void>;
  /** The instant the worklist is computed for (the device's clock, advanced every minute). */
  asOf(): Instant;
  agingConfig(): AgingConfig | undefined;

  openState(): OpenState;

  // Reads (synchronous snapshots)
  worklist(query: WorklistQuery): readonly WorklistEntry[];
  /** The same list as flat rows; served from the device's worklist cache while the portfolio opens. */
  worklistRows(query: WorklistQuery): readonly WorklistRow[];
  account(accountNumber: string): AccountView | undefined;
  syncStatus(): SyncStatus;
  presence(): ReadonlyMap<string, readonly PresenceUser[]>;
  subscribe(listener: () => void): () => void;

  // Writes
  dispatch<K extends CommandName>(name: K, input: CommandInput<K>): Promise<CommandResult<K>>;
  /** Tell teammates which account I have open (null: none). */
  setWorkingOn(accountNumber: string | null): void;

  /** Pull the ledger and reconnect now (a "sync now" button); resolves when the pull is done. */
  syncNow(): Promise<void>;

  // Device
  storageUse(): Promise<StorageUse>;
  /** Everything this device holds for the open portfolio, as JSON, for the user to keep. */
  exportData(): Promise<Blob>;
}
