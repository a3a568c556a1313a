/**
 * The HTTP API (docs/api.md). Routes are thin: parse the request with zod, call the store or the
 * engine, answer JSON. Every route passes through `authorize` (authorize.ts), which refuses a request
 * without a valid token unless the route is one of the few public ones; routes that change a
 * portfolio also state the roles they accept.
 */
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { z } from 'zod';
import { addDays, calendarDateSchema, type CalendarDate } from '../../src/domain/calendar';
import { resolveMapping } from '../../src/domain/import/mapping';
import { portfolioIdSchema } from '../../src/domain/ledger';
import { LEDGER_PAGE_MAX_LIMIT, ledgerScopeSchema } from '../../src/domain/ledger-page';
import { LedgerPageError, type LedgerStore } from '../store/ledger-store';
import { ImportUsageError, runImport, type ImportMode } from '../import/run-import';
import { Analytics } from './analytics';
import { apiError } from './errors';
import { PROTOCOL_VERSION } from '../../src/protocol/version';
import { canManagePortfolio } from '../../src/protocol/token';
import type { AuthService } from '../auth/auth-service';
import { authRoutes } from './auth-routes';
import { authorize, mayOpen, requireRole, type ApiEnv } from './authorize';

export interface AppOptions {
  readonly store: LedgerStore;
  /** The server's idea of today; injected so tests and replays can pin it. */
  readonly today: () => CalendarDate;
  /** Sign-in, tokens and users: required, so an app without token checks cannot be built by mistake. */
  readonly auth: AuthService;
  /** True once storage is open and until it closes; health answers 503 otherwise. */
  readonly ready?: () => boolean;
  readonly version?: string;
  /**
   * Days of settled history in a `device` snapshot of the ledger (documents closed or paid, payments
   * received): default 180. Older history is read per account (`/accounts/:number/history`).
   */
  readonly ledgerHistoryDays?: number;
}

export const DEFAULT_LEDGER_HISTORY_DAYS = 180;

const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

const importQuerySchema = z.object({
  mapping: z.string().min(1).default('dunwell'),
  asOf: calendarDateSchema.optional(),
  mode: z.enum(['all-or-nothing', 'partial', 'dry-run']).default('all-or-nothing'),
  full: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
  source: z.string().max(200).default('http'),
});

const importJsonSchema = z.object({
  csv: z.string(),
  mapping: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).default('dunwell'),
  asOf: calendarDateSchema.optional(),
  mode: z.enum(['all-or-nothing', 'partial', 'dry-run']).default('all-or-nothing'),
  full: z.boolean().default(false),
  source: z.string().max(200).default('http'),
});

const ledgerQuerySchema = z
  .object({
    since: z.coerce.number().int().nonnegative().default(0),
    // No scope: full, as before paging (an old client gets what it always got).
    scope: ledgerScopeSchema.default('full'),
    // No limit: every row in one answer (an old client that does not know `next` must not get a part).
    limit: z.coerce.number().int().min(1).max(LEDGER_PAGE_MAX_LIMIT).optional(),
    after: z.string().min(1).max(2000).optional(),
    cursor: z.coerce.number().int().nonnegative().optional(),
  })
  .refine((q) => q.after === undefined || q.cursor !== undefined, { message: 'after goes with the cursor of the first page', path: ['cursor'] })
  .refine((q) => q.cursor === undefined || q.cursor >= q.since, { message: 'cursor is before since', path: ['cursor'] });
const asOfQuerySchema = z.object({ asOf: calendarDateSchema.optional() });
const kpiQuerySchema = z.object({ asOf: calendarDateSchema.optional(), from: calendarDateSchema.optional() });

