/**
 * The schedules of the convergence fuzz (sync-fuzz.ts runs them): a seed gives the replicas, the rooms,
 * who starts offline and a list of operations drawn from a weighted table. The generator follows who is
 * online, so it disconnects online replicas and reconnects offline ones, and sends couriers mostly from
 * replicas that wrote while offline (what nobody else has seen yet).
 */
import { Prng, weightedTable } from '../../sync-server/demo/prng';

export type FuzzOp =
  | { kind: 'write'; replica: number; room: number; count: number; oneTransaction: boolean }
  | { kind: 'same-key'; a: number; b: number; room: number; identical: boolean }
  | { kind: 'disconnect'; replica: number }
  | { kind: 'connect'; replica: number }
  | { kind: 'reload'; replica: number }
  | { kind: 'exchange'; a: number; b: number; room: number }
  | { kind: 'courier'; from: number; to: number | 'relay'; room: number; keep: number }
  | { kind: 'turns'; n: number }
  | { kind: 'settle' }
  | { kind: 'unload' }
  | { kind: 'restart' };

export interface Schedule {
  readonly seed: number;
  readonly replicas: number;
  readonly rooms: number;
  /** Replicas that start offline. */
  readonly offline: readonly number[];
  readonly ops: readonly FuzzOp[];
}

type OpKind = FuzzOp['kind'];
const WEIGHTS = weightedTable<OpKind>([
  ['write', 30],
  ['same-key', 5],
  ['disconnect', 9],
  ['connect', 9],
  ['reload', 2],
  ['exchange', 6],
  ['courier', 12],
  ['turns', 16],
  ['settle', 4],
  ['unload', 2],
  ['restart', 3],
]);

/** The schedule of a seed. About one schedule in five may restart the relay (at most twice). */
export function makeSchedule(seed: number): Schedule {
  const rng = new Prng(seed);
  const replicas = rng.between(5, 6);
  const rooms = rng.chance(0.5) ? 2 : 1;
  const mayRestart = rng.chance(0.2);
  const offline = Array.from({ length: replicas }, (_, i) => i).filter(() => rng.chance(0.3));
  const length = rng.between(12, 28);
  const ops: FuzzOp[] = [];
  const replica = () => rng.int(replicas);
  const other = (a: number) => (a + 1 + rng.int(replicas - 1)) % replicas;
  const room = () => rng.int(rooms);
  // The schedule follows who is online, so it disconnects online replicas, reconnects offline ones,
  // and mostly sends couriers from offline ones (what the relay and the others have not seen yet).
  const online = Array.from({ length: replicas }, (_, i) => !offline.includes(i));
  const whereOnline = (want: boolean) => {
    const candidates = online.flatMap((o, i) => (o === want ? [i] : []));
    return candidates.length > 0 && rng.chance(0.9) ? rng.pick(candidates) : replica();
  };
  /** Write operations each replica made while offline since its last courier, and in which room. */
  const unsent = Array.from({ length: replicas }, () => 0);
  const unsentRoom = Array.from({ length: replicas }, () => 0);
  let restarts = 0;
  while (ops.length < length) {
    const kind = rng.weighted(WEIGHTS);
    switch (kind) {
      case 'write': {
        const r = replica();
        const where = room();
        if (online[r] === false) {
          unsent[r] = (unsent[r] ?? 0) + 1;
          unsentRoom[r] = where;
        }
        ops.push({ kind, replica: r, room: where, count: rng.between(1, 4), oneTransaction: rng.chance(0.3) });
        break;
      }
      case 'same-key': {
        const a = replica();
        ops.push({ kind, a, b: other(a), room: room(), identical: rng.chance(0.5) });
        break;
      }
      case 'disconnect':
      case 'connect': {
        const r = whereOnline(kind === 'disconnect');
        online[r] = kind === 'connect';
        ops.push({ kind, replica: r });
        break;
      }
      case 'reload':
        ops.push({ kind, replica: replica() });
        break;
      case 'exchange': {
        const a = replica();
        ops.push({ kind, a, b: other(a), room: room() });
        break;
      }
      case 'courier': {
        const waiting = unsent.flatMap((n, i) => (n > 0 ? [i] : []));
        // A courier with nothing to carry is a wasted operation: mostly draw again.
        if (waiting.length === 0 && rng.chance(0.8)) break;
        const from = waiting.length > 0 && rng.chance(0.9) ? rng.pick(waiting) : whereOnline(false);
        const where = (unsent[from] ?? 0) > 0 ? (unsentRoom[from] ?? 0) : room();
        unsent[from] = 0;
        // Mostly partial: what is dropped leaves the receiver holding structs it cannot integrate yet.
        ops.push({ kind, from, to: rng.chance(0.5) ? 'relay' : other(from), room: where, keep: rng.chance(0.3) ? 1 : 0.3 + rng.float() * 0.6 });
        break;
      }
      case 'turns':
        ops.push({ kind, n: rng.between(1, 12) });
        break;
      case 'settle':
      case 'unload':
        ops.push({ kind });
        break;
      case 'restart':
        if (mayRestart && restarts < 2) {
          restarts++;
          ops.push({ kind });
        }
        break;
    }
  }
  return { seed, replicas, rooms, offline, ops };
}
