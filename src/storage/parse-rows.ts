/**
 * Zod at the Dexie boundary (DESIGN.md §6): every row read back is parsed. A row that fails is skipped
 * and counted, never thrown: one corrupt record must not keep a collector from the rest of the book.
 */
import type { z } from 'zod';

export class RowCounter {
  invalid = 0;
}

export function parseRows<S extends z.ZodType>(schema: S, rows: readonly unknown[], counter: RowCounter): z.infer<S>[] {
  const out: z.infer<S>[] = [];
  for (const row of rows) {
    const r = schema.safeParse(row);
    if (r.success) out.push(r.data);
    else counter.invalid++;
  }
  return out;
}

export function parseRow<S extends z.ZodType>(schema: S, row: unknown, counter: RowCounter): z.infer<S> | undefined {
  if (row === undefined) return undefined;
  const r = schema.safeParse(row);
  if (r.success) return r.data;
  counter.invalid++;
  return undefined;
}
