/**
 * Child process of the relay benchmark: the load. It opens every connection of the plan with raw `ws`
 * (no provider, no Y.Doc per receiver, so the generator stays cheap next to the server on a 2-core
 * box), then sends fact-sized Yjs updates at a fixed total rate and times their fan-out.
 *
 * - A connection speaks the part of the y-websocket protocol a stock client speaks: a sync step 1 on
 *   open, and an (empty) step 2 in answer to every step 1 the server sends — including our relay's
 *   acknowledgements, which a stock provider answers the same way.
 * - Each connection is a sender with one small Y.Doc of its own for its room; an update adds one fact
 *   (≈300 bytes of JSON) to `Y.Map('facts')` under the fact's ULID.
 * - A receiver does not decode the update: the map key follows the root type's name in the encoded
 *   item (`…, 5, "facts", 26, <ULID>`), found with one `Buffer.indexOf`; the key leads to the send
 *   time and room kept here (same process, so one monotonic clock).
 * - Our relay acknowledges a persisted update with a step 1 carrying the room's state vector; a sender
 *   times its updates until a step 1 covers their clock.
 *
 * Driven over IPC by relay.bench.ts: `connect` → `connected`, `run` → warm-up, window, drain →
 * `result`. Exits when the channel drops.
 */
import { cpuUsage } from 'node:process';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { FACTS_MAP } from '../../../src/protocol/rooms';
import { benchFact, type ConnectionSpec, type GeneratorCommand, type GeneratorReport, type LoadResult, type LoadShape, type ServerTarget } from './plan';

const send = (m: GeneratorReport): void => {
  process.send?.(m);
};
if (process.send === undefined) throw new Error('load-generator: run it forked');
process.on('disconnect', () => process.exit(0));

/** Precomputed frames: step 1 with an empty state vector; step 2 with an empty update (0 structs, 0 deletes). */
const STEP1_EMPTY = Buffer.from([0, 0, 1, 0]);
const STEP2_EMPTY = Buffer.from([0, 1, 2, 0, 0]);
/** An item of a root map: parent key "facts" then the entry key, a 26-character ULID. */
const KEY_MARK = Buffer.concat([Buffer.from([FACTS_MAP.length]), Buffer.from(FACTS_MAP, 'latin1'), Buffer.from([26])]);

interface Pending {
  readonly sentAt: number;
  readonly sender: number;
  readonly measured: boolean;
  remaining: number;
}

class Client {
  readonly ws: WebSocket;
  readonly index: number;
  readonly room: number;
  readonly userId: string;
  readonly doc = new Y.Doc();
  private readonly facts = this.doc.getMap(FACTS_MAP);
  private lastUpdate: Uint8Array | undefined;
  /** Clock after each of my unacknowledged updates, with its send time. */
  readonly unacked: { clock: number; sentAt: number; measured: boolean }[] = [];
  seq = 0;
  open = false;

  constructor(url: string, spec: ConnectionSpec, index: number, room: number) {
    this.index = index;
    this.room = room;
    this.userId = spec.userId;
    this.ws = new WebSocket(url, spec.token === undefined ? [] : ['dunwell-sync.1', `dunwell-token.${spec.token}`], { perMessageDeflate: false });
    this.ws.binaryType = 'nodebuffer';
    this.doc.on('update', (u: Uint8Array) => {
      this.lastUpdate = u;
    });
  }

  /** The y-websocket update message of one new fact. */
  nextUpdate(portfolioId: string, userId: string): { key: string; frame: Buffer; clock: number } {
    const { id, fact } = benchFact({ portfolioId, by: userId, deviceId: `bench-dev-${this.index}`, seq: this.seq++, sender: this.index, now: Date.now() });
    this.facts.set(id, fact);
    const update = this.lastUpdate;
    if (update === undefined) throw new Error('no update event');
    this.lastUpdate = undefined;
    // [messageSync, messageYjsUpdate, varUint length, update]
    const header: number[] = [0, 2];
    let n = update.length;
    while (n > 0x7f) {
      header.push(0x80 | (n & 0x7f));
      n >>>= 7;
    }
    header.push(n);
    return { key: id, frame: Buffer.concat([Buffer.from(header), update]), clock: Y.getState(this.doc.store, this.doc.clientID) };
  }
}

