/**
 * Random but valid team facts for sync fuzzing: every record passes `factSchema` unchanged (defaulted
 * fields are filled in), so the relay projects it rather than quarantining it, and a replica's copy
 * can be compared with `toEqual` against what was written.
 */
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_OUTCOMES, factSchema, type Fact } from '../../src/domain/facts';
import type { Prng } from '../../sync-server/demo/prng';

export interface FactFrame {
  readonly id: string;
  readonly at: string;
  readonly portfolioId: string;
  readonly by: string;
  readonly deviceId: string;
}

const DAY = 86_400_000;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** One valid fact of a random type (activities dominate, as in a collector's day). */
export function randomFact(rng: Prng, frame: FactFrame): Fact {
  const base = { v: 1 as const, ...frame, accountNumber: `C${rng.between(1, 40)}` };
  const atMs = Date.parse(frame.at);
  const doc = () => `INV-${rng.between(1000, 1099)}`;
  const kind = rng.int(10);
  const candidate: unknown =
    kind < 5
      ? { ...base, type: 'activity', channel: rng.pick(['call', 'visit', 'email', 'note'] as const), outcome: rng.pick(DEFAULT_OUTCOMES), documentNumbers: rng.chance(0.5) ? [doc()] : [], ...(rng.chance(0.3) ? { note: `note ${rng.nextUint32()}` } : {}) }
      : kind === 5
        ? { ...base, type: 'promise', currency: 'EUR', instalments: [{ dueDate: dateOf(atMs + 3 * DAY), amount: rng.between(100, 90_000) }, ...(rng.chance(0.3) ? [{ dueDate: dateOf(atMs + 33 * DAY), amount: rng.between(100, 90_000) }] : [])], graceDays: 3, documentNumbers: [doc()] }
        : kind === 6
          ? { ...base, type: 'task', dueAt: new Date(atMs + rng.between(1, 10) * DAY).toISOString(), assignee: frame.by, note: '' }
          : kind === 7
            ? { ...base, type: 'claim', expiresAt: new Date(atMs + 2 * 3_600_000).toISOString() }
            : kind === 8
              ? { ...base, type: 'dispute', documentNumbers: [doc()], reasonCode: 'pricing', currency: 'EUR', amount: rng.between(100, 50_000) }
              : { ...base, type: 'field-receipt', receiptNumber: `R-${rng.nextUint32()}`, receivedDate: dateOf(atMs), currency: 'EUR', amount: rng.between(100, 20_000), method: rng.pick(['cash', 'cheque', 'card', 'transfer'] as const), reference: '', allocations: [] };
  const parsed = factSchema.parse(candidate);
  // A generator that drifts from the schema (a new default field) would make the relay quarantine
  // what the fuzz counts as written: fail here, where the cause is obvious.
  if (!isDeepStrictEqual(parsed, candidate)) throw new Error(`random fact is not in its parsed form: ${JSON.stringify(candidate)}`);
  return parsed;
}
