/**
 * The ports of the app layer (DESIGN.md §5): what the use cases need from the device's storage (Dexie,
 * src/storage), from team sync (Yjs, src/sync), from the server (HTTP, server-api.ts) and from the
 * platform. src/app imports none of those libraries; the composition root hands it adapters.
 *
 * Each port's doc comment is its contract; test/storage/*.contract.ts runs the storage contracts
 * against every adapter.
 */
import type { CalendarDate } from '../domain/calendar';
import type { Fact, Instant } from '../domain/facts';
import type { Account, CollectionsContact, Ledger, LedgerDelta, LedgerDocument, Payment, Portfolio } from '../domain/ledger';
import type { AccountHistory, LedgerPage, LedgerScope } from '../domain/ledger-page';
import type { Session as WireSession } from '../protocol/auth';
import type { WorklistRow } from './worklist-row';

// ---------------------------------------------------------------------------------------------------
// Storage (src/storage)
// ---------------------------------------------------------------------------------------------------

/** Where the device's read-only ledger copy stands for one portfolio. */
export interface LedgerCursor {
  readonly portfolioId: string;
  /** The `cursor` of the last pull applied; the next pull asks `since` it. */
  readonly cursor: number;
  /** When that pull was applied (the device's clock). */
  readonly pulledAt: Instant;
}

/**
 * A paged snapshot under way (src/app/ledger-pull.ts): the pages before `after` are stored; the next
 * page is asked with `after`, `cursor` and `scope`, and the last one sets the copy's cursor to `cursor`.
 */
export interface LedgerPullProgress {
  readonly since: number;
  readonly cursor: number;
  readonly after: string;
  readonly scope: LedgerScope;
}

/**
 * The device's copy of the ledger (DESIGN.md §2.1): read-only rows pulled from the server.
 *
 * Contract:
 * - `applyPull` writes one pull batch (a snapshot, a delta, or one page of either) and its cursor in
 *   **one transaction**: after a crash either the batch and its cursor are both there or neither is, so
 *   a pull resumes from the last cursor written. With `progress` (a page of a snapshot that has more
 *   pages), the stored cursor does not move and the progress is stored with the page instead; without
 *   it, the cursor becomes `delta.cursor` and any progress is forgotten.
 * - `cursor` is undefined until a pull has completed (a snapshot whose pages are still coming is not a
 *   copy); `pullProgress` is the snapshot under way, if any. Rows are upserted by their keys (an account by number, a contact by id, a
 *   document by account and number, a payment by id); nothing is deleted (the server never deletes).
 * - Reads parse every row with the domain's zod schema; a row that fails is skipped and counted in
 *   `invalidRows` (never thrown at the caller).
 * - List reads come grouped by account, in account-number order (the engine's index reads runs).
 * - `clear` removes every row and the cursor of the portfolio (a server restored from a backup answers
 *   with a cursor behind ours: the copy is rebuilt from a snapshot).
 * - Write failures reject (the caller shows them); a connection the browser dropped is reopened once.
 */
export interface LedgerRepository {
  cursor(portfolioId: string): Promise<LedgerCursor | undefined>;
  applyPull(delta: LedgerDelta, pulledAt: Instant, portfolio?: Portfolio, progress?: LedgerPullProgress): Promise<void>;
  pullProgress(portfolioId: string): Promise<LedgerPullProgress | undefined>;
  clear(portfolioId: string): Promise<void>;
  portfolio(portfolioId: string): Promise<Portfolio | undefined>;
  /** Portfolios with a copy on this device. */
  portfolios(): Promise<Portfolio[]>;
  accounts(portfolioId: string): Promise<Account[]>;
  contacts(portfolioId: string): Promise<CollectionsContact[]>;
  /** Documents with status `open` (what the worklist reads). */
  openDocuments(portfolioId: string): Promise<LedgerDocument[]>;
  /** Payments received on or after `from`, grouped by account. */
  paymentsFrom(portfolioId: string, from: CalendarDate): Promise<Payment[]>;
  /** Payments received in [from, before), grouped by account: widening a window already loaded. */
  paymentsBetween(portfolioId: string, from: CalendarDate, before: CalendarDate): Promise<Payment[]>;
  /** Every document of one account (open, paid, closed). */
  accountDocuments(portfolioId: string, accountNumber: string): Promise<LedgerDocument[]>;
  accountPayments(portfolioId: string, accountNumber: string): Promise<Payment[]>;
  /** Documents whose number starts with `prefix` (case-sensitive, as the ERP writes them), any status. */
  findDocuments(portfolioId: string, prefix: string, limit: number): Promise<LedgerDocument[]>;
  /** The whole copy, for the user's export. */
  ledger(portfolioId: string): Promise<Ledger | undefined>;
  /** Rows skipped on read because they failed their schema, since this repository was made. */
  invalidRows(): number;
}

