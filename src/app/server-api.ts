/**
 * The browser's HTTP client of the server (docs/api.md): health, sign-in, refresh, who-am-I, the
 * portfolios the user may open, the ledger pull (in pages) and an account's history. Every answer is parsed with zod, refusals included,
 * so the app acts on the error's `code` (sign in again, wait, not yours) rather than on a bare status,
 * and a network failure is a `ServerApiError` too (status 0), so "offline" is one check.
 *
 * Two faces over one implementation: `httpServer` takes the token on each call (the app's ServerPort
 * shape: the session lives in the device's storage, src/app/ports.ts), `httpServerApi` reads it from a
 * getter. Neither keeps state; keeping the session and refreshing it in time is the app's job.
 */
import { z } from 'zod';
import { portfolioSchema, type Portfolio } from '../domain/ledger';
import { accountHistorySchema, ledgerPageSchema, type AccountHistory, type LedgerPage } from '../domain/ledger-page';
import type { LedgerPageQuery } from './ports';
import { AUTH_ERRORS, meSchema, sessionSchema, type Me, type Session } from '../protocol/auth';

export const healthSchema = z.object({ status: z.literal('ok'), version: z.string(), protocol: z.number().int(), storage: z.string().optional() });
export type Health = z.infer<typeof healthSchema>;

export const portfolioListSchema = z.object({ portfolios: z.array(portfolioSchema) });

/** The API's one error shape (sync-server/http/errors.ts). */
export const apiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** A refusal from the server: `status` and `code` say what to do; `retryAfter` (seconds) on 429. */
export class ServerApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryAfter: number | undefined;

  constructor(status: number, code: string, message: string, retryAfter?: number) {
    super(message);
    this.name = 'ServerApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  /** The token is missing, expired, forged or its user disabled: only signing in again helps. */
  get needsSignIn(): boolean {
    return this.status === 401;
  }

  /** The server could not be reached (or answered something that is not HTTP): try again later. */
  get unreachable(): boolean {
    return this.status === 0;
  }
}

/** The server, with the token passed on each call that needs one. */
export interface HttpServer {
  health(): Promise<Health>;
  signIn(user: string, password: string): Promise<Session>;
  /** A fresh token for a still-valid one, with the user's current role and portfolios. */
  refresh(token: string): Promise<Session>;
  me(token: string): Promise<Me>;
  portfolios(token: string): Promise<Portfolio[]>;
  /**
   * `GET /api/portfolios/:id/ledger?since=N`: a snapshot (since 0) or the rows written after a cursor;
   * with `page`, one page of it (scope, limit, and `after` + `cursor` from the previous page).
   */
  ledger(token: string, portfolioId: string, since: number, page?: LedgerPageQuery): Promise<LedgerPage>;
  /** `GET /api/portfolios/:id/accounts/:number/history`: every document and payment of one account. */
  accountHistory(token: string, portfolioId: string, accountNumber: string): Promise<AccountHistory>;
}

/** The ledger route's path and query for one page (or the whole answer without `page`). */
export function ledgerPath(portfolioId: string, since: number, page?: LedgerPageQuery): string {
  const q = new URLSearchParams({ since: String(since) });
  if (page !== undefined) {
    q.set('scope', page.scope);
    q.set('limit', String(page.limit));
    if (page.after !== undefined) q.set('after', page.after);
    if (page.cursor !== undefined) q.set('cursor', String(page.cursor));
  }
  return `/api/portfolios/${encodeURIComponent(portfolioId)}/ledger?${q.toString()}`;
}

export interface HttpServerOptions {
  /** The server's origin; '' for the one the app was loaded from. */
  readonly base?: string;
  readonly fetch?: typeof fetch;
}

const retryAfterSchema = z.object({ retryAfter: z.number().int().nonnegative() });

