import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../sync-server/cli/main';
import { IBM_FILE, sharedDataFile } from '../helpers/shared-data';

const IBM = sharedDataFile(IBM_FILE);

async function cli(dataDir: string, ...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += t) }, { ...process.env, DATA_DIR: dataDir });
  return { code, out, err };
}

/** A day number from the IBM file's M/D/YYYY, or from YYYY-MM-DD, by Date.UTC: independent of the engine's calendar. */
function ibmDay(text: string): number {
  const [a, b, c] = text.includes('/') ? text.split('/').map(Number) : [];
  if (a !== undefined) return Date.UTC(c ?? 0, a - 1, b ?? 1) / 86_400_000;
  const [y, m, d] = text.split('-').map(Number);
  return Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1) / 86_400_000;
}

/** The IBM file's aging recomputed without the engine: plain Date.UTC arithmetic on the raw lines. */
function ibmAgingByHand(asOf: string) {
  const utc = ibmDay;
  const asOfDay = ibmDay(asOf);
  const buckets = [0, 0, 0, 0, 0, 0];
  let open = 0;
  for (const line of readFileSync(IBM, 'utf8').trim().split(/\r?\n/).slice(1)) {
    const c = line.split(',');
    const issued = utc(c[4] ?? '');
    const due = utc(c[5] ?? '');
    const settled = utc(c[8] ?? '');
    if (issued > asOfDay || settled <= asOfDay) continue;
    open++;
    const cents = Math.round(Number(c[6]) * 100);
    const late = asOfDay - due;
    const b = late <= 0 ? 0 : late <= 30 ? 1 : late <= 60 ? 2 : late <= 90 ? 3 : late <= 120 ? 4 : 5;
    buckets[b] = (buckets[b] ?? 0) + cents;
  }
  return { buckets, open };
}

/** Accounts of the IBM file, as of a date, with a late undisputed invoice and with a disputed open one. */
function ibmAccountsByHand(asOf: string) {
  const day = ibmDay;
  const asOfDay = ibmDay(asOf);
  const late = new Set<string>();
  const disputed = new Set<string>();
  for (const line of readFileSync(IBM, 'utf8').trim().split(/\r?\n/).slice(1)) {
    const c = line.split(',');
    if (day(c[4] ?? '') > asOfDay || day(c[8] ?? '') <= asOfDay) continue;
    if (c[7] === 'Yes') disputed.add(c[1] ?? '');
    else if (day(c[5] ?? '') < asOfDay) late.add(c[1] ?? '');
  }
  return { late, disputed };
}

