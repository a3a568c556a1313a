/** Plain-text reports for a terminal: fixed-width tables, amounts in the currency's own decimals. */
import type { CalendarDate } from '../../src/domain/calendar';
import type { PortfolioAnalysis } from '../../src/domain/kpi';
import { toDecimalString, type CurrencyCode, type Minor } from '../../src/domain/money';
import type { ImportReport } from '../import/run-import';

function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')).join('\n');
}

const amount = (v: Minor, c: CurrencyCode) => toDecimalString(v, c);
const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);
const days = (v: number | null) => (v === null ? '—' : v.toFixed(1));

export function formatAging(portfolioId: string, asOf: CalendarDate, analysis: PortfolioAnalysis): string {
  const { aging } = analysis;
  const out = [`Aging of ${portfolioId} as of ${asOf} (by ${aging.basis === 'due' ? 'due date' : 'invoice date'})`];
  const currencies = Object.keys(aging.portfolio).sort() as CurrencyCode[];
  if (currencies.length === 0) return `${out[0] ?? ''}\nnothing open`;
  const header = ['currency', ...aging.buckets.map((b) => b.label), 'total', 'documents'];
  const rows = currencies.map((c) => {
    const t = aging.portfolio[c];
    if (!t) return [c];
    return [c, ...t.buckets.map((v) => amount(v, c)), amount(t.total, c), String(t.count)];
  });
  out.push(table([header, ...rows]));
  out.push(`${aging.accounts.length} accounts with open items`);
  return out.join('\n');
}

export function formatKpis(portfolioId: string, asOf: CalendarDate, analysis: PortfolioAnalysis): string {
  const { kpis } = analysis;
  const out = [`KPIs of ${portfolioId} as of ${asOf} (CEI ${kpis.settings.cei.from}..${kpis.settings.cei.to})`];
  const rows: string[][] = [['currency', 'receivables', 'past due', 'DSO', 'best DSO', 'ADD', 'CEI', 'avg days late']];
  for (const c of Object.keys(kpis.byCurrency).sort() as CurrencyCode[]) {
    const k = kpis.byCurrency[c];
    if (!k) continue;
    rows.push([
      c,
      amount(k.receivables, c),
      amount(k.pastDueReceivables, c),
      `${k.dso.days.toFixed(1)}${k.dso.capped ? '+' : ''}`,
      days(k.bestPossibleDso.days),
      days(k.averageDaysDelinquent),
      pct(k.cei.percent),
      days(k.daysLate.averageDaysLate),
    ]);
  }
  out.push(table(rows));
  for (const c of Object.keys(kpis.byCurrency).sort() as CurrencyCode[]) {
    const k = kpis.byCurrency[c];
    if (!k || k.rollRates.length === 0) continue;
    out.push(`roll rates ${c} (${kpis.settings.roll.from} → ${kpis.settings.roll.to}): ${k.rollRates.map((r) => `${r.fromBucket}→${r.toBucket} ${pct(r.rate === null ? null : r.rate * 100)}`).join(', ')}`);
  }
  return out.join('\n');
}

export function formatImportReport(r: ImportReport): string {
  const head =
    r.status === 'committed'
      ? `imported into ${r.portfolioId}: ${r.commit?.inserted ?? 0} new, ${r.commit?.updated ?? 0} updated, ${r.commit?.unchanged ?? 0} unchanged, ${r.commit?.closed ?? 0} closed`
      : r.status === 'dry-run'
        ? `dry run for ${r.portfolioId}: nothing committed`
        : `rejected: nothing committed to ${r.portfolioId} because ${r.errorCount} ${r.errorCount === 1 ? 'row is' : 'problems are'} invalid (fix them, or use --partial to import the valid rows)`;
  const lines = [
    head,
    `${r.rows} rows read, ${r.valid.documents} documents, ${r.valid.accounts} accounts, ${r.valid.payments} payments valid; ${r.skipped} skipped (issued after --as-of)`,
  ];
  for (const e of r.errors) lines.push(`row ${e.row}, column ${e.column}: ${e.value === '' ? 'empty' : JSON.stringify(e.value)} — expected ${e.expected}`);
  if (r.errorCount > r.errors.length) lines.push(`… and ${r.errorCount - r.errors.length} more`);
  return lines.join('\n');
}
