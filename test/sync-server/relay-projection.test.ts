import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../src/domain/calendar';
import type { Fact } from '../../src/domain/facts';
import { FACTS_MAP, livePeriods, periodOf } from '../../src/protocol/rooms';
import { ledgerDbPath } from '../../sync-server/config';
import { seedDemo } from '../../sync-server/demo/seed';
import { CATCH_UP_SENDER } from '../../sync-server/relay/projector';
import { fact } from '../helpers/facts';
import { eventually, metric, RelayTestKit, synced } from '../helpers/relay-clients';
import { startTestServer, type TestServer } from '../helpers/server';

const NOW = Date.parse('2026-11-24T12:00:00.000Z');
const NOW_ISO = new Date(NOW).toISOString();
const ROOM = 'acme.facts.2026-11';
const AS_OF = '2026-11-24' as CalendarDate;

const kit = new RelayTestKit();
afterEach(() => kit.teardown());

async function server(): Promise<TestServer> {
  const s = await startTestServer({ relay: { now: () => NOW } });
  s.store.ensurePortfolio({ id: 'acme', name: 'Acme' });
  s.store.ensurePortfolio({ id: 'other', name: 'Other' });
  kit.add(() => s.stop());
  return s;
}


function receivedBy(s: TestServer, id: string) {
  const db = new Database(ledgerDbPath(s.dataDir), { readonly: true });
  try {
    return db.prepare<[string], { received_by: string | null; received_at: string }>('SELECT received_by, received_at FROM facts WHERE id = ?').get(id);
  } finally {
    db.close();
  }
}

