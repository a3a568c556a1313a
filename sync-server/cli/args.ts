/** What every command shares: exit codes, argument parsers, the context a command runs in. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { isCalendarDate, type CalendarDate } from '../../src/domain/calendar';
import { portfolioIdSchema } from '../../src/domain/ledger';
import type { configFromEnv } from '../config';

export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** Raised by a command for a mistake in how it was called (exit 2), as opposed to bad data (exit 1). */
export class UsageError extends Error {}

const UNREADABLE: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
};

/**
 * The text of a file named on the command line (relative to the working directory). A file that
 * cannot be read is a usage error that names the file and says why: "no such file", "permission
 * denied", …, or the system's own message for anything rarer.
 */
export function readFileArg(path: string, what = ''): string {
  try {
    return readFileSync(resolve(path), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = (code === undefined ? undefined : UNREADABLE[code]) ?? (e as Error).message;
    throw new UsageError(`cannot read ${what === '' ? '' : `${what} `}${path}: ${why}`);
  }
}

export function dateArg(value: string): CalendarDate {
  if (!isCalendarDate(value)) throw new InvalidArgumentError(`expected a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}

export function portfolioArg(value: string): string {
  const r = portfolioIdSchema.safeParse(value);
  if (!r.success) throw new InvalidArgumentError(r.error.issues[0]?.message ?? 'bad portfolio id');
  return value;
}

export function intArg(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** All of standard input (for `--password-stdin`); absent where there is none. */
  stdin?(): Promise<string>;
}

export type CliContext = {
  readonly io: Io;
  readonly config: () => ReturnType<typeof configFromEnv>;
  readonly setExit: (code: number) => void;
};