function issuesOf(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

export function createApp(options: AppOptions): Hono<ApiEnv> {
  const { store } = options;
  const analytics = new Analytics(store);
  const app = new Hono<ApiEnv>();
  // The engine refuses impossible settings (a CEI period that ends before it starts) with a RangeError.
  const analyze = (id: string, asOf: CalendarDate, from?: CalendarDate) => {
    try {
      return analytics.analyze(id, asOf, from);
    } catch (e) {
      if (e instanceof RangeError) return { refused: e.message };
      throw e;
    }
  };

  app.use('/api/*', compress());
  app.use('/api/*', authorize(options.auth));

  app.get('/api/health', (c) => {
    if (options.ready !== undefined && !options.ready()) return apiError(c, 503, 'not_ready', 'storage is not open');
    return c.json({ status: 'ok', version: options.version ?? '0.0.0', protocol: PROTOCOL_VERSION, storage: 'sqlite' });
  });

  authRoutes(app, options.auth);

  // Only the portfolios the caller may open: a collector does not learn the names of other teams' books.
  app.get('/api/portfolios', (c) => c.json({ portfolios: store.listPortfolios().filter((p) => mayOpen(c.get('access'), p.id)) }));

  const managers = requireRole(canManagePortfolio, 'change a portfolio or import into it');

  app.put('/api/portfolios/:id', managers, async (c) => {
    const id = portfolioIdSchema.safeParse(c.req.param('id'));
    if (!id.success) return apiError(c, 400, 'bad_portfolio_id', id.error.issues[0]?.message ?? 'bad portfolio id');
    const body = z.object({ name: z.string().min(1).max(200) }).safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return apiError(c, 400, 'bad_request', 'expected a JSON body {"name": "…"}', issuesOf(body.error));
    store.ensurePortfolio({ id: id.data, name: body.data.name });
    return c.json({ portfolio: store.getPortfolio(id.data) });
  });

  app.use('/api/portfolios/:id/*', async (c, next) => {
    const id = c.req.param('id');
    // The import route creates a portfolio on first use; every other route needs it to exist.
    if (!c.req.path.endsWith('/imports') && store.getPortfolio(id ?? '') === undefined)
      return apiError(c, 404, 'unknown_portfolio', `no portfolio ${JSON.stringify(id)}`);
    return next();
  });

  app.post('/api/portfolios/:id/imports', managers, async (c) => {
    const id = portfolioIdSchema.safeParse(c.req.param('id'));
    if (!id.success) return apiError(c, 400, 'bad_portfolio_id', id.error.issues[0]?.message ?? 'bad portfolio id');
    const length = Number(c.req.header('content-length') ?? '0');
    if (length > MAX_IMPORT_BYTES) return apiError(c, 413, 'too_large', `an import is at most ${MAX_IMPORT_BYTES} bytes`);
    const type = c.req.header('content-type') ?? '';
    let request: { text: string; mapping: unknown; mappingName: string; asOf?: CalendarDate; mode: ImportMode; full: boolean; source: string };
    if (type.startsWith('application/json')) {
      const body = importJsonSchema.safeParse(await c.req.json().catch(() => undefined));
      if (!body.success) return apiError(c, 400, 'bad_request', 'expected {"csv": "…", "mapping": "…"}', issuesOf(body.error));
      const b = body.data;
      request = { text: b.csv, mapping: b.mapping, mappingName: typeof b.mapping === 'string' ? b.mapping : 'custom', mode: b.mode, full: b.full, source: b.source };
      if (b.asOf !== undefined) request.asOf = b.asOf;
    } else if (type.startsWith('text/csv') || type.startsWith('text/plain')) {
      const q = importQuerySchema.safeParse(c.req.query());
      if (!q.success) return apiError(c, 400, 'bad_request', 'bad import parameters', issuesOf(q.error));
      request = { text: await c.req.text(), mapping: q.data.mapping, mappingName: q.data.mapping, mode: q.data.mode, full: q.data.full, source: q.data.source };
      if (q.data.asOf !== undefined) request.asOf = q.data.asOf;
    } else {
      return apiError(c, 415, 'unsupported_media_type', 'send text/csv (options in the query) or application/json');
    }
    const mapping = resolveMapping(request.mapping);
    if (!mapping.ok) return apiError(c, 400, 'bad_mapping', mapping.error);
    try {
      const report = runImport(store, { ...request, portfolioId: id.data, mapping: mapping.mapping, today: options.today() });
      return c.json(report, report.status === 'rejected' ? 422 : 200);
    } catch (e) {
      if (e instanceof ImportUsageError) return apiError(c, 400, 'bad_request', e.message);
      throw e;
    }
  });

  app.get('/api/portfolios/:id/ledger', (c) => {
    const q = ledgerQuerySchema.safeParse(c.req.query());
    if (!q.success) return apiError(c, 400, 'bad_cursor', 'since, cursor and after must come from an earlier pull', issuesOf(q.error));
    const { since, scope, limit, after, cursor } = q.data;
    const historyFrom = addDays(options.today(), -(options.ledgerHistoryDays ?? DEFAULT_LEDGER_HISTORY_DAYS));
    try {
      return c.json(
        store.changesPage(c.req.param('id'), {
          since,
          scope,
          historyFrom,
          ...(limit === undefined ? {} : { limit }),
          ...(after === undefined ? {} : { after }),
          ...(cursor === undefined ? {} : { cursor }),
        }),
      );
    } catch (e) {
      if (e instanceof LedgerPageError) return apiError(c, 400, e.code, e.message);
      throw e;
    }
  });

  app.get('/api/portfolios/:id/accounts/:number/history', (c) => c.json(store.accountHistory(c.req.param('id'), c.req.param('number'))));

  app.get('/api/portfolios/:id/aging', (c) => {
    const q = asOfQuerySchema.safeParse(c.req.query());
    if (!q.success) return apiError(c, 400, 'bad_request', 'asOf must be YYYY-MM-DD', issuesOf(q.error));
    const result = analyze(c.req.param('id'), q.data.asOf ?? options.today());
    if ('refused' in result) return apiError(c, 400, 'bad_request', result.refused);
    return c.json({ portfolioId: c.req.param('id'), asOf: result.asOf, aging: result.aging });
  });

  app.get('/api/portfolios/:id/kpis', (c) => {
    const q = kpiQuerySchema.safeParse(c.req.query());
    if (!q.success) return apiError(c, 400, 'bad_request', 'asOf and from must be YYYY-MM-DD', issuesOf(q.error));
    const result = analyze(c.req.param('id'), q.data.asOf ?? options.today(), q.data.from);
    if ('refused' in result) return apiError(c, 400, 'bad_request', result.refused);
    return c.json({ portfolioId: c.req.param('id'), asOf: result.asOf, kpis: result.kpis });
  });

  app.notFound((c) => apiError(c, 404, 'not_found', `no route ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    console.error(JSON.stringify({ level: 'error', msg: 'request failed', path: c.req.path, error: String(err) }));
    return apiError(c, 500, 'internal', 'the server failed on this request; it is logged');
  });
  return app;
}
