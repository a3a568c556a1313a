/**
 * The Transport over y-websocket's WebsocketProvider, one socket per room (y-websocket has no
 * subdocuments, DESIGN.md §8: hence a few shard docs, not one per account).
 *
 * - The token goes in `Sec-WebSocket-Protocol` (src/protocol/sync-auth.ts), or the `token` query
 *   parameter when asked; either is read again at every reconnection, so a refreshed token is used.
 * - Close codes in PERMANENT_CLOSE_CODES stop the reconnection loop and are reported; every other close
 *   (network, 4429 rate limit, 1013 too slow) is retried with y-websocket's backoff.
 * - The relay's sync step 1 messages are read on their way into the provider (its message handler is
 *   wrapped): they carry the relay's state vector, which pending changes are measured against.
 * - BroadcastChannel between tabs is off: an update from another tab would otherwise arrive with the
 *   provider as origin and be taken for one the relay holds.
 */
import * as decoding from 'lib0/decoding';
import { Awareness } from 'y-protocols/awareness';
import { messageYjsSyncStep1 } from 'y-protocols/sync';
import { messageSync, WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { PERMANENT_CLOSE_CODES } from '../protocol/close-codes';
import { syncSubprotocols } from '../protocol/sync-auth';
import { Listeners } from './listeners';
import type { ConnectionState, RoomConnection, Transport } from './transport';

type WebSocketClass = NonNullable<ConstructorParameters<typeof WebsocketProvider>[3]>['WebSocketPolyfill'];

export interface WebsocketTransportOptions {
  /** The relay's base, e.g. `wss://collect.example.com/sync` (rooms are `<url>/<room>`). */
  readonly url: string;
  /** Node has no WebSocket global before 22: pass `ws`'s. */
  readonly WebSocket?: WebSocketClass;
  /** Where the token goes: the subprotocol list (default, kept out of URLs and logs) or the query. */
  readonly tokenIn?: 'protocols' | 'params';
  readonly maxBackoffTime?: number;
}

/** `http(s)://host` → `ws(s)://host/sync`. */
export function relayUrlOf(origin: string): string {
  return `${origin.replace(/^http/, 'ws').replace(/\/+$/, '')}/sync`;
}

class ProviderConnection implements RoomConnection {
  readonly room: string;
  private readonly provider: WebsocketProvider;
  private readonly doc: Y.Doc;
  private readonly tokenIn: 'protocols' | 'params';
  private current: ConnectionState = 'connecting';
  private readonly stateListeners = new Listeners<[ConnectionState]>();
  private readonly serverListeners = new Listeners<[Uint8Array, 'step1' | 'update']>();
  private readonly refusedListeners = new Listeners<[number, string]>();
  private readonly syncedListeners = new Listeners<[]>();
  private readonly ownAwareness: Awareness | undefined;
  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this.provider) this.serverListeners.emit(Y.encodeStateVectorFromUpdate(update), 'update');
  };

  constructor(room: string, doc: Y.Doc, provider: WebsocketProvider, tokenIn: 'protocols' | 'params', ownAwareness: Awareness | undefined) {
    this.room = room;
    this.doc = doc;
    this.provider = provider;
    this.tokenIn = tokenIn;
    this.ownAwareness = ownAwareness;
    const handle = provider.messageHandlers[messageSync];
    if (handle !== undefined)
      provider.messageHandlers[messageSync] = (encoder, decoder, p, fromSocket, type) => {
        const stateVector = fromSocket ? this.peekStep1(decoder) : undefined;
        handle(encoder, decoder, p, fromSocket, type);
        if (stateVector !== undefined) this.serverListeners.emit(stateVector, 'step1');
      };
    provider.on('status', ({ status }) => this.setState(status));
    provider.on('sync', (synced) => {
      if (synced) this.syncedListeners.emit();
    });
    provider.on('closed', ({ code, reason }) => {
      this.setState('refused');
      this.refusedListeners.emit(code, reason);
    });
    doc.on('update', this.onDocUpdate);
  }

  state(): ConnectionState {
    return this.current;
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    return this.stateListeners.add(listener);
  }

  onServerState(listener: (stateVector: Uint8Array, from: 'step1' | 'update') => void): () => void {
    return this.serverListeners.add(listener);
  }

  onRefused(listener: (code: number, reason: string) => void): () => void {
    return this.refusedListeners.add(listener);
  }

  onSynced(listener: () => void): () => void {
    return this.syncedListeners.add(listener);
  }

  setToken(token: string): void {
    if (this.tokenIn === 'params') this.provider.params = { ...this.provider.params, token };
    else this.provider.protocols = syncSubprotocols(token);
  }

  reconnect(): void {
    if (this.current === 'refused') this.setState('disconnected');
    this.provider.connect();
  }

  disconnect(): void {
    this.provider.disconnect();
  }

  close(): void {
    this.doc.off('update', this.onDocUpdate);
    this.provider.destroy();
    this.ownAwareness?.destroy();
    this.stateListeners.clear();
    this.serverListeners.clear();
    this.refusedListeners.clear();
    this.syncedListeners.clear();
  }

  private peekStep1(decoder: decoding.Decoder): Uint8Array | undefined {
    try {
      const peek = decoding.clone(decoder);
      return decoding.readVarUint(peek) === messageYjsSyncStep1 ? decoding.readVarUint8Array(peek) : undefined;
    } catch {
      // A malformed frame: the provider's own handler will meet it; nothing to learn here.
      return undefined;
    }
  }

  private setState(state: ConnectionState): void {
    // After a refusal, the provider's own "disconnected" must not hide why.
    if (this.current === 'refused' && state === 'disconnected') return;
    if (state === this.current) return;
    this.current = state;
    this.stateListeners.emit(state);
  }
}

export function websocketTransport(options: WebsocketTransportOptions): Transport {
  const tokenIn = options.tokenIn ?? 'protocols';
  return {
    connect(room, doc, { token, awareness }) {
      // Docs without presence get an awareness with no local state: y-websocket then sends none.
      const own = awareness === undefined ? new Awareness(doc) : undefined;
      own?.setLocalState(null);
      const provider = new WebsocketProvider(options.url, room, doc, {
        connect: false,
        awareness: awareness ?? own,
        disableBc: true,
        ...(tokenIn === 'params' ? { params: { token } } : { protocols: syncSubprotocols(token) }),
        ...(options.WebSocket === undefined ? {} : { WebSocketPolyfill: options.WebSocket }),
        ...(options.maxBackoffTime === undefined ? {} : { maxBackoffTime: options.maxBackoffTime }),
        shouldReconnect: (event) => !PERMANENT_CLOSE_CODES.has(event.code),
      });
      const connection = new ProviderConnection(room, doc, provider, tokenIn, own);
      provider.connect();
      return connection;
    },
  };
}