describe('relay: projection of facts', () => {
  it('projects a new fact once, with the server’s receipt time and the sender, whichever doc carries it', async () => {
    const s = await server();
    const token = await s.tokenFor('collector', ['acme']);
    const a = kit.provider(s, ROOM, token);
    await synced(a);
    const f = fact('promise', {
      portfolioId: 'acme',
      currency: 'USD' as never,
      instalments: [{ dueDate: '2026-12-01' as never, amount: 12_000 as never }],
      graceDays: 3,
      documentNumbers: ['INV-1'],
      at: '2026-11-24T11:59:00.000Z',
    });
    a.doc.getMap(FACTS_MAP).set(f.id, f);
    await eventually(() => {
      expect(s.facts.list('acme').map((x) => x.id)).toEqual([f.id]);
    });
    expect(receivedBy(s, f.id)).toEqual({ received_by: 't-collector-1', received_at: NOW_ISO });
    // The same fact again, in another live month's doc: the store keeps one, and counts one.
    const b = kit.provider(s, 'acme.facts.2026-10', token);
    await synced(b);
    b.doc.getMap(FACTS_MAP).set(f.id, f);
    await eventually(() => {
      expect(s.relay.rooms.loadNow('acme.facts.2026-10').entries).toBe(1);
    });
    // Its projection follows the fan-out: wait for it, then see it added nothing.
    await s.relay.relay.persisted();
    expect(s.facts.count('acme')).toBe(1);
    expect(await metric(s.url, 'dunwell_relay_facts_projected_total')).toBe(1);
  });

  it('quarantines invalid entries with the reason, counts them, and carries on', async () => {
    const s = await server();
    const a = kit.provider(s, ROOM, await s.tokenFor('collector', ['acme']));
    await synced(a);
    const good = fact('activity', { channel: 'call', outcome: 'no-answer', documentNumbers: [], at: '2026-11-24T10:00:00.000Z' });
    const otherPortfolio = fact('activity', { channel: 'call', outcome: 'no-answer', documentNumbers: [], portfolioId: 'other', at: '2026-11-24T10:01:00.000Z' });
    const wrongKey = fact('activity', { channel: 'email', outcome: 'sent', documentNumbers: [], at: '2026-11-24T10:02:00.000Z' });
    const map = a.doc.getMap(FACTS_MAP);
    a.doc.transact(() => {
      map.set(good.id, good);
      map.set('01JZZZZZZZZZZZZZZZZZZZZZZZ', { v: 1, type: 'activity', note: 'no ids, no channel' });
      map.set(otherPortfolio.id, otherPortfolio);
      map.set('01JYYYYYYYYYYYYYYYYYYYYYYY', wrongKey);
    });
    await eventually(() => {
      expect(s.relay.quarantine.list('acme')).toHaveLength(3);
    });
    expect(s.relay.quarantine.list('acme').map((q) => q.reason).sort()).toEqual(['id_mismatch', 'invalid', 'wrong_portfolio']);
    expect(s.relay.quarantine.list('acme')[0]).toMatchObject({ room: ROOM, receivedBy: 't-collector-1', receivedAt: NOW_ISO });
    expect(s.facts.list('acme').map((x) => x.id)).toEqual([good.id]);
    expect(s.facts.count('other')).toBe(0);
    expect(await metric(s.url, 'dunwell_relay_facts_quarantined_total', { reason: 'invalid' })).toBe(1);
    expect(await metric(s.url, 'dunwell_relay_facts_quarantined_total', { reason: 'wrong_portfolio' })).toBe(1);
    // Facts are immutable: a second value under a held key is refused, the first one stays.
    map.set(good.id, { ...good, outcome: 'refused' });
    await eventually(() => {
      expect(s.relay.quarantine.list('acme').map((q) => q.reason)).toContain('overwritten');
    });
    expect(s.facts.list('acme')[0]).toEqual(good);
    // A nested Yjs type is not a fact: it is quarantined as not JSON, with no body.
    const nestedKey = '01JXXXXXXXXXXXXXXXXXXXXXXX';
    map.set(nestedKey, new Y.Map());
    await eventually(() => {
      expect(s.relay.quarantine.list('acme').find((q) => q.key === nestedKey)).toMatchObject({ reason: 'not_json', body: null, receivedBy: 't-collector-1' });
    });
    expect(await metric(s.url, 'dunwell_relay_facts_quarantined_total', { reason: 'not_json' })).toBe(1);
    // And the projection goes on for the facts after it.
    const after = fact('activity', { channel: 'call', outcome: 'no-answer', documentNumbers: [], at: '2026-11-24T10:03:00.000Z' });
    map.set(after.id, after);
    await eventually(() => {
      expect(s.facts.list('acme').map((x) => x.id)).toEqual([good.id, after.id]);
    });
  });

  it('does not project the config doc', async () => {
    const s = await server();
    const a = kit.provider(s, 'acme.config', await s.tokenFor('manager', ['acme']));
    await synced(a);
    a.doc.getMap('settings').set('quietHours', { from: '21:00', to: '08:00' });
    await eventually(() => {
      expect(s.relay.rooms.loadNow('acme.config').entries).toBe(1);
    });
    await s.relay.relay.persisted();
    expect(s.facts.count('acme')).toBe(0);
    expect(await metric(s.url, 'dunwell_relay_facts_quarantined_total', { reason: 'invalid' })).toBe(0);
  });

  it('catches up on load: facts persisted in a room but never projected (a crash between the two) reach the fact store', async () => {
    const s = await server();
    const lost = fact('activity', { channel: 'visit', outcome: 'right-party-contact', documentNumbers: [], portfolioId: 'acme', at: '2026-11-24T09:00:00.000Z' });
    const refused = fact('activity', { channel: 'call', outcome: 'no-answer', documentNumbers: [], portfolioId: 'other', at: '2026-11-24T09:01:00.000Z' });
    // As if the process died after the append and before its projection was written: in the log only.
    const doc = new Y.Doc();
    doc.getMap(FACTS_MAP).set(lost.id, lost);
    doc.getMap(FACTS_MAP).set(refused.id, refused);
    s.relay.rooms.appendNow(ROOM, Y.encodeStateAsUpdate(doc));
    s.relay.quarantine.add([{ portfolioId: 'acme', room: ROOM, key: refused.id, reason: 'wrong_portfolio', detail: 'seen before', body: JSON.stringify(refused), receivedAt: NOW_ISO, receivedBy: 'u-x' }]);
    expect(s.facts.count('acme')).toBe(0);
    const a = kit.provider(s, ROOM, await s.tokenFor('collector', ['acme']));
    await synced(a);
    await eventually(() => {
      expect(s.facts.list('acme').map((x) => x.id)).toEqual([lost.id]);
    });
    expect(receivedBy(s, lost.id)).toEqual({ received_by: CATCH_UP_SENDER, received_at: NOW_ISO });
    // Already quarantined: not refused a second time.
    expect(s.relay.quarantine.list('acme').map((q) => q.key)).toEqual([refused.id]);
  });

  it('a projection that fails is counted and leaves the fan-out alone; the room’s next load projects the fact', async () => {
    const s = await server();
    // The fact store refuses every insert for a while (a real SQLite failure in the writer's transaction).
    const db = new Database(ledgerDbPath(s.dataDir));
    db.exec("CREATE TRIGGER refuse_facts BEFORE INSERT ON facts BEGIN SELECT RAISE(ABORT, 'the disk is unwell'); END");
    const token = await s.tokenFor('collector', ['acme']);
    const a = kit.provider(s, ROOM, token);
    const b = kit.provider(s, ROOM, token);
    await Promise.all([synced(a), synced(b)]);
    const f = fact('activity', { channel: 'call', outcome: 'promise', documentNumbers: [], portfolioId: 'acme', at: '2026-11-24T11:00:00.000Z' });
    a.doc.getMap(FACTS_MAP).set(f.id, f);
    await eventually(() => {
      expect(b.doc.getMap(FACTS_MAP).has(f.id)).toBe(true);
    });
    await s.relay.relay.persisted();
    expect(await metric(s.url, 'dunwell_relay_projection_failures_total')).toBe(1);
    expect(s.facts.count('acme')).toBe(0);
    expect(s.relay.rooms.loadNow(ROOM).entries).toBe(1);
    db.exec('DROP TRIGGER refuse_facts');
    db.close();
    a.destroy();
    b.destroy();
    await eventually(() => {
      expect(s.relay.relay.stats().connections).toBe(0);
    });
    expect(s.relay.relay.unloadIdleRooms(0)).toBe(1);
    await synced(kit.provider(s, ROOM, token));
    await eventually(() => {
      expect(s.facts.list('acme').map((x) => x.id)).toEqual([f.id]);
    });
    expect(receivedBy(s, f.id)?.received_by).toBe(CATCH_UP_SENDER);
  });
});

