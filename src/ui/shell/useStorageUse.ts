import { useCallback, useEffect, useState } from 'react';
import type { StorageUse } from '../../app/collector-app';
import { useApp } from '../common/useApp';

/** The device's storage figures, read on mount and on demand (they are an async browser estimate). */
export function useStorageUse(): { use: StorageUse | null; error: string | null; refresh: () => void } {
  const app = useApp();
  const [use, setUse] = useState<StorageUse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(() => {
    app.storageUse().then(setUse, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [app]);
  useEffect(refresh, [refresh]);
  return { use, error, refresh };
}
