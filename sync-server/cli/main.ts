/**
 * `dunwell <command>`: the command line of the server, on the data folder given by `--data <dir>`
 * (before or after the command) or else DATA_DIR.
 * Exit codes: 0 success, 1 validation errors (printed), 2 usage errors.
 */
import { Command, CommanderError } from 'commander';
import { configFromEnv } from '../config';
import { EXIT, UsageError, type Io } from './args';
import { aggregateCommand } from './commands';
import { userCommands } from './user-commands';

export { EXIT, UsageError };

const stdio: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks).toString('utf8');
  },
};

export async function main(argv: readonly string[], io: Io = stdio, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('dunwell')
    .description('Dunwell credit-and-collections: server, imports and reports')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(add --help for usage)')
    .option('--data <dir>', 'the data folder (default: DATA_DIR, else ./data)');
  const context = {
    io,
    config: () => {
      const data = program.opts<{ data?: string }>().data;
      return configFromEnv(data === undefined ? env : { ...env, DATA_DIR: data });
    },
    setExit: (c: number) => {
      code = c;
    },
  };
  aggregateCommand(program, context);
  userCommands(program, context);
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

