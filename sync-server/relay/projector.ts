/**
 * The server as a peer (DESIGN.md §3): fact map entries a client added to a facts room are parsed with
 * `factSchema` and inserted into the fact store keyed by their ULID (insert-or-ignore, so projecting
 * the same fact twice changes nothing), stamped with the server's receipt time and the sender's user
 * id. An entry that is not a valid fact of this portfolio under its own id goes to the quarantine with
 * the reason, is counted, and is never applied; nothing here throws into the relay.
 *
 * The relay projects AFTER the fan-out, batched (`enqueue`): the update is already in the room's log,
 * so the projection is not what makes it durable, and doing it inline cost a transaction with four
 * index updates per update on the fan-out path (~140 µs of ~300 µs per update in the relay bench).
 * Queued batches are projected in one transaction on the next turn of the event loop (setImmediate),
 * in arrival order, so the first value of a key still wins. A connection's ack is scheduled the same
 * way after its update was queued, so it goes out after the projection of that update. `flush` projects
 * what is queued now (Relay.close calls it; tests may too).
 */
import * as Y from 'yjs';
import { factSchema, type Fact } from '../../src/domain/facts';
import type { Logger } from '../logger';
import type { FactStore } from '../store/fact-store';
import type { FactQuarantine, QuarantinedFact } from '../store/sqlite-fact-quarantine';
import type { RelayMetrics } from './metrics';

/** The `received_by` of facts the catch-up projected: their sender is no longer known. */
export const CATCH_UP_SENDER = 'relay:catch-up';

export interface AddedEntry {
  readonly key: string;
  readonly value: unknown;
  /** True when the key already held a value: facts are immutable, so this is refused. */
  readonly overwrite: boolean;
}

/** One accepted update's added entries, with its receipt time and sender. */
export interface ProjectionBatch {
  readonly portfolioId: string;
  readonly room: string;
  readonly entries: readonly AddedEntry[];
  readonly receivedAt: string;
  readonly receivedBy: string;
}

export interface ProjectionResult {
  readonly projected: number;
  readonly quarantined: number;
}

interface Written {
  readonly batch: ProjectionBatch;
  readonly projected: number;
  readonly refused: readonly QuarantinedFact[];
}

export class FactProjector {
  private readonly facts: FactStore;
  private readonly quarantine: FactQuarantine;
  private readonly metrics: RelayMetrics;
  private readonly log: Logger;
  private readonly transaction: <T>(fn: () => T) => T;
  private queue: ProjectionBatch[] = [];
  private scheduled: NodeJS.Immediate | undefined;

  /** `transaction` runs the projection of a whole turn's batches in one SQLite transaction (the store's db). */
  constructor(o: { facts: FactStore; quarantine: FactQuarantine; metrics: RelayMetrics; log: Logger; transaction?: <T>(fn: () => T) => T }) {
    this.facts = o.facts;
    this.quarantine = o.quarantine;
    this.metrics = o.metrics;
    this.log = o.log;
    this.transaction = o.transaction ?? ((fn) => fn());
  }

  /** Queues an accepted update's entries; they are projected on the next turn of the event loop. */
  enqueue(batch: ProjectionBatch): void {
    this.queue.push(batch);
    this.scheduled ??= setImmediate(() => {
      this.scheduled = undefined;
      this.flush();
    });
  }