/** One persisted Yjs update of a room. */
export interface UpdateRow {
  readonly seq: number;
  readonly update: Uint8Array;
}

/**
 * The persisted Yjs update log, per room (the device's copy of each doc).
 *
 * Contract:
 * - `append` stores the updates of one call in **one transaction**, after every row already there
 *   (`seq` grows); it rejects when the device could not save.
 * - `load` returns a room's rows in `seq` order.
 * - `compact` reads every row of the room, hands them to `merge` (Y.mergeUpdates, given by the caller:
 *   storage does not know Yjs) and replaces them by the one row it returns, in one transaction: another
 *   tab appending meanwhile either lands before (and is merged) or after (and is kept); a reader sees
 *   the old rows or the merged one, never neither. It answers how many rows it replaced.
 * - `rooms` lists the rooms of a portfolio that have rows (`<portfolioId>.` prefix).
 */
export interface UpdateLogRepository {
  load(room: string): Promise<UpdateRow[]>;
  append(room: string, updates: readonly Uint8Array[]): Promise<void>;
  compact(room: string, merge: (updates: readonly Uint8Array[]) => Uint8Array): Promise<number>;
  count(room: string): Promise<number>;
  rooms(portfolioId: string): Promise<string[]>;
}

/** What the device knows of the relay's state of one room: persisted, so the indicator is right after an offline reload. */
export interface RoomSyncState {
  readonly room: string;
  readonly portfolioId: string;
  /** The last state vector the relay sent (its sync step 1); null before any. */
  readonly serverStateVector: Uint8Array | null;
  /** When the relay's state vector last covered everything this device had. */
  readonly lastServerSyncAt: Instant | null;
}

/** Contract: `put` upserts by room; `list` returns a portfolio's rooms; reads are parsed, bad rows dropped. */
export interface RoomSyncStateRepository {
  get(room: string): Promise<RoomSyncState | undefined>;
  put(state: RoomSyncState): Promise<void>;
  list(portfolioId: string): Promise<RoomSyncState[]>;
}

/** A record that failed its schema where it was read (a Yjs doc), kept for a person to look at. */
export interface QuarantinedRecord {
  readonly portfolioId: string;
  readonly room: string;
  /** The record's key in its map (a fact's ULID, a strategy id, a setting name). */
  readonly key: string;
  /** The record as JSON text, cut at 16 KiB. */
  readonly raw: string;
  /** `path: message` of each schema issue. */
  readonly issues: readonly string[];
  readonly at: Instant;
}

/**
 * Quarantine. Contract: `put` is idempotent per (room, key): the same bad record read on every start is
 * stored once (the newest copy wins); `count` counts a portfolio's records.
 */
export interface QuarantineRepository {
  put(records: readonly QuarantinedRecord[]): Promise<void>;
  list(portfolioId: string): Promise<QuarantinedRecord[]>;
  count(portfolioId: string): Promise<number>;
}

/** What the derived worklist cache was computed by and for (rows: worklist-row.ts). */
export interface WorklistCacheMeta {
  readonly portfolioId: string;
  /** WORKLIST_ENGINE_VERSION of the code that wrote the rows: rows of another version are not read. */
  readonly engineVersion: number;
  /** The instant the rows were computed for. */
  readonly asOf: Instant;
  readonly count: number;
}

/**
 * The derived worklist cache (DESIGN.md §2.3): computed on the device, never synced, read at cold start
 * so Today paints before the ledger and the facts are loaded.
 *
 * Contract:
 * - `replace` swaps a portfolio's rows and meta in one transaction; `put` upserts some rows (the
 *   accounts a new fact re-scored).
 * - `top` returns rows by score, highest first, for everyone or for one assignee (`null`: unassigned);
 *   it reads through the `[portfolioId+assignee+score]` / `[portfolioId+score]` indexes, never a scan.
 * - Reads parse rows; `meta` is undefined when nothing was written.
 */
