/**
 * `dunwell user …`, `dunwell team …`, `dunwell token`: people and access, on the store in the data
 * folder. Exit 1 when the store refuses (a user that exists, a member that does not), 2 for a mistake
 * in the call itself (a bad id, a short password).
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { z } from 'zod';
import { ROLES, roleSchema, type Role } from '../../src/protocol/token';
import { AuthService } from '../auth/auth-service';
import { MIN_PASSWORD_LENGTH, hashPassword } from '../auth/passwords';
import { SignInLimiter } from '../auth/sign-in-limiter';
import { DEFAULT_TOKEN_SECONDS, TokenIssuer, loadOrCreateSecret } from '../auth/tokens';
import { SqliteUserStore, emailSchema, teamIdSchema, userIdSchema, type Team, type User } from '../auth/user-store';
import { ledgerDbPath, tokenSecretPath } from '../config';
import { SqliteLedgerStore } from '../store/sqlite-ledger-store';
import { EXIT, UsageError, intArg, portfolioArg, type CliContext } from './args';

/** The longest a script token may live: long enough for a nightly job, short enough to expire on its own. */
const MAX_TOKEN_SECONDS = 30 * 86_400;

/** A commander argument parser from a zod schema: its first message becomes the usage error. */
function parsed(schema: z.ZodType<string>) {
  return (value: string): string => {
    const r = schema.safeParse(value);
    if (!r.success) throw new InvalidArgumentError(r.error.issues[0]?.message ?? 'invalid');
    return r.data;
  };
}

function roleArg(value: string): Role {
  const r = roleSchema.safeParse(value);
  if (!r.success) throw new InvalidArgumentError(`expected one of ${ROLES.join(', ')}`);
  return r.data;
}

function collect(parse: (v: string) => string) {
  return (value: string, previous: string[] = []): string[] => [...previous, parse(value)];
}

/** The store's users and teams for the length of `fn`; the ledger store runs the migrations. */
async function withUsers<T>(ctx: CliContext, fn: (users: SqliteUserStore, ledger: SqliteLedgerStore) => T | Promise<T>): Promise<T> {
  const ledger = new SqliteLedgerStore(ledgerDbPath(ctx.config().dataDir));
  try {
    return await fn(new SqliteUserStore(ledger.db), ledger);
  } finally {
    ledger.close();
  }
}

/** A store refusal the user can act on: printed, exit 1. */
function refuse(ctx: CliContext, message: string): void {
  ctx.io.err(`error: ${message}`);
  ctx.setExit(EXIT.invalid);
}

async function readPassword(ctx: CliContext, o: { password?: string; passwordStdin?: boolean }): Promise<string | undefined> {
  if (o.password !== undefined && o.passwordStdin === true) throw new UsageError('--password and --password-stdin exclude each other');
  let password = o.password;
  if (o.passwordStdin === true) {
    if (ctx.io.stdin === undefined) throw new UsageError('no standard input to read the password from');
    // The first line, without its line end: `echo "$PW" | dunwell user add … --password-stdin`.
    password = (await ctx.io.stdin()).split(/\r?\n/)[0] ?? '';
  }
  if (password !== undefined && password.length < MIN_PASSWORD_LENGTH) throw new UsageError(`a password has at least ${MIN_PASSWORD_LENGTH} characters`);
  return password;
}

function status(u: User): string {
  return u.disabled ? 'disabled' : u.hasPassword ? 'active' : 'no password';
}

function formatUsers(users: readonly (User & { teams: string[] })[]): string {
  if (users.length === 0) return '(no users)';
  return users.map((u) => [u.id, u.name, u.role, u.email ?? '-', status(u), u.teams.join(',') || '-'].join('\t')).join('\n');
}

function formatTeams(teams: readonly Team[]): string {
  if (teams.length === 0) return '(no teams)';
  return teams.map((t) => [t.id, t.name, `portfolios: ${t.portfolios.join(',') || '-'}`, `members: ${t.members.join(',') || '-'}`].join('\t')).join('\n');
}

