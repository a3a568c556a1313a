import { useEffect, useState } from 'react';

export type AsyncState<T> = { readonly status: 'loading' } | { readonly status: 'done'; readonly value: T } | { readonly status: 'failed'; readonly error: string };

/** A promise's outcome as state; a newer run (key changed) wins over a slower older one. */
export function useAsync<T>(run: (() => Promise<T>) | null, key: string): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  useEffect(() => {
    if (run === null) return;
    let live = true;
    setState({ status: 'loading' });
    run().then(
      (value) => live && setState({ status: 'done', value }),
      (e: unknown) => live && setState({ status: 'failed', error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
    // `run` is a new closure each render; `key` names what it depends on.
  }, [key]);
  return state;
}
