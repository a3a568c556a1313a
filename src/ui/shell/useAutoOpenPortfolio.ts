import { useEffect, useState } from 'react';
import { useApp, useAppRead } from '../common/useApp';

/** Opens the one portfolio a user has, so a collector with one region never sees a picker. */
export function useAutoOpenPortfolio(): { error: string | null } {
  const app = useApp();
  const portfolios = useAppRead((a) => a.portfolios(), '');
  const [error, setError] = useState<string | null>(null);
  const only = portfolios.length === 1 ? portfolios[0]?.id : undefined;
  useEffect(() => {
    if (only === undefined) return;
    app.openPortfolio(only).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [app, only]);
  return { error };
}
