/**
 * The fact codec: every record read from a fact doc is parsed with factSchema; a record that fails is
 * quarantined to Dexie and counted, and the device keeps working with the rest.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeFact } from '../../src/sync/fact-codec';
import { roomName, livePeriods } from '../../src/protocol/rooms';
import type { Transport } from '../../src/sync/transport';
import { activity, openDevice } from '../helpers/sync-device';

const P = 'acme';
const offline: Transport = {
  connect() {
    throw new Error('these tests never connect');
  },
};

describe('fact codec', () => {
  it('accepts a valid fact and names what is wrong with a bad one', () => {
    const f = activity(P, 'C1', 'ana');
    const where = { room: 'acme.facts.2026-11', portfolioId: P, at: '2026-11-24T10:00:00.000Z' };
    expect(decodeFact(f.id, f, where)).toEqual({ ok: true, fact: f });
    const bad = decodeFact(f.id, { ...f, channel: 'pigeon' }, where);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.record.issues.join()).toMatch(/channel/);
    const moved = decodeFact('01OTHERKEY0000000000000000', f, where);
    expect(!moved.ok && moved.record.issues.join()).toMatch(/stored under/);
    const foreign = decodeFact(f.id, { ...f, portfolioId: 'other' }, where);
    expect(!foreign.ok && foreign.record.issues.join()).toMatch(/portfolioId/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(decodeFact('k', cyclic, where).ok).toBe(false);
  });

  it('quarantines invalid records found in a stored doc, counts them once, and loads the rest', async () => {
    const period = livePeriods(new Date().toISOString())[0] ?? '';
    const room = roomName({ kind: 'facts', portfolioId: P, period });
    const source = new Y.Doc();
    const good = [activity(P, 'C1', 'ana'), activity(P, 'C2', 'bo')];
    source.transact(() => {
      const facts = source.getMap('facts');
      for (const f of good) facts.set(f.id, f);
      facts.set('not-a-ulid', { v: 1, hello: 'world' });
      facts.set(good[0]?.id.replace(/.$/, 'Z') ?? 'x', { ...good[0], v: 2 });
      const nested = new Y.Map();
      facts.set('nested', nested);
      nested.set('v', 1);
    });
    const device = await openDevice('codec', P, 'http://unused', { transport: offline });
    await device.storage.updates.append(room, [Y.encodeStateAsUpdate(source)]);
    const docs = await device.reload();
    expect(docs.facts().map((f) => f.id).sort()).toEqual(good.map((f) => f.id).sort());
    expect(docs.quarantined()).toBe(3);
    await docs.flush();
    const stored = await device.storage.quarantine.list(P);
    expect(stored.map((r) => r.key).sort()).toEqual(['nested', 'not-a-ulid', good[0]?.id.replace(/.$/, 'Z')].sort());
    expect(stored.find((r) => r.key === 'nested')?.raw).toBe('{"v":1}');
    // Read again on the next start: still three records, not six.
    await device.reload();
    await device.docs.flush();
    expect(await device.storage.quarantine.count(P)).toBe(3);
    await device.close();
  });

  it('writes facts into the doc of their month, persisted before the write resolves', async () => {
    const device = await openDevice('writer', P, 'http://unused', { transport: offline });
    const f = activity(P, 'C1', 'ana');
    const seen: string[] = [];
    device.docs.onFacts((added) => seen.push(...added.map((x) => x.id)));
    await device.docs.writeFacts([f]);
    expect(seen).toEqual([f.id]);
    const room = roomName({ kind: 'facts', portfolioId: P, period: f.at.slice(0, 7) });
    expect(await device.storage.updates.count(room)).toBe(1);
    const again = await device.reload();
    expect(again.facts().map((x) => x.id)).toEqual([f.id]);
    expect(again.status().find((s) => s.room === room)?.pendingChanges).toBe(1);
    await device.close();
  });
});
