/**
 * Fan-out between relay nodes. One node (the embedded default) holds every room, so its bus is a no-op:
 * a room fans out to its own connections. When rooms are spread over nodes (DESIGN.md §3), a bus on a
 * shared engine (Redis pub/sub, PostgreSQL LISTEN/NOTIFY) carries each persisted update to the other
 * nodes holding the same room, which apply it and fan it out to their connections.
 */
export interface RoomBus {
  /** An update this node accepted and persisted. */
  publish(room: string, update: Uint8Array): void;
  /** Updates other nodes accepted for `room`; returns the unsubscribe. */
  subscribe(room: string, onUpdate: (update: Uint8Array) => void): () => void;
}

export const localBus: RoomBus = {
  publish() {
    // One node: nobody else to tell.
  },
  subscribe() {
    return () => undefined;
  },
};