export interface WorklistCacheRepository {
  meta(portfolioId: string): Promise<WorklistCacheMeta | undefined>;
  replace(meta: WorklistCacheMeta, rows: readonly WorklistRow[]): Promise<void>;
  put(portfolioId: string, rows: readonly WorklistRow[]): Promise<void>;
  top(portfolioId: string, options: { readonly assignee?: string | null; readonly limit: number }): Promise<WorklistRow[]>;
  clear(portfolioId: string): Promise<void>;
}

/** The session as the device keeps it, so a reload offline still knows who works here. */
export type StoredSession = WireSession;

/**
 * Device metadata. Contract: `deviceId` is made once (with the generator given) and the same id is
 * returned ever after on this device; `session` is what `saveSession` last stored (null: signed out).
 */
export interface DeviceRepository {
  deviceId(make: () => string): Promise<string>;
  session(): Promise<StoredSession | null>;
  saveSession(session: StoredSession | null): Promise<void>;
}

/** An archived month's facts as the server served them (each parsed by the app when read). */
export interface FactArchiveRow {
  readonly portfolioId: string;
  readonly period: string;
  readonly facts: readonly unknown[];
  readonly fetchedAt: Instant;
}

/**
 * Archived fact months (docs/sync.md): fetched once over HTTP (an archived month never changes), kept
 * for every start after. Contract: `put` upserts by (portfolio, period); `list` returns a portfolio's
 * months; `periods` only their names (what is already here, without reading the facts).
 */
export interface FactArchiveRepository {
  put(row: FactArchiveRow): Promise<void>;
  list(portfolioId: string): Promise<FactArchiveRow[]>;
  periods(portfolioId: string): Promise<string[]>;
}

