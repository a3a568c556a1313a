/**
 * The app layer composed for Node, as src/browser-app.ts composes it for a browser: Dexie on a
 * fake-indexeddb of its own (one per device), team docs over the stock y-websocket provider, the HTTP
 * server API, ULIDs from ulidx. Timers are manual: a test fires the tick or the pull when it wants.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { monotonicFactory } from 'ulidx';
import { createCollectorApp, type CollectorAppHandle, type CollectorAppOptions } from '../../src/app/collector-app-impl';
import type { NetworkPort, TimerPort } from '../../src/app/ports';
import { fetchFactArchive, httpServer } from '../../src/app/server-api';
import { createDexieStorage, type DexieStorage } from '../../src/storage/dexie-storage';
import { teamDocsFactory } from '../../src/sync/team-docs';
import { nodeTransport } from './sync-device';

export class ManualTimers implements TimerPort {
  private readonly tasks = new Map<number, { ms: number; fn: () => void; repeat: boolean }>();
  private next = 0;

  every(ms: number, fn: () => void): () => void {
    const id = ++this.next;
    this.tasks.set(id, { ms, fn, repeat: true });
    return () => this.tasks.delete(id);
  }

  after(ms: number, fn: () => void): () => void {
    const id = ++this.next;
    this.tasks.set(id, { ms, fn, repeat: false });
    return () => this.tasks.delete(id);
  }

  /** Runs every one-off task (a token refresh, a cache write), whatever its delay. */
  fireOneOffs(): void {
    for (const [id, t] of [...this.tasks]) {
      if (t.repeat) continue;
      this.tasks.delete(id);
      t.fn();
    }
  }

  /** Runs every task scheduled every (or after) exactly `ms`. */
  fire(ms: number): void {
    for (const [id, t] of [...this.tasks]) {
      if (t.ms !== ms) continue;
      if (!t.repeat) this.tasks.delete(id);
      t.fn();
    }
  }
}

export class ManualNetwork implements NetworkPort {
  private up = true;
  private readonly listeners = new Set<() => void>();

  online(): boolean {
    return this.up;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(up: boolean): void {
    this.up = up;
    for (const l of this.listeners) l();
  }
}

export interface NodeDevice {
  readonly storage: DexieStorage;
  readonly timers: ManualTimers;
  readonly network: ManualNetwork;
  readonly indexedDB: IDBFactory;
  app: CollectorAppHandle;
  /** A page reload: a new app over the same IndexedDB. */
  reload(): Promise<CollectorAppHandle>;
  close(): Promise<void>;
}

export const TICK_MS = 60_000;
export const PULL_MS = 300_000;

export async function nodeDevice(origin: string, options: { clock?: () => string; relayOrigin?: string; options?: CollectorAppOptions } = {}): Promise<NodeDevice> {
  const indexedDB = new IDBFactory();
  const timers = new ManualTimers();
  const network = new ManualNetwork();
  const clock = options.clock ?? (() => new Date().toISOString());
  const ulid = monotonicFactory();
  let storage = createDexieStorage({ name: 'dunwell', indexedDB, IDBKeyRange });
  const make = () =>
    createCollectorApp({
      server: { ...httpServer({ base: origin }), factArchive: (token, portfolioId, period) => fetchFactArchive({ base: origin }, token, portfolioId, period) },
      storage,
      sync: teamDocsFactory({ updates: storage.updates, roomSync: storage.roomSync, quarantine: storage.quarantine, transport: nodeTransport(options.relayOrigin ?? origin), now: clock }),
      clock,
      newId: () => ulid(),
      network,
      timers,
      options: { tickMs: TICK_MS, pullEveryMs: PULL_MS, cacheDelayMs: 1_000, ...options.options },
    });
  const device: NodeDevice = {
    get storage() {
      return storage;
    },
    timers,
    network,
    indexedDB,
    app: await make(),
    async reload() {
      await device.app.close();
      await storage.close();
      storage = createDexieStorage({ name: 'dunwell', indexedDB, IDBKeyRange });
      device.app = await make();
      return device.app;
    },
    async close() {
      await device.app.close();
      await storage.close();
    },
  };
  return device;
}
