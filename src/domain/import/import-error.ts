/**
 * What an import says about a bad cell: where it is, as the user sees the file, and what should be there.
 */
import { z } from 'zod';

export const importErrorSchema = z.object({
  /** Spreadsheet row: the header is row 1, the first record row 2 (blank lines are not counted). */
  row: z.number().int().min(1),
  column: z.string(),
  value: z.string(),
  expected: z.string(),
});
export type ImportError = z.infer<typeof importErrorSchema>;

/** Errors kept in a result; beyond this only the count grows (a wrong mapping makes every row bad). */
export const MAX_REPORTED_ERRORS = 1000;

export class ErrorLog {
  readonly errors: ImportError[] = [];
  count = 0;
  add(error: ImportError): void {
    this.count++;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(error);
  }
}

/** A broken quote can swallow the rest of a file into one cell: show the start only. */
export function clip(value: string): string {
  return value.length > 200 ? `${value.slice(0, 200)}…` : value;
}
