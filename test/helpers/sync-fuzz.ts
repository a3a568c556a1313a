/**
 * Convergence fuzzing of the relay with stock clients (DESIGN.md §7; modelled on tldraw's syncFuzz and
 * Yjs's applyRandomTests).
 *
 * How it works: a seed makes a schedule (`makeSchedule`, fuzz-schedule.ts): 5–6 replicas on one or two
 * facts rooms of a fresh portfolio, and a list of operations drawn from a weighted table — write facts,
 * write the same key from two replicas at once (identical values, as a device re-writing a fact does, or
 * different ones), take a replica offline or back, reload it, let two replicas exchange updates directly
 * (off the relay, as two devices could), hand a replica's own updates to a courier that delivers them
 * late, shuffled and partly dropped (to another replica or straight to the relay over a raw socket, so
 * both hold structs whose dependencies have not arrived), let event-loop turns pass so messages
 * interleave, wait until the online replicas are in step with the relay, unload idle rooms, and restart
 * the relay from its SQLite. The schedule is data, so a failing seed prints what it did; the fact
 * contents come from a second stream of the same seed. Timing is the network's, so a seed replays the
 * same operations, not the same interleaving: a failure is rerun by seed, and a seed that once failed
 * stays pinned.
 *
 * At the end every replica comes online and the run waits (polling, with a deadline) until each room's
 * state vector is the same at every replica and at the relay with nothing pending anywhere. Then the
 * facts maps must be equal at every replica, at the relay, and in the room's persisted log; every key
 * ever written must be there with one of the values written under it and nothing else; every fact must
 * be in the server's projection, and the only quarantined entries are the overwrites of the concurrent
 * same-key writes.
 */
import { isDeepStrictEqual } from 'node:util';
import * as Y from 'yjs';
import type { Fact } from '../../src/domain/facts';
import { ulidOf } from '../../src/domain/ulid';
import { FACTS_MAP } from '../../src/protocol/rooms';
import { Prng } from '../../sync-server/demo/prng';
import { encodeSyncUpdate } from '../../sync-server/relay/messages';
import type { RelayOptions } from '../../sync-server/relay/relay';
import { FuzzReplica } from './fuzz-replica';
import type { Schedule } from './fuzz-schedule';
import { randomFact } from './random-facts';
import { connectRaw } from './relay-clients';
import type { RelayHost } from './relay-host';
import type { TestServer } from './server';

/** The relay's clock: two live months (2026-10 and 2026-11) are the schedule's rooms. */
export const FUZZ_NOW = Date.parse('2026-11-24T12:00:00.000Z');
const PERIODS = [
  { period: '2026-11', from: Date.parse('2026-11-01T00:00:00.000Z'), to: FUZZ_NOW },
  { period: '2026-10', from: Date.parse('2026-10-01T00:00:00.000Z'), to: Date.parse('2026-10-31T23:59:59.000Z') },
] as const;

/** A small compaction threshold, so schedules compact logs (pending structs included) while they run. */
export const FUZZ_RELAY_OPTIONS: RelayOptions = { now: () => FUZZ_NOW, compaction: { maxUpdates: 12, maxBytes: 64 * 1024 } };

/** What a schedule went through, so a run can show it exercised what it claims to. */
export interface FuzzStats {
  facts: number;
  sameKeyWrites: number;
  restarts: number;
  /** Courier deliveries after which the relay held structs whose dependencies had not arrived. */
  relayPending: number;
  /** The same at a replica. */
  replicaPending: number;
  offRelayExchanges: number;
}

export interface ScheduleResult {
  readonly portfolioId: string;
  /** Each room's converged facts map (key → fact JSON). */
  readonly rooms: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  readonly stats: Readonly<FuzzStats>;
}

/** How to rerun one seed alone (printed with every failure). */
export function reproduceCommand(seed: number): string {
  return `FUZZ_SEED=${seed} FUZZ_SCHEDULES=1 npx vitest run test/sync-server/convergence-fuzz.test.ts`;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs one schedule on `host`'s relay, in rooms of a portfolio of its own (`tag` keeps it distinct
 * when a seed runs twice), and checks the end state. Throws with the seed, the reproduction command
 * and the operations when anything is off.
 */
