/**
 * Puts facts made outside the relay (the demo's history) into the facts rooms, so a device that
 * connects receives them like any teammate's work. Facts of a live month go into that month's room as
 * one appended update per room; older facts stay out of the rooms (they are the archive, served from
 * the fact store over HTTP). Idempotent: the room's persisted state is loaded first and only facts it
 * lacks are added, so seeding twice appends nothing the second time.
 */
import * as Y from 'yjs';
import type { Fact } from '../../src/domain/facts';
import { DOC_LAYOUT_VERSION, FACTS_MAP, META_MAP, isLivePeriod, periodOf, roomName } from '../../src/protocol/rooms';

/** Where seeded updates go: the relay's room log (SqliteRoomLog) or anything with the same two calls. */
export interface RoomSeedTarget {
  loadNow(room: string): { readonly updates: readonly Uint8Array[] };
  appendNow(room: string, update: Uint8Array): unknown;
}

export interface RoomSeedSummary {
  /** Facts added to live rooms (0 when seeding again). */
  readonly added: number;
  /** Facts left to the archive because their month is no longer live. */
  readonly archived: number;
  readonly rooms: readonly string[];
}

export function seedFactRooms(target: RoomSeedTarget, portfolioId: string, facts: readonly Fact[], now: string): RoomSeedSummary {
  const byPeriod = new Map<string, Fact[]>();
  let archived = 0;
  for (const f of facts) {
    const period = periodOf(f.at);
    if (!isLivePeriod(period, now)) {
      archived++;
      continue;
    }
    let list = byPeriod.get(period);
    if (list === undefined) byPeriod.set(period, (list = []));
    list.push(f);
  }
  let added = 0;
  const rooms: string[] = [];
  for (const [period, list] of [...byPeriod].sort(([a], [b]) => a.localeCompare(b))) {
    const room = roomName({ kind: 'facts', portfolioId, period });
    const doc = new Y.Doc();
    for (const u of target.loadNow(room).updates) Y.applyUpdate(doc, u);
    const before = Y.encodeStateVector(doc);
    const map = doc.getMap(FACTS_MAP);
    let n = 0;
    doc.transact(() => {
      const meta = doc.getMap(META_MAP);
      if (!meta.has('layout')) meta.set('layout', DOC_LAYOUT_VERSION);
      for (const f of list) {
        if (map.has(f.id)) continue;
        // Plain JSON, as a device writes it (no undefined members).
        map.set(f.id, JSON.parse(JSON.stringify(f)) as unknown);
        n++;
      }
    });
    if (n > 0) target.appendNow(room, Y.encodeStateAsUpdate(doc, before));
    doc.destroy();
    added += n;
    rooms.push(room);
  }
  return { added, archived, rooms };
}