describe('dunwell CLI', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dunwell-cli-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('replays the IBM file as of a date, and its aging matches a count by hand', async () => {
    const imp = await cli(dataDir, 'import', IBM, '--portfolio', 'ibm', '--mapping', 'ibm', '--as-of', '2013-06-30');
    expect(imp.err).toBe('');
    expect(imp.code).toBe(0);
    expect(imp.out).toMatch(/imported into ibm/);
    const aging = await cli(dataDir, 'aging', '--portfolio', 'ibm', '--as-of', '2013-06-30', '--json');
    expect(aging.code).toBe(0);
    const json = JSON.parse(aging.out) as { aging: { portfolio: { USD: { buckets: number[]; count: number } } } };
    const hand = ibmAgingByHand('2013-06-30');
    expect(hand.open).toBeGreaterThan(50);
    expect(json.aging.portfolio.USD.buckets).toEqual(hand.buckets);
    expect(json.aging.portfolio.USD.count).toBe(hand.open);
    const text = await cli(dataDir, 'aging', '--portfolio', 'ibm', '--as-of', '2013-06-30');
    expect(text.out).toMatch(/Current.*1–30.*120\+/);
  });

  it('prints KPIs as text and JSON', async () => {
    const k = await cli(dataDir, 'kpi', '--portfolio', 'ibm', '--as-of', '2013-06-30', '--json');
    expect(k.code).toBe(0);
    const json = JSON.parse(k.out) as { kpis: { byCurrency: { USD: { dso: { days: number }; cei: { percent: number } } } } };
    expect(json.kpis.byCurrency.USD.dso.days).toBeGreaterThan(0);
    expect(json.kpis.byCurrency.USD.cei.percent).toBeGreaterThan(0);
    expect((await cli(dataDir, 'kpi', '--portfolio', 'ibm', '--as-of', '2013-06-30')).out).toMatch(/DSO/);
  });

  it('exits 1 on a file with bad rows, names row and column, and commits nothing', async () => {
    const file = join(dataDir, 'bad.csv');
    writeFileSync(file, 'account_number,document_number,issue_date,due_date,amount\nC1,I1,2024-01-01,2024-01-31,10.00\nC1,I2,2024-01-01,2023-12-31,10.00\n');
    const r = await cli(dataDir, 'import', file, '--portfolio', 'bad');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/row 3, column due_date/);
    expect(r.out).toMatch(/nothing committed/);
    const ledger = await cli(dataDir, 'aging', '--portfolio', 'bad', '--as-of', '2024-02-01', '--json');
    expect(JSON.parse(ledger.out)).toMatchObject({ aging: { portfolio: {} } });
    const dry = await cli(dataDir, 'import', file, '--portfolio', 'bad', '--dry-run');
    expect(dry.code).toBe(1);
    const partial = await cli(dataDir, 'import', file, '--portfolio', 'bad', '--partial');
    expect(partial.code).toBe(1);
    expect(partial.out).toMatch(/1 new|2 new/);
  });

  it('exits 2 on usage errors', async () => {
    expect((await cli(dataDir, 'aging')).code).toBe(2);
    expect((await cli(dataDir, 'aging', '--portfolio', 'ibm', '--as-of', '2013-02-30')).code).toBe(2);
    const missing = await cli(dataDir, 'import', '/no/such/file.csv', '--portfolio', 'x');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read /no/such/file.csv: no such file');
    const folder = await cli(dataDir, 'import', dataDir, '--portfolio', 'x');
    expect(folder.code).toBe(2);
    expect(folder.err).toContain(`cannot read ${dataDir}: it is a folder, not a file`);
    const noMapping = await cli(dataDir, 'import', IBM, '--portfolio', 'x', '--mapping', './no-such-mapping.json');
    expect(noMapping.code).toBe(2);
    expect(noMapping.err).toContain('cannot read the mapping file ./no-such-mapping.json: no such file');
    expect((await cli(dataDir, 'import', IBM, '--portfolio', 'x', '--mapping', 'nope')).code).toBe(2);
    expect((await cli(dataDir, 'import', IBM, '--portfolio', 'x', '--full', '--partial')).code).toBe(2);
    expect((await cli(dataDir, 'aging', '--portfolio', 'missing')).code).toBe(2);
    expect((await cli(dataDir, 'frobnicate')).code).toBe(2);
  });

  it('generates a demo portfolio and lists it', async () => {
    const r = await cli(dataDir, 'demo', '--accounts', '40', '--seed', '7', '--portfolio', 'demo-small', '--as-of', '2026-11-01', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ portfolioId: 'demo-small', accounts: 40 });
    expect((await cli(dataDir, 'portfolios')).out).toMatch(/demo-small/);
    // The live months' facts are in the relay's rooms too, so a device that connects receives them.
    const db = new Database(join(dataDir, 'rooms.sqlite'), { readonly: true });
    try {
      const rooms = db.prepare("SELECT DISTINCT room FROM room_updates WHERE room LIKE 'demo-small.facts.%' ORDER BY room").all() as { room: string }[];
      // As of 2026-11-01 the live months are 2026-09…2026-11; older facts are archive-only.
      const names = rooms.map((x) => x.room);
      expect(names).toEqual(expect.arrayContaining(['demo-small.facts.2026-09', 'demo-small.facts.2026-10']));
      for (const name of names) expect(['demo-small.facts.2026-09', 'demo-small.facts.2026-10', 'demo-small.facts.2026-11']).toContain(name);
    } finally {
      db.close();
    }
  });

  it('gives a worklist for the IBM replay: late accounts get a next step, disputed invoices leave the dunning flow', async () => {
    const r = await cli(dataDir, 'worklist', '--portfolio', 'ibm', '--as-of', '2013-06-30T15:00:00Z', '--limit', '1000', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as {
      entries: { accountNumber: string; score: number; next: { kind: string; reason: string } | null; waiting?: { reason: string }; metrics: { pastDue: number; disputedAmount: number }; escalations: { id: string; toRole?: string }[] }[];
    };
    expect(json.entries.length).toBe(100);
    // IBM's customers mostly pay on time: few accounts are late on undisputed invoices at any date.
    const hand = ibmAccountsByHand('2013-06-30');
    const late = json.entries.filter((e) => e.metrics.pastDue > 0);
    expect(new Set(late.map((e) => e.accountNumber))).toEqual(hand.late);
    for (const e of late) expect(e.next?.kind).toBe('email');
    const disputed = json.entries.filter((e) => e.metrics.disputedAmount > 0);
    expect(new Set(disputed.map((e) => e.accountNumber))).toEqual(hand.disputed);
    // A disputed invoice leaves the dunning flow and escalates the account to the dispute owner.
    for (const e of disputed) expect(e.escalations.map((x) => x.toRole)).toContain('manager');
    // Ranked: scores never increase down the list.
    for (let i = 1; i < json.entries.length; i++) expect(json.entries[i]!.score).toBeLessThanOrEqual(json.entries[i - 1]!.score);
    const text = await cli(dataDir, 'worklist', '--portfolio', 'ibm', '--as-of', '2013-06-30', '--limit', '3');
    expect(text.out).toMatch(/next: /);
    expect(text.out).toMatch(/score: amount-days-past-due/);
  });

  it('simulates a strategy preset and refuses an unknown one or an invalid file', async () => {
    const r = await cli(dataDir, 'simulate', '--portfolio', 'demo-small', '--strategy', 'b2b-standard', '--days', '7', '--as-of', '2026-11-01T15:00:00Z', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { days: number; perDay: unknown[]; totals: Record<string, number> };
    expect(json.days).toBe(7);
    expect(json.perDay).toHaveLength(7);
    expect((await cli(dataDir, 'simulate', '--portfolio', 'demo-small', '--strategy', 'no-such', '--days', '7')).code).toBe(2);
    const file = join(dataDir, 'bad-strategy.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, id: 'x', name: 'X', levels: [] }));
    const bad = await cli(dataDir, 'simulate', '--portfolio', 'demo-small', '--strategy', file);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/levels/);
    writeFileSync(file, '{ "schemaVersion": 1,');
    const notJson = await cli(dataDir, 'simulate', '--portfolio', 'demo-small', '--strategy', file);
    expect(notJson.code).toBe(2);
    expect(notJson.err).toContain(`the strategy file ${file} is not JSON`);
    const noFile = await cli(dataDir, 'simulate', '--portfolio', 'demo-small', '--strategy', join(dataDir, 'none.json'));
    expect(noFile.code).toBe(2);
    expect(noFile.err).toContain(`cannot read the strategy file ${join(dataDir, 'none.json')}: no such file`);
    const mine = await cli(dataDir, 'worklist', '--portfolio', 'demo-small', '--as-of', '2026-11-01T15:00:00Z', '--collector', 'ana', '--json');
    const entries = (JSON.parse(mine.out) as { entries: { assignedTo: string }[] }).entries;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.assignedTo === 'ana')).toBe(true);
    expect((await cli(dataDir, 'worklist', '--portfolio', 'demo-small', '--scope', 'mine')).code).toBe(2);
  });

  it('runs as `npx dunwell` through the package bin with real exit codes', () => {
    const bin = resolve(__dirname, '../../bin/dunwell.mjs');
    const ok = spawnSync(process.execPath, [bin, 'portfolios', '--json'], { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'ibm' })]));
    const usage = spawnSync(process.execPath, [bin, 'aging'], { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--portfolio/);
  });
});
