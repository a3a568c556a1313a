/**
 * One change counter per CollectorApp, for useSyncExternalStore. Components read the app's snapshots
 * inside `useMemo(…, [version])`, so React never depends on the app returning the same object twice,
 * and a burst of notifications in one task (a sync merging many facts) becomes one render.
 */
import type { CollectorApp } from '../../app/collector-app';

export interface VersionStore {
  readonly subscribe: (listener: () => void) => () => void;
  readonly version: () => number;
}

const stores = new WeakMap<CollectorApp, VersionStore>();

export function versionStore(app: CollectorApp): VersionStore {
  let store = stores.get(app);
  if (store === undefined) {
    store = createVersionStore(app);
    stores.set(app, store);
  }
  return store;
}

function createVersionStore(app: CollectorApp): VersionStore {
  const listeners = new Set<() => void>();
  let version = 0;
  let queued = false;
  // Subscribed for the page's life: the app lives as long as the page, and a counter that kept
  // counting while nobody listened is what lets a remounted screen see it is stale.
  app.subscribe(() => {
    version++;
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      for (const l of listeners) l();
    });
  });
  return {
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    version: () => version,
  };
}
