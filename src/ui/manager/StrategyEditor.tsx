import { useContext, useEffect, useMemo, useState } from 'react';
import type { Session } from '../../app/collector-app';
import { parseStrategy, type Strategy, type StrategyInput } from '../../domain/strategy';
import { ManagerContext } from '../app-context';
import { useAppVersion } from '../common/useApp';
import { useCommand } from '../common/useCommand';
import type { StrategyLab } from './manager-port';
import { SimulationPreview } from './SimulationPreview';
import { StrategyOutline } from './StrategyOutline';

/**
 * The strategy editor: pick a strategy, change its delays and steps (or its JSON for anything else),
 * preview what it would do to the portfolio, save it for the team. Nothing reaches the team until
 * "Save"; the preview runs on this device.
 */
export function StrategyEditor({ session }: { readonly session: Session }) {
  const lab = useContext(ManagerContext)?.strategyLab;
  // Re-read the team's strategies whenever the app changes: the config doc may arrive from the relay
  // after the editor opened (a reload reads the device's copy first).
  useAppVersion();
  if (lab === undefined) return <p>The strategy editor is not available in this version of the app.</p>;
  const { strategies, config } = lab.strategies();
  return <Editor lab={lab} strategies={strategies} bySegment={config.bySegment} defaultId={config.default} canSave={session.user.role !== 'viewer'} />;
}

interface EditorProps {
  readonly lab: StrategyLab;
  readonly strategies: readonly Strategy[];
  readonly bySegment: Readonly<Record<string, string>>;
  readonly defaultId: string;
  readonly canSave: boolean;
}

function Editor({ lab, strategies, bySegment, defaultId, canSave }: EditorProps) {
  const [id, setId] = useState(strategies[0]?.id ?? '');
  const original = strategies.find((s) => s.id === id);
  const originalText = original === undefined ? '' : JSON.stringify(original, null, 2);
  const [text, setText] = useState(originalText);
  // The text the editor started from: while the user has not changed it, it follows the team's copy.
  const [baseline, setBaseline] = useState(originalText);
  useEffect(() => {
    if (originalText === baseline) return;
    if (text === baseline) setText(originalText);
    setBaseline(originalText);
  }, [originalText, baseline, text]);
  const { busy, error, run } = useCommand();
  const [saved, setSaved] = useState<string | null>(null);
  const parsed = useMemo(() => {
    try {
      return parseStrategy(JSON.parse(text) as unknown);
    } catch (e) {
      return { ok: false as const, errors: [`Not JSON: ${e instanceof Error ? e.message : String(e)}`] };
    }
  }, [text]);

  const choose = (next: string) => {
    setId(next);
    const s = strategies.find((x) => x.id === next);
    const t = s === undefined ? '' : JSON.stringify(s, null, 2);
    setText(t);
    setBaseline(t);
    setSaved(null);
  };
  const edit = (draft: StrategyInput) => {
    setText(JSON.stringify(draft, null, 2));
    setSaved(null);
  };
  const save = async () => {
    if (!parsed.ok) return;
    const r = await run('strategy/save', { strategy: parsed.strategy });
    if (r?.ok === true) setSaved(`Saved “${parsed.strategy.name}”. The team’s worklists follow it from their next sync.`);
  };
  const segments = Object.entries(bySegment).filter(([, s]) => s === id).map(([seg]) => seg);

  return (
    <div className="stack">
      <label htmlFor="st-choose">Strategy</label>
      <select id="st-choose" value={id} onChange={(e) => choose(e.target.value)}>
        {strategies.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <p className="muted">
        {id === defaultId ? 'The default strategy. ' : ''}
        {segments.length > 0 ? `Segments on it: ${segments.join(', ')}.` : 'No segment is on it.'}
      </p>
      {parsed.ok && <StrategyOutline strategy={parsed.strategy} onChange={edit} />}
      <details>
        <summary>Edit as JSON</summary>
        <label htmlFor="st-json">Strategy JSON (docs/strategy.md)</label>
        <textarea id="st-json" className="json-editor" spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={!parsed.ok} />
      </details>
      {!parsed.ok && (
        <ul role="alert" className="error">
          {parsed.errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
      {parsed.ok && <SimulationPreview lab={lab} strategy={parsed.strategy} />}
      {canSave && (
        <button type="button" className="primary" disabled={!parsed.ok || busy} onClick={() => void save()}>
          Save strategy
        </button>
      )}
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p role="status">{saved}</p>
    </div>
  );
}
