import { useCallback, useState } from 'react';
import type { CommandInput, CommandName, CommandResult } from '../../app/commands';
import { useApp } from './useApp';

export interface CommandState {
  readonly busy: boolean;
  /** What the app refused, with the fields that failed, ready to show. */
  readonly error: string | null;
}

/**
 * Runs one command through the app's typed command map and keeps what a form shows: busy while it
 * runs, the refusal's message and field issues if it was refused.
 */
export function useCommand(): CommandState & { run: <K extends CommandName>(name: K, input: CommandInput<K>) => Promise<CommandResult<K> | null> } {
  const app = useApp();
  const [state, setState] = useState<CommandState>({ busy: false, error: null });
  const run = useCallback(
    async <K extends CommandName>(name: K, input: CommandInput<K>): Promise<CommandResult<K> | null> => {
      setState({ busy: true, error: null });
      try {
        const result = await app.dispatch(name, input);
        if (result.ok) setState({ busy: false, error: null });
        else {
          const issues = (result.error.issues ?? []).map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`));
          setState({ busy: false, error: [result.error.message, ...issues].join(' · ') });
        }
        return result;
      } catch (e) {
        setState({ busy: false, error: e instanceof Error ? e.message : String(e) });
        return null;
      }
    },
    [app],
  );
  return { ...state, run };
}