export function httpServer(options: HttpServerOptions = {}): HttpServer {
  const base = options.base ?? '';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  const call = async <T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, o: { token?: string | undefined; body?: unknown } = {}): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    // '' is "no token" (the getter face has none yet): the server then answers 401 missing_token.
    if (o.token !== undefined && o.token !== '') headers.authorization = `Bearer ${o.token}`;
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { method, headers, ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }) });
    } catch (e) {
      throw new ServerApiError(0, 'unreachable', `${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const json: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const refusal = apiErrorSchema.safeParse(json);
      if (!refusal.success) throw new ServerApiError(res.status, 'http_error', `${path}: HTTP ${res.status}`);
      const { code, message, details } = refusal.data.error;
      const retry = retryAfterSchema.safeParse(details);
      throw new ServerApiError(res.status, code, message, retry.success ? retry.data.retryAfter : undefined);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ServerApiError(res.status, 'bad_response', `${path}: the server's answer is not what this app expects`);
    return parsed.data;
  };

  return {
    health: () => call('GET', '/api/health', healthSchema),
    signIn: (user, password) => call('POST', '/api/auth/sign-in', sessionSchema, { body: { user, password } }),
    refresh: (token) => call('POST', '/api/auth/refresh', sessionSchema, { token }),
    me: (token) => call('GET', '/api/auth/me', meSchema, { token }),
    portfolios: async (token) => (await call('GET', '/api/portfolios', portfolioListSchema, { token })).portfolios,
    ledger: (token, portfolioId, since, page) => call('GET', ledgerPath(portfolioId, since, page), ledgerPageSchema, { token }),
    accountHistory: (token, portfolioId, accountNumber) =>
      call('GET', `/api/portfolios/${encodeURIComponent(portfolioId)}/accounts/${encodeURIComponent(accountNumber)}/history`, accountHistorySchema, { token }),
  };
}

/** The same calls, with the token read from a getter (no token: the call goes without one). */
export interface ServerApi {
  health(): Promise<Health>;
  signIn(user: string, password: string): Promise<Session>;
  refresh(): Promise<Session>;
  me(): Promise<Me>;
  portfolios(): Promise<Portfolio[]>;
  ledger(portfolioId: string, since: number, page?: LedgerPageQuery): Promise<LedgerPage>;
  accountHistory(portfolioId: string, accountNumber: string): Promise<AccountHistory>;
}

export interface ServerApiOptions extends HttpServerOptions {
  /** The current token, if any; sent as `Authorization: Bearer`. */
  readonly token?: () => string | undefined;
}

export function httpServerApi(options: ServerApiOptions | string = {}): ServerApi {
  const o: ServerApiOptions = typeof options === 'string' ? { base: options } : options;
  const server = httpServer(o);
  const token = () => o.token?.() ?? '';
  return {
    health: () => server.health(),
    signIn: (user, password) => server.signIn(user, password),
    refresh: () => server.refresh(token()),
    me: () => server.me(token()),
    portfolios: () => server.portfolios(token()),
    ledger: (portfolioId, since, page) => server.ledger(token(), portfolioId, since, page),
    accountHistory: (portfolioId, accountNumber) => server.accountHistory(token(), portfolioId, accountNumber),
  };
}

export { AUTH_ERRORS };
export type { Me, Session };

/**
 * `GET /api/portfolios/:id/facts/archive/:period` (docs/sync.md, "Rotation and archive"): the facts of
 * a month the relay no longer opens. Each fact is still `unknown` here: the app parses every one with
 * factSchema and quarantines what fails, as it does for facts read from Yjs. Added by the app layer
 * (the device loads archived months so facts older than the live window, an assignment say, count).
 */
export const factArchiveSchema = z.object({ portfolioId: z.string(), period: z.string(), facts: z.array(z.unknown()) });
export type FactArchive = z.infer<typeof factArchiveSchema>;

export async function fetchFactArchive(options: HttpServerOptions, token: string, portfolioId: string, period: string): Promise<FactArchive> {
  const path = `/api/portfolios/${encodeURIComponent(portfolioId)}/facts/archive/${encodeURIComponent(period)}`;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  let res: Response;
  try {
    res = await doFetch(`${options.base ?? ''}${path}`, { headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
  } catch (e) {
    throw new ServerApiError(0, 'unreachable', `${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const refusal = apiErrorSchema.safeParse(json);
    throw refusal.success
      ? new ServerApiError(res.status, refusal.data.error.code, refusal.data.error.message)
      : new ServerApiError(res.status, 'http_error', `${path}: HTTP ${res.status}`);
  }
  const parsed = factArchiveSchema.safeParse(json);
  if (!parsed.success) throw new ServerApiError(res.status, 'bad_response', `${path}: the server's answer is not what this app expects`);
  return parsed.data;
}
