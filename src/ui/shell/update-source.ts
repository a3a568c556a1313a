/**
 * The service worker's "a new version waits" signal as an UpdateSource, over vite-plugin-pwa's
 * registerSW (passed in by src/main.tsx, so the UI does not import a bundler's virtual module).
 * registerType is 'prompt': nothing reloads until the user says so.
 */
import type { UpdateSource } from '../app-context';

interface RegisterOptions {
  onNeedRefresh?: () => void;
  onOfflineReady?: () => void;
  onRegisteredSW?: (url: string, registration: ServiceWorkerRegistration | undefined) => void;
}

type Register = (options: RegisterOptions) => (reloadPage?: boolean) => Promise<void>;

/** A collector keeps the app open all day: look for a new version every hour, when online. */
const CHECK_EVERY_MS = 60 * 60 * 1000;

export function updateSourceFrom(register: Register): UpdateSource {
  const listeners = new Set<() => void>();
  let needRefresh = false;
  let offlineReady = false;
  const emit = () => {
    for (const l of listeners) l();
  };
  const update = register({
    onNeedRefresh: () => {
      needRefresh = true;
      emit();
    },
    onOfflineReady: () => {
      offlineReady = true;
      emit();
    },
    onRegisteredSW: (_url, registration) => {
      if (registration === undefined) return;
      window.setInterval(() => {
        if (navigator.onLine) registration.update().catch(() => undefined);
      }, CHECK_EVERY_MS);
    },
  });
  return {
    needRefresh: () => needRefresh,
    offlineReady: () => offlineReady,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    update: () => update(true),
    dismiss: () => {
      needRefresh = false;
      offlineReady = false;
      emit();
    },
  };
}