describe('relay: demo seeding and the archive', () => {
  async function seeded() {
    const s = await server();
    const summary = seedDemo(s.store, s.facts, { portfolioId: 'demo', accounts: 40, seed: 3, asOf: AS_OF, now: NOW_ISO, rooms: s.relay.rooms });
    return { s, summary };
  }

  it('puts the demo’s live-month facts into their rooms, so a device that connects receives them', async () => {
    const { s, summary } = await seeded();
    const all = s.facts.list('demo');
    const live = new Set(livePeriods(NOW_ISO));
    const inLive = all.filter((f) => live.has(periodOf(f.at)));
    expect(inLive.length).toBeGreaterThan(0);
    expect(inLive.length).toBeLessThan(all.length);
    expect(summary.roomFacts).toBe(inLive.length);
    const token = await s.tokenFor('collector', ['demo']);
    const received: string[] = [];
    for (const period of live) {
      const p = kit.provider(s, `demo.facts.${period}`, token);
      await synced(p);
      received.push(...p.doc.getMap(FACTS_MAP).keys());
    }
    expect(received.sort()).toEqual(inLive.map((f) => f.id).sort());
    // Seeding again adds nothing to the rooms.
    const entries = [...live].map((p) => s.relay.rooms.loadNow(`demo.facts.${p}`).entries);
    expect(seedDemo(s.store, s.facts, { portfolioId: 'demo', accounts: 40, seed: 3, asOf: AS_OF, now: NOW_ISO, rooms: s.relay.rooms }).roomFacts).toBe(0);
    expect([...live].map((p) => s.relay.rooms.loadNow(`demo.facts.${p}`).entries)).toEqual(entries);
  });

  it('serves an archived month over HTTP to a token that opens the portfolio', async () => {
    const { s } = await seeded();
    const archived = s.facts.list('demo').filter((f) => periodOf(f.at) === '2026-08');
    expect(archived.length).toBeGreaterThan(0);
    const token = await s.tokenFor('viewer', ['demo']);
    const res = await s.api('/api/portfolios/demo/facts/archive/2026-08', token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { portfolioId: string; period: string; facts: Fact[] };
    expect(body.period).toBe('2026-08');
    expect(body.facts.map((f) => f.id)).toEqual(archived.map((f) => f.id));
    expect((await s.api('/api/portfolios/demo/facts/archive/2026-08', undefined)).status).toBe(401);
    expect((await s.api('/api/portfolios/demo/facts/archive/2026-08', await s.tokenFor('collector', ['acme']))).status).toBe(403);
    expect((await s.api('/api/portfolios/demo/facts/archive/2026-11', token)).status).toBe(409);
    expect((await s.api('/api/portfolios/demo/facts/archive/2027-01', token)).status).toBe(404);
    expect((await s.api('/api/portfolios/demo/facts/archive/august', token)).status).toBe(400);
  });
});
