/**
 * The composition root (DESIGN.md §5): the one place that knows every layer. It registers the service
 * worker (an update waits for the user: registerType 'prompt') and mounts the UI.
 *
 * Until the app layer's browser composition lands, the shell shows the server check; the collector's
 * screens (src/ui/App.tsx) mount once a CollectorApp can be built here.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerSW } from 'virtual:pwa-register';
import { httpServerApi } from './app/server-api';
import { ServerCheck } from './ui/shell/ServerCheck';
import { updateSourceFrom } from './ui/shell/update-source';
import './ui/styles.css';

updateSourceFrom(registerSW);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ServerCheck api={httpServerApi()} />
    </StrictMode>,
  );
}
