/**
 * Bad input, all at once (issue 4): relay-abuse.test.ts and relay.test.ts check each refusal alone;
 * here every kind runs concurrently — text frames, truncated and garbage updates, an unknown message
 * type, oversized frames, floods, unknown and archived rooms, another team's portfolio, missing,
 * expired and forged tokens, and a viewer writing into the honest room — while two honest collectors
 * keep writing in that room. The relay stays up, the honest room converges with exactly the honest
 * facts and is never interrupted, and each refusal is counted once, under its reason, in /metrics.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fact } from '../../src/domain/facts';
import { CLOSE } from '../../src/protocol/close-codes';
import { FACTS_MAP } from '../../src/protocol/rooms';
import { encodeSyncUpdate } from '../../sync-server/relay/messages';
import { Prng } from '../../sync-server/demo/prng';
import { ulidOf } from '../../src/domain/ulid';
import { randomFact } from '../helpers/random-facts';
import { connectProvider, connectRaw, eventually, metric, type TestProvider } from '../helpers/relay-clients';
import { startTestServer, type TestServer } from '../helpers/server';

const NOW = Date.parse('2026-11-24T12:00:00.000Z');
const HONEST = 'acme.facts.2026-11';
const ABUSED = 'acme.facts.2026-10';
const MAX_PAYLOAD = 64 * 1024;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An abuse: what it sends (nothing: refused at the door), the close code it must get, the reason counted. */
interface Abuse {
  readonly name: string;
  readonly room: string;
  readonly token: string | undefined;
  readonly frames: readonly (Uint8Array | string)[];
  readonly code: number;
  readonly reason: string;
}

function badFrames(): { truncated: Uint8Array; garbage: Uint8Array; unknownType: Uint8Array; cutShort: Uint8Array } {
  const doc = new Y.Doc();
  doc.getMap(FACTS_MAP).set('x', { big: 'y'.repeat(300) });
  const update = Y.encodeStateAsUpdate(doc);
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update.slice(0, update.length - 60));
  return {
    truncated: encoding.toUint8Array(e),
    garbage: encodeSyncUpdate(Uint8Array.from({ length: 96 }, (_, i) => (i * 53 + 7) % 256)),
    unknownType: Uint8Array.of(9, 1, 2),
    cutShort: encodeSyncUpdate(update).slice(0, 25),
  };
}

async function abuse(s: TestServer, a: Abuse): Promise<number> {
  const raw = connectRaw(s.url, a.room, a.token);
  if (a.frames.length > 0) {
    await raw.opened;
    for (const f of a.frames) raw.ws.send(f);
  }
  return (await raw.closed).code;
}

