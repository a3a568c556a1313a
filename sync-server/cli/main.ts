/**
 * `dunwell <command>`: the command line of the server, honouring DATA_DIR.
 * Exit codes: 0 success, 1 validation errors (printed), 2 usage errors.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { isCalendarDate, type CalendarDate } from '../../src/domain/calendar';
import { portfolioIdSchema } from '../../src/domain/ledger';
import { configFromEnv } from '../config';
import { aggregateCommand } from './commands';

export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** Raised by a command for a mistake in how it was called (exit 2), as opposed to bad data (exit 1). */
export class UsageError extends Error {}

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
}

const stdio: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

export async function main(argv: readonly string[], io: Io = stdio, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('dunwell')
    .description('Dunwell credit-and-collections: server, imports and reports')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(add --help for usage)');
  const context = {
    io,
    config: () => configFromEnv(env),
    setExit: (c: number) => {
      code = c;
    },
  };
  aggregateCommand(program, context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return EXIT.ok;
      return EXIT.usage;
    }
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}`);
      return EXIT.usage;
    }
    throw e;
  }
  return code;
}

export type CliContext = {
  readonly io: Io;
  readonly config: () => ReturnType<typeof configFromEnv>;
  readonly setExit: (code: number) => void;
};
