/**
 * The fact codec: every value read from a fact doc's `Y.Map('facts')` goes through `factSchema`
 * (DESIGN.md §6). A record that fails, whose key is not its id, or that belongs to another portfolio is
 * not a fact this device acts on: it is quarantined (kept for a person to look at) and counted, never
 * thrown, so one bad record from an old or broken client cannot stop a collector's day.
 */
import { factSchema, type Fact } from '../domain/facts';
import type { QuarantinedRecord } from '../app/ports';

const MAX_RAW = 16 * 1024;

export type Decoded = { readonly ok: true; readonly fact: Fact } | { readonly ok: false; readonly record: QuarantinedRecord };

/** JSON text of whatever was in the map (a nested Y type has toJSON), cut to MAX_RAW. */
export function rawText(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_RAW ? text.slice(0, MAX_RAW) : text;
}

export function decodeFact(key: string, value: unknown, where: { readonly room: string; readonly portfolioId: string; readonly at: string }): Decoded {
  const parsed = factSchema.safeParse(value);
  const issues: string[] = [];
  if (!parsed.success) for (const i of parsed.error.issues) issues.push(`${i.path.join('.') || '(record)'}: ${i.message}`);
  else {
    if (parsed.data.id !== key) issues.push(`id: the record is stored under ${key} but its id is ${parsed.data.id}`);
    if (parsed.data.portfolioId !== where.portfolioId) issues.push(`portfolioId: ${parsed.data.portfolioId} in a doc of ${where.portfolioId}`);
  }
  if (parsed.success && issues.length === 0) return { ok: true, fact: parsed.data };
  return { ok: false, record: { portfolioId: where.portfolioId, room: where.room, key, raw: rawText(value), issues, at: where.at } };
}

/** A fact as it is stored: plain JSON (never a nested Y.Map, DESIGN.md §2). */
export function encodeFact(fact: Fact): unknown {
  return JSON.parse(JSON.stringify(fact)) as unknown;
}
