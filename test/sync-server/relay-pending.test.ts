/**
 * Structs the relay holds pending (their dependencies have not arrived yet), found by the convergence
 * fuzz (seed 100560): when a later update completes them, the change the room applies holds more than
 * its sender sent, so the sender must receive it too. The relay used to fan a change out to everyone
 * but its sender, who then lacked the completed structs until it reconnected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FACTS_MAP } from '../../src/protocol/rooms';
import { encodeSyncUpdate } from '../../sync-server/relay/messages';
import { fact } from '../helpers/facts';
import { connectProvider, connectRaw, eventually } from '../helpers/relay-clients';
import { startTestServer } from '../helpers/server';

const NOW = Date.parse('2026-11-24T12:00:00.000Z');
const ROOM = 'acme.facts.2026-11';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('relay: structs held pending', () => {
  it('sends what an update completed to every peer, its sender included', async () => {
    const s = await startTestServer({ relay: { now: () => NOW } });
    cleanup.push(() => s.stop());
    s.store.ensurePortfolio({ id: 'acme', name: 'Acme' });

    // A device that was offline wrote two facts: two updates, the second depending on the first.
    const device = new Y.Doc();
    const updates: Uint8Array[] = [];
    device.on('update', (u: Uint8Array) => updates.push(u));
    const first = fact('activity', { channel: 'call', outcome: 'no-answer', documentNumbers: [], at: '2026-11-20T09:00:00.000Z' });
    const second = fact('activity', { channel: 'visit', outcome: 'right-party-contact', documentNumbers: [], at: '2026-11-20T10:00:00.000Z' });
    device.getMap(FACTS_MAP).set(first.id, first);
    device.getMap(FACTS_MAP).set(second.id, second);
    const [u1, u2] = updates;
    if (u1 === undefined || u2 === undefined) throw new Error('expected two updates');

    // A teammate is online (and synced before anything below reaches the relay).
    const teammate = connectProvider(s.url, ROOM, await s.tokenFor('collector', ['acme']));
    cleanup.push(() => teammate.destroy());
    await eventually(() => {
      expect(teammate.provider.synced).toBe(true);
    });

    // The second reaches the relay first (late and out of order): it can only hold it pending, and
    // has nothing to fan out.
    const courier = connectRaw(s.url, ROOM, await s.tokenFor('collector', ['acme']));
    await courier.opened;
    courier.ws.send(encodeSyncUpdate(u2));
    courier.ws.close();
    await courier.closed;
    const room = s.relay.relay.room(ROOM);
    expect(room?.doc.store.pendingStructs).not.toBeNull();

    // The teammate gets the first update from the device directly and passes it on to the relay.
    Y.applyUpdate(teammate.doc, u1, 'peer');
    expect(teammate.doc.getMap(FACTS_MAP).has(second.id)).toBe(false);

    // The relay now holds both; the teammate, who sent only the first, receives the second.
    await eventually(() => {
      expect(room?.doc.getMap(FACTS_MAP).toJSON()).toEqual({ [first.id]: first, [second.id]: second });
      expect(teammate.doc.getMap(FACTS_MAP).get(second.id)).toEqual(second);
    });
    expect(room?.doc.store.pendingStructs).toBeNull();
  });
});
