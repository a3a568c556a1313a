/**
 * The websocket relay at `/sync/<room>` (docs/sync.md), on the server's own HTTP port.
 *
 * Upgrade: a request for another path gets a plain 404 and its socket is destroyed. For `/sync/…` the
 * token and the room are checked first (admission.ts); a refused request still completes the upgrade
 * and is closed at once with 4401/4403/4404/4426, because a browser reports a refused upgrade as a
 * network error and retries forever, while a close code tells the client to stop. `ws` runs with
 * `noServer`, binary frames only in practice (text frames are refused by the connection), no
 * compression, and `maxPayload` (ws closes an oversized frame with 1009).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE } from '../../src/protocol/close-codes';
import { SYNC_PATH_PREFIX, SYNC_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '../../src/protocol/sync-auth';
import { canAccessPortfolio, canWrite } from '../../src/protocol/token';
import type { Logger } from '../logger';
import { admit, type RelayIdentity } from './admission';
import { localBus, type RoomBus } from './bus';
import { Connection } from './connection';
import type { RelayMetrics } from './metrics';
import type { RoomPersistence } from './persistence';
import type { FactProjector } from './projector';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './rate-limiter';
import { DEFAULT_COMPACTION, type CompactionLimits, type Room } from './room';
import { RoomRegistry } from './room-registry';

export interface RelayOptions {
  /** Largest frame a client may send; bigger ones are closed with 1009. */
  readonly maxPayload?: number;
  readonly rateLimits?: RateLimits;
  readonly compaction?: CompactionLimits;
  /** A room with no connection for this long is unloaded. */
  readonly idleUnloadMs?: number;
  /**
   * How often connections are pinged (one missing pong and the connection is dropped) and their users'
   * access re-read (disabled → 4401, off the portfolio's teams → 4403, made a viewer → read-only). 0 turns it off.
   */
  readonly pingIntervalMs?: number;
  /** Unsent bytes after which a connection counts as too slow and is closed with 1013. */
  readonly maxBufferedBytes?: number;
  /** The wall clock (ms): live periods, receipt times, idleness. */
  readonly now?: () => number;
  /** A monotonic clock (ms) for rate limits. */
  readonly monotonic?: () => number;
}

export const DEFAULT_MAX_PAYLOAD = 2 * 1024 * 1024;

export interface RelayDeps {
  readonly identity: RelayIdentity;
  readonly persistence: RoomPersistence;
  readonly metrics: RelayMetrics;
  readonly log: Logger;
  readonly projector?: FactProjector;
  readonly bus?: RoomBus;
}

