/**
 * The server as a peer (DESIGN.md §3): fact map entries a client added to a facts room are parsed with
 * `factSchema` and written to the fact store keyed by their ULID (insert-or-ignore, so projecting the
 * same fact twice changes nothing), stamped with the server's receipt time and the sender's user id. An
 * entry that is not a valid fact of this portfolio under its own id goes to the quarantine with the
 * reason, is counted, and is never applied; nothing here throws into the relay.
 *
 * The projector decides (`prepare`, on the event loop: a zod parse per entry); the room's persistence
 * writes, in the same transaction as the update's append, from the SQLite writer's worker
 * (worker-room-store.ts), so the fact store holds an update's facts as soon as its sender is
 * acknowledged, and the event loop never waits for the index updates. `counted` records the outcome.
 */
import * as Y from 'yjs';
import { factSchema, type Fact } from '../../src/domain/facts';
import type { Logger } from '../logger';
import type { FactStore } from '../store/fact-store';
import type { FactQuarantine, QuarantinedFact } from '../store/sqlite-fact-quarantine';
import type { ProjectionWrite } from './persistence';
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

export class FactProjector {
  private readonly facts: FactStore;
  private readonly quarantine: FactQuarantine;
  private readonly metrics: RelayMetrics;
  private readonly log: Logger;

  /** `facts` and `quarantine` are read on the event loop (the catch-up); writes go through the room's persistence. */
  constructor(o: { facts: FactStore; quarantine: FactQuarantine; metrics: RelayMetrics; log: Logger }) {
    this.facts = o.facts;
    this.quarantine = o.quarantine;
    this.metrics = o.metrics;
    this.log = o.log;
  }

  /** Validates a batch's entries: the facts to store and the entries to quarantine, with why. */
  prepare(o: ProjectionBatch): ProjectionWrite {
    const facts: Fact[] = [];
    const quarantined: QuarantinedFact[] = [];
    const refuse = (e: AddedEntry, reason: string, detail: string) =>
      quarantined.push({ portfolioId: o.portfolioId, room: o.room, key: e.key, reason, detail, body: jsonOf(e.value), receivedAt: o.receivedAt, receivedBy: o.receivedBy });
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
        facts.push(parsed.data);
      }
    }
    return { portfolioId: o.portfolioId, facts, receivedAt: o.receivedAt, receivedBy: o.receivedBy, quarantined };
  }

  /** Counts a written projection (once committed, so a rolled-back one is not counted). */
  counted(room: string, write: ProjectionWrite, projected: number): void {
    this.metrics.factsProjected.inc(projected);
    for (const r of write.quarantined) this.metrics.factsQuarantined.inc({ reason: r.reason });
    if (write.quarantined.length > 0) this.log.warn({ room, by: write.receivedBy, reasons: write.quarantined.map((r) => r.reason) }, 'facts quarantined');
  }

  /**
   * Catch-up when a facts room is loaded: a process killed after an update's append committed but with
   * its projection lost (or a log written by an older relay that projected separately) leaves facts in
   * the room's log that the fact store lacks, and the month's archive is served from the store. Every
   * key of the loaded doc that is neither in the store nor already quarantined for this room is prepared
   * again, marked as received by the catch-up; undefined when nothing is missing.
   */
  catchUp(o: { portfolioId: string; room: string; entries: ReadonlyMap<string, unknown>; receivedAt: string }): ProjectionWrite | undefined {
    if (o.entries.size === 0) return undefined;
    const missing = this.facts.missingIds(o.portfolioId, [...o.entries.keys()]);
    if (missing.length === 0) return undefined;
    const refused = this.quarantine.keysOf(o.room);
    const entries: AddedEntry[] = [];
    for (const key of missing) if (!refused.has(key)) entries.push({ key, value: o.entries.get(key), overwrite: false });
    if (entries.length === 0) return undefined;
    this.log.warn({ room: o.room, facts: entries.length }, 'projecting facts the fact store lacked (after a crash?)');
    return this.prepare({ portfolioId: o.portfolioId, room: o.room, entries, receivedAt: o.receivedAt, receivedBy: CATCH_UP_SENDER });
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
