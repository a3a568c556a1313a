/**
 * The browser's HTTP client (src/app/server-api.ts) against a real server on port 0: it parses every
 * answer, turns refusals into ServerApiError with the server's code, and an unreachable server into
 * status 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../src/domain/calendar';
import { ServerApiError, httpServer, httpServerApi } from '../../src/app/server-api';
import { startTestServer } from '../helpers/server';

const PASSWORD = 'correct horse battery';

async function refusal(p: Promise<unknown>): Promise<ServerApiError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof ServerApiError)) throw new Error(`expected a ServerApiError, got ${String(e)}`);
  return e;
}

describe('server-api against a real server', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    server = await startTestServer({ today: '2024-03-15' as CalendarDate });
    server.store.ensurePortfolio({ id: 'north', name: 'North region' });
    server.store.ensurePortfolio({ id: 'south', name: 'South region' });
    await server.addUser({ id: 'ana', name: 'Ana', role: 'collector', password: PASSWORD, portfolios: ['north'] });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('signs in, refreshes, reads me, the portfolios and the ledger with the token passed per call', async () => {
    const api = httpServer({ base: server.url });
    expect(await api.health()).toMatchObject({ status: 'ok', storage: 'sqlite' });
    const session = await api.signIn('ana', PASSWORD);
    expect(session).toMatchObject({ user: { id: 'ana', name: 'Ana', role: 'collector' }, portfolios: ['north'] });
    const fresh = await api.refresh(session.token);
    expect(fresh.user.id).toBe('ana');
    expect((await api.me(fresh.token)).user).toEqual({ id: 'ana', name: 'Ana', role: 'collector', email: null });
    expect(await api.portfolios(fresh.token)).toEqual([{ id: 'north', name: 'North region' }]);
    const ledger = await api.ledger(fresh.token, 'north', 0);
    expect(ledger).toMatchObject({ portfolioId: 'north', since: 0, accounts: [] });
  });

  it('reads the token from a getter; without one the server says missing_token', async () => {
    const held: { token?: string } = {};
    const api = httpServerApi({ base: server.url, token: () => held.token });
    const anonymous = await refusal(api.portfolios());
    expect(anonymous).toMatchObject({ status: 401, code: 'missing_token' });
    expect(anonymous.needsSignIn).toBe(true);
    held.token = (await api.signIn('ana', PASSWORD)).token;
    expect((await api.portfolios()).map((p) => p.id)).toEqual(['north']);
    expect((await api.me()).portfolios).toEqual(['north']);
  });

  it('turns refusals into the server’s code and message', async () => {
    const api = httpServer({ base: server.url });
    const wrong = await refusal(api.signIn('ana', 'not the password'));
    expect(wrong).toMatchObject({ status: 401, code: 'bad_credentials', message: 'wrong user or password' });
    const token = (await api.signIn('ana', PASSWORD)).token;
    expect(await refusal(api.ledger(token, 'south', 0))).toMatchObject({ status: 403, code: 'forbidden_portfolio' });
  });

  it('carries retryAfter from a 429, and reports an answer of the wrong shape as bad_response', async () => {
    const fake = (status: number, body: unknown): typeof fetch =>
      () => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
    const locked = httpServer({ fetch: fake(429, { error: { code: 'too_many_attempts', message: 'wait', details: { retryAfter: 8 } } }) });
    expect(await refusal(locked.signIn('ana', PASSWORD))).toMatchObject({ status: 429, code: 'too_many_attempts', retryAfter: 8 });
    const odd = httpServer({ fetch: fake(200, { token: 'x' }) });
    expect(await refusal(odd.signIn('ana', PASSWORD))).toMatchObject({ code: 'bad_response' });
    const proxy = httpServer({ fetch: fake(502, '<html>Bad gateway</html>') });
    expect(await refusal(proxy.health())).toMatchObject({ status: 502, code: 'http_error' });
  });

  it('reports an unreachable server as status 0', async () => {
    const gone = await startTestServer();
    const url = gone.url;
    await gone.stop();
    const e = await refusal(httpServer({ base: url }).health());
    expect(e.status).toBe(0);
    expect(e.unreachable).toBe(true);
  });
});
