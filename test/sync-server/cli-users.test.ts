/**
 * `dunwell user`, `team` and `token`, in process through `main` (as cli.test.ts does) and through the
 * package bin as a real process; the tokens printed are checked against a real server on the same
 * data folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../sync-server/cli/main';
import { startTestServer } from '../helpers/server';

const BIN = resolve(__dirname, '../../bin/dunwell.mjs');
const PASSWORD = 'correct horse battery';

async function cli(argv: string[], o: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) {
  let out = '';
  let err = '';
  const io = { out: (t: string) => (out += `${t}\n`), err: (t: string) => (err += `${t}\n`), ...(o.stdin === undefined ? {} : { stdin: () => Promise.resolve(o.stdin ?? '') }) };
  const code = await main(argv, io, o.env ?? { ...process.env, DATA_DIR: '/nonexistent-dunwell-data' });
  return { code, out, err };
}

describe('dunwell user, team and token', () => {
  let dataDir: string;
  const d = () => ['--data', dataDir];

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dunwell-cli-users-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('adds users with a password (argument or stdin) or none, and refuses a duplicate with exit 1', async () => {
    const ana = await cli(['user', 'add', '--id', 'ana', '--name', 'Ana Pereira', '--role', 'collector', '--email', 'ana@example.test', '--password', PASSWORD, ...d()]);
    expect(ana).toMatchObject({ code: 0, err: '' });
    expect(ana.out).toMatch(/added collector ana/);
    // --data may come before the command too.
    const maria = await cli([...d(), 'user', 'add', '--id', 'maria', '--name', 'Maria', '--role', 'manager', '--password-stdin'], { stdin: `${PASSWORD}\n` });
    expect(maria.code).toBe(0);
    const ben = await cli(['user', 'add', '--id', 'ben', '--name', 'Ben', '--role', 'viewer', ...d()]);
    expect(ben.code).toBe(0);
    expect(ben.out).toMatch(/no password yet/);
    const again = await cli(['user', 'add', '--id', 'ana', '--name', 'Other', '--role', 'viewer', ...d()]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists/);
    const sameEmail = await cli(['user', 'add', '--id', 'ana2', '--name', 'Other', '--role', 'viewer', '--email', 'ANA@example.test', ...d()]);
    expect(sameEmail.code).toBe(1);
  });

  it('exits 2 on a bad id, role, e-mail or short password, and on both password options', async () => {
    const add = (...extra: string[]) => cli(['user', 'add', '--name', 'X', ...d(), ...extra]);
    expect((await add('--id', 'Bad Id', '--role', 'collector')).code).toBe(2);
    expect((await add('--id', 'x1', '--role', 'owner')).code).toBe(2);
    expect((await add('--id', 'x1', '--role', 'collector', '--email', 'not-an-email')).code).toBe(2);
    const short = await add('--id', 'x1', '--role', 'collector', '--password', 'short');
    expect(short.code).toBe(2);
    expect(short.err).toMatch(/at least 10/);
    expect((await cli(['user', 'add', '--name', 'X', '--id', 'x1', '--role', 'collector', '--password', PASSWORD, '--password-stdin', ...d()], { stdin: PASSWORD })).code).toBe(2);
    expect((await add('--role', 'collector')).code).toBe(2);
    // None of those added anyone.
    const list = JSON.parse((await cli(['user', 'list', '--json', ...d()])).out) as { id: string }[];
    expect(list.map((u) => u.id)).toEqual(['ana', 'ben', 'maria']);
  });

  it('adds a team with portfolios and members; refuses unknown members and a duplicate; lists teams', async () => {
    const t = await cli(['team', 'add', '--id', 'north-team', '--name', 'North', '--portfolio', 'north', '--portfolio', 'north-2', '--member', 'ana', '--member', 'ben', ...d()]);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/2 portfolios, 2 members/);
    expect(t.out).toMatch(/note: portfolio north has no data yet/);
    const ghost = await cli(['team', 'add', '--id', 'south-team', '--name', 'South', '--member', 'ghost', ...d()]);
    expect(ghost.code).toBe(1);
    expect(ghost.err).toMatch(/no user ghost/);
    expect((await cli(['team', 'add', '--id', 'north-team', '--name', 'Again', ...d()])).code).toBe(1);
    expect((await cli(['team', 'add', '--id', 'x', '--name', 'X', '--portfolio', 'Bad_Portfolio', ...d()])).code).toBe(2);
    const teams = JSON.parse((await cli(['team', 'list', '--json', ...d()])).out) as unknown;
    expect(teams).toEqual([{ id: 'north-team', name: 'North', portfolios: ['north', 'north-2'], members: ['ana', 'ben'] }]);
    expect((await cli(['team', 'list', ...d()])).out).toMatch(/^north-team\tNorth\tportfolios: north,north-2\tmembers: ana,ben$/m);
    expect((await cli(['team', 'join', 'north-team', 'maria', ...d()])).code).toBe(0);
    expect((await cli(['team', 'leave', 'north-team', 'ben', ...d()])).code).toBe(0);
    expect((await cli(['team', 'join', 'no-team', 'maria', ...d()])).code).toBe(1);
  });

  it('lists users with role, status and teams', async () => {
    const text = (await cli(['user', 'list', ...d()])).out;
    expect(text).toMatch(/^ana\tAna Pereira\tcollector\tana@example.test\tactive\tnorth-team$/m);
    expect(text).toMatch(/^ben\tBen\tviewer\t-\tno password\t-$/m);
    const json = JSON.parse((await cli(['user', 'list', '--json', ...d()])).out) as { id: string; teams: string[]; hasPassword: boolean }[];
    expect(json.find((u) => u.id === 'maria')).toMatchObject({ teams: ['north-team'], hasPassword: true });
  });

  it('prints a token the server on the same data folder accepts; refuses an unknown or disabled user with exit 1', async () => {
    const t = await cli(['token', '--user', 'ana', '--seconds', '120', ...d()]);
    expect(t.code).toBe(0);
    const token = t.out.trim();
    expect(token.split('.')).toHaveLength(3);
    const json = JSON.parse((await cli(['token', '--user', 'maria', '--json', ...d()])).out) as { portfolios: string[]; user: { role: string }; expiresAt: string };
    expect(json).toMatchObject({ portfolios: ['north', 'north-2'], user: { role: 'manager' } });
    const server = await startTestServer({ dataDir });
    try {
      const me = await server.api('/api/auth/me', token);
      expect(me.status).toBe(200);
      const body = (await me.json()) as { user: { id: string }; portfolios: string[]; expiresAt: string };
      expect(body.user.id).toBe('ana');
      expect(body.portfolios).toEqual(['north', 'north-2']);
      expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(120_000);
      // The password set by `user add` signs in.
      const signIn = await server.api('/api/auth/sign-in', undefined, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'maria', password: PASSWORD }) });
      expect(signIn.status).toBe(200);
    } finally {
      await server.stop();
    }
    expect((await cli(['token', '--user', 'ghost', ...d()])).code).toBe(1);
    expect((await cli(['token', '--user', 'ana', '--seconds', '0', ...d()])).code).toBe(2);
    const disable = await cli(['user', 'disable', 'ana', ...d()]);
    expect(disable.code).toBe(0);
    const refused = await cli(['token', '--user', 'ana', ...d()]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/disabled/);
    expect((await cli(['user', 'list', ...d()])).out).toMatch(/^ana\t.*\tdisabled\t/m);
    expect((await cli(['user', 'enable', 'ana', ...d()])).code).toBe(0);
    expect((await cli(['user', 'role', 'ben', 'manager', ...d()])).code).toBe(0);
    expect((await cli(['user', 'role', 'ben', 'owner', ...d()])).code).toBe(2);
    expect((await cli(['user', 'list', ...d()])).out).toMatch(/^ben\tBen\tmanager\t/m);
    expect((await cli(['user', 'disable', 'ghost', ...d()])).code).toBe(1);
  });

  it('sets a password from stdin; the bin reads it from a real pipe and exits with real codes', () => {
    const env = { ...process.env, DATA_DIR: dataDir };
    const set = spawnSync(process.execPath, [BIN, 'user', 'password', 'ben', '--password-stdin'], { env, input: `${PASSWORD}\n`, encoding: 'utf8' });
    expect(set.stderr).toBe('');
    expect(set.status).toBe(0);
    const list = spawnSync(process.execPath, [BIN, 'user', 'list', '--json'], { env, encoding: 'utf8' });
    expect((JSON.parse(list.stdout) as { id: string; hasPassword: boolean }[]).find((u) => u.id === 'ben')?.hasPassword).toBe(true);
    const usage = spawnSync(process.execPath, [BIN, 'token'], { env, encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--user/);
  });
});

describe('dunwell serve --demo', () => {
  it('adds the demo users and team once, prints how to sign in, and ana signs in with "demo"', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dunwell-serve-demo-'));
    const run = async () => {
      const child = spawn(process.execPath, [BIN, 'serve', '--demo', '--demo-accounts', '30', '--port', '0', '--data', dataDir], { env: { ...process.env, HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      const lines: string[] = [];
      const url = await new Promise<string>((done, fail) => {
        child.once('exit', (code) => fail(new Error(`serve exited with ${code}: ${lines.join('\n')}`)));
        createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line);
          const m = /^Sign in at (\S+) /.exec(line);
          if (m?.[1] !== undefined) done(m[1]);
        });
      });
      return { child, lines, url };
    };
    const stop = (child: ReturnType<typeof spawn>) => new Promise<void>((done) => child.once('exit', () => done()).kill('SIGTERM'));
    try {
      const first = await run();
      try {
        expect(first.lines.join('\n')).toMatch(/added demo users: admin, maria, ana, ben, cai, dee, eli, fay, gus, hal, victor/);
        expect(first.lines.join('\n')).toMatch(/password "demo"/);
        const signIn = await fetch(`${first.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'ana', password: 'demo' }) });
        expect(signIn.status).toBe(200);
        const session = (await signIn.json()) as { token: string; portfolios: string[]; user: { role: string } };
        expect(session).toMatchObject({ portfolios: ['demo'], user: { role: 'collector' } });
        const list = await fetch(`${first.url}/api/portfolios`, { headers: { authorization: `Bearer ${session.token}` } });
        expect(await list.json()).toEqual({ portfolios: [{ id: 'demo', name: 'Demo portfolio' }] });
      } finally {
        await stop(first.child);
      }
      const second = await run();
      await stop(second.child);
      expect(second.lines.join('\n')).not.toMatch(/added demo users/);
      const teams = JSON.parse((await cli(['team', 'list', '--json', '--data', dataDir])).out) as unknown;
      expect(teams).toEqual([{ id: 'demo-team', name: 'Demo team', portfolios: ['demo'], members: ['ana', 'ben', 'cai', 'dee', 'eli', 'fay', 'gus', 'hal', 'maria', 'victor'] }]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
