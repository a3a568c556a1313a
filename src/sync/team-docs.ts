/**
 * One portfolio's team docs on the device (the TeamSync port of src/app/ports.ts): the config doc and
 * the monthly fact docs of src/protocol/rooms.ts, each a RoomDoc (update log + relay connection).
 *
 * How it works.
 * - Opening loads the config room, the live months at `now` and every other month this device holds in
 *   its update log (archived months stay readable, never connected).
 * - Facts: every entry of every `Y.Map('facts')` goes through the fact codec once when its doc loads and
 *   again whenever Yjs reports its key changed; valid facts are indexed by id, invalid ones quarantined.
 *   A key seen before whose record changed (facts are immutable: someone overwrote one) resets the
 *   index and tells listeners to rebuild.
 * - Writes go in one transaction per doc, in the doc `writePeriodFor(fact.at, now)` names, and resolve
 *   once the doc's update log has them.
 * - Presence rides on the config doc's awareness.
 */
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Fact } from '../domain/facts';
import {
  FACTS_MAP,
  livePeriods,
  parseRoomName,
  roomAvailability,
  roomName,
  SETTINGS_MAP,
  STRATEGIES_MAP,
  writePeriodFor,
} from '../protocol/rooms';
import { CLOSE } from '../protocol/close-codes';
import type {
  DocSyncStatus,
  PresencePeer,
  QuarantinedRecord,
  QuarantineRepository,
  RoomSyncStateRepository,
  SyncRefusal,
  TeamConfigValues,
  TeamSync,
  TeamSyncFactory,
  UpdateLogRepository,
} from '../app/ports';
import { decodeFact, encodeFact } from './fact-codec';
import { Listeners } from './listeners';
import { peersOf, setPresence } from './presence';
import { RoomDoc } from './room-doc';
import type { Transport } from './transport';

/** Local writes carry this origin (anything else reaching a doc came from the log or the relay). */
const LOCAL = Symbol('written on this device');

export interface TeamDocsDeps {
  readonly updates: UpdateLogRepository;
  readonly roomSync: RoomSyncStateRepository;
  readonly quarantine: QuarantineRepository;
  readonly transport: Transport;
  readonly now: () => string;
  /** Storage write failures (the app shows them). */
  readonly onStorageError?: (e: unknown) => void;
  readonly compactAt?: number;
}

function plain(v: unknown): unknown {
  return v instanceof Y.AbstractType ? (v.toJSON() as unknown) : v;
}

const REFUSALS: ReadonlyMap<number, SyncRefusal> = new Map([
  [CLOSE.unauthorized, 'unauthorized'],
  [CLOSE.forbidden, 'forbidden'],
  [CLOSE.unsupportedVersion, 'unsupported-version'],
]);

export class TeamDocs implements TeamSync {
  readonly portfolioId: string;
  private readonly deps: TeamDocsDeps;
  private readonly rooms = new Map<string, RoomDoc>();
  private readonly factIndex = new Map<string, Fact>();
  /** Each fact key's raw JSON as first decoded, to tell an overwrite from a repeat. */
  private readonly factRaw = new Map<string, string>();
  private readonly bad = new Set<string>();
  private factList: readonly Fact[] | undefined;
  private configSnapshot: TeamConfigValues | undefined;
  private statusSnapshot: readonly DocSyncStatus[] | undefined;
  private peersSnapshot: readonly PresencePeer[] | undefined;
  private token: string | null = null;
  private nowValue: string;
  private readonly awareness: Awareness;
  private readonly factListeners = new Listeners<[readonly Fact[], boolean]>();
  private readonly configListeners = new Listeners<[]>();
  private readonly statusListeners = new Listeners<[]>();
  private readonly refusedListeners = new Listeners<[SyncRefusal]>();
  private readonly presenceListeners = new Listeners<[]>();
  private closed = false;

  private constructor(portfolioId: string, deps: TeamDocsDeps, config: RoomDoc) {
    this.portfolioId = portfolioId;
    this.deps = deps;
    this.nowValue = deps.now();
    this.rooms.set(config.room, config);
    this.awareness = new Awareness(config.doc);
    this.awareness.setLocalState(null);
    this.awareness.on('change', () => {
      this.peersSnapshot = undefined;
      this.presenceListeners.emit();
    });
  }

  static async open(portfolioId: string, deps: TeamDocsDeps): Promise<TeamDocs> {
    const now = deps.now();
    const configRoom = roomName({ kind: 'config', portfolioId });
    const set = new TeamDocs(portfolioId, deps, new RoomDoc(configRoom, portfolioId, true, TeamDocs.roomDeps(deps)));
    const names = new Set<string>(livePeriods(now).map((period) => roomName({ kind: 'facts', portfolioId, period })));
    for (const r of await deps.updates.rooms(portfolioId)) {
      const parsed = parseRoomName(r);
      if (parsed?.kind === 'facts' && parsed.portfolioId === portfolioId) names.add(r);
    }
    for (const name of names) set.addRoom(name, now);
    await Promise.all([...set.rooms.values()].map((r) => r.load()));
    for (const r of set.rooms.values()) set.watch(r);
    return set;
  }