export class Relay {
  readonly metrics: RelayMetrics;
  private readonly deps: RelayDeps;
  private readonly wss: WebSocketServer;
  private readonly registry: RoomRegistry;
  private readonly connections = new Set<Connection>();
  private readonly pending = new Set<Duplex>();
  private readonly options: Required<Omit<RelayOptions, 'now' | 'monotonic'>> & { now: () => number; monotonic: () => number };
  private readonly pinger: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(deps: RelayDeps, options: RelayOptions = {}) {
    this.deps = deps;
    this.metrics = deps.metrics;
    this.options = {
      maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
      rateLimits: options.rateLimits ?? DEFAULT_RATE_LIMITS,
      compaction: options.compaction ?? DEFAULT_COMPACTION,
      idleUnloadMs: options.idleUnloadMs ?? 60_000,
      pingIntervalMs: options.pingIntervalMs ?? 30_000,
      maxBufferedBytes: options.maxBufferedBytes ?? 16 * 1024 * 1024,
      now: options.now ?? (() => Date.now()),
      monotonic: options.monotonic ?? (() => performance.now()),
    };
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.options.maxPayload,
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: chooseSubprotocol,
    });
    this.registry = new RoomRegistry(
      {
        persistence: deps.persistence,
        bus: deps.bus ?? localBus,
        metrics: deps.metrics,
        log: deps.log,
        compaction: this.options.compaction,
        ...(deps.projector === undefined ? {} : { projector: deps.projector }),
        now: this.options.now,
      },
      this.options.idleUnloadMs,
    );
    if (this.options.pingIntervalMs > 0) {
      this.pinger = setInterval(() => {
        this.recheckAccess();
        for (const c of [...this.connections]) c.ping();
      }, this.options.pingIntervalMs);
      this.pinger.unref();
    }
  }

  /** Takes the http server's upgrade requests. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.handleUpgrade(req, socket, head);
    });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A socket error while the token is checked must not become an uncaught exception.
    socket.on('error', () => socket.destroy());
    const url = parseUrl(req.url);
    if (url === undefined || !url.pathname.startsWith(SYNC_PATH_PREFIX) || this.closing) {
      // While shutting down, "try again" (the next server will answer); elsewhere, nothing here.
      socket.end(this.closing ? 'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n' : 'HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    const roomName = safeDecode(url.pathname.slice(SYNC_PATH_PREFIX.length));
    const offered = (req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    this.pending.add(socket);
    void admit({ roomName, offeredProtocols: offered, queryToken: url.searchParams.get('token') ?? undefined }, this.deps.identity, new Date(this.options.now()).toISOString())
      .catch((e: unknown) => {
        this.deps.log.error({ err: e }, 'admission failed');
        return { ok: false as const, code: 1011, reason: undefined, why: 'internal error: reconnect' };
      })
      .then((verdict) => {
        this.pending.delete(socket);
        if (socket.destroyed) return;
        if (this.closing) {
          socket.destroy();
          return;
        }
        this.wss.handleUpgrade(req, socket, head, (ws) => {
          if (!verdict.ok) {
            if (verdict.reason !== undefined) this.metrics.refuse(verdict.reason);
            this.deps.log.info({ room: roomName.slice(0, 100), code: verdict.code, reason: verdict.reason, why: verdict.why }, 'connection refused');
            ws.close(verdict.code, verdict.why);
            return;
          }
          this.accept(ws, verdict.roomName, verdict.room, { userId: verdict.userId, canWrite: verdict.canWrite });
        });
      });
  }

  private accept(ws: WebSocket, roomName: string, id: Parameters<RoomRegistry['acquire']>[1], principal: { userId: string; canWrite: boolean }): void {
    const room = this.registry.acquire(roomName, id);
    const connection = new Connection(ws, room, principal, {
      metrics: this.metrics,
      log: this.deps.log,
      limits: this.options.rateLimits,
      clock: this.options.monotonic,
      maxBufferedBytes: this.options.maxBufferedBytes,
      onClosed: (c) => {
        this.connections.delete(c);
        if (c.room.peers.size === 0) this.registry.noteIdle();
      },
    });
    this.connections.add(connection);
    this.deps.log.debug({ room: roomName, user: principal.userId, write: principal.canWrite }, 'connection accepted');
  }

  /**
   * Re-reads each connected user (two indexed reads per user, once per ping interval), so disabling a
   * user or taking them off a team ends their live connections too, not only their next one.
   */
  recheckAccess(): void {
    const users = new Map<string, ReturnType<RelayIdentity['currentUser']>>();
    for (const c of [...this.connections]) {
      if (!users.has(c.userId)) users.set(c.userId, this.deps.identity.currentUser(c.userId));
      const user = users.get(c.userId);
      if (user === undefined) {
        this.metrics.refuse('unauthorized');
        c.close(CLOSE.unauthorized, 'user disabled or unknown');
      } else if (!canAccessPortfolio({ portfolios: [...user.portfolios] }, c.room.id.portfolioId)) {
        this.metrics.refuse('forbidden');
        c.close(CLOSE.forbidden, 'your teams no longer work this portfolio');
      } else if (!canWrite(user.role)) {
        c.makeReadOnly();
      }
    }
  }

  /** Unloads rooms idle for at least `olderThanMs` (default: the configured delay); returns how many. */
  unloadIdleRooms(olderThanMs?: number): number {
    return this.registry.unloadIdle(olderThanMs);
  }

  /** The loaded room of that name (tests and operations). */
  room(name: string): Room | undefined {
    return this.registry.get(name);
  }

  stats(): { connections: number; rooms: number } {
    return { connections: this.connections.size, rooms: this.registry.size };
  }

  /** Resolves once every append, compaction and projection made so far is durable (tests, operations). */
  async persisted(): Promise<void> {
    await this.deps.persistence.drained();
    // Appends that settled above may have queued projections.
    await this.deps.projector?.drained();
  }

  /**
   * Closes every connection with 1001 (clients reconnect to the next server), unloads the rooms, and
   * waits until every write made is durable (the database is closed after this).
   */
  async close(): Promise<void> {
    this.closing = true;
    if (this.pinger !== undefined) clearInterval(this.pinger);
    for (const s of this.pending) s.destroy();
    const sockets = [...this.connections];
    await Promise.all(
      sockets.map(
        (c) =>
          new Promise<void>((done) => {
            c.closeForShutdown(done);
          }),
      ),
    );
    this.registry.unloadAll();
    await this.persisted();
    await new Promise<void>((done) => this.wss.close(() => done()));
  }
}

/** Answer with the sync subprotocol, never with the token; a browser fails the handshake unless we pick one it offered. */
function chooseSubprotocol(protocols: Set<string>): string | false {
  if (protocols.has(SYNC_SUBPROTOCOL)) return SYNC_SUBPROTOCOL;
  const list = [...protocols];
  return list.find((p) => !p.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) ?? list[0] ?? false;
}

function parseUrl(raw: string | undefined): URL | undefined {
  try {
    return new URL(raw ?? '/', 'http://relay.invalid');
  } catch {
    return undefined;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
