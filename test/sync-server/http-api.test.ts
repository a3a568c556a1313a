import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server';
import type { CalendarDate } from '../../src/domain/calendar';

const example = readFileSync(new URL('../fixtures/import/dunwell-example.csv', import.meta.url), 'utf8');

describe('HTTP API against a real server on port 0', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  // An admin opens every portfolio and may import: these tests are about the API, authorize.test.ts about access.
  let admin: string;
  const postCsv = (portfolio: string, csv: string, query = '') =>
    server.api(`/api/portfolios/${portfolio}/imports${query}`, admin, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
  const postJson = (path: string, body: unknown) => server.api(path, admin, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const getJson = async (path: string) => {
    const res = await server.api(path, admin);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    server = await startTestServer({ today: '2024-03-15' as CalendarDate });
    admin = await server.tokenFor('admin');
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers health with version and protocol, without a token', async () => {
    const res = await fetch(`${server.url}/api/health`);
    const { status, body } = { status: res.status, body: (await res.json()) as unknown };
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', protocol: 1, storage: 'sqlite' });
  });

  it('imports a CSV, and the ledger comes back as a snapshot with a cursor', async () => {
    const res = await postCsv('acme', example, '?mapping=dunwell');
    expect(res.status).toBe(200);
    const report = (await res.json()) as { status: string; commit: { inserted: number; cursor: number } };
    expect(report.status).toBe('committed');
    const snap = await getJson('/api/portfolios/acme/ledger');
    expect(snap.status).toBe(200);
    const docs = snap.body.documents as { number: string; open: number; status: string }[];
    expect(docs.map((d) => d.number).sort()).toEqual(['000417', 'CN-0007', 'INV-0001', 'INV-0002', 'INV-0003']);
    expect(docs.find((d) => d.number === 'INV-0002')?.open).toBe(48_040);
    expect(snap.body.cursor).toBe(report.commit.cursor);
    expect((snap.body.accounts as unknown[]).length).toBe(2);
    const portfolios = await getJson('/api/portfolios');
    expect(portfolios.body.portfolios).toEqual([{ id: 'acme', name: 'acme' }]);
  });

  it('a pull since the last cursor carries only what a re-import changed', async () => {
    const before = (await getJson('/api/portfolios/acme/ledger')).body.cursor as number;
    const same = (await (await postCsv('acme', example)).json()) as unknown;
    expect(same).toMatchObject({ status: 'committed', commit: { inserted: 0, updated: 0, unchanged: 8 } });
    expect((await getJson(`/api/portfolios/acme/ledger?since=${before}`)).body.documents).toEqual([]);
    const changed = example.replace('INV-0001,invoice,2024-01-15,2024-02-14,USD,1250.00,1250.00', 'INV-0001,invoice,2024-01-15,2024-02-14,USD,1250.00,250.00');
    const r = (await (await postCsv('acme', changed)).json()) as unknown;
    expect(r).toMatchObject({ commit: { updated: 1 } });
    const delta = await getJson(`/api/portfolios/acme/ledger?since=${before}`);
    expect((delta.body.documents as { number: string; open: number }[]).map((d) => [d.number, d.open])).toEqual([['INV-0001', 25_000]]);
    expect(delta.body.accounts).toEqual([]);
    // Put it back so the aging below is the fixture's.
    await postCsv('acme', example);
  });

  it('refuses a file with a bad row: 422, each error with row, column and expectation, nothing committed', async () => {
    const cursor = (await getJson('/api/portfolios/acme/ledger')).body.cursor as number;
    const bad = `${example.trimEnd()}\nC-3003,New Co,,,,,,,INV-9,invoice,2024-02-30,2024-03-30,USD,10.00,,,\nC-3003,New Co,,,,,,,INV-10,invoice,2024-02-01,2024-03-01,USD,ten,,,\n`;
    const res = await postCsv('acme', bad);
    expect(res.status).toBe(422);
    const report = (await res.json()) as { status: string; errors: { row: number; column: string; expected: string }[] };
    expect(report.status).toBe('rejected');
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [7, 'issue_date'],
      [8, 'amount'],
    ]);
    expect(report.errors[0]?.expected).toMatch(/YYYY-MM-DD/);
    const after = await getJson(`/api/portfolios/acme/ledger?since=${cursor}`);
    expect(after.body.documents).toEqual([]);
    expect(after.body.accounts).toEqual([]);
  });

  it('a dry run reports and commits nothing; partial imports the valid rows', async () => {
    const bad = `${example.trimEnd()}\nC-3003,New Co,,,,,,,INV-9,invoice,2024-02-30,2024-03-30,USD,10.00,,,\nC-3003,New Co,,,,,,,INV-11,invoice,2024-02-01,2024-03-01,USD,10.00,,,\n`;
    const dry = (await (await postCsv('dry', bad, '?mode=dry-run')).json()) as unknown;
    expect(dry).toMatchObject({ status: 'dry-run', errorCount: 1 });
    expect((await getJson('/api/portfolios/dry/ledger')).body.documents).toEqual([]);
    const partial = await postCsv('part', bad, '?mode=partial');
    expect(partial.status).toBe(200);
    expect(await partial.json()).toMatchObject({ status: 'committed', errorCount: 1, commit: { inserted: expect.any(Number) as number } });
    const docs = (await getJson('/api/portfolios/part/ledger')).body.documents as { number: string }[];
    expect(docs.map((d) => d.number)).toContain('INV-11');
    expect(docs.map((d) => d.number)).not.toContain('INV-9');
  });

  it('refuses a full extract imported partially', async () => {
    const res = await postCsv('acme', example, '?mode=partial&full=true');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/full extract/);
  });

  it('imports a JSON body with an inline mapping, and a full extract closes what it no longer lists', async () => {
    const mapping = JSON.parse(readFileSync(new URL('../fixtures/import/acme-erp.mapping.json', import.meta.url), 'utf8')) as unknown;
    const csv = readFileSync(new URL('../fixtures/import/acme-erp.csv', import.meta.url), 'utf8');
    const first = await postJson('/api/portfolios/erp/imports', { csv, mapping, full: true, asOf: '2024-03-01' });
    expect(first.status).toBe(200);
    const lines = csv.trimEnd().split(/\r?\n/);
    const shorter = [lines[0], ...lines.slice(2)].join('\n');
    const second = await postJson('/api/portfolios/erp/imports', { csv: shorter, mapping, full: true, asOf: '2024-03-05' });
    const report = (await second.json()) as { commit: { closed: number } };
    const docs = (await getJson('/api/portfolios/erp/ledger')).body.documents as { status: string; paidDate?: string }[];
    const closed = docs.filter((d) => d.status === 'closed');
    expect(report.commit.closed).toBe(closed.length);
    expect(closed.length).toBeGreaterThanOrEqual(1);
    expect(closed.every((d) => d.paidDate === '2024-03-05')).toBe(true);
  });

  it('ages the portfolio per currency (checked by hand)', async () => {
    const { status, body } = await getJson('/api/portfolios/acme/aging?asOf=2024-03-15');
    expect(status).toBe(200);
    const aging = body.aging as { buckets: { id: string }[]; portfolio: Record<string, { buckets: number[]; total: number }> };
    expect(aging.buckets.map((b) => b.id)).toEqual(['current', '1-30', '31-60', '61-90', '91-120', 'over-120']);
    // INV-0001 1,250.00 due 02-14 → 30 days; INV-0002 480.40 due 03-02 → 13 days; CN-0007 −120.00 due 02-10 → 34 days.
    expect(aging.portfolio.USD?.buckets).toEqual([0, 173_040, -12_000, 0, 0, 0]);
    expect(aging.portfolio.USD?.total).toBe(161_040);
    // 000417 75.50 EUR due 03-31: current. INV-0003 is paid.
    expect(aging.portfolio.EUR?.buckets).toEqual([7_550, 0, 0, 0, 0, 0]);
  });

  it('serves KPIs per currency, with the server date as the default asOf', async () => {
    const { status, body } = await getJson('/api/portfolios/acme/kpis');
    expect(status).toBe(200);
    expect(body.asOf).toBe('2024-03-15');
    const kpis = body.kpis as { byCurrency: Record<string, { receivables: number; dso: { days: number } }> };
    expect(kpis.byCurrency.USD?.receivables).toBe(161_040);
    expect(kpis.byCurrency.USD?.dso.days).toBeGreaterThan(0);
  });

  it('answers mistakes with the error shape and the right status', async () => {
    expect((await getJson('/api/portfolios/nope/ledger')).status).toBe(404);
    expect((await getJson('/api/portfolios/nope/ledger')).body).toMatchObject({ error: { code: 'unknown_portfolio' } });
    expect((await getJson('/api/portfolios/acme/ledger?since=-1')).status).toBe(400);
    expect((await getJson('/api/portfolios/acme/aging?asOf=2024-02-30')).status).toBe(400);
    expect((await getJson('/api/portfolios/acme/kpis?from=2025-01-01&asOf=2024-03-15')).status).toBe(400);
    expect((await getJson('/api/nope')).body).toMatchObject({ error: { code: 'not_found' } });
    const media = await server.api('/api/portfolios/acme/imports', admin, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<x/>' });
    expect(media.status).toBe(415);
    expect((await postCsv('acme', example, '?mapping=no-such-preset')).status).toBe(400);
    expect((await postCsv('Bad_Id', example)).status).toBe(400);
    // The server is still up.
    expect((await getJson('/api/health')).status).toBe(200);
  });
});