export async function runSchedule(host: RelayHost, schedule: Schedule, tag: string): Promise<ScheduleResult> {
  const portfolioId = `fz-${tag}`;
  host.server.store.ensurePortfolio({ id: portfolioId, name: `Fuzz ${tag}` });
  // Rooms of earlier schedules have no connections left: unloading them compacts their logs and keeps
  // the relay's memory flat over thousands of schedules.
  host.server.relay.relay.unloadIdleRooms(0);
  const rooms = PERIODS.slice(0, schedule.rooms).map((p) => ({ ...p, name: `${portfolioId}.facts.${p.period}` }));
  const replicas: FuzzReplica[] = [];
  for (let i = 0; i < schedule.replicas; i++) {
    const token = await host.tokenFor('collector', [portfolioId]);
    replicas.push(new FuzzReplica({ index: i, userId: `fuzz-user-${i}`, rooms: rooms.map((r) => r.name), token, url: () => host.url, online: !schedule.offline.includes(i) }));
  }
  const courierToken = await host.tokenFor('collector', [portfolioId]);
  const content = Prng.stream(schedule.seed, 1);
  /** Every value ever written under each key, per room. */
  const written = rooms.map(() => new Map<string, Fact[]>());
  const sameKeys = new Set<string>();
  const stats: FuzzStats = { facts: 0, sameKeyWrites: 0, restarts: 0, relayPending: 0, replicaPending: 0, offRelayExchanges: 0 };
  let serial = 0;
  const at = (r: number) => {
    const p = rooms[r] ?? PERIODS[0];
    return content.between(p.from, p.to);
  };
  const newFact = (replica: FuzzReplica, id: string, atMs: number) =>
    randomFact(content, { id, at: new Date(atMs).toISOString(), portfolioId, by: replica.userId, deviceId: `fuzz-device-${replica.index}` });
  const record = (r: number, f: Fact) => {
    const m = written[r];
    if (m === undefined) return;
    m.set(f.id, [...(m.get(f.id) ?? []), f]);
  };
  const pick = (i: number): FuzzReplica => {
    const r = replicas[i];
    if (r === undefined) throw new Error(`no replica ${i}`);
    return r;
  };
  const roomName = (r: number) => rooms[r]?.name ?? '';
  /** The operation running (1-based), -1 for the final check: for the failure message. */
  let current = 0;
  try {
    for (const op of schedule.ops) {
      current++;
      switch (op.kind) {
        case 'write': {
          const replica = pick(op.replica);
          const facts = Array.from({ length: op.count }, () => {
            const ms = at(op.room);
            return newFact(replica, ulidOf(ms, ++serial), ms);
          });
          for (const f of facts) record(op.room, f);
          if (op.oneTransaction) replica.write(roomName(op.room), facts);
          else for (const f of facts) replica.write(roomName(op.room), [f]);
          break;
        }
        case 'same-key': {
          // Both write before either can hear of the other: a concurrent write of one key.
          const ms = at(op.room);
          const id = ulidOf(ms, ++serial);
          const first = newFact(pick(op.a), id, ms);
          const second = op.identical ? first : newFact(pick(op.b), id, ms);
          record(op.room, first);
          record(op.room, second);
          sameKeys.add(id);
          stats.sameKeyWrites++;
          pick(op.a).write(roomName(op.room), [first]);
          pick(op.b).write(roomName(op.room), [second]);
          break;
        }
        case 'disconnect':
          pick(op.replica).disconnect();
          break;
        case 'connect':
          pick(op.replica).connect();
          break;
        case 'reload':
          pick(op.replica).reload();
          break;
        case 'exchange': {
          const a = pick(op.a).doc(roomName(op.room));
          const b = pick(op.b).doc(roomName(op.room));
          Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'peer');
          Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'peer');
          stats.offRelayExchanges++;
          break;
        }
        case 'courier': {
          const to = op.to === 'relay' ? 'relay' : pick(op.to);
          await courier(host, courierToken, pick(op.from), to, roomName(op.room), op.keep, content);
          const doc = to === 'relay' ? host.server.relay.relay.room(roomName(op.room))?.doc : to.doc(roomName(op.room));
          if (doc !== undefined && hasPending(doc)) stats[to === 'relay' ? 'relayPending' : 'replicaPending']++;
          break;
        }
        case 'turns':
          for (let i = 0; i < op.n; i++) await turn();
          break;
        case 'settle':
          await settled(host, replicas, rooms.map((r) => r.name), false);
          break;
        case 'unload':
          host.server.relay.relay.unloadIdleRooms(0);
          break;
        case 'restart':
          await host.restart();
          stats.restarts++;
          break;
      }
    }
    current = -1;
    for (const r of replicas) if (!r.online) r.connect();
    await settled(host, replicas, rooms.map((r) => r.name), true);
    await quiet(host.server, courierToken, rooms[0]?.name ?? '');
    // The projection is written after the fan-out, from the SQLite writer's worker.
    await host.server.relay.relay.persisted();
    const result = verify(host, replicas, rooms.map((r) => r.name), written, sameKeys, portfolioId);
    stats.facts = result.facts;
    return { portfolioId, rooms: result.rooms, stats };
  } catch (e) {
    const where = current === -1 ? 'at the final check' : `at operation ${current} (${JSON.stringify(schedule.ops[current - 1])})`;
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(
      `convergence fuzz: seed ${schedule.seed} failed ${where}: ${message}\n  reproduce: ${reproduceCommand(schedule.seed)}\n  schedule: ${JSON.stringify({ replicas: schedule.replicas, rooms: schedule.rooms, offline: schedule.offline })}\n  ops: ${schedule.ops.map((o) => JSON.stringify(o)).join('\n       ')}`,
      { cause: e },
    );
  } finally {
    for (const r of replicas) r.destroy();
  }
}

