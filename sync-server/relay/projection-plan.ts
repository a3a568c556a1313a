/**
 * The projection's validation and its writes, planned in the SQLite writer's worker (sqlite-writer.ts,
 * `submitPlan`), not on the relay's event loop. The projector (projector.ts) posts an accepted update's
 * added fact map entries as they are; here each is parsed with `factSchema` and becomes an insert into
 * the fact store (keyed by its ULID, insert-or-ignore) or, when it is not a valid fact of this portfolio
 * under its own id, a row of the quarantine with the reason. Both run in the worker's transaction.
 *
 * Measured under the relay benchmark's load (sampling heap profiles of one round), this work on the
 * event loop (the zod parse, the fact's JSON, the parameter arrays) made ~50 MB of the relay's ~630 MB of
 * garbage, and so about one young-generation collection in twelve, each a pause of the fan-out.
 *
 * The module is loaded by the worker through tsx, and imported by the relay for its types and statements.
 */
import { factSchema, type Fact } from '../../src/domain/facts';
import { FACT_INSERT_SQL, factInsertParams } from '../store/sqlite-fact-store';
import { QUARANTINE_INSERT_SQL, quarantineInsertParams, type QuarantinedFact } from '../store/sqlite-fact-quarantine';
import type { WriteStep } from '../store/sqlite-writer';

/** The writer's statements the plan's steps name. */
export const PROJECTION_STATEMENTS = { fact: FACT_INSERT_SQL, quarantine: QUARANTINE_INSERT_SQL } as const;

/**
 * An added fact map entry as it crosses to the worker. A nested Yjs type cannot cross (nor is it a
 * fact): the relay sends `nested: true` in its place, and it is quarantined as not JSON.
 */
export interface PostedEntry {
  readonly key: string;
  readonly value?: unknown;
  /** True when the key already held a value: facts are immutable, so this is refused. */
  readonly overwrite: boolean;
  readonly nested?: true;
}

/** One accepted update's added entries (or a catch-up's), with the receipt time and the sender. */
export interface ProjectionJob {
  readonly portfolioId: string;
  readonly room: string;
  readonly entries: readonly PostedEntry[];
  readonly receivedAtMs: number;
  readonly receivedBy: string;
}

/** What a job's caller hears beside the steps' results: the fact steps come first, `facts` of them. */
export interface ProjectionNote {
  readonly facts: number;
  /** The reason of each entry quarantined. */
  readonly quarantined: readonly string[];
}

/** Validates a job's entries: the facts to store and the entries to quarantine, with why. */
export function prepareProjection(job: ProjectionJob): { facts: Fact[]; quarantined: QuarantinedFact[]; receivedAt: string } {
  const receivedAt = new Date(job.receivedAtMs).toISOString();
  const facts: Fact[] = [];
  const quarantined: QuarantinedFact[] = [];
  const refuse = (e: PostedEntry, reason: string, detail: string) =>
    quarantined.push({ portfolioId: job.portfolioId, room: job.room, key: e.key, reason, detail, body: e.nested === true ? null : jsonOf(e.value), receivedAt, receivedBy: job.receivedBy });
  for (const e of job.entries) {
    if (e.nested === true) {
      refuse(e, 'not_json', 'a fact is plain JSON, not a nested Yjs type');
      continue;
    }
    if (e.overwrite) {
      refuse(e, 'overwritten', 'facts are immutable: a key is never set twice; the first value stays in the fact store');
      continue;
    }
    const parsed = factSchema.safeParse(e.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      refuse(e, 'invalid', `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'not a fact'}`);
    } else if (parsed.data.id !== e.key) {
      refuse(e, 'id_mismatch', `the entry's key ${e.key} is not its id ${parsed.data.id}`);
    } else if (parsed.data.portfolioId !== job.portfolioId) {
      refuse(e, 'wrong_portfolio', `a fact of portfolio ${parsed.data.portfolioId} in a room of ${job.portfolioId}`);
    } else {
      facts.push(parsed.data);
    }
  }
  return { facts, quarantined, receivedAt };
}

/** The writer's plan (WritePlanner): the inserts for a job's facts, then its quarantine rows. */
export function plan(job: ProjectionJob): { steps: WriteStep[]; note: ProjectionNote } {
  const { facts, quarantined, receivedAt } = prepareProjection(job);
  const steps: WriteStep[] = [];
  for (const f of facts) steps.push({ s: 'fact', p: factInsertParams(job.portfolioId, f, receivedAt, job.receivedBy) });
  for (const q of quarantined) steps.push({ s: 'quarantine', p: quarantineInsertParams(q) });
  return { steps, note: { facts: facts.length, quarantined: quarantined.map((q) => q.reason) } };
}

function jsonOf(value: unknown): string | null {
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return null;
  }
}
