import type { CollectorApp } from '../app/collector-app';
import { AppContext, ManagerContext, UpdateContext, type UpdateSource } from './app-context';
import type { ManagerPort } from './manager/manager-port';
import { SessionGate } from './shell/SessionGate';
import { UpdatePrompt } from './shell/UpdatePrompt';

export interface AppProps {
  readonly app: CollectorApp;
  readonly updates: UpdateSource | null;
  readonly manager: ManagerPort | null;
}

/** The UI's root: what src/main.tsx composed, handed to every screen through context. */
export function App({ app, updates, manager }: AppProps) {
  return (
    <AppContext.Provider value={app}>
      <UpdateContext.Provider value={updates}>
        <ManagerContext.Provider value={manager}>
          <a className="skip-link" href="#main">
            Skip to main content
          </a>
          {/* On every screen, the sign-in screen included: a new version waits for the user's word. */}
          <UpdatePrompt />
          <SessionGate />
        </ManagerContext.Provider>
      </UpdateContext.Provider>
    </AppContext.Provider>
  );
}
