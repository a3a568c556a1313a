import { useContext, useId, useMemo, useState, type ChangeEvent } from 'react';
import { isCalendarDate } from '../../domain/calendar';
import { resolveMapping } from '../../domain/import/mapping';
import { ManagerContext } from '../app-context';
import { formatBytes, formatNumber } from '../common/format';
import { csvHeader, lineCount } from './csv-header';
import { ImportReportView } from './ImportReportView';
import { guessColumns, MappingBuilder, mappingJson, type BuiltMapping } from './MappingBuilder';
import type { ImportReport } from './manager-port';

type MappingChoice = 'dunwell' | 'ibm' | 'build' | 'json';

interface LoadedFile {
  readonly name: string;
  readonly size: number;
  readonly text: string;
  readonly header: readonly string[];
  readonly lines: number;
}

/**
 * Import an ERP extract: choose the file, choose or build its mapping, let the server check every row
 * (a dry run), then commit. A file with any bad row cannot be committed: the report names each row and
 * column, the user fixes the file and checks again. Nothing is half imported.
 */
export function ImportWizard() {
  const manager = useContext(ManagerContext);
  const id = useId();
  const [file, setFile] = useState<LoadedFile | null>(null);
  const [choice, setChoice] = useState<MappingChoice>('dunwell');
  const [built, setBuilt] = useState<BuiltMapping>({ delimiter: ',', dateFormat: 'YYYY-MM-DD', decimal: '.', currency: 'USD', columns: {} });
  const [json, setJson] = useState('{\n  "extends": "dunwell"\n}');
  const [full, setFull] = useState(false);
  const [asOf, setAsOf] = useState('');
  const [state, setState] = useState<{ busy: 'check' | 'commit' | null; report: ImportReport | null; error: string | null }>({ busy: null, report: null, error: null });

  const mapping = useMemo((): { ok: true; value: string | Record<string, unknown> } | { ok: false; error: string } => {
    if (choice === 'dunwell' || choice === 'ibm') return { ok: true, value: choice };
    let value: unknown;
    if (choice === 'build') value = mappingJson(built);
    else
      try {
        value = JSON.parse(json) as unknown;
      } catch (e) {
        return { ok: false, error: `The mapping is not JSON: ${e instanceof Error ? e.message : String(e)}` };
      }
    // Checked here as the server will check it, so a wrong mapping is fixed before any upload.
    const r = resolveMapping(value);
    return r.ok ? { ok: true, value: value as Record<string, unknown> } : { ok: false, error: r.error };
  }, [choice, built, json]);

  if (manager === null) return <p>Importing is not available in this version of the app.</p>;

  const pick = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    setState({ busy: null, report: null, error: null });
    if (f === undefined) return setFile(null);
    const text = await f.text();
    const header = csvHeader(text);
    setFile({ name: f.name, size: f.size, text, header, lines: lineCount(text) });
    setBuilt((b) => ({ ...b, columns: guessColumns(header) }));
  };

  const send = (mode: 'dry-run' | 'all-or-nothing') => {
    if (file === null || !mapping.ok) return;
    setState({ busy: mode === 'dry-run' ? 'check' : 'commit', report: null, error: null });
    manager
      .importCsv({ csv: file.text, mapping: mapping.value, mode, full, ...(isCalendarDate(asOf) ? { asOf } : {}) })
      .then(
        (report) => setState({ busy: null, report, error: null }),
        (err: unknown) => setState({ busy: null, report: null, error: err instanceof Error ? err.message : String(err) }),
      );
  };

  const checkedOk = state.report?.status === 'dry-run' && state.report.errorCount === 0;
  return (
    <div className="stack">
      <section className="card stack" aria-labelledby={`${id}-1`}>
        <h2 id={`${id}-1`}>1. The file</h2>
        <label htmlFor={`${id}-file`}>CSV extract from the ERP</label>
        <input id={`${id}-file`} type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void pick(e)} />
        {file !== null && (
          <p className="muted">
            {file.name}: {formatBytes(file.size)}, {formatNumber(file.lines)} rows, columns {file.header.join(', ')}
          </p>
        )}
      </section>
      <section className="card stack" aria-labelledby={`${id}-2`}>
        <h2 id={`${id}-2`}>2. The mapping</h2>
        <fieldset className="segmented">
          <legend>How the file is laid out</legend>
          {(
            [
              ['dunwell', 'Dunwell format'],
              ['ibm', 'IBM sample'],
              ['build', 'Choose columns'],
              ['json', 'Mapping JSON'],
            ] as const
          ).map(([v, label]) => (
            <label key={v} className={choice === v ? 'checked' : undefined}>
              <input type="radio" name={`${id}-mapping`} checked={choice === v} onChange={() => setChoice(v)} />
              {label}
            </label>
          ))}
        </fieldset>
        {choice === 'build' && <MappingBuilder header={file?.header ?? []} value={built} onChange={setBuilt} />}
        {choice === 'json' && (
          <>
            <label htmlFor={`${id}-json`}>Mapping (docs/import.md)</label>
            <textarea id={`${id}-json`} className="json-editor" spellCheck={false} value={json} onChange={(e) => setJson(e.target.value)} />
          </>
        )}
        {!mapping.ok && (
          <p role="alert" className="error">
            {mapping.error}
          </p>
        )}
        <label className="check-row">
          <input type="checkbox" checked={full} onChange={(e) => setFull(e.target.checked)} />
          <span>A full extract: close open invoices the file does not list</span>
        </label>
        <label htmlFor={`${id}-asof`}>As of (optional, to replay an old extract)</label>
        <input id={`${id}-asof`} type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} />
      </section>
      <section className="card stack" aria-labelledby={`${id}-3`}>
        <h2 id={`${id}-3`}>3. Check, then import</h2>
        <div className="button-row">
          <button type="button" disabled={file === null || !mapping.ok || state.busy !== null} onClick={() => send('dry-run')} aria-busy={state.busy === 'check'}>
            {state.busy === 'check' ? 'Checking…' : 'Check the file'}
          </button>
          <button type="button" className="primary" disabled={!checkedOk || state.busy !== null} onClick={() => send('all-or-nothing')} aria-busy={state.busy === 'commit'}>
            {state.busy === 'commit' ? 'Importing…' : 'Import'}
          </button>
        </div>
        {!checkedOk && state.report === null && <p className="muted">Import is possible once the check finds no error.</p>}
        {state.error !== null && (
          <p role="alert" className="error">
            {state.error}
          </p>
        )}
      </section>
      {state.report !== null && <ImportReportView report={state.report} />}
    </div>
  );
}
