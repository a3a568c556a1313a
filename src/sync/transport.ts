/**
 * The transport between a Y.Doc and the relay, small on purpose: the doc set (doc-set.ts) needs to
 * connect a doc (and, for the config doc, its awareness) to a room, know whether it is connected, hear
 * the relay's state vector (its sync step 1, the acknowledgement of docs/sync.md) and the state of the
 * updates it received from the relay, and be told when the relay refuses us for good.
 *
 * websocket-transport.ts adapts y-websocket's WebsocketProvider; tests may give another.
 */
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'refused';

export interface RoomConnection {
  readonly room: string;
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
  /**
   * The relay's state vector: from each sync step 1 it sends (on connect, after answering ours, after
   * persisting an update of ours), and raised by every update it relays to us (it holds what it sends).
   */
  onServerState(listener: (stateVector: Uint8Array, from: 'step1' | 'update') => void): () => void;
  /**
   * The relay's state has been received on this connection (its sync step 2): what `provider.synced`
   * means, and all it means — whether our edits reached the relay is onServerState's business.
   */
  onSynced(listener: () => void): () => void;
  /** A close code after which reconnecting cannot help (src/protocol/close-codes.ts). */
  onRefused(listener: (code: number, reason: string) => void): () => void;
  /** Used for the next (re)connection; an open connection stays as it is (the relay checks at upgrade). */
  setToken(token: string): void;
  /** Connect again after a refusal (the user signed in again) or a disconnect. */
  reconnect(): void;
  disconnect(): void;
  close(): void;
}

export interface Transport {
  connect(room: string, doc: Y.Doc, options: { readonly token: string; readonly awareness?: Awareness }): RoomConnection;
}
