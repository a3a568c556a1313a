import { useEffect, useState } from 'react';
import type { Health, ServerApi } from '../../app/server-api';
import type { Portfolio } from '../../domain/ledger';

type State =
  | { kind: 'loading' }
  | { kind: 'online'; health: Health; portfolios: Portfolio[] }
  | { kind: 'offline'; reason: string };

/** Until the app layer lands (createCollectorApp): the server check the first shell showed. */
export function ServerCheck({ api }: { api: ServerApi }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    Promise.all([api.health(), api.portfolios()])
      .then(([health, portfolios]) => live && setState({ kind: 'online', health, portfolios }))
      .catch((e: unknown) => live && setState({ kind: 'offline', reason: e instanceof Error ? e.message : String(e) }));
    return () => {
      live = false;
    };
  }, [api]);
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 720, margin: '0 auto', padding: 16 }}>
      <h1>Dunwell Collections</h1>
      {state.kind === 'loading' && <p>Connecting to the server…</p>}
      {state.kind === 'offline' && <p role="status">Offline: {state.reason}</p>}
      {state.kind === 'online' && (
        <>
          <p role="status">
            Connected — server {state.health.version}, protocol {state.health.protocol}
          </p>
          <h2>Portfolios</h2>
          <ul>
            {state.portfolios.map((p) => (
              <li key={p.id}>
                {p.name} <small>({p.id})</small>
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
