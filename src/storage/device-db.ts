/**
 * The device's IndexedDB database (Dexie): one per browser profile, every portfolio in it.
 *
 * Versions only move forward (DESIGN.md §6): each `db.version(n)` below stays forever, a new version is
 * added under it with its upgrade, and test/storage/schema-upgrade.test.ts opens a golden fixture of
 * every old version's data with the current code. Index strings name what the app queries; a field
 * that is not indexed is still stored (IndexedDB stores whole objects).
 *
 * Tables:
 * - portfolios, accounts, contacts, documents, payments: the ledger copy (read-only, pulled from the
 *   server), keyed as the server keys them, with the indexes the app reads by;
 * - ledgerCursors: per portfolio, the cursor of the last pull applied (written in the pull's transaction);
 * - updates: the Yjs update log, one row per persisted update of a room, compacted into one row;
 * - roomSync: per room, the relay's last state vector and when it last covered ours;
 * - quarantine: records that failed their schema where they were read;
 * - worklist, worklistMeta: the derived worklist cache (rows: src/app/worklist-row.ts);
 * - device: key/value metadata (deviceId, session);
 * - factArchives: the facts of archived months (docs/sync.md), as the server serves them.
 */
import { Dexie, type DexieOptions, type Table } from 'dexie';
import type { Account, CollectionsContact, LedgerDocument, Payment, Portfolio } from '../domain/ledger';
import type { WorklistRow } from '../app/worklist-row';

export const DEVICE_DB_NAME = 'dunwell';

export interface LedgerCursorRow {
  portfolioId: string;
  cursor: number;
  pulledAt: string;
  /** A paged snapshot under way (its pages so far are stored); a field, not a store: no new version. */
  pending?: { since: number; cursor: number; after: string; scope: 'device' | 'full' };
}

export interface UpdateLogRow {
  seq?: number;
  room: string;
  update: Uint8Array;
}

export interface RoomSyncRow {
  room: string;
  portfolioId: string;
  serverStateVector: Uint8Array | null;
  lastServerSyncAt: string | null;
}

export interface QuarantineRow {
  room: string;
  key: string;
  portfolioId: string;
  raw: string;
  issues: string[];
  at: string;
}

export interface WorklistMetaRow {
  portfolioId: string;
  engineVersion: number;
  asOf: string;
  count: number;
}

export interface FactArchiveRow {
  portfolioId: string;
  period: string;
  facts: unknown[];
  fetchedAt: string;
}

export interface DeviceRow {
  key: string;
  value: unknown;
}

/** The stores of each version, in order. Never edit a published entry: add one. */
export const SCHEMA_VERSIONS: readonly { readonly version: number; readonly stores: Readonly<Record<string, string | null>> }[] = [
  {
    version: 1,
    stores: {
      portfolios: 'id',
      accounts: '[portfolioId+number], [portfolioId+name]',
      contacts: '[portfolioId+id], [portfolioId+accountNumber]',
      // Numbers may repeat across accounts (documentKey), so the key has all three; [portfolioId+number]
      // serves invoice-number search, [portfolioId+status+accountNumber] the open documents by account.
      documents: '[portfolioId+accountNumber+number], [portfolioId+number], [portfolioId+status+accountNumber]',
      payments: '[portfolioId+id], [portfolioId+accountNumber], [portfolioId+receivedDate]',
      ledgerCursors: 'portfolioId',
      updates: '++seq, room',
      roomSync: 'room, portfolioId',
      quarantine: '[room+key], portfolioId',
      worklist: '[portfolioId+accountNumber], [portfolioId+score], [portfolioId+assignee+score]',
      worklistMeta: 'portfolioId',
      device: 'key',
      // Archived fact months (read-only, fetched over HTTP once): facts as plain JSON, parsed on read.
      factArchives: '[portfolioId+period], portfolioId',
    },
  },
];

export const CURRENT_SCHEMA_VERSION = SCHEMA_VERSIONS[SCHEMA_VERSIONS.length - 1]?.version ?? 1;

export class DeviceDb extends Dexie {
  declare portfolios: Table<Portfolio, string>;
  declare accounts: Table<Account, [string, string]>;
  declare contacts: Table<CollectionsContact, [string, string]>;
  declare documents: Table<LedgerDocument, [string, string, string]>;
  declare payments: Table<Payment, [string, string]>;
  declare ledgerCursors: Table<LedgerCursorRow, string>;
  declare updates: Table<UpdateLogRow, number>;
  declare roomSync: Table<RoomSyncRow, string>;
  declare quarantine: Table<QuarantineRow, [string, string]>;
  declare worklist: Table<WorklistRow, [string, string]>;
  declare worklistMeta: Table<WorklistMetaRow, string>;
  declare device: Table<DeviceRow, string>;
  declare factArchives: Table<FactArchiveRow, [string, string]>;

  /** `upTo` opens the database at an older version (the schema-upgrade tests write golden fixtures with it). */
  constructor(name: string = DEVICE_DB_NAME, options: Pick<DexieOptions, 'indexedDB' | 'IDBKeyRange'> = {}, upTo: number = CURRENT_SCHEMA_VERSION) {
    // No liveQuery here: Dexie's query cache would only keep copies of large reads alive.
    super(name, { ...options, cache: 'disabled' });
    for (const v of SCHEMA_VERSIONS) if (v.version <= upTo) this.version(v.version).stores(v.stores);
  }
}
