/**
 * One authorized websocket in one room. Incoming frames pass, in order: binary only (a text frame
 * closes with 4400), the rate limits (4429), full decoding (4400 if malformed), then the room. Until
 * the room has loaded, frames wait in a queue, so a client's step 1 is answered from the persisted
 * state, never from an empty doc.
 *
 * The acknowledgement (docs/sync.md): after an update from this client is persisted, the relay sends it
 * a sync step 1 carrying the room's durable state vector (room.ts); the client compares it with its own
 * to know which of its changes the server holds. Acks are coalesced: at most one is pending per
 * connection, flushed on the next turn of the event loop (setImmediate) with the newest vector it was
 * given. A step 2 that changed nothing is not acknowledged, or the exchange would never end (see `handle`).
 */
import type { RawData, WebSocket } from 'ws';
import { CLOSE } from '../../src/protocol/close-codes';
import type { Logger } from '../logger';
import { decodeClientMessage, SYNC_UPDATE } from './messages';
import type { RefusalReason, RelayMetrics } from './metrics';
import { ConnectionRateLimiter, type RateLimits } from './rate-limiter';
import type { Peer, Room } from './room';

/** Who is on the other end, as admitted (admission.ts). */
export interface Principal {
  readonly userId: string;
  readonly canWrite: boolean;
}

export interface ConnectionDeps {
  readonly metrics: RelayMetrics;
  readonly log: Logger;
  readonly limits: RateLimits;
  /** Monotonic milliseconds for the rate limiter. */
  readonly clock: () => number;
  /** A connection whose unsent data exceeds this is too slow to follow the room: closed with 1013. */
  readonly maxBufferedBytes: number;
  readonly onClosed: (connection: Connection) => void;
}

const OPEN = 1;
const CLOSED = 3;

export class Connection implements Peer {
  readonly userId: string;
  readonly room: Room;
  /** Cleared on each ping, set by any pong or message; a connection still clear at the next ping is dead. */
  alive = true;
  private readonly ws: WebSocket;
  private canWrite: boolean;
  private readonly deps: ConnectionDeps;
  private readonly limiter: ConnectionRateLimiter;
  private queue: Uint8Array[] | undefined = [];
  private closed = false;
  /** The newest acknowledgement (a sync step 1 with the durable state vector), until it goes out. */
  private ack: Uint8Array | undefined;