/**
 * Delivers `from`'s recent updates late: shuffled, some dropped, to another replica or to the relay
 * over a connection of its own. The receiver may hold structs whose dependencies never came with them.
 */
async function courier(host: RelayHost, token: string, from: FuzzReplica, to: FuzzReplica | 'relay', room: string, keep: number, rng: Prng): Promise<void> {
  // A partial delivery loses the oldest update and some others, so what arrives depends on what did not.
  const updates = from.takeOutbox(room);
  const parcel = keep >= 1 ? updates : updates.slice(1).filter(() => rng.float() < keep);
  for (let i = parcel.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [parcel[i], parcel[j]] = [parcel[j] as Uint8Array, parcel[i] as Uint8Array];
  }
  if (parcel.length === 0) return;
  if (to !== 'relay') {
    for (const u of parcel) Y.applyUpdate(to.doc(room), u, 'courier');
    return;
  }
  const raw = connectRaw(host.url, room, token);
  await raw.opened;
  for (const u of parcel) raw.ws.send(encodeSyncUpdate(u));
  // The relay reads frames in order, so once it answers our close it has handled every update.
  raw.ws.close();
  await raw.closed;
}

/**
 * Once converged, the relay and the replicas must fall silent: no update may arrive at the relay while
 * a raw client makes a few round trips to it (query-awareness, answered in order). A sync exchange that
 * never ends (each side answering the other's message with one that changes nothing) shows up here
 * long before any rate limit would cut it.
 */
export async function quiet(server: TestServer, token: string, room: string): Promise<void> {
  const raw = connectRaw(server.url, room, token);
  await raw.opened;
  const roundTrip = () =>
    new Promise<void>((resolve) => {
      raw.ws.once('message', () => resolve());
      raw.ws.send(Uint8Array.of(3));
    });
  const updatesIn = async () => (await server.relay.metrics.updatesIn.get()).values[0]?.value ?? 0;
  // The last acknowledgement of the convergence and its answer may still be in flight.
  for (let i = 0; i < 4; i++) await roundTrip();
  const before = await updatesIn();
  for (let i = 0; i < 8; i++) await roundTrip();
  const after = await updatesIn();
  raw.ws.close();
  await raw.closed;
  if (after !== before) throw new Error(`the relay received ${after - before} updates after every replica had converged: a sync exchange that does not end`);
}

/** Retries `check` until it stops throwing; polls often, since a schedule waits here several times. */
async function until(check: () => void, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

const svOf = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));
const hasPending = (doc: Y.Doc) => doc.store.pendingStructs !== null || doc.store.pendingDs !== null;

/**
 * Waits until the relay and the online replicas are in step: each online replica is synced, holds
 * everything the relay holds, and the relay holds everything that replica wrote itself. `strict` (the
 * end of a schedule, every author online): each replica's state vector equals the relay's, and no doc,
 * the relay's included, holds pending structs.
 *
 * Why not equality mid-schedule: a stock WebsocketProvider forwards only updates whose transaction
 * origin is not itself. A replica holding structs that came off the relay with a gap (a courier, an
 * exchange) integrates them when the relay sends the missing part, in a transaction whose origin is the
 * provider, so it never forwards them; the relay gets them from their author (or from that replica's
 * next sync exchange). Dunwell's devices receive only from the relay, so this belongs to the fuzz's
 * off-relay channels, not to the app, and the end of a schedule is where equality must hold.
 */
