/**
 * The one Node process of an embedded install: the HTTP API, the built PWA and (with the sync issue)
 * the websocket relay on one port, with SQLite in DATA_DIR.
 */
import { getRequestListener } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Hono } from 'hono';
import { utcDateOf, type CalendarDate } from '../src/domain/calendar';
import { createApp } from './http/app';
import { apiError } from './http/errors';
import { SqliteLedgerStore } from './store/sqlite-ledger-store';
import type { LedgerStore } from './store/ledger-store';
import type { FactStore } from './store/fact-store';
import { SqliteFactStore } from './store/sqlite-fact-store';
import { WalCheckpointer } from './store/wal-checkpointer';
import { ledgerDbPath, roomLogDbPath, tokenSecretPath } from './config';
import { loadOrCreateSecret, TokenIssuer } from './auth/tokens';
import { SqliteUserStore } from './auth/user-store';
import { AuthService } from './auth/auth-service';
import { SignInLimiter } from './auth/sign-in-limiter';
import { archiveRoutes } from './http/archive-routes';
import { createLogger, type Logger } from './logger';
import { createEmbeddedRelay, type EmbeddedRelay } from './relay/create-relay';
import { moveLegacyRoomLogs, openRoomLogDatabase, SqliteRoomLog } from './relay/sqlite-room-log';
import type { RelayOptions } from './relay/relay';

export interface StartOptions {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** The built PWA (`dist/`); when absent only the API is served. */
  readonly staticDir?: string;
  readonly today?: () => CalendarDate;
  /** Limits and clocks of the websocket relay (sync-server/relay); defaults suit production. */
  readonly relay?: RelayOptions;
  readonly log?: Logger;
  /** Days of settled history in a device's ledger snapshot (createApp's `ledgerHistoryDays`). */
  readonly ledgerHistoryDays?: number;
  /**
   * Runs once storage and the relay are open and before the server listens (the demo's seeding), so
   * no request sees a half-prepared server: /api/health answers only after it. If it throws, what was
   * opened is closed and the error is the start's.
   */
  readonly beforeListen?: (server: Pick<RunningServer, 'store' | 'facts' | 'users' | 'relay'>) => Promise<void> | void;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly store: LedgerStore;
  readonly facts: FactStore;
  /** Users, teams and portfolio access (sync-server/auth). */
  readonly users: SqliteUserStore;
  /** Signs and verifies the short-lived tokens of the API and the relay. */
  readonly tokens: TokenIssuer;
  /** Sign-in (with its failed-attempt backoff), refresh, and "is this user still active". */
  readonly auth: AuthService;
  /** The websocket relay at /sync/<room>, its room logs, fact quarantine and metrics. */
  readonly relay: EmbeddedRelay;
  readonly server: Server;
  close(): Promise<void>;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const store = new SqliteLedgerStore(ledgerDbPath(options.dataDir));
  const facts = new SqliteFactStore(store.db);
  const users = new SqliteUserStore(store.db);
  const tokens = new TokenIssuer(loadOrCreateSecret(tokenSecretPath(options.dataDir)));
  const auth = new AuthService({ users, tokens, limiter: new SignInLimiter() });
  const api = createApp({
    store,
    auth,
    ready: () => store.db.open,
    today: options.today ?? (() => utcDateOf(new Date().toISOString())),
    version: packageVersion(),
    ...(options.ledgerHistoryDays === undefined ? {} : { ledgerHistoryDays: options.ledgerHistoryDays }),
  });
  const log = options.log ?? createLogger();
  const rooms = new SqliteRoomLog(openRoomLogDatabase(roomLogDbPath(options.dataDir)));
  const moved = moveLegacyRoomLogs(store.db, rooms);
  if (moved > 0) log.info({ rows: moved }, 'room logs moved from the ledger file into their own');
  // WAL checkpoints (two fsyncs each) from worker threads, never inside a commit on the event loop.
  const checkpointers = [store.db, rooms.db].map((db) => new WalCheckpointer(db, { log: log.child({ component: 'store' }) }));
  const relay = createEmbeddedRelay({ db: store.db, rooms, store, facts, auth, log, ...(options.relay === undefined ? {} : { options: options.relay }) });
  const root = new Hono();
  root.route('/', api);
  // After the API app, so its /api/* middleware (token, portfolio access) runs first.
  root.route('/', archiveRoutes(facts, options.relay?.now ?? (() => Date.now())));
  root.get('/metrics', async (c) => c.body(await relay.metrics.registry.metrics(), 200, { 'content-type': relay.metrics.registry.contentType }));
  root.all('/api/*', (c) => apiError(c, 404, 'not_found', `no route ${c.req.method} ${c.req.path}`));
  const staticDir = options.staticDir;
  if (staticDir !== undefined && existsSync(join(staticDir, 'index.html'))) {
    root.use('/*', serveStatic({ root: staticDir }));
    // Client-side routes (/accounts/C0001…) get the app shell; the service worker does the same offline.
    const shell = readFileSync(join(staticDir, 'index.html'), 'utf8');
    root.get('*', (c) => c.html(shell));
  }
  const listener = getRequestListener(root.fetch);
  const server = createServer((req, res) => {
    void listener(req, res);
  });
  relay.relay.attach(server);
  const closeAll = async (): Promise<void> => {
    await relay.relay.close();
    await new Promise<void>((done) => {
      if (!server.listening) done();
      else server.close(() => done());
      server.closeAllConnections();
    });
    // The workers' connections first, so the main ones, closed last, do the final checkpoints.
    await relay.projections.stop();
    for (const c of checkpointers) await c.stop();
    rooms.db.close();
    store.close();
  };
  try {
    await options.beforeListen?.({ store, facts, users, relay });
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolveListen());
    });
  } catch (e) {
    await closeAll();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    store,
    facts,
    users,
    tokens,
    auth,
    relay,
    server,
    close: closeAll,
  };
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
