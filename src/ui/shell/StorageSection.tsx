import { useState } from 'react';
import { formatBytes, formatPercent } from '../common/format';
import { useApp, useAppRead } from '../common/useApp';
import { useStorageUse } from './useStorageUse';

/** Storage use and quota, whether the browser keeps the data under pressure, and an export of it. */
export function StorageSection() {
  const app = useApp();
  const portfolioId = useAppRead((a) => a.portfolioId(), '');
  const { use, error } = useStorageUse();
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);

  const exportData = () => {
    setExporting(true);
    setExportError(null);
    app.exportData().then(
      (blob) => {
        setExporting(false);
        const url = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = url;
        a.download = `dunwell-${portfolioId ?? 'device'}-${new Date().toISOString().slice(0, 10)}.json`;
        a.click();
        // The download has started from the URL; revoking later lets slow browsers finish reading it.
        window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
      },
      (e: unknown) => {
        setExporting(false);
        setExportError(e instanceof Error ? e.message : String(e));
      },
    );
  };

  const ratio = use?.usageBytes != null && use.quotaBytes != null && use.quotaBytes > 0 ? use.usageBytes / use.quotaBytes : null;
  return (
    <section aria-labelledby="storage-heading" className="card">
      <h2 id="storage-heading">Storage on this device</h2>
      {error !== null && <p role="alert">{error}</p>}
      {use === null && error === null && <p role="status">Measuring…</p>}
      {use !== null && (
        <dl className="facts">
          <dt>Used</dt>
          <dd>{use.usageBytes === null ? 'Unknown' : formatBytes(use.usageBytes)}</dd>
          <dt>Available to Dunwell</dt>
          <dd>{use.quotaBytes === null ? 'Unknown' : formatBytes(use.quotaBytes)}</dd>
          {ratio !== null && (
            <>
              <dt>Share used</dt>
              <dd>
                <meter min={0} max={1} value={ratio} aria-label="Share of storage used">
                  {formatPercent(ratio)}
                </meter>{' '}
                {formatPercent(ratio)}
              </dd>
            </>
          )}
          <dt>Kept when the device runs low</dt>
          <dd>{use.persisted ? 'Yes: the browser will not clear it' : 'Not guaranteed: the browser may clear it when space runs low'}</dd>
        </dl>
      )}
      <button type="button" onClick={exportData} disabled={exporting} aria-busy={exporting}>
        {exporting ? 'Preparing the export…' : 'Export this device’s data (JSON)'}
      </button>
      {exportError !== null && <p role="alert">{exportError}</p>}
    </section>
  );
}