describe('relay: bad input from many connections at once', () => {
  it('refuses and counts every kind of abuse, concurrently, while two collectors in another room keep converging', async () => {
    const s = await startTestServer({
      relay: { now: () => NOW, maxPayload: MAX_PAYLOAD, rateLimits: { messagesPerSecond: 100, messageBurst: 300, bytesPerSecond: 1 << 20, byteBurst: 4 << 20 } },
    });
    cleanup.push(() => s.stop());
    s.store.ensurePortfolio({ id: 'acme', name: 'Acme' });
    s.store.ensurePortfolio({ id: 'other', name: 'Other' });
    const abuser = await s.tokenFor('collector', ['acme']);
    const admin = await s.tokenFor('admin');
    const user = s.users.user('t-collector-1');
    if (user === undefined) throw new Error('no abuser user');
    const expired = (await s.tokens.issue({ id: user.id, name: user.name, role: user.role, portfolios: ['acme'] }, -60)).token;
    const forged = `${abuser.slice(0, -4)}AAAA`;

    const provider = (token: string) => {
      const p = connectProvider(s.url, HONEST, token);
      cleanup.push(() => p.destroy());
      return p;
    };
    const ana = provider(await s.tokenFor('collector', ['acme']));
    const ben = provider(await s.tokenFor('collector', ['acme']));
    const viewer = provider(await s.tokenFor('viewer', ['acme']));
    await eventually(() => {
      for (const p of [ana, ben, viewer]) expect(p.provider.synced).toBe(true);
    });

    const f = badFrames();
    const flood = Array.from({ length: 1000 }, () => Uint8Array.of(3));
    const kinds: Abuse[] = [
      { name: 'text frame', room: ABUSED, token: abuser, frames: ['hello'], code: CLOSE.protocolError, reason: 'text_frame' },
      { name: 'truncated update', room: ABUSED, token: abuser, frames: [f.truncated], code: CLOSE.protocolError, reason: 'malformed' },
      { name: 'garbage update', room: ABUSED, token: abuser, frames: [f.garbage], code: CLOSE.protocolError, reason: 'malformed' },
      { name: 'unknown message type', room: ABUSED, token: abuser, frames: [f.unknownType], code: CLOSE.protocolError, reason: 'malformed' },
      { name: 'frame cut short', room: ABUSED, token: abuser, frames: [f.cutShort], code: CLOSE.protocolError, reason: 'malformed' },
      { name: 'oversized frame', room: ABUSED, token: abuser, frames: [new Uint8Array(MAX_PAYLOAD + 1024)], code: 1009, reason: 'oversized' },
      { name: 'flood', room: ABUSED, token: abuser, frames: flood, code: CLOSE.rateLimited, reason: 'rate_limited' },
      { name: 'not a room', room: 'acme.whatever', token: abuser, frames: [], code: CLOSE.notFound, reason: 'unknown_room' },
      { name: 'unknown portfolio', room: 'nowhere.config', token: admin, frames: [], code: CLOSE.notFound, reason: 'unknown_room' },
      { name: 'archived month', room: 'acme.facts.2026-08', token: abuser, frames: [], code: CLOSE.notFound, reason: 'unknown_room' },
      { name: 'another team’s portfolio', room: 'other.facts.2026-11', token: abuser, frames: [], code: CLOSE.forbidden, reason: 'forbidden' },
      { name: 'no token', room: HONEST, token: undefined, frames: [], code: CLOSE.unauthorized, reason: 'unauthorized' },
      { name: 'expired token', room: HONEST, token: expired, frames: [], code: CLOSE.unauthorized, reason: 'unauthorized' },
      { name: 'forged token', room: HONEST, token: forged, frames: [], code: CLOSE.unauthorized, reason: 'unauthorized' },
    ];
    // Each kind three times over, every connection at once.
    const attacks = [...kinds, ...kinds, ...kinds];

    const rng = new Prng(4);
    const honest: Fact[] = [];
    const dropped: Fact[] = [];
    let serial = 0;
    const write = (p: TestProvider, by: string, into: Fact[]) => {
      const atMs = NOW - rng.int(86_400_000);
      const fact = randomFact(rng, { id: ulidOf(atMs, ++serial), at: new Date(atMs).toISOString(), portfolioId: 'acme', by, deviceId: `dev-${by}` });
      p.doc.getMap(FACTS_MAP).set(fact.id, fact);
      into.push(fact);
    };
    let attacking = true;
    const writers = (async () => {
      // The collectors work through the attack, and the viewer tries to write five times.
      for (let i = 0; attacking || i < 40; i++) {
        write(i % 2 === 0 ? ana : ben, i % 2 === 0 ? 'ana' : 'ben', honest);
        if (i % 8 === 3 && dropped.length < 5) write(viewer, 'viewer', dropped);
        await turn();
        if (i > 2_000) break;
      }
    })();
    const codes = await Promise.all(attacks.map((a) => abuse(s, a)));
    attacking = false;
    const writtenDuringAttack = honest.length;
    await writers;

    expect(codes).toEqual(attacks.map((a) => a.code));
    // The collectors wrote while the attack went on (a connection takes several turns of the loop).
    expect(writtenDuringAttack).toBeGreaterThan(3);
    expect(dropped).toHaveLength(5);
    const expected = new Map<string, number>([['read_only', dropped.length]]);
    for (const a of attacks) expected.set(a.reason, (expected.get(a.reason) ?? 0) + 1);
    await eventually(async () => {
      for (const [reason, n] of expected) expect(await metric(s.url, 'dunwell_relay_refused_total', { reason }), reason).toBe(n);
    });
    expect(await metric(s.url, 'dunwell_relay_refused_total', { reason: 'slow_consumer' })).toBe(0);

    // The honest room: never interrupted, converged on exactly the collectors' facts, and persisted.
    const want = Object.fromEntries(honest.map((h) => [h.id, h]));
    await eventually(() => {
      expect(ana.doc.getMap(FACTS_MAP).toJSON()).toEqual(want);
      expect(ben.doc.getMap(FACTS_MAP).toJSON()).toEqual(want);
    });
    for (const p of [ana, ben, viewer]) expect(p.closes).toEqual([]);
    const stored = new Y.Doc();
    for (const u of s.relay.rooms.loadNow(HONEST).updates) Y.applyUpdate(stored, u);
    expect(stored.getMap(FACTS_MAP).toJSON()).toEqual(want);
    expect(s.relay.quarantine.list('acme')).toEqual([]);
    // The viewer still reads: it holds every honest fact next to its own dropped ones.
    await eventually(() => {
      for (const h of honest) expect(viewer.doc.getMap(FACTS_MAP).get(h.id)).toEqual(h);
    });

    // The relay is up: healthy, and a newcomer syncs the honest room.
    expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
    const late = provider(await s.tokenFor('collector', ['acme']));
    await eventually(() => {
      expect(late.doc.getMap(FACTS_MAP).toJSON()).toEqual(want);
    });
  });
});
