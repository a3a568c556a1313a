/**
 * Pending changes by state vectors (DESIGN.md §8): what this device holds that the relay's last state
 * vector does not cover. `provider.synced` only says "I received the server's state", not "my edits
 * reached it", so the indicator is computed here.
 *
 * How it works. If the relay's vector covers the doc's own (every client's clock at least as far), there
 * is nothing pending. Otherwise the doc encodes what the relay lacks (encodeStateAsUpdate against its
 * vector) and the update is decoded: each map entry set (an Item with a `parentSub`) is one pending record
 * (a fact, a strategy, a setting), and a fact's `at` gives the oldest pending instant. Without any
 * vector from the relay yet, everything the doc holds is pending.
 */
import * as Y from 'yjs';

export interface Pending {
  readonly count: number;
  /** The oldest pending record's `at`, when the records carry one (facts do). */
  readonly oldestAt: string | null;
}

export const NOTHING_PENDING: Pending = Object.freeze({ count: 0, oldestAt: null });

/** Every client's clock in `local` is covered by `server`. */
export function covers(server: Uint8Array | null, local: Uint8Array): boolean {
  const mine = Y.decodeStateVector(local);
  if (mine.size === 0) return true;
  if (server === null) return false;
  const theirs = Y.decodeStateVector(server);
  for (const [client, clock] of mine) if ((theirs.get(client) ?? 0) < clock) return false;
  return true;
}

function atOf(content: Y.Item['content']): string | null {
  if (!(content instanceof Y.ContentAny)) return null;
  const v: unknown = content.getContent()[0];
  if (typeof v !== 'object' || v === null || !('at' in v)) return null;
  const at = v.at;
  return typeof at === 'string' ? at : null;
}

export function pendingOf(doc: Y.Doc, serverStateVector: Uint8Array | null): Pending {
  if (covers(serverStateVector, Y.encodeStateVector(doc))) return NOTHING_PENDING;
  const diff = serverStateVector === null ? Y.encodeStateAsUpdate(doc) : Y.encodeStateAsUpdate(doc, serverStateVector);
  let count = 0;
  let oldestAt: string | null = null;
  for (const s of Y.decodeUpdate(diff).structs) {
    if (!(s instanceof Y.Item) || s.parentSub === null) continue;
    count++;
    const at = atOf(s.content);
    if (at !== null && (oldestAt === null || at < oldestAt)) oldestAt = at;
  }
  return { count, oldestAt };
}
