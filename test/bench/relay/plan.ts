/**
 * What the relay benchmark's processes agree on: the shape of the load (rooms, users, teams), the
 * messages they exchange over the fork IPC channel, and the fact-sized entries the load writes.
 * Shared by the orchestrator (relay.bench.ts), the server entries and the load generator.
 */
import { ulidOf } from '../../../src/domain/ulid';

/** The load of issue 4's budget: 1,000 connections over 200 rooms (5 per room), ~1,000 updates/s in all. */
export interface LoadShape {
  readonly rooms: number;
  readonly perRoom: number;
  readonly updatesPerSecond: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  /** After the window, how long to wait for the last fan-outs before counting what is missing as dropped. */
  readonly drainMs: number;
}

/** Users and teams for our relay: a team works `roomsPerTeam` portfolios with `perRoom` collectors. */
export interface UserPlan {
  /** Portfolio ids, one facts room (the current month) each. */
  readonly portfolios: readonly string[];
  /** teams[t] = the user ids of team t; team t works portfolios [t·k, (t+1)·k). */
  readonly teams: readonly (readonly string[])[];
  readonly roomsPerTeam: number;
  /** A separate portfolio and two users for the teammate-latency probe. */
  readonly probe: { readonly portfolio: string; readonly users: readonly [string, string] };
  readonly tokenSeconds: number;
}

export function userPlan(shape: LoadShape): UserPlan {
  // 10 teams of 5 collectors, each team on 20 portfolios: 50 users, and the 5 connections of a room
  // are the 5 members of its team, as a real team would be.
  const roomsPerTeam = 20;
  const teamCount = Math.ceil(shape.rooms / roomsPerTeam);
  const portfolios = Array.from({ length: shape.rooms }, (_, i) => `bench-${String(i).padStart(3, '0')}`);
  const teams = Array.from({ length: teamCount }, (_, t) => Array.from({ length: shape.perRoom }, (_, m) => `u-t${t}-m${m}`));
  return { portfolios, teams, roomsPerTeam, probe: { portfolio: 'bench-probe', users: ['u-probe-a', 'u-probe-b'] }, tokenSeconds: 3600 };
}

/** One websocket of the load: its room and, for our relay, the token of the user it stands for. */
export interface ConnectionSpec {
  readonly room: string;
  /** Who writes the facts (`by`); for our relay, the token's user. */
  readonly userId: string;
  readonly token?: string;
}

/** The URL of a room: our relay serves `/sync/<room>`, the reference takes the whole path as the name. */
export interface ServerTarget {
  readonly kind: 'ours' | 'reference';
  /** `ws://127.0.0.1:<port>/sync` (ours) or `ws://127.0.0.1:<port>` (reference); the room is appended. */
  readonly baseUrl: string;
}

/** Orchestrator → load generator. */
export type GeneratorCommand =
  | { readonly type: 'connect'; readonly target: ServerTarget; readonly connections: readonly ConnectionSpec[]; readonly shape: LoadShape }
  | { readonly type: 'run' }
  | { readonly type: 'close' };

export interface Distribution {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** One round of load on one server; samples are in ms, rounded to the microsecond. */
export interface LoadResult {
  /** Updates sent inside the measurement window, and how many ms the window really lasted. */
  readonly sent: number;
  readonly windowMs: number;
  /** Send → the last other client of the room received it (full fan-out), for updates sent in the window. */
  readonly fanoutMs: number[];
  /** Send → one other client received it, every delivery of those updates. */
  readonly deliveryMs: number[];
  /** Send → the sender's acknowledgement (a step 1 covering its update); our relay only. */
  readonly ackMs: number[] | undefined;
  /** Full fan-outs completed, and update messages that reached another client, inside the window. */
  readonly fanoutsInWindow: number;
  readonly deliveriesInWindow: number;
  /** Deliveries of window updates still missing after the drain. */
  readonly dropped: number;
  /** Socket errors, and closes the load did not ask for by code. */
  readonly errors: number;
  readonly closes: Record<string, number>;
  /** CPU the load generator itself used in the window. */
  readonly generatorCpuMs: number;
  readonly connectMs: number;
}

/** Load generator → orchestrator. */
export type GeneratorReport =
  | { readonly type: 'connected'; readonly ms: number }
  | { readonly type: 'window'; readonly phase: 'start' | 'end' }
  | { readonly type: 'result'; readonly result: LoadResult }
  | { readonly type: 'failed'; readonly error: string };

/** Our relay's entry → orchestrator, once it listens and its users, teams and portfolios exist. */
export interface OurRelayReady {
  readonly type: 'ready';
  readonly port: number;
  readonly period: string;
  /** tokens[t][m]: the token of member m of team t. */
  readonly teamTokens: readonly (readonly string[])[];
  readonly probeTokens: readonly [string, string];
}

/**
 * A fact as devices write it (src/domain/facts.ts, an activity), about 300 bytes of JSON. `seq` makes
 * the id unique: the time part is the send time, the rest the sender and its counter.
 */
export function benchFact(o: { portfolioId: string; by: string; deviceId: string; seq: number; sender: number; now: number }): { id: string; fact: Record<string, unknown> } {
  const id = ulidOf(o.now, o.sender * 1_000_000_000 + o.seq);
  const account = `C${String((o.sender * 7919 + o.seq) % 100_000).padStart(6, '0')}`;
  return {
    id,
    fact: {
      v: 1,
      id,
      by: o.by,
      at: new Date(o.now).toISOString(),
      deviceId: o.deviceId,
      portfolioId: o.portfolioId,
      accountNumber: account,
      type: 'activity',
      channel: 'call',
      outcome: 'promise-taken',
      documentNumbers: [`INV-${account.slice(1)}-1`, `INV-${account.slice(1)}-2`],
      note: 'AP confirmed both invoices approved, in Friday run.',
    },
  };
}

export function distribution(samples: Float64Array | number[]): Distribution {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => (sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN));
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}