  /**
   * Catch-up when a facts room is loaded: the projection runs a turn after the update is persisted, so
   * a process killed in between leaves facts in the room's log that the fact store lacks (and the
   * month's archive is served from the store). Every key of the loaded doc that is neither in the store
   * nor already quarantined for this room is queued again, marked as received by the catch-up.
   */
  catchUp(o: { portfolioId: string; room: string; entries: ReadonlyMap<string, unknown>; receivedAt: string }): number {
    if (o.entries.size === 0) return 0;
    const missing = this.facts.missingIds(o.portfolioId, [...o.entries.keys()]);
    if (missing.length === 0) return 0;
    const refused = this.quarantine.keysOf(o.room);
    const entries: AddedEntry[] = [];
    for (const key of missing) if (!refused.has(key)) entries.push({ key, value: o.entries.get(key), overwrite: false });
    if (entries.length === 0) return 0;
    this.log.warn({ room: o.room, facts: entries.length }, 'projecting facts the fact store lacked (after a crash?)');
    this.enqueue({ portfolioId: o.portfolioId, room: o.room, entries, receivedAt: o.receivedAt, receivedBy: CATCH_UP_SENDER });
    return entries.length;
  }

  /** Entries queued and not projected yet. */
  get pending(): number {
    return this.queue.length;
  }

  /** Projects everything queued now, in one transaction. */
  flush(): ProjectionResult {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batches = this.queue;
    this.queue = [];
    if (batches.length === 0) return { projected: 0, quarantined: 0 };
    let written: Written[];
    try {
      written = this.transaction(() => batches.map((b) => this.write(b)));
    } catch (e) {
      // One batch's failure must not cost the others their projection: again, each on its own.
      this.log.warn({ err: e, batches: batches.length }, 'batched projection failed, projecting one by one');
      return batches.map((b) => this.project(b)).reduce((a, r) => ({ projected: a.projected + r.projected, quarantined: a.quarantined + r.quarantined }), { projected: 0, quarantined: 0 });
    }
    // Counted once committed, so a rolled-back batch is not counted twice.
    let projected = 0;
    let quarantined = 0;
    for (const w of written) {
      const r = this.count(w);
      projected += r.projected;
      quarantined += r.quarantined;
    }
    return { projected, quarantined };
  }

  /** Projects one batch now, on its own. */
  project(o: ProjectionBatch): ProjectionResult {
    try {
      return this.count(this.write(o));
    } catch (e) {
      // The update is already persisted in the room's log, so nothing is lost: the facts stay in the doc.
      this.log.error({ err: e, room: o.room, facts: o.entries.length }, 'projection failed');
      return { projected: 0, quarantined: 0 };
    }
  }

  /** Validates a batch and writes it (throws if the store does). */
  private write(o: ProjectionBatch): Written {
    const valid: Fact[] = [];
    const refused: QuarantinedFact[] = [];
    const refuse = (e: AddedEntry, reason: string, detail: string) =>
      refused.push({ portfolioId: o.portfolioId, room: o.room, key: e.key, reason, detail, body: jsonOf(e.value), receivedAt: o.receivedAt, receivedBy: o.receivedBy });
    for (const e of o.entries) {
      if (e.value instanceof Y.AbstractType) {
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
      } else if (parsed.data.portfolioId !== o.portfolioId) {
        refuse(e, 'wrong_portfolio', `a fact of portfolio ${parsed.data.portfolioId} in a room of ${o.portfolioId}`);
      } else {
        valid.push(parsed.data);
      }
    }
    let projected = 0;
    // Parsed above with factSchema and checked to be of this portfolio: the store need not parse them again.
    if (valid.length > 0) projected = this.facts.putValidated(o.portfolioId, valid, o.receivedAt, o.receivedBy).inserted;
    if (refused.length > 0) this.quarantine.add(refused);
    return { batch: o, projected, refused };
  }

  private count({ batch: o, projected, refused }: Written): ProjectionResult {
    this.metrics.factsProjected.inc(projected);
    for (const r of refused) this.metrics.factsQuarantined.inc({ reason: r.reason });
    if (refused.length > 0) this.log.warn({ room: o.room, by: o.receivedBy, reasons: refused.map((r) => r.reason) }, 'facts quarantined');
    return { projected, quarantined: refused.length };
  }
}

function jsonOf(value: unknown): string | null {
  if (value instanceof Y.AbstractType) return null;
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return null;
  }
}