  private static roomDeps(deps: TeamDocsDeps) {
    return {
      updates: deps.updates,
      roomSync: deps.roomSync,
      now: deps.now,
      onStorageError: deps.onStorageError ?? (() => undefined),
      ...(deps.compactAt === undefined ? {} : { compactAt: deps.compactAt }),
    };
  }

  private addRoom(name: string, now: string): RoomDoc {
    const existing = this.rooms.get(name);
    if (existing !== undefined) return existing;
    const parsed = parseRoomName(name);
    const live = parsed !== undefined && roomAvailability(parsed, now) === 'live';
    const room = new RoomDoc(name, this.portfolioId, live, TeamDocs.roomDeps(this.deps));
    this.rooms.set(name, room);
    return room;
  }

  /** Reads a loaded room's records and follows its changes. */
  private watch(room: RoomDoc): void {
    room.onChange(() => {
      this.statusSnapshot = undefined;
      this.statusListeners.emit();
    });
    room.onRefused((code) => this.refusedBy(room, code));
    if (parseRoomName(room.room)?.kind === 'config') {
      for (const name of [STRATEGIES_MAP, SETTINGS_MAP])
        room.doc.getMap(name).observe(() => {
          this.configSnapshot = undefined;
          this.configListeners.emit();
        });
      return;
    }
    const map = room.doc.getMap<unknown>(FACTS_MAP);
    const added: Fact[] = [];
    const bad: QuarantinedRecord[] = [];
    let reset = false;
    map.forEach((value, key) => {
      reset = this.take(room.room, key, value, added, bad) || reset;
    });
    this.afterRead(added, bad, reset);
    map.observe((event) => {
      const fresh: Fact[] = [];
      const wrong: QuarantinedRecord[] = [];
      let changed = false;
      for (const key of event.keysChanged as Set<string>) {
        if (!map.has(key)) {
          // Facts are never deleted; a deletion is someone else's bug, and the fact goes with it.
          changed = this.factIndex.delete(key) || changed;
          this.factRaw.delete(key);
          continue;
        }
        changed = this.take(room.room, key, map.get(key), fresh, wrong) || changed;
      }
      this.afterRead(fresh, wrong, changed);
    });
  }

  /** Decodes one record into the index; true when a known fact changed (the index must be rebuilt by readers). */
  private take(room: string, key: string, value: unknown, added: Fact[], bad: QuarantinedRecord[]): boolean {
    const raw = JSON.stringify(plain(value)) ?? '';
    const seen = this.factRaw.get(key);
    if (seen === raw) return false;
    const d = decodeFact(key, plain(value), { room, portfolioId: this.portfolioId, at: this.deps.now() });
    if (!d.ok) {
      bad.push(d.record);
      const had = this.factIndex.delete(key);
      this.factRaw.delete(key);
      return had;
    }
    this.factRaw.set(key, raw);
    const had = this.factIndex.has(key);
    this.factIndex.set(key, d.fact);
    if (had) return true;
    added.push(d.fact);
    return false;
  }

  private afterRead(added: Fact[], bad: QuarantinedRecord[], reset: boolean): void {
    if (bad.length > 0) {
      for (const r of bad) this.bad.add(`${r.room}\u0000${r.key}`);
      this.deps.quarantine.put(bad).catch((e: unknown) => this.deps.onStorageError?.(e));
      // The quarantine count is part of the status the indicator shows.
      this.statusListeners.emit();
    }
    if (added.length === 0 && !reset) return;
    this.factList = undefined;
    this.factListeners.emit(added, reset);
  }

  private refusedBy(room: RoomDoc, code: number): void {
    if (code === CLOSE.notFound) {
      // The relay archived this month (or never had it): read-only from now on, nothing to sign in for.
      room.archive();
      return;
    }
    const why = REFUSALS.get(code);
    if (why !== undefined) this.refusedListeners.emit(why);
  }

  facts(): readonly Fact[] {
    this.factList ??= [...this.factIndex.values()];
    return this.factList;
  }

  onFacts(listener: (added: readonly Fact[], reset: boolean) => void): () => void {
    return this.factListeners.add(listener);
  }

  async writeFacts(facts: readonly Fact[]): Promise<void> {
    const now = this.deps.now();
    const byRoom = new Map<string, Fact[]>();
    for (const f of facts) {
      if (f.portfolioId !== this.portfolioId) throw new RangeError(`fact ${f.id} is of portfolio ${f.portfolioId}, not ${this.portfolioId}`);
      const name = roomName({ kind: 'facts', portfolioId: this.portfolioId, period: writePeriodFor(f.at, now) });
      const list = byRoom.get(name);
      if (list === undefined) byRoom.set(name, [f]);
      else list.push(f);
    }
    const touched: RoomDoc[] = [];
    for (const [name, list] of byRoom) {
      const room = await this.ensureRoom(name);
      const map = room.doc.getMap<unknown>(FACTS_MAP);
      room.doc.transact(() => {
        for (const f of list) map.set(f.id, encodeFact(f));
      }, LOCAL);
      touched.push(room);
    }
    await Promise.all(touched.map((r) => r.persisted.flush()));
  }