export function userCommands(program: Command, ctx: CliContext): void {
  const user = program.command('user').description('add, list, disable users');
  user
    .command('add')
    .description('add a user; without a password they cannot sign in until one is set')
    .requiredOption('--id <id>', 'user id: lowercase letters, digits, dots, dashes', parsed(userIdSchema))
    .requiredOption('--name <name>', 'the name people see')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, roleArg)
    .option('--email <address>', 'e-mail address (they may sign in with it too)', parsed(emailSchema))
    .option('--password <password>', `at least ${MIN_PASSWORD_LENGTH} characters (visible to other users of this machine: prefer --password-stdin)`)
    .option('--password-stdin', 'read the password from the first line of standard input')
    .action(async (o: { id: string; name: string; role: Role; email?: string; password?: string; passwordStdin?: boolean }) => {
      const password = await readPassword(ctx, o);
      const passwordHash = password === undefined ? undefined : await hashPassword(password);
      await withUsers(ctx, (users) => {
        if (users.user(o.id) !== undefined) return refuse(ctx, `a user ${o.id} already exists`);
        if (o.email !== undefined && users.credentials(o.email) !== undefined) return refuse(ctx, `another user has the e-mail ${o.email}`);
        users.addUser({ id: o.id, name: o.name, role: o.role, ...(o.email === undefined ? {} : { email: o.email }), ...(passwordHash === undefined ? {} : { passwordHash }) });
        ctx.io.out(`added ${o.role} ${o.id}${passwordHash === undefined ? ` (no password yet: dunwell user password ${o.id} --password-stdin)` : ''}`);
      });
    });

  user
    .command('list')
    .description('list users with their role, status and teams')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await withUsers(ctx, (users) => users.listUsers().map((u) => ({ ...u, teams: users.teamsOf(u.id) })));
      ctx.io.out(o.json ? JSON.stringify(list, null, 2) : formatUsers(list));
    });

  const setDisabled = (disabled: boolean) => async (id: string) => {
    await withUsers(ctx, (users) => {
      if (users.user(id) === undefined) return refuse(ctx, `no user ${id}`);
      users.setDisabled(id, disabled);
      ctx.io.out(disabled ? `disabled ${id}: their tokens stop working at their next request` : `enabled ${id}`);
    });
  };
  user.command('disable').description('refuse sign-in, refresh and every token of a user (their history stays)').argument('<id>', 'user id').action(setDisabled(true));
  user.command('enable').description('let a disabled user sign in again').argument('<id>', 'user id').action(setDisabled(false));

  user
    .command('role')
    .description("change a user's role (takes effect at their next request)")
    .argument('<id>', 'user id')
    .argument('<role>', `one of ${ROLES.join(', ')}`, roleArg)
    .action(async (id: string, role: Role) => {
      await withUsers(ctx, (users) => {
        if (users.user(id) === undefined) return refuse(ctx, `no user ${id}`);
        users.setRole(id, role);
        ctx.io.out(`${id} is now a ${role}`);
      });
    });

  user
    .command('password')
    .description("set a user's password")
    .argument('<id>', 'user id')
    .option('--password <password>', `at least ${MIN_PASSWORD_LENGTH} characters`)
    .option('--password-stdin', 'read the password from the first line of standard input')
    .action(async (id: string, o: { password?: string; passwordStdin?: boolean }) => {
      const password = await readPassword(ctx, o);
      if (password === undefined) throw new UsageError('give --password or --password-stdin');
      const hash = await hashPassword(password);
      await withUsers(ctx, (users) => {
        if (users.user(id) === undefined) return refuse(ctx, `no user ${id}`);
        users.setPassword(id, hash);
        ctx.io.out(`password set for ${id}`);
      });
    });

  const team = program.command('team').description('add and list teams: a team works portfolios, its members open them');
  team
    .command('add')
    .description('add a team with the portfolios it works and its members')
    .requiredOption('--id <id>', 'team id', parsed(teamIdSchema))
    .requiredOption('--name <name>', 'the name people see')
    .option('--portfolio <id>', 'a portfolio the team works (repeat for more)', collect(portfolioArg))
    .option('--member <user>', 'a member (repeat for more)', collect(parsed(userIdSchema)))
    .action(async (o: { id: string; name: string; portfolio?: string[]; member?: string[] }) => {
      await withUsers(ctx, (users, ledger) => {
        if (users.team(o.id) !== undefined) return refuse(ctx, `a team ${o.id} already exists`);
        const unknown = (o.member ?? []).filter((m) => users.user(m) === undefined);
        if (unknown.length > 0) return refuse(ctx, `no user ${unknown.join(', ')}: add them first (dunwell user add)`);
        users.addTeam({ id: o.id, name: o.name, portfolios: o.portfolio ?? [] });
        for (const m of o.member ?? []) users.addMember(o.id, m);
        ctx.io.out(`added team ${o.id}: ${(o.portfolio ?? []).length} portfolios, ${(o.member ?? []).length} members`);
        // A team may be set up before its portfolio's first import; say so in case it is a typo.
        for (const p of o.portfolio ?? []) if (ledger.getPortfolio(p) === undefined) ctx.io.out(`note: portfolio ${p} has no data yet`);
      });
    });

  team
    .command('list')
    .description('list teams with their portfolios and members')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await withUsers(ctx, (users) => users.listTeams());
      ctx.io.out(o.json ? JSON.stringify(list, null, 2) : formatTeams(list));
    });

  const membership = (add: boolean) => async (teamId: string, userId: string) => {
    await withUsers(ctx, (users) => {
      if (users.team(teamId) === undefined) return refuse(ctx, `no team ${teamId}`);
      if (users.user(userId) === undefined) return refuse(ctx, `no user ${userId}`);
      if (add) users.addMember(teamId, userId);
      else users.removeMember(teamId, userId);
      ctx.io.out(add ? `${userId} joined ${teamId}` : `${userId} left ${teamId}: the team's portfolios close to them at their next request`);
    });
  };
  team.command('join').description('add a member to a team').argument('<team>', 'team id').argument('<user>', 'user id').action(membership(true));
  team.command('leave').description('take a member off a team').argument('<team>', 'team id').argument('<user>', 'user id').action(membership(false));

  program
    .command('token')
    .description("print a token for a user, signed with the data folder's secret (for scripts and tests)")
    .requiredOption('--user <id>', 'user id', parsed(userIdSchema))
    .option('--seconds <n>', `how long it lasts (at most ${MAX_TOKEN_SECONDS})`, intArg(1, MAX_TOKEN_SECONDS), DEFAULT_TOKEN_SECONDS)
    .option('--json', 'print the session as JSON (token, expiresAt, user, portfolios)')
    .action(async (o: { user: string; seconds: number; json?: boolean }) => {
      const dataDir = ctx.config().dataDir;
      await withUsers(ctx, async (users) => {
        const u = users.user(o.user);
        if (u === undefined) return refuse(ctx, `no user ${o.user}`);
        if (u.disabled) return refuse(ctx, `${o.user} is disabled`);
        // The same secret file the server reads, so the server accepts what this prints.
        const tokens = new TokenIssuer(loadOrCreateSecret(tokenSecretPath(dataDir)));
        const session = await new AuthService({ users, tokens, limiter: new SignInLimiter() }).sessionFor(u, o.seconds);
        ctx.io.out(o.json ? JSON.stringify(session, null, 2) : session.token);
      });
    });
}
