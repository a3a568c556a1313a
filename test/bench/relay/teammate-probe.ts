/**
 * "One new fact reaches a teammate in < 100 ms p99 on loopback": two stock y-websocket
 * `WebsocketProvider`s (ws as their WebSocket, Node 20 has none) on one room; one writes a fact into
 * `Y.Map('facts')` every `intervalMs`, the other observes the map and times each key from the
 * moment it was set. Both run in this process, so one monotonic clock serves both ends.
 */
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { FACTS_MAP } from '../../../src/protocol/rooms';
import { syncSubprotocols } from '../../../src/protocol/sync-auth';
import { WebSocketPolyfill } from '../../helpers/relay-clients';
import { benchFact } from './plan';

export interface ProbeResult {
  readonly sent: number;
  /** Set → seen by the teammate, ms, one per fact received. */
  readonly latencyMs: number[];
  /** Why the probe could not run (a provider that never synced): reported, so the other figures still print. */
  readonly error?: string;
}

export interface ProbeOptions {
  /** `ws://…/sync` for ours, `ws://…` for the reference. */
  readonly baseUrl: string;
  readonly room: string;
  readonly portfolioId: string;
  /** The two teammates' tokens (ours); none for the reference. */
  readonly tokens?: readonly [string, string];
  readonly intervalMs: number;
  /** Stop after this many facts, or once `durationMs` has passed, whichever comes first. */
  readonly count: number;
  readonly durationMs?: number;
}

interface Side {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
}

function open(o: ProbeOptions, token: string | undefined): Side {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(o.baseUrl, o.room, doc, {
    WebSocketPolyfill,
    disableBc: true,
    ...(token === undefined ? {} : { protocols: syncSubprotocols(token) }),
  });
  return { doc, provider };
}

function synced(side: Side, timeoutMs: number): Promise<void> {
  if (side.provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`provider did not sync within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
    side.provider.once('sync', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export async function teammateProbe(o: ProbeOptions): Promise<ProbeResult> {
  const writer = open(o, o.tokens?.[0]);
  const reader = open(o, o.tokens?.[1]);
  try {
    try {
      await Promise.all([synced(writer, 15_000), synced(reader, 15_000)]);
    } catch (e) {
      return { sent: 0, latencyMs: [], error: e instanceof Error ? e.message : String(e) };
    }
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    reader.doc.getMap(FACTS_MAP).observe((event) => {
      const now = performance.now();
      for (const key of event.keysChanged as Set<string>) {
        const t = sentAt.get(key);
        if (t !== undefined) latencies.push(now - t);
      }
    });
    const facts = writer.doc.getMap(FACTS_MAP);
    let seq = 0;
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (seq >= o.count || (o.durationMs !== undefined && performance.now() - started >= o.durationMs)) {
          clearInterval(timer);
          resolve();
          return;
        }
        const { id, fact } = benchFact({ portfolioId: o.portfolioId, by: 'u-probe-a', deviceId: 'bench-probe-a', seq: seq++, sender: 9_999, now: Date.now() });
        sentAt.set(id, performance.now());
        // The provider sends the doc's update synchronously from this set.
        facts.set(id, fact);
      }, o.intervalMs);
    });
    const deadline = performance.now() + 3000;
    while (latencies.length < seq && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return { sent: seq, latencyMs: latencies };
  } finally {
    for (const side of [writer, reader]) {
      side.provider.destroy();
      side.doc.destroy();
    }
  }
}