/** Everything the app needs from the device's database, plus write-failure reporting. */
export interface DeviceStorage {
  readonly ledger: LedgerRepository;
  readonly updates: UpdateLogRepository;
  readonly roomSync: RoomSyncStateRepository;
  readonly quarantine: QuarantineRepository;
  readonly worklist: WorklistCacheRepository;
  readonly device: DeviceRepository;
  readonly archives: FactArchiveRepository;
  /** Called with every write that failed (after one reopen), so the UI can say so. */
  onWriteError(listener: (error: Error) => void): () => void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// Team sync (src/sync)
// ---------------------------------------------------------------------------------------------------

/** Per Yjs doc: what the sync indicator shows. */
export interface DocSyncStatus {
  readonly room: string;
  /** Live docs are connected to the relay; archived months held on the device are read-only. */
  readonly live: boolean;
  readonly connected: boolean;
  readonly lastServerSyncAt: Instant | null;
  /** Records (map entries) this device has that the relay's last state vector does not cover. */
  readonly pendingChanges: number;
  /** The oldest pending record's `at` (facts), or when the device first saw it pending. */
  readonly pendingSince: Instant | null;
}

/** Why the relay refused us for good (until the user signs in again). */
export type SyncRefusal = 'unauthorized' | 'forbidden' | 'unsupported-version';

/** Who is looking at which account, as awareness carries it (parsed). */
export interface PresencePeer {
  /** The awareness client id (one per tab/device). */
  readonly clientId: number;
  readonly userId: string;
  readonly name: string;
  readonly accountNumber: string | null;
  readonly since: Instant;
}

/** The raw configuration doc: values are parsed by the app (team-config.ts) and invalid ones quarantined. */
export interface TeamConfigValues {
  readonly strategies: ReadonlyMap<string, unknown>;
  readonly settings: ReadonlyMap<string, unknown>;
}

/**
 * One portfolio's team docs (config + monthly fact docs, src/protocol/rooms.ts), loaded from the
 * device's update log and kept in sync with the relay.
 *
 * Contract:
 * - `facts()` holds every fact of the loaded docs that passed `factSchema` and belongs to the portfolio;
 *   invalid records are quarantined and counted (`quarantined()`), never thrown.
 * - `onFacts` fires with facts new to this device (local writes and teammates' merged updates); with
 *   `reset` true when a known fact's record changed (facts are immutable: someone overwrote one), so the
 *   caller rebuilds from `facts()`.
 * - `writeFacts` puts each fact in the doc `writePeriodFor(fact.at, now)` names, in one Yjs transaction
 *   per doc, and resolves once the update is in the device's update log (rejects if it could not be
 *   saved: the fact is then in memory and sent to the relay, but not safe on this device).
 * - `status()` is per doc; pending changes are computed from the relay's last state vector, never from
 *   `provider.synced`.
 * - `connect` opens the live docs to the relay with the token; `setToken` is used for the next
 *   (re)connection; a refusal (4401/4403/4426) stops reconnecting and fires `onRefused`.
 */
export interface TeamSync {
  readonly portfolioId: string;
  facts(): readonly Fact[];
  onFacts(listener: (added: readonly Fact[], reset: boolean) => void): () => void;
  writeFacts(facts: readonly Fact[]): Promise<void>;
  config(): TeamConfigValues;
  onConfig(listener: () => void): () => void;
  setStrategy(id: string, value: unknown): Promise<void>;
  setSetting(name: string, value: unknown): Promise<void>;
  status(): readonly DocSyncStatus[];
  onStatus(listener: () => void): () => void;
  connect(token: string): void;
  setToken(token: string): void;
  disconnect(): void;
  onRefused(listener: (why: SyncRefusal) => void): () => void;
  /**
   * Resolves true once every live room has received the relay's state since `connect` (a first open
   * on a device waits for it, so its first list is whole); false after `timeoutMs` or on a refusal.
   */
  whenSynced(timeoutMs: number): Promise<boolean>;
  /** My presence (null: on no account). Other clients of the same user are not hidden here. */
  setPresence(state: { readonly userId: string; readonly name: string; readonly accountNumber: string | null; readonly since: Instant } | null): void;
  peers(): readonly PresencePeer[];
  onPresence(listener: () => void): () => void;
  /** Records quarantined while reading this portfolio's docs. */
  quarantined(): number;
  /** The clock moved: open the month docs that became live, stop syncing the ones that were archived. */
  setNow(now: Instant): void;
  /** Resolves when every local update so far is in the update log. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface TeamSyncFactory {
  open(portfolioId: string): Promise<TeamSync>;
}

// ---------------------------------------------------------------------------------------------------
// Server (HTTP, src/app/server-api.ts)
// ---------------------------------------------------------------------------------------------------

/**
 * What the app asks of the server (server-api.ts's `httpServer` has this shape). Every answer is
 * zod-parsed by the adapter. Failures reject with a `ServerApiError` so the app can tell "sign in
 * again" (401) from "offline" (status 0).
 */
export interface ServerPort {
  signIn(user: string, password: string): Promise<WireSession>;
  refresh(token: string): Promise<WireSession>;
  portfolios(token: string): Promise<Portfolio[]>;
  /**
   * `GET /api/portfolios/:id/ledger?since=N`, parsed with ledgerPageSchema: with `page`, one page of the
   * pull (its `next` says whether more follow); without, every row in one answer.
   */
  ledger(token: string, portfolioId: string, since: number, page?: LedgerPageQuery): Promise<LedgerDelta & Partial<Pick<LedgerPage, 'next' | 'scope'>>>;
  /** `GET /api/portfolios/:id/accounts/:number/history`: an account's whole history; absent: the device's copy only. */
  accountHistory?(token: string, portfolioId: string, accountNumber: string): Promise<AccountHistory>;
  /** An archived month's facts (unparsed); absent: the device reads only the months it synced itself. */
  factArchive?(token: string, portfolioId: string, period: string): Promise<{ readonly facts: readonly unknown[] }>;
}

/** Which page of a pull to ask for (docs/api.md, the ledger route). */
export interface LedgerPageQuery {
  readonly scope: LedgerScope;
  readonly limit: number;
  /** The `next` of the previous page, with that pull's `cursor`. */
  readonly after?: string;
  readonly cursor?: number;
}

// ---------------------------------------------------------------------------------------------------
// Platform
// ---------------------------------------------------------------------------------------------------

/** navigator.onLine and its events; absent in Node (then always online). */
export interface NetworkPort {
  online(): boolean;
  subscribe(listener: () => void): () => void;
}

/** navigator.storage, when the platform has it. */
export interface StorageQuotaPort {
  estimate(): Promise<{ usage: number | null; quota: number | null }>;
  persisted(): Promise<boolean>;
  persist(): Promise<boolean>;
}

/** Timers, injected so tests drive the clock tick and the refresh without waiting. */
export interface TimerPort {
  every(ms: number, fn: () => void): () => void;
  after(ms: number, fn: () => void): () => void;
}
