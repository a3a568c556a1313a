import { useState } from 'react';
import { useApp, useAppRead } from '../common/useApp';
import { ScreenHeading } from '../common/ScreenHeading';
import { useAutoOpenPortfolio } from './useAutoOpenPortfolio';

export function PortfolioPicker() {
  const app = useApp();
  const portfolios = useAppRead((a) => a.portfolios(), '');
  const auto = useAutoOpenPortfolio();
  const openState = useAppRead((a) => a.openState(), '');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = (id: string) => {
    setBusy(id);
    setError(null);
    app.openPortfolio(id).catch((e: unknown) => {
      setBusy(null);
      setError(e instanceof Error ? e.message : String(e));
    });
  };
  const shownError = error ?? auto.error ?? (openState.phase === 'failed' ? openState.error : null);
  return (
    <main id="main" className="narrow">
      <ScreenHeading title="Choose a portfolio">Choose a portfolio</ScreenHeading>
      {portfolios.length === 0 && shownError === null && <p role="status">Loading your portfolios…</p>}
      {openState.phase === 'opening' && <p role="status">Opening {openState.portfolioId}…</p>}
      {shownError !== null && <p role="alert" className="error">{shownError}</p>}
      <ul className="plain-list">
        {portfolios.map((p) => (
          <li key={p.id}>
            <button type="button" className="big-button" onClick={() => open(p.id)} disabled={busy !== null} aria-busy={busy === p.id}>
              {p.name} <span className="muted">({p.id})</span>
            </button>
          </li>
        ))}
      </ul>
    </main>
  );
}
