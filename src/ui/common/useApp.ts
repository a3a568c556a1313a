import { useContext, useMemo, useSyncExternalStore } from 'react';
import type { CollectorApp } from '../../app/collector-app';
import { AppContext } from '../app-context';
import { versionStore } from './app-version';

export function useApp(): CollectorApp {
  const app = useContext(AppContext);
  if (app === null) throw new Error('useApp needs an <AppContext.Provider> (src/main.tsx provides it)');
  return app;
}

/** The app's change counter: re-renders the caller whenever the app notifies. */
export function useAppVersion(): number {
  const store = versionStore(useApp());
  return useSyncExternalStore(store.subscribe, store.version);
}

/**
 * A snapshot read from the app, recomputed when the app changes or `key` does. `key` stands for every
 * input of `read` other than the app (a query's JSON, an account number).
 */
export function useAppRead<T>(read: (app: CollectorApp) => T, key: string): T {
  const app = useApp();
  const version = useAppVersion();
  // `read` is a new closure each render; what it depends on is named by `key`.
  return useMemo(() => read(app), [app, version, key]);
}
