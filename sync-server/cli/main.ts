/**
 * `dunwell <command>`: the command line of the server, honouring DATA_DIR.
 * Exit codes: 0 success, 1 validation errors (printed), 2 usage errors.
 */
import { Command, CommanderError } from 'commander';
import { configFromEnv } from '../config';
import { EXIT, UsageError, type Io } from './args';
import { aggregateCommand } from './commands';

export { EXIT, UsageError };

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

