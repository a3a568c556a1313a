/**
 * Clients for relay tests: stock y-websocket providers (with `ws` as their WebSocket, Node 20 has none)
 * and raw websockets for frames a provider would never send. No sleeps: `eventually` retries an
 * assertion until it passes or a deadline ends.
 */
import { WebSocket } from 'ws';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { syncSubprotocols } from '../../src/protocol/sync-auth';

export const WebSocketPolyfill = WebSocket as unknown as typeof globalThis.WebSocket;

export function relayUrl(serverUrl: string): string {
  return `${serverUrl.replace(/^http/, 'ws')}/sync`;
}

/** Retries `check` (which throws while not yet true) until it passes or `timeoutMs` passes. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 100);
    }
  }
}

export interface TestProvider {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  /** Close events the provider saw, newest last. */
  readonly closes: { code: number; reason: string }[];
  destroy(): void;
}

/**
 * What a relay test made (servers, providers), undone after it, newest first: register
 * `afterEach(() => kit.teardown())` once per file and hand the kit everything to close.
 */
export class RelayTestKit {
  private readonly undo: (() => Promise<void> | void)[] = [];

  add(fn: () => Promise<void> | void): void {
    this.undo.push(fn);
  }

  async teardown(): Promise<void> {
    for (const f of this.undo.splice(0).reverse()) await f();
  }

  /** `connectProvider`, destroyed after the test. */
  provider(s: { readonly url: string }, room: string, token: string | undefined, options: Parameters<typeof connectProvider>[3] = {}): TestProvider {
    const p = connectProvider(s.url, room, token, options);
    this.add(() => p.destroy());
    return p;
  }
}

/** Waits until the provider has received the relay's state. */
export const synced = (p: TestProvider): Promise<void> =>
  eventually(() => {
    if (!p.provider.synced) throw new Error(`provider on ${p.provider.roomname} not synced yet`);
  });

/** A stock WebsocketProvider on `room`, the token in the subprotocol list (or the query, `via: 'query'`). */
export function connectProvider(serverUrl: string, room: string, token: string | undefined, options: { via?: 'protocol' | 'query'; doc?: Y.Doc } = {}): TestProvider {
  const doc = options.doc ?? new Y.Doc();
  const via = options.via ?? 'protocol';
  const provider = new WebsocketProvider(relayUrl(serverUrl), room, doc, {
    WebSocketPolyfill,
    disableBc: true,
    maxBackoffTime: 200,
    ...(token === undefined ? {} : via === 'protocol' ? { protocols: syncSubprotocols(token) } : { params: { token } }),
  });
  const closes: { code: number; reason: string }[] = [];
  provider.on('connection-close', (event) => {
    if (event !== null) closes.push({ code: event.code, reason: event.reason });
  });
  return {
    doc,
    provider,
    closes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export interface RawClient {
  readonly ws: WebSocket;
  readonly messages: Uint8Array[];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  /** The subprotocol the server chose. */
  protocol(): string;
}

/** A plain websocket to a room, for frames no provider sends. */
export function connectRaw(serverUrl: string, room: string, token: string | undefined, protocols?: string[]): RawClient {
  const ws = new WebSocket(`${relayUrl(serverUrl)}/${room}`, protocols ?? (token === undefined ? [] : syncSubprotocols(token)));
  const messages: Uint8Array[] = [];
  ws.binaryType = 'nodebuffer';
  ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  // An error after open (the server cut us off) is expected in these tests; the close code is what counts.
  ws.on('error', () => undefined);
  return { ws, messages, opened, closed, protocol: () => ws.protocol };
}

export type DecodedServerMessage =
  | { kind: 'sync-step1'; stateVector: Map<number, number> }
  | { kind: 'sync-step2' | 'sync-update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'other'; type: number };

/** Decodes a message the relay sent, with y-protocols' encoding (lib0). */
export function decodeServerMessage(bytes: Uint8Array): DecodedServerMessage {
  const d = decoding.createDecoder(bytes);
  const type = decoding.readVarUint(d);
  if (type === 1) return { kind: 'awareness', update: decoding.readVarUint8Array(d) };
  if (type !== 0) return { kind: 'other', type };
  const step = decoding.readVarUint(d);
  const payload = decoding.readVarUint8Array(d);
  if (step === 0) return { kind: 'sync-step1', stateVector: Y.decodeStateVector(payload) };
  return { kind: step === 1 ? 'sync-step2' : 'sync-update', update: payload };
}

/** The value of one sample on the server's /metrics page (0 when absent). */
export async function metric(serverUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${serverUrl}/metrics`)).text();
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    if ((m[2] ?? '') === wanted) return Number(m[3]);
  }
  return 0;
}
