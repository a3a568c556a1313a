/**
 * Pending changes by state vectors, without a network: a "relay" here is a second Y.Doc whose state
 * vector plays the relay's sync step 1.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { covers, pendingOf } from '../../src/sync/pending-changes';

const fact = (id: string, at: string) => ({ id, at });

describe('pending changes', () => {
  it('counts every record the relay vector does not cover, with the oldest instant', () => {
    const device = new Y.Doc();
    const relay = new Y.Doc();
    const facts = device.getMap('facts');
    facts.set('A', fact('A', '2026-11-20T10:00:00.000Z'));
    facts.set('B', fact('B', '2026-11-19T10:00:00.000Z'));
    // Before the relay ever answered: everything is pending.
    expect(pendingOf(device, null)).toEqual({ count: 2, oldestAt: '2026-11-19T10:00:00.000Z' });
    Y.applyUpdate(relay, Y.encodeStateAsUpdate(device));
    expect(pendingOf(device, Y.encodeStateVector(relay))).toEqual({ count: 0, oldestAt: null });
    facts.set('C', fact('C', '2026-11-21T10:00:00.000Z'));
    expect(pendingOf(device, Y.encodeStateVector(relay))).toEqual({ count: 1, oldestAt: '2026-11-21T10:00:00.000Z' });
  });

  it('does not count a teammate\'s records the device got from the relay', () => {
    const device = new Y.Doc();
    const teammate = new Y.Doc();
    teammate.getMap('facts').set('T', fact('T', '2026-11-20T10:00:00.000Z'));
    const update = Y.encodeStateAsUpdate(teammate);
    Y.applyUpdate(device, update);
    // The relay held the update it sent: its vector is at least the update's.
    expect(covers(Y.encodeStateVectorFromUpdate(update), Y.encodeStateVector(device))).toBe(true);
    expect(pendingOf(device, Y.encodeStateVectorFromUpdate(update)).count).toBe(0);
  });

  it('counts configuration records too (no instant on them)', () => {
    const device = new Y.Doc();
    device.getMap('settings').set('aging', { basis: 'due' });
    expect(pendingOf(device, Y.encodeStateVector(new Y.Doc()))).toEqual({ count: 1, oldestAt: null });
  });
});