  /** The room of a month that became live since opening (the clock moved), loaded and connected. */
  private async ensureRoom(name: string): Promise<RoomDoc> {
    const existing = this.rooms.get(name);
    if (existing !== undefined) return existing;
    const room = this.addRoom(name, this.deps.now());
    await room.load();
    this.watch(room);
    if (this.token !== null) room.connect(this.deps.transport, this.token);
    this.statusSnapshot = undefined;
    return room;
  }

  config(): TeamConfigValues {
    if (this.configSnapshot === undefined) {
      const doc = this.configRoom().doc;
      const read = (name: string) => {
        const out = new Map<string, unknown>();
        doc.getMap<unknown>(name).forEach((v, k) => out.set(k, plain(v)));
        return out;
      };
      this.configSnapshot = { strategies: read(STRATEGIES_MAP), settings: read(SETTINGS_MAP) };
    }
    return this.configSnapshot;
  }

  onConfig(listener: () => void): () => void {
    return this.configListeners.add(listener);
  }

  setStrategy(id: string, value: unknown): Promise<void> {
    return this.setConfig(STRATEGIES_MAP, id, value);
  }

  setSetting(name: string, value: unknown): Promise<void> {
    return this.setConfig(SETTINGS_MAP, name, value);
  }

  private async setConfig(mapName: string, key: string, value: unknown): Promise<void> {
    const room = this.configRoom();
    room.doc.transact(() => {
      room.doc.getMap<unknown>(mapName).set(key, JSON.parse(JSON.stringify(value)) as unknown);
    }, LOCAL);
    await room.persisted.flush();
  }

  status(): readonly DocSyncStatus[] {
    this.statusSnapshot ??= [...this.rooms.values()].map((r) => r.status()).sort((a, b) => (a.room < b.room ? -1 : 1));
    return this.statusSnapshot;
  }

  onStatus(listener: () => void): () => void {
    return this.statusListeners.add(listener);
  }

  connect(token: string): void {
    this.token = token;
    for (const r of this.rooms.values()) {
      r.setToken(token);
      if (r.live) r.connect(this.deps.transport, token, r === this.configRoom() ? this.awareness : undefined);
      r.reconnect();
    }
  }

  setToken(token: string): void {
    this.token = token;
    for (const r of this.rooms.values()) r.setToken(token);
  }

  disconnect(): void {
    this.token = null;
    for (const r of this.rooms.values()) r.disconnect();
  }

  onRefused(listener: (why: SyncRefusal) => void): () => void {
    return this.refusedListeners.add(listener);
  }

  whenSynced(timeoutMs: number): Promise<boolean> {
    const live = () => [...this.rooms.values()].filter((r) => r.live);
    if (live().every((r) => r.hasServerState)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const stops: (() => void)[] = [];
      const done = (ok: boolean) => {
        for (const stop of stops) stop();
        clearTimeout(timer);
        resolve(ok);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      for (const r of live())
        stops.push(
          r.onSynced(() => {
            if (live().every((x) => x.hasServerState)) done(true);
          }),
          r.onRefused(() => done(false)),
        );
    });
  }

  setPresence(state: { readonly userId: string; readonly name: string; readonly accountNumber: string | null; readonly since: string } | null): void {
    setPresence(this.awareness, state === null ? null : { ...state });
  }

  peers(): readonly PresencePeer[] {
    this.peersSnapshot ??= peersOf(this.awareness);
    return this.peersSnapshot;
  }

  onPresence(listener: () => void): () => void {
    return this.presenceListeners.add(listener);
  }

  quarantined(): number {
    return this.bad.size;
  }

  setNow(now: string): void {
    this.nowValue = now;
    const live = new Set(livePeriods(now).map((period) => roomName({ kind: 'facts', portfolioId: this.portfolioId, period })));
    for (const r of this.rooms.values()) {
      const parsed = parseRoomName(r.room);
      if (parsed?.kind === 'facts' && r.live && !live.has(r.room)) r.archive();
    }
    for (const name of live) if (!this.rooms.has(name)) void this.ensureRoom(name).catch((e: unknown) => this.deps.onStorageError?.(e));
  }

  /** The instant of the last `setNow` (or of opening). */
  now(): string {
    return this.nowValue;
  }

  async flush(): Promise<void> {
    await Promise.all([...this.rooms.values()].map(async (r) => {
      await r.persisted.flush();
      await r.flushState();
    }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.awareness.setLocalState(null);
    await Promise.all([...this.rooms.values()].map((r) => r.close()));
    this.awareness.destroy();
    this.factListeners.clear();
    this.configListeners.clear();
    this.statusListeners.clear();
    this.refusedListeners.clear();
    this.presenceListeners.clear();
  }

  private configRoom(): RoomDoc {
    const r = this.rooms.get(roomName({ kind: 'config', portfolioId: this.portfolioId }));
    if (r === undefined) throw new Error('the config room is always open');
    return r;
  }
}

export function teamDocsFactory(deps: TeamDocsDeps): TeamSyncFactory {
  return { open: (portfolioId) => TeamDocs.open(portfolioId, deps) };
}
