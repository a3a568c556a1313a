/**
 * The team's real data (`shared/data`, with its README), read in place beside the checkout, never
 * copied into the repository: `../shared/data/<file>` from the repository's root, or the folder
 * DUNWELL_SHARED_DATA names. The README says so under "Two commands".
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The path of a file of the shared data; throws, naming where it looked, when it is not there. */
export function sharedDataFile(name: string): string {
  const dir = process.env.DUNWELL_SHARED_DATA ?? join(REPO_ROOT, '..', 'shared', 'data');
  const file = join(dir, name);
  if (!existsSync(file))
    throw new Error(`${file} not found: the tests read the team's shared data from ../shared/data beside the checkout, or from the folder DUNWELL_SHARED_DATA names (README, "Two commands")`);
  return file;
}

/** The IBM "Late Payment Histories" file. */
export const IBM_FILE = 'ibm-late-payment-histories.csv';
