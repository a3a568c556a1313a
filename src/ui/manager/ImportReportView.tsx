import { formatNumber } from '../common/format';
import type { ImportReport } from './manager-port';

const SHOWN = 200;

/** What the server found in the file: counts, and each bad cell by row and column. */
export function ImportReportView({ report }: { readonly report: ImportReport }) {
  const { errors } = report;
  return (
    <section className="card" aria-labelledby="report-heading">
      <h2 id="report-heading">
        {report.status === 'committed' ? 'Imported' : report.errorCount > 0 ? `${formatNumber(report.errorCount)} ${report.errorCount === 1 ? 'row error' : 'row errors'}` : 'The file is good'}
      </h2>
      <p role="status">
        {formatNumber(report.rows)} rows: {formatNumber(report.valid.accounts)} accounts, {formatNumber(report.valid.documents)} documents
        {report.skipped > 0 && `, ${formatNumber(report.skipped)} skipped`}.
        {report.commit !== undefined &&
          ` ${formatNumber(report.commit.inserted)} new, ${formatNumber(report.commit.updated)} changed, ${formatNumber(report.commit.unchanged)} unchanged, ${formatNumber(report.commit.closed)} closed.`}
        {report.status === 'rejected' && ' Nothing was imported.'}
      </p>
      {errors.length > 0 && (
        <div className="table-scroll" role="region" aria-label="Row errors" tabIndex={0}>
          <table className="compact">
            <thead>
              <tr>
                <th scope="col" className="num">
                  Row
                </th>
                <th scope="col">Column</th>
                <th scope="col">Value</th>
                <th scope="col">Expected</th>
              </tr>
            </thead>
            <tbody>
              {errors.slice(0, SHOWN).map((e, i) => (
                <tr key={`${e.row}:${e.column}:${i}`}>
                  <td className="num">{e.row}</td>
                  <td>{e.column}</td>
                  <td>{e.value === '' ? <span className="muted">(empty)</span> : e.value}</td>
                  <td>{e.expected}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report.errorCount > Math.min(errors.length, SHOWN) && <p className="muted">{formatNumber(report.errorCount - Math.min(errors.length, SHOWN))} more not listed.</p>}
    </section>
  );
}
