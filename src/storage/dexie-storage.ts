/**
 * The Dexie adapter of the app's DeviceStorage port: one database, one repository per port.
 * `indexedDB`/`IDBKeyRange` are for Node (fake-indexeddb); a browser uses its own.
 */
import type { DexieOptions } from 'dexie';
import type { DeviceStorage } from '../app/ports';
import { DbAccess } from './db-access';
import { DEVICE_DB_NAME, DeviceDb } from './device-db';
import { DexieDeviceRepository } from './device-repository';
import { DexieFactArchiveRepository } from './fact-archive-repository';
import { DexieLedgerRepository } from './ledger-repository';
import { DexieQuarantineRepository } from './quarantine-repository';
import { DexieRoomSyncRepository } from './room-sync-repository';
import { DexieUpdateLogRepository } from './update-log-repository';
import { DexieWorklistCacheRepository } from './worklist-cache-repository';

export interface DexieStorage extends DeviceStorage {
  readonly ledger: DexieLedgerRepository;
  readonly updates: DexieUpdateLogRepository;
  readonly worklist: DexieWorklistCacheRepository;
  readonly access: DbAccess;
}

export function createDexieStorage(options: { name?: string } & Pick<DexieOptions, 'indexedDB' | 'IDBKeyRange'> = {}): DexieStorage {
  const { name = DEVICE_DB_NAME, ...idb } = options;
  const access = new DbAccess(new DeviceDb(name, idb));
  return {
    access,
    ledger: new DexieLedgerRepository(access),
    updates: new DexieUpdateLogRepository(access),
    roomSync: new DexieRoomSyncRepository(access),
    quarantine: new DexieQuarantineRepository(access),
    worklist: new DexieWorklistCacheRepository(access),
    device: new DexieDeviceRepository(access),
    archives: new DexieFactArchiveRepository(access),
    onWriteError: (listener) => access.onWriteError(listener),
    close: () => {
      access.close();
      return Promise.resolve();
    },
  };
}
