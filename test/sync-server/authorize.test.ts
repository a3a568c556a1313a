/**
 * Sign-in, refresh and authorization of the HTTP API, against a real server on port 0. Expired tokens
 * come from a TokenIssuer with the server's secret and a clock an hour back, so nothing sleeps.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../src/domain/calendar';
import { TokenIssuer, loadOrCreateSecret } from '../../sync-server/auth/tokens';
import { tokenSecretPath } from '../../sync-server/config';
import { startTestServer } from '../helpers/server';

const example = readFileSync(new URL('../fixtures/import/dunwell-example.csv', import.meta.url), 'utf8');
const PASSWORD = 'correct horse battery';

type Server = Awaited<ReturnType<typeof startTestServer>>;

async function body(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

function errorCode(b: Record<string, unknown>): string | undefined {
  return (b.error as { code?: string } | undefined)?.code;
}

function signIn(server: Server, user: string, password: string) {
  return server.api('/api/auth/sign-in', undefined, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, password }) });
}

function importCsv(server: Server, portfolio: string, token: string) {
  return server.api(`/api/portfolios/${portfolio}/imports`, token, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: example });
}

describe('sign-in, refresh and access to the HTTP API', () => {
  let server: Server;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({ today: '2024-03-15' as CalendarDate });
    admin = await server.tokenFor('admin');
    for (const id of ['north', 'south']) expect((await importCsv(server, id, admin)).status).toBe(200);
    await server.addUser({ id: 'ana', name: 'Ana', email: 'Ana@Example.test', role: 'collector', password: PASSWORD, portfolios: ['north'] });
    await server.addUser({ id: 'dora', name: 'Dora', role: 'collector', password: PASSWORD, portfolios: ['north'] });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('signs in by id or e-mail: a token for the portfolios of the user’s teams, which opens them', async () => {
    const res = await signIn(server, 'ana', PASSWORD);
    expect(res.status).toBe(200);
    const session = (await body(res)) as { token: string; expiresAt: string; user: unknown; portfolios: string[] };
    expect(session.user).toEqual({ id: 'ana', name: 'Ana', role: 'collector' });
    expect(session.portfolios).toEqual(['north']);
    // Short-lived: 15 minutes.
    const minutes = (Date.parse(session.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(13);
    expect(minutes).toBeLessThanOrEqual(15);
    const me = await server.api('/api/auth/me', session.token);
    expect(me.status).toBe(200);
    expect(await body(me)).toMatchObject({ user: { id: 'ana', role: 'collector', email: 'Ana@Example.test' }, portfolios: ['north'], expiresAt: session.expiresAt });
    // The e-mail, in any case.
    expect((await signIn(server, 'ana@example.TEST', PASSWORD)).status).toBe(200);
  });

  it('gives an admin every portfolio', async () => {
    await server.addUser({ id: 'root', role: 'admin', password: PASSWORD });
    const session = (await body(await signIn(server, 'root', PASSWORD))) as { portfolios: string[]; user: { role: string } };
    expect(session.portfolios).toEqual(['*']);
    expect(session.user.role).toBe('admin');
  });

  it('answers a wrong password and an unknown user with the same 401', async () => {
    const wrong = await signIn(server, 'ana', 'not the password');
    const unknown = await signIn(server, 'nobody', PASSWORD);
    const noPassword = await (async () => {
      await server.addUser({ id: 'invited', role: 'collector' });
      return signIn(server, 'invited', '');
    })();
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [w, u] = [await body(wrong), await body(unknown)];
    expect(w).toEqual({ error: { code: 'bad_credentials', message: 'wrong user or password' } });
    expect(u).toEqual(w);
    // An empty password is a malformed request, not a guess.
    expect(noPassword.status).toBe(400);
    expect((await signIn(server, 'invited', 'any password at all')).status).toBe(401);
  });

  it('refuses a disabled user: at sign-in with the right password, and every token they hold', async () => {
    await server.addUser({ id: 'carl', role: 'collector', password: PASSWORD, portfolios: ['north'] });
    const token = ((await body(await signIn(server, 'carl', PASSWORD))) as { token: string }).token;
    expect((await server.api('/api/portfolios/north/ledger', token)).status).toBe(200);
    server.users.setDisabled('carl', true);
    const again = await signIn(server, 'carl', PASSWORD);
    expect(again.status).toBe(403);
    expect(errorCode(await body(again))).toBe('user_disabled');
    // A wrong password for a disabled user still gets the plain 401: no hint the user exists.
    expect(errorCode(await body(await signIn(server, 'carl', 'wrong password!')))).toBe('bad_credentials');
    const ledger = await server.api('/api/portfolios/north/ledger', token);
    expect(ledger.status).toBe(401);
    expect(errorCode(await body(ledger))).toBe('user_disabled');
    const refresh = await server.api('/api/auth/refresh', token, { method: 'POST' });
    expect(refresh.status).toBe(401);
  });

  it('refreshes a valid token with the user’s current teams; a user taken off a team loses the portfolio at once', async () => {
    const first = (await body(await signIn(server, 'dora', PASSWORD))) as { token: string; portfolios: string[] };
    expect(first.portfolios).toEqual(['north']);
    server.users.addTeam({ id: 'south-team', name: 'South', portfolios: ['south'] });
    server.users.addMember('south-team', 'dora');
    const refreshed = await server.api('/api/auth/refresh', first.token, { method: 'POST' });
    expect(refreshed.status).toBe(200);
    const second = (await body(refreshed)) as { token: string; portfolios: string[]; user: { id: string } };
    expect(second.user.id).toBe('dora');
    expect(second.portfolios).toEqual(['north', 'south']);
    expect(second.token).not.toBe(first.token);
    expect((await server.api('/api/portfolios/south/aging', second.token)).status).toBe(200);
    // The old token never opened south, whatever the teams say now.
    expect((await server.api('/api/portfolios/south/aging', first.token)).status).toBe(403);
    server.users.removeMember('south-team', 'dora');
    expect((await server.api('/api/portfolios/south/aging', second.token)).status).toBe(403);
    const third = (await body(await server.api('/api/auth/refresh', second.token, { method: 'POST' }))) as { portfolios: string[] };
    expect(third.portfolios).toEqual(['north']);
  });

  it('refuses a missing, malformed, expired or forged token with 401 and a code that says which', async () => {
    const cases: [string | undefined, Record<string, string>, string][] = [];
    const secret = loadOrCreateSecret(tokenSecretPath(server.dataDir));
    const hourAgo = new TokenIssuer(secret, () => Date.now() - 3_600_000);
    const expired = (await hourAgo.issue({ id: 'ana', name: 'Ana', role: 'collector', portfolios: ['north'] }, 60)).token;
    const forged = (await new TokenIssuer(new Uint8Array(32).fill(9)).issue({ id: 'ana', name: 'Ana', role: 'admin', portfolios: ['*'] })).token;
    cases.push([undefined, {}, 'missing_token']);
    cases.push([undefined, { authorization: 'Basic YW5hOnB3' }, 'invalid_token']);
    cases.push([expired, {}, 'token_expired']);
    cases.push([forged, {}, 'invalid_token']);
    cases.push(['not.a.jwt', {}, 'invalid_token']);
    for (const [token, headers, code] of cases) {
      const res = await server.api('/api/portfolios', token, { headers });
      expect(res.status, code).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect(errorCode(await body(res))).toBe(code);
    }
    // Refresh needs a valid token too: an expired one means signing in again.
    const refresh = await server.api('/api/auth/refresh', expired, { method: 'POST' });
    expect(refresh.status).toBe(401);
    expect(errorCode(await body(refresh))).toBe('token_expired');
  });

  it('is closed by default: an unknown /api route needs a token before it is a 404', async () => {
    const anonymous = await server.api('/api/no-such-route', undefined);
    expect(anonymous.status).toBe(401);
    const known = await server.api('/api/no-such-route', admin);
    expect(known.status).toBe(404);
    expect(errorCode(await body(known))).toBe('not_found');
  });

  it('refuses a portfolio outside the token with 403, existing or not; an admin gets the 404', async () => {
    const ana = await server.tokenFor('collector', ['north']);
    for (const path of ['/api/portfolios/south/ledger', '/api/portfolios/south/aging', '/api/portfolios/south/kpis', '/api/portfolios/nope/ledger']) {
      const res = await server.api(path, ana);
      expect(res.status, path).toBe(403);
      expect(errorCode(await body(res))).toBe('forbidden_portfolio');
    }
    expect((await server.api('/api/portfolios/nope/ledger', admin)).status).toBe(404);
  });

  it('lets a collector and a viewer read the ledger, aging and KPIs of their portfolios', async () => {
    for (const role of ['collector', 'viewer'] as const) {
      const token = await server.tokenFor(role, ['north']);
      for (const part of ['ledger', 'aging', 'kpis']) expect((await server.api(`/api/portfolios/north/${part}`, token)).status, `${role} ${part}`).toBe(200);
      const docs = (await body(await server.api('/api/portfolios/north/ledger', token))).documents as unknown[];
      expect(docs.length).toBeGreaterThan(0);
    }
  });

  it('lets only managers and admins import or change a portfolio, and a manager only their own', async () => {
    for (const role of ['viewer', 'collector'] as const) {
      const token = await server.tokenFor(role, ['north']);
      const imp = await importCsv(server, 'north', token);
      expect(imp.status, role).toBe(403);
      expect(await body(imp)).toEqual({ error: { code: 'forbidden_role', message: `a ${role} may not change a portfolio or import into it` } });
      const put = await server.api('/api/portfolios/north', token, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Renamed' }) });
      expect(put.status, role).toBe(403);
    }
    const cursor = (await body(await server.api('/api/portfolios/north/ledger', admin))).cursor as number;
    expect((await body(await server.api(`/api/portfolios/north/ledger?since=${cursor}`, admin))).documents).toEqual([]);
    const manager = await server.tokenFor('manager', ['north']);
    expect((await importCsv(server, 'north', manager)).status).toBe(200);
    expect((await importCsv(server, 'south', manager)).status).toBe(403);
    const put = await server.api('/api/portfolios/north', manager, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'North region' }) });
    expect(put.status).toBe(200);
    expect(await body(put)).toEqual({ portfolio: { id: 'north', name: 'North region' } });
  });

  it('takes a demotion into account at the next request, whatever the token says', async () => {
    await server.addUser({ id: 'mona', role: 'manager', password: PASSWORD, portfolios: ['north'] });
    const token = ((await body(await signIn(server, 'mona', PASSWORD))) as { token: string }).token;
    server.users.setRole('mona', 'viewer');
    const res = await importCsv(server, 'north', token);
    expect(res.status).toBe(403);
    expect(errorCode(await body(res))).toBe('forbidden_role');
  });

  it('lists only the portfolios the caller may open', async () => {
    const names = async (token: string) => ((await body(await server.api('/api/portfolios', token))).portfolios as { id: string }[]).map((p) => p.id);
    expect(await names(await server.tokenFor('collector', ['north']))).toEqual(['north']);
    expect(await names(await server.tokenFor('viewer', ['south', 'elsewhere']))).toEqual(['south']);
    expect(await names(await server.tokenFor('collector', []))).toEqual([]);
    expect(await names(admin)).toEqual(['north', 'south']);
  });
});

describe('failed sign-in backoff', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer();
    await server.addUser({ id: 'eve', role: 'collector', password: PASSWORD });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('after five failures refuses even the right password with 429 and a retryAfter, for a known and an unknown user alike', async () => {
    for (const login of ['eve', 'ghost']) {
      for (let i = 0; i < 5; i++) expect((await signIn(server, login, `wrong guess ${i}`)).status).toBe(401);
      const locked = await signIn(server, login, PASSWORD);
      expect(locked.status, login).toBe(429);
      const b = (await body(locked)) as { error: { code: string; details: { retryAfter: number } } };
      expect(b.error.code).toBe('too_many_attempts');
      expect(b.error.details.retryAfter).toBeGreaterThanOrEqual(1);
      expect(locked.headers.get('retry-after')).toBe(String(b.error.details.retryAfter));
    }
    // Another user from the same address is not locked out by eve's failures (the address allows more).
    await server.addUser({ id: 'fay', role: 'collector', password: PASSWORD });
    expect((await signIn(server, 'fay', PASSWORD)).status).toBe(200);
  });
});

describe('health', () => {
  it('is ready while storage is open, and says 503 not_ready once it is closed', async () => {
    const server = await startTestServer();
    try {
      const ok = await fetch(`${server.url}/api/health`);
      expect(ok.status).toBe(200);
      expect(await body(ok)).toMatchObject({ status: 'ok', storage: 'sqlite', protocol: 1 });
      expect((await fetch(`${server.url}/api/health`, { method: 'HEAD' })).status).toBe(200);
      server.store.close();
      const down = await fetch(`${server.url}/api/health`);
      expect(down.status).toBe(503);
      expect(errorCode(await body(down))).toBe('not_ready');
    } finally {
      await server.stop();
    }
  });
});
