/**
 * The server as a peer (DESIGN.md §3): fact map entries a client added to a facts room are parsed with
 * `factSchema` and inserted into the fact store keyed by their ULID (insert-or-ignore, so projecting
 * the same fact twice changes nothing), stamped with the server's receipt time and the sender's user
 * id. An entry that is not a valid fact of this portfolio under its own id goes to the quarantine with
 * the reason, is counted, and is never applied; nothing here throws into the relay.
 */
import * as Y from 'yjs';
import { factSchema, type Fact } from '../../src/domain/facts';
import type { Logger } from '../logger';
import type { FactStore } from '../store/fact-store';
import type { FactQuarantine, QuarantinedFact } from '../store/sqlite-fact-quarantine';
import type { RelayMetrics } from './metrics';

export interface AddedEntry {
  readonly key: string;
  readonly value: unknown;
  /** True when the key already held a value: facts are immutable, so this is refused. */
  readonly overwrite: boolean;
}

export interface ProjectionResult {
  readonly projected: number;
  readonly quarantined: number;
}

export class FactProjector {
  private readonly facts: FactStore;
  private readonly quarantine: FactQuarantine;
  private readonly metrics: RelayMetrics;
  private readonly log: Logger;

  constructor(o: { facts: FactStore; quarantine: FactQuarantine; metrics: RelayMetrics; log: Logger }) {
    this.facts = o.facts;
    this.quarantine = o.quarantine;
    this.metrics = o.metrics;
    this.log = o.log;
  }

  project(o: { portfolioId: string; room: string; entries: readonly AddedEntry[]; receivedAt: string; receivedBy: string }): ProjectionResult {
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
    try {
      if (valid.length > 0) projected = this.facts.put(o.portfolioId, valid, o.receivedAt, o.receivedBy).inserted;
      if (refused.length > 0) this.quarantine.add(refused);
    } catch (e) {
      // The update is already persisted in the room's log, so nothing is lost: the facts stay in the doc.
      this.log.error({ err: e, room: o.room, facts: valid.length }, 'projection failed');
      return { projected: 0, quarantined: 0 };
    }
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