  constructor(ws: WebSocket, room: Room, principal: Principal, deps: ConnectionDeps) {
    this.ws = ws;
    this.room = room;
    this.canWrite = principal.canWrite;
    this.userId = principal.userId;
    this.deps = deps;
    this.limiter = new ConnectionRateLimiter(deps.limits, deps.clock);
    deps.metrics.connections.inc();
    deps.metrics.connectionsAccepted.inc();
    room.join(this);
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => this.markClosed());
    ws.on('error', (err: Error & { code?: string }) => {
      // ws closes the socket itself after a protocol error (1009 for an oversized frame, 1002/1007 others).
      this.refuse(err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'oversized' : 'malformed', undefined, err.message);
    });
    ws.on('pong', () => {
      this.alive = true;
    });
    room.ready.then(
      () => this.start(),
      (e: unknown) => {
        deps.log.error({ err: e, room: room.name }, 'room could not be loaded');
        this.close(1011, 'room could not be loaded: reconnect');
      },
    );
  }

  send(message: Uint8Array): boolean {
    if (this.closed || this.ws.readyState !== OPEN) return false;
    if (this.ws.bufferedAmount > this.deps.maxBufferedBytes) {
      this.refuse('slow_consumer', 1013, 'too far behind: reconnect');
      return false;
    }
    this.ws.send(message);
    this.deps.metrics.bytesOut.inc(message.length);
    return true;
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.markClosed();
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
  }

  /** From now on this connection only reads (its user was made a viewer while connected). */
  makeReadOnly(): void {
    this.canWrite = false;
  }

  /** Closes with 1001 and calls `done` once the socket is closed (terminated if the peer does not answer within a second). */
  closeForShutdown(done: () => void): void {
    if (this.ws.readyState === CLOSED) {
      this.markClosed();
      done();
      return;
    }
    const timer = setTimeout(() => this.ws.terminate(), 1000);
    timer.unref();
    this.ws.once('close', () => {
      clearTimeout(timer);
      done();
    });
    this.close(1001, 'server shutting down');
  }

  /** Drops a connection that did not answer the last ping (a tablet that left the network). */
  ping(): void {
    if (this.closed) return;
    if (!this.alive) {
      this.markClosed();
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  private start(): void {
    if (this.closed) return;
    if (!this.room.isReady) {
      this.close(1011, 'room unavailable: reconnect');
      return;
    }
    this.room.greet(this);
    const queued = this.queue ?? [];
    this.queue = undefined;
    for (const m of queued) {
      if (this.closed) return;
      this.handle(m);
    }
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    this.alive = true;
    const bytes = toBytes(data);
    this.deps.metrics.bytesIn.inc(bytes.length);
    if (!isBinary) return this.refuse('text_frame', CLOSE.protocolError, 'binary frames only');
    if (!this.limiter.allow(bytes.length)) return this.refuse('rate_limited', CLOSE.rateLimited, 'too many messages or bytes');
    if (this.queue !== undefined) this.queue.push(bytes);
    else this.handle(bytes);
  }

  private handle(bytes: Uint8Array): void {
    const decoded = decodeClientMessage(bytes);
    if (!decoded.ok) return this.refuse('malformed', CLOSE.protocolError, `malformed message: ${decoded.why}`);
    const m = decoded.message;
    try {
      switch (m.kind) {
        case 'sync-step1':
          this.room.answerStep1(this, m.stateVector);
          break;
        case 'sync-update':
          // A stock client answers each step 1 with a step 2 of what the server lacks, usually empty:
          // nothing to apply, refuse or acknowledge (acknowledging it would start a ping-pong).
          if (m.empty) break;
          if (!this.canWrite) {
            this.deps.metrics.refuse('read_only');
            this.deps.log.debug({ room: this.room.name, user: this.userId }, 'update from a read-only user dropped');
            break;
          }
          this.deps.metrics.updatesIn.inc();
          switch (this.room.accept(this, m.update)) {
            case 'changed':
              // Acknowledged by the room once the update is durable (acknowledge).
              break;
            case 'unchanged':
              // A duplicate update is acknowledged (its sender learns the room holds it). A step 2 that
              // changed nothing is not: it answers our step 1, so its sender already holds our current
              // state vector, and a stock client answers every step 1 with a step 2 that is never empty
              // once its doc has a deletion (state vectors do not cover delete sets) or structs we hold
              // pending. Acknowledging it would start a ping-pong that only the rate limit ends (4429).
              // One exception: a step 2 carrying structs the room holds now. It answered a step 1 sent
              // before they reached the room by another way (a second connection of the same device,
              // or the same change on two devices), so no vector its sender holds covers them, and no
              // ack would ever come. Its sender's answer to this ack carries no struct the room holds,
              // so this does not start the ping-pong either.
              if (m.step === SYNC_UPDATE || this.room.holdsAllStructsOf(m.update)) this.room.acknowledgeDuplicate(this);
              break;
            case 'failed':
              break;
          }
          break;
        case 'awareness':
          this.room.applyAwareness(this, m.update);
          break;
        case 'query-awareness':
          this.send(this.room.awarenessOfAll());
          break;
      }
    } catch (e) {
      // Decoded messages do not throw when applied; if one does, this connection goes, the process stays.
      this.deps.log.error({ err: e, room: this.room.name, user: this.userId }, 'message handling failed');
      this.close(1011, 'internal error: reconnect');
    }
  }

  acknowledge(step1: Uint8Array): void {
    const pending = this.ack !== undefined;
    this.ack = step1;
    if (pending) return;
    setImmediate(() => {
      const message = this.ack;
      this.ack = undefined;
      if (message !== undefined && !this.closed && this.room.isReady) this.send(message);
    });
  }

  private refuse(reason: RefusalReason, code: number | undefined, why: string): void {
    if (this.closed) return;
    this.deps.metrics.refuse(reason);
    this.deps.log.info({ room: this.room.name, user: this.userId, reason, why }, 'connection refused');
    if (code === undefined) this.markClosed();
    else this.close(code, why.slice(0, 120));
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = undefined;
    this.deps.metrics.connections.dec();
    this.room.leave(this);
    this.deps.onClosed(this);
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}
