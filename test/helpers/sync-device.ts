/**
 * A device for sync tests: Dexie on its own fake-indexeddb, the team docs of one portfolio, and the
 * stock y-websocket provider (through websocketTransport) talking to a real relay.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Fact } from '../../src/domain/facts';
import type { DexieStorage } from '../../src/storage/dexie-storage';
import { createDexieStorage } from '../../src/storage/dexie-storage';
import { TeamDocs } from '../../src/sync/team-docs';
import type { Transport } from '../../src/sync/transport';
import { relayUrlOf, websocketTransport } from '../../src/sync/websocket-transport';
import { testUlid } from './facts';
import { WebSocketPolyfill } from './relay-clients';

// DESIGN.md §8: Node 20 has no WebSocket global; y-websocket reads it at construction.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocketPolyfill;
// y-websocket adds a process 'exit' listener per provider; tests open dozens of them.
process.setMaxListeners(200);

export interface TestDevice {
  readonly name: string;
  readonly storage: DexieStorage;
  docs: TeamDocs;
  /** Opens the team docs again on the same storage, as a reload of the page does. */
  reload(): Promise<TeamDocs>;
  close(): Promise<void>;
}

export function nodeTransport(origin: string): Transport {
  return websocketTransport({ url: relayUrlOf(origin), WebSocket: WebSocketPolyfill, maxBackoffTime: 200 });
}

export async function openDevice(name: string, portfolioId: string, origin: string, options: { now?: () => string; transport?: Transport; compactAt?: number } = {}): Promise<TestDevice> {
  const storage = createDexieStorage({ name: `device-${name}`, indexedDB: new IDBFactory(), IDBKeyRange });
  const now = options.now ?? (() => new Date().toISOString());
  const deps = {
    updates: storage.updates,
    roomSync: storage.roomSync,
    quarantine: storage.quarantine,
    transport: options.transport ?? nodeTransport(origin),
    now,
    ...(options.compactAt === undefined ? {} : { compactAt: options.compactAt }),
  };
  const device: TestDevice = {
    name,
    storage,
    docs: await TeamDocs.open(portfolioId, deps),
    async reload() {
      await device.docs.close();
      device.docs = await TeamDocs.open(portfolioId, deps);
      return device.docs;
    },
    async close() {
      await device.docs.close();
      await storage.close();
    },
  };
  return device;
}

let n = 0;

/** A valid activity fact on `accountNumber`, authored by `by` now. */
export function activity(portfolioId: string, accountNumber: string, by: string, at = new Date().toISOString()): Fact {
  return {
    v: 1,
    id: testUlid(Date.parse(at), ++n),
    by,
    at,
    deviceId: `dev-${by}`,
    portfolioId,
    accountNumber,
    type: 'activity',
    channel: 'call',
    outcome: 'no-answer',
    documentNumbers: [],
  };
}

/** Polls `check` until it stops throwing, or fails with its last error after its timeout. No fixed sleeps. */
export { eventually } from './relay-clients';
