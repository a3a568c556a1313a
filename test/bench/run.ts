/**
 * `npm run bench`: runs every `test/bench/*.bench.ts` in its own Node process (so one benchmark's heap
 * and JIT state do not colour the next) and passes their JSON lines through. A name filter may follow:
 * `npm run bench -- aging`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && (filter === undefined || f.includes(filter)))
  .sort();
let failed = 0;
for (const file of files) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(here, file)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`bench ${file} exited with ${r.status ?? r.signal}\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
