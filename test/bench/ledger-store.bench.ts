/**
 * Budgets of the server's ledger store:
 * - a 100k-row invoice CSV parsed, validated and committed into SQLite: < 5 s;
 * - the ledger snapshot of 100k invoices served over HTTP: < 1.5 s;
 * - a delta of 100 changes served: < 20 ms.
 * The server runs in its own process (`dunwell serve`), as in production; this process is the client.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveMapping } from '../../src/domain/import/mapping';
import type { CalendarDate } from '../../src/domain/calendar';
import type { Minor } from '../../src/domain/money';
import { runImport } from '../../sync-server/import/run-import';
import { SqliteLedgerStore } from '../../sync-server/store/sqlite-ledger-store';
import { loadOrCreateSecret, TokenIssuer } from '../../sync-server/auth/tokens';
import { SqliteUserStore } from '../../sync-server/auth/user-store';
import { tokenSecretPath } from '../../sync-server/config';
import { generateDunwellCsv } from '../helpers/dunwell-csv';
import { measure, quantile, report } from './measure';

const N = 100_000;
const root = mkdtempSync(join(tmpdir(), 'dunwell-bench-store-'));
const csv = generateDunwellCsv(N);
const mapping = resolveMapping('dunwell');
if (!mapping.ok) throw new Error(mapping.error);
const today = '2025-01-01' as CalendarDate;

let run = 0;
await measure(
  'store: 100k-row CSV parsed, validated and committed into SQLite',
  N,
  () => {
    const store = new SqliteLedgerStore(join(root, `import-${run++}.sqlite`));
    const r = runImport(store, { portfolioId: 'bench', text: csv, mapping: mapping.mapping, mappingName: 'dunwell', mode: 'all-or-nothing', full: true, source: 'bench', today });
    store.close();
    if (r.status !== 'committed' || r.commit?.inserted !== N + r.valid.accounts + r.valid.payments) throw new Error(`unexpected import: ${JSON.stringify(r).slice(0, 300)}`);
  },
  { runs: 3, warmup: 0, budgetMs: 5000 },
);

// The served store: the same 100k invoices in the data folder of a separate server process.
const dataDir = join(root, 'served');
const seeded = new SqliteLedgerStore(join(dataDir, 'ledger.sqlite'));
runImport(seeded, { portfolioId: 'bench', text: csv, mapping: mapping.mapping, mappingName: 'dunwell', mode: 'all-or-nothing', full: true, source: 'bench', today });

// Every /api route wants a token: a manager working the bench portfolio, signed with the server's secret.
const users = new SqliteUserStore(seeded.db);
users.addUser({ id: 'bench', name: 'Bench', role: 'manager' });
users.addTeam({ id: 'bench', name: 'Bench', portfolios: ['bench'] });
users.addMember('bench', 'bench');
const { token } = await new TokenIssuer(loadOrCreateSecret(tokenSecretPath(dataDir))).issue({ id: 'bench', name: 'Bench', role: 'manager', portfolios: ['bench'] }, 3600);
const auth = { headers: { authorization: `Bearer ${token}` } };

const child = spawn(process.execPath, [resolve(import.meta.dirname, '../../bin/dunwell.mjs'), 'serve', '--port', '0'], {
  env: { ...process.env, DATA_DIR: dataDir },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const base = await new Promise<string>((done, fail) => {
  let out = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    const m = /running at (http:\/\/\S+)/.exec(out);
    if (m?.[1]) done(m[1]);
  });
  child.once('exit', (code) => fail(new Error(`server exited with ${code}`)));
});

try {
  const probe = await fetch(`${base}/api/portfolios/bench/ledger`, auth);
  const bytes = (await probe.arrayBuffer()).byteLength;
  await measure(
    'store: ledger snapshot of 100k invoices served over HTTP (gzip, body fully received)',
    N,
    async () => {
      const res = await fetch(`${base}/api/portfolios/bench/ledger`, auth);
      await res.arrayBuffer();
    },
    { runs: 5, budgetMs: 1500, extra: { decoded_bytes: bytes } },
  );

  // A delta: 100 documents change between pulls (an ERP correction), then the device asks since its cursor.
  const docs = seeded.changes('bench', 0).documents.filter((d) => d.kind === 'invoice' && d.status === 'open').slice(0, 100);
  const samples: number[] = [];
  for (let round = 0; round < 25; round++) {
    const cursor = seeded.cursor();
    const changed = docs.map((d) => ({ ...d, open: (d.open - 1 - round) as Minor }));
    seeded.commit('bench', { accounts: [], documents: changed, payments: [] }, { full: false, asOf: today, source: 'bench', mapping: 'bench', rows: 100, rejected: 0 });
    const t0 = performance.now();
    const res = await fetch(`${base}/api/portfolios/bench/ledger?since=${cursor}`, auth);
    const body = (await res.json()) as { documents: unknown[] };
    samples.push(performance.now() - t0);
    if (body.documents.length !== 100) throw new Error(`expected a delta of 100, got ${body.documents.length}`);
  }
  samples.sort((a, b) => a - b);
  report({ name: 'store: ledger delta of 100 changes served over HTTP', n: 100, median_ms: quantile(samples, 0.5), p99_ms: quantile(samples, 0.99), runs: samples.length, budget_ms: 20 });
} finally {
  child.kill('SIGTERM');
  seeded.close();
  rmSync(root, { recursive: true, force: true });
}
