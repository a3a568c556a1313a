/**
 * Generation of the benchmark portfolio every other benchmark starts from: 20k accounts, about 100k
 * open and 300k settled documents over 18 months. Its counts ride along as extra fields, so a change to
 * the generator's calibration shows up next to its time.
 */
import { BENCHMARK_PORTFOLIO, countPortfolio, generatePortfolio } from '../../sync-server/demo/synthetic';
import { measure } from './measure';

const options = BENCHMARK_PORTFOLIO;
const counts = countPortfolio(generatePortfolio(options));

await measure('synthetic/generate-20k-accounts', options.accounts, () => generatePortfolio(options), {
  runs: 3,
  extra: {
    documents: counts.documents,
    open: counts.open,
    historical: counts.historical,
    credit_notes: counts.creditNotes,
    disputed: counts.disputed,
    payments: counts.payments,
    allocations: counts.allocations,
    contacts: counts.contacts,
  },
});
