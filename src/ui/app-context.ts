/**
 * What the UI is given by the composition root (src/main.tsx): the app layer's facade, the service
 * worker's update signal and, for managers, the reads and calls that only a manager's screens need.
 * Everything reaches components through these contexts, so a test can hand in a fake.
 */
import { createContext } from 'react';
import type { CollectorApp } from '../app/collector-app';
import type { ManagerPort } from './manager/manager-port';

/** The service worker as the UI sees it (vite-plugin-pwa's registerSW behind it). */
export interface UpdateSource {
  /** A new version is installed and waits: the user decides when to reload (registerType 'prompt'). */
  readonly needRefresh: () => boolean;
  /** The shell is precached: the app opens without a network from now on. */
  readonly offlineReady: () => boolean;
  readonly subscribe: (listener: () => void) => () => void;
  /** Activates the waiting worker and reloads the page. */
  readonly update: () => Promise<void>;
  readonly dismiss: () => void;
}

export const AppContext = createContext<CollectorApp | null>(null);
export const UpdateContext = createContext<UpdateSource | null>(null);
/** Absent (null) until the app layer offers manager reads; the manager screens then say so. */
export const ManagerContext = createContext<ManagerPort | null>(null);
