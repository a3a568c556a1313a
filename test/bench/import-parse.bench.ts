/**
 * Budget: parse + validate + normalise a 100k-row invoice CSV in under 2 s (docs/import.md).
 * The file is generated in memory in the generic Dunwell format from a seeded PRNG, so every run reads
 * the same bytes: 5,000 accounts, ISO dates over two years, amounts with cents, some credit notes,
 * quoted names with commas, a quarter of the invoices paid, a few disputed. The real IBM file is
 * measured beside it.
 */
import { readFileSync } from 'node:fs';
import type { CalendarDate } from '../../src/domain/calendar';
import { resolveMapping, type ImportMapping } from '../../src/domain/import/mapping';
import { parseInvoiceCsv } from '../../sync-server/import/csv';
import { generateDunwellCsv } from '../helpers/dunwell-csv';
import { IBM_FILE, sharedDataFile } from '../helpers/shared-data';
import { measure } from './measure';

function mapping(name: string): ImportMapping {
  const m = resolveMapping(name);
  if (!m.ok) throw new Error(m.error);
  return m.mapping;
}

const N = 100_000;
const csv = generateDunwellCsv(N);
const dunwell = mapping('dunwell');
const check = parseInvoiceCsv(csv, dunwell, { portfolioId: 'bench' });
if (check.errorCount !== 0 || check.documents.length !== N) throw new Error(`generated file did not import cleanly: ${JSON.stringify(check.errors.slice(0, 3))}`);

await measure('import: parse + validate + normalize, dunwell CSV', N, () => parseInvoiceCsv(csv, dunwell, { portfolioId: 'bench' }), {
  budgetMs: 2000,
  extra: { bytes: csv.length },
});

const ibmText = readFileSync(sharedDataFile(IBM_FILE), 'utf8');
const ibm = mapping('ibm');
await measure('import: IBM late payment histories, as of 2013-06-30', 2466, () =>
  parseInvoiceCsv(ibmText, ibm, { portfolioId: 'ibm', asOf: '2013-06-30' as CalendarDate }),
  { runs: 21 },
);