/** Reads a varUint at `pos`; returns [value, next position]. */
function varUint(b: Buffer, pos: number): [number, number] {
  let value = 0;
  let shift = 0;
  let p = pos;
  for (;;) {
    const byte = b[p++] ?? 0;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, p];
    shift += 7;
  }
}

/** The clock our state vector holds for `client`, or -1: [0, 0, len, count, (client, clock)*]. */
function clockIn(frame: Buffer, client: number): number {
  const [, start] = varUint(frame, 2);
  const [count, first] = varUint(frame, start);
  let p = first;
  for (let i = 0; i < count; i++) {
    let c: number;
    let clock: number;
    [c, p] = varUint(frame, p);
    [clock, p] = varUint(frame, p);
    if (c === client) return clock;
  }
  return -1;
}

let clients: Client[] = [];
let shape: LoadShape | undefined;
let target: ServerTarget | undefined;
let roomNames: string[] = [];
let connectMs = 0;

const pending = new Map<string, Pending>();
let measuring = false;
let windowStart = 0;
let windowEnd = Number.POSITIVE_INFINITY;
let stopped = false;
const fanout: number[] = [];
const delivery: number[] = [];
const acks: number[] = [];
let sentInWindow = 0;
let fanoutsInWindow = 0;
let deliveriesInWindow = 0;
let errors = 0;
const closes: Record<string, number> = {};

function onMessage(client: Client, data: Buffer): void {
  if (data[0] !== 0) return; // awareness and the rest: not part of this load
  const step = data[1];
  if (step === 0) {
    // A step 1: answer as a stock client does; with our relay it is also the acknowledgement.
    if (client.open) client.ws.send(STEP2_EMPTY);
    if (client.unacked.length > 0) {
      const covered = clockIn(data, client.doc.clientID);
      const now = performance.now();
      while (client.unacked.length > 0 && (client.unacked[0]?.clock ?? Infinity) <= covered) {
        const u = client.unacked.shift();
        if (u?.measured === true) acks.push(now - u.sentAt);
      }
    }
    return;
  }
  // Fan-out is an update message (2) on both servers; a step 2 (1) only answers our own step 1.
  if (step !== 2) return;
  const at = data.indexOf(KEY_MARK, 3);
  if (at < 0) return;
  const key = data.toString('latin1', at + KEY_MARK.length, at + KEY_MARK.length + 26);
  const p = pending.get(key);
  if (p === undefined || p.sender === client.index) return; // unknown or the reference's echo to the sender
  const now = performance.now();
  if (measuring && now >= windowStart && now < windowEnd) deliveriesInWindow++;
  if (p.measured) delivery.push(now - p.sentAt);
  p.remaining--;
  if (p.remaining === 0) {
    pending.delete(key);
    if (p.measured) fanout.push(now - p.sentAt);
    if (measuring && now >= windowStart && now < windowEnd) fanoutsInWindow++;
  }
}

