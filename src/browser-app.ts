/**
 * The browser's composition of the app layer, called by the composition root (src/main.tsx):
 * Dexie for the device's storage, Yjs team docs over y-websocket to the relay on the same origin, the
 * HTTP server API, navigator's network and storage, ULIDs from ulidx. It sits beside main.tsx because
 * it imports every layer (src/storage and src/sync may not import each other, DESIGN.md §5); main.tsx
 * only awaits it and hands the facade to React.
 */
import { monotonicFactory } from 'ulidx';
import { createCollectorApp, type CollectorAppHandle } from './app/collector-app-impl';
import type { NetworkPort, StorageQuotaPort } from './app/ports';
import { fetchFactArchive, httpServer } from './app/server-api';
import { createDexieStorage } from './storage/dexie-storage';
import { teamDocsFactory } from './sync/team-docs';
import { relayUrlOf, websocketTransport } from './sync/websocket-transport';

export interface BrowserAppOptions {
  /** The server's origin; the page's own by default (the server serves the PWA, the API and the relay). */
  readonly baseUrl?: string;
  /** The IndexedDB database name (tests open several devices in one profile). */
  readonly dbName?: string;
}

function browserNetwork(): NetworkPort {
  return {
    online: () => navigator.onLine,
    subscribe(listener) {
      window.addEventListener('online', listener);
      window.addEventListener('offline', listener);
      return () => {
        window.removeEventListener('online', listener);
        window.removeEventListener('offline', listener);
      };
    },
  };
}

function browserQuota(): StorageQuotaPort | undefined {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (storage === undefined || typeof storage.estimate !== 'function') return undefined;
  return {
    async estimate() {
      const e = await storage.estimate();
      return { usage: e.usage ?? null, quota: e.quota ?? null };
    },
    persisted: () => (typeof storage.persisted === 'function' ? storage.persisted() : Promise.resolve(false)),
    persist: () => (typeof storage.persist === 'function' ? storage.persist() : Promise.resolve(false)),
  };
}

export async function createBrowserApp(options: BrowserAppOptions = {}): Promise<CollectorAppHandle> {
  // Marks of the cold start (read by `npm run bench`, visible in a Chromium performance trace).
  performance.mark('dunwell:app-create');
  const origin = options.baseUrl ?? window.location.origin;
  const storage = createDexieStorage(options.dbName === undefined ? {} : { name: options.dbName });
  const clock = () => new Date().toISOString();
  const ulid = monotonicFactory();
  const quota = browserQuota();
  const http = { base: options.baseUrl ?? '' };
  const app = await createCollectorApp({
    server: { ...httpServer(http), factArchive: (token, portfolioId, period) => fetchFactArchive(http, token, portfolioId, period) },
    storage,
    sync: teamDocsFactory({
      updates: storage.updates,
      roomSync: storage.roomSync,
      quarantine: storage.quarantine,
      transport: websocketTransport({ url: relayUrlOf(origin) }),
      now: clock,
    }),
    clock,
    newId: () => ulid(),
    network: browserNetwork(),
    ...(quota === undefined ? {} : { quota }),
  });
  performance.mark('dunwell:app-ready');
  return app;
}