export async function settled(host: RelayHost, replicas: readonly FuzzReplica[], rooms: readonly string[], strict: boolean): Promise<void> {
  await until(() => {
    for (const name of rooms) {
      const room = host.server.relay.relay.room(name);
      const online = replicas.filter((r) => r.online);
      if (online.length === 0) continue;
      if (room === undefined || !room.isReady) throw new Error(`room ${name} is not loaded at the relay`);
      if (strict && hasPending(room.doc)) throw new Error(`the relay's ${name} still holds pending structs`);
      const relaySv = svOf(room.doc);
      for (const r of online) {
        if (!r.synced) throw new Error(`replica ${r.index} is not synced: ${r.describe()}`);
        const doc = r.doc(name);
        const sv = svOf(doc);
        const mismatch = `replica ${r.index} of ${name} has state vector ${JSON.stringify([...sv])}, the relay ${JSON.stringify([...relaySv])}`;
        if (strict) {
          if (!isDeepStrictEqual(sv, relaySv)) throw new Error(mismatch);
          if (hasPending(doc)) throw new Error(`replica ${r.index} of ${name} still holds pending structs`);
        } else {
          for (const [client, clock] of relaySv) if ((sv.get(client) ?? 0) < clock) throw new Error(`${mismatch}: it lacks what the relay holds`);
          if ((relaySv.get(doc.clientID) ?? 0) !== (sv.get(doc.clientID) ?? 0)) throw new Error(`${mismatch}: the relay lacks its own writes`);
        }
      }
    }
  }, 15_000);
}

function verify(
  host: RelayHost,
  replicas: readonly FuzzReplica[],
  rooms: readonly string[],
  written: readonly Map<string, Fact[]>[],
  sameKeys: ReadonlySet<string>,
  portfolioId: string,
): { rooms: Map<string, Record<string, unknown>>; facts: number } {
  const out = new Map<string, Record<string, unknown>>();
  let total = 0;
  rooms.forEach((name, r) => {
    const room = host.server.relay.relay.room(name);
    if (room === undefined) throw new Error(`room ${name} is not loaded`);
    const relay = room.doc.getMap(FACTS_MAP).toJSON();
    for (const replica of replicas) {
      const mine = replica.facts(name).toJSON();
      if (!isDeepStrictEqual(mine, relay)) throw new Error(`replica ${replica.index} of ${name} differs from the relay: ${describeDiff(mine, relay)}`);
    }
    const persisted = new Y.Doc();
    for (const u of host.server.relay.rooms.loadNow(name).updates) Y.applyUpdate(persisted, u);
    const stored = persisted.getMap(FACTS_MAP).toJSON();
    persisted.destroy();
    if (!isDeepStrictEqual(stored, relay)) throw new Error(`the persisted log of ${name} differs from the relay's memory: ${describeDiff(stored, relay)}`);
    const expected = written[r] ?? new Map<string, Fact[]>();
    for (const [key, values] of expected) {
      if (!(key in relay)) throw new Error(`fact ${key} written in ${name} was lost`);
      if (!values.some((v) => isDeepStrictEqual(v, relay[key]))) throw new Error(`fact ${key} in ${name} holds a value nobody wrote: ${JSON.stringify(relay[key])}`);
    }
    for (const key of Object.keys(relay)) if (!expected.has(key)) throw new Error(`${name} holds ${key}, which nobody wrote`);
    total += expected.size;
    out.set(name, relay);
  });
  const projected = new Set(host.server.facts.list(portfolioId).map((f) => f.id));
  const keys = new Set(written.flatMap((m) => [...m.keys()]));
  const missing = [...keys].filter((k) => !projected.has(k));
  if (missing.length > 0 || projected.size !== keys.size) throw new Error(`the projection holds ${projected.size} facts of ${keys.size}; missing ${missing.slice(0, 5).join(', ')}`);
  for (const q of host.server.relay.quarantine.list(portfolioId))
    if (q.reason !== 'overwritten' || !sameKeys.has(q.key)) throw new Error(`unexpected quarantine of ${q.key}: ${q.reason} ${q.detail}`);
  return { rooms: out, facts: total };
}

function describeDiff(a: Record<string, unknown>, b: Record<string, unknown>): string {
  const onlyA = Object.keys(a).filter((k) => !(k in b));
  const onlyB = Object.keys(b).filter((k) => !(k in a));
  const differ = Object.keys(a).filter((k) => k in b && !isDeepStrictEqual(a[k], b[k]));
  return `only in the first ${onlyA.length} (${onlyA.slice(0, 3).join(', ')}), only in the second ${onlyB.length} (${onlyB.slice(0, 3).join(', ')}), different ${differ.length} (${differ.slice(0, 3).join(', ')})`;
}