async function connectAll(cmd: Extract<GeneratorCommand, { type: 'connect' }>): Promise<void> {
  shape = cmd.shape;
  target = cmd.target;
  const byRoom = new Map<string, number>();
  roomNames = [];
  const t0 = performance.now();
  const specs = cmd.connections;
  clients = [];
  // A bounded number of handshakes in flight: a burst of 1,000 SYNs overflows the listen backlog.
  const concurrency = 50;
  let next = 0;
  const openOne = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      const spec = specs[i];
      if (spec === undefined) return;
      let room = byRoom.get(spec.room);
      if (room === undefined) {
        room = roomNames.length;
        byRoom.set(spec.room, room);
        roomNames.push(spec.room);
      }
      const c = new Client(`${cmd.target.baseUrl}/${spec.room}`, spec, i, room);
      clients[i] = c;
      await new Promise<void>((resolve, reject) => {
        c.ws.once('open', () => {
          c.open = true;
          c.ws.send(STEP1_EMPTY);
          resolve();
        });
        c.ws.once('error', reject);
        c.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode} for ${spec.room}`)));
      });
      c.ws.on('message', (data: Buffer) => onMessage(c, data));
      c.ws.on('error', () => {
        errors++;
      });
      c.ws.on('close', (code: number) => {
        c.open = false;
        if (!stopped) closes[String(code)] = (closes[String(code)] ?? 0) + 1;
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => openOne()));
  connectMs = performance.now() - t0;
}

/** Rooms are named `<portfolioId>.facts.<YYYY-MM>` on both servers, so the facts carry the right portfolio. */
function portfolioOf(room: string): string {
  return room.slice(0, room.indexOf('.'));
}

async function run(): Promise<LoadResult> {
  if (shape === undefined) throw new Error('run before connect');
  const s = shape;
  const perRoom = roomNames.length === 0 ? 0 : clients.length / roomNames.length;
  const expectAcks = target?.kind === 'ours';
  // Round-robin over a shuffled order, so consecutive sends hit different rooms, as independent devices would.
  const order = clients.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  const portfolios = roomNames.map(portfolioOf);
  let cursor = 0;
  let sent = 0;
  const start = performance.now();
  windowStart = start + s.warmupMs;
  windowEnd = windowStart + s.measureMs;
  measuring = true;
  let windowAnnounced = false;
  let cpuAtStart = cpuUsage();
  const sendOne = (now: number): void => {
    const i = order[cursor++ % order.length] ?? 0;
    const c = clients[i];
    if (c === undefined || !c.open) return;
    const measured = now >= windowStart && now < windowEnd;
    const { key, frame, clock } = c.nextUpdate(portfolios[c.room] ?? '', c.userId);
    const sentAt = performance.now();
    pending.set(key, { sentAt, sender: i, measured, remaining: perRoom - 1 });
    if (expectAcks) c.unacked.push({ clock, sentAt, measured });
    c.ws.send(frame);
    if (measured) sentInWindow++;
  };
  await new Promise<void>((resolve) => {
    // Every tick sends what the target rate owes by now: timers are coarse, the total stays on rate.
    const timer = setInterval(() => {
      const now = performance.now();
      if (!windowAnnounced && now >= windowStart) {
        windowAnnounced = true;
        cpuAtStart = cpuUsage();
        send({ type: 'window', phase: 'start' });
      }
      if (now >= windowEnd) {
        clearInterval(timer);
        resolve();
        return;
      }
      const owed = Math.floor(((now - start) * s.updatesPerSecond) / 1000) - sent;
      // After a stall, catch up at most 100 ms worth at once rather than burst the whole debt.
      const n = Math.min(owed, Math.ceil(s.updatesPerSecond / 10));
      for (let k = 0; k < n; k++) sendOne(now);
      sent += Math.max(0, owed);
    }, 2);
  });
  const cpu = cpuUsage(cpuAtStart);
  send({ type: 'window', phase: 'end' });
  const windowMs = performance.now() - windowStart;
  // Drain: wait for the window's fan-outs still under way.
  const drainUntil = performance.now() + s.drainMs;
  const measuredPending = () => {
    let n = 0;
    for (const p of pending.values()) if (p.measured) n += p.remaining;
    return n;
  };
  while (measuredPending() > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
  measuring = false;
  const micro = (xs: number[]) => xs.map((x) => Math.round(x * 1000) / 1000);
  return {
    sent: sentInWindow,
    windowMs,
    fanoutMs: micro(fanout),
    deliveryMs: micro(delivery),
    ackMs: expectAcks ? micro(acks) : undefined,
    fanoutsInWindow,
    deliveriesInWindow,
    dropped: measuredPending(),
    errors,
    closes,
    generatorCpuMs: (cpu.user + cpu.system) / 1000,
    connectMs,
  };
}

process.on('message', (raw: unknown) => {
  const cmd = raw as GeneratorCommand;
  if (cmd.type === 'connect') {
    connectAll(cmd).then(
      () => send({ type: 'connected', ms: connectMs }),
      (e: unknown) => send({ type: 'failed', error: `connect: ${String(e)}` }),
    );
  } else if (cmd.type === 'run') {
    run().then(
      (result) => send({ type: 'result', result }),
      (e: unknown) => send({ type: 'failed', error: `run: ${String(e)}` }),
    );
  } else {
    stopped = true;
    for (const c of clients) c.ws.terminate();
    process.disconnect();
  }
});
