import { useCallback, useContext, useState, useSyncExternalStore } from 'react';
import { UpdateContext, type UpdateSource } from '../app-context';

const no = () => false;

/** "Update available": the new version waits until the collector chooses to reload (they may be mid-note). */
export function UpdatePrompt() {
  const source = useContext(UpdateContext);
  return source === null ? null : <Prompt source={source} />;
}

function Prompt({ source }: { readonly source: UpdateSource }) {
  const subscribe = useCallback((listener: () => void) => source.subscribe(listener), [source]);
  const needRefresh = useSyncExternalStore(subscribe, () => source.needRefresh(), no);
  const offlineReady = useSyncExternalStore(subscribe, () => source.offlineReady(), no);
  const [busy, setBusy] = useState(false);
  if (needRefresh)
    return (
      <section className="banner" aria-label="Update available">
        <p role="status">Update available: a new version of Dunwell is ready.</p>
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            source.update().catch(() => setBusy(false));
          }}
        >
          Reload to update
        </button>
        <button type="button" onClick={() => source.dismiss()}>
          Later
        </button>
      </section>
    );
  if (offlineReady)
    return (
      <section className="banner banner-quiet" aria-label="Ready offline">
        <p role="status">Dunwell is ready to work offline on this device.</p>
        <button type="button" onClick={() => source.dismiss()}>
          OK
        </button>
      </section>
    );
  return null;
}
