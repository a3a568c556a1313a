/**
 * `dunwell serve --demo` as `npm start` runs it, in its own process: the demo (portfolio and users) is
 * in place before the server listens, so a sign-in as soon as /api/health answers works. It used to
 * listen first and seed after, and a sign-in in that window answered "wrong user or password". And the
 * node options the server needs from its start (heap-tuning.ts) come with the bin, or it says so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../sync-server/server';
import { freePort } from '../helpers/free-port';
import { eventually } from '../helpers/relay-clients';

const ROOT = resolve(import.meta.dirname, '../..');

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function stopped(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', () => done());
  });
}

/**
 * `dunwell serve …` in a process of its own: `command` is how it is started (through the bin's shebang
 * as `npx dunwell` does, or `node bin/dunwell.mjs`). Stopped with SIGTERM after the test at the latest.
 */
function serve(command: readonly string[], args: readonly string[]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'dunwell-serve-'));
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.NODE_OPTIONS;
  const [program = '', ...programArgs] = command;
  const child = spawn(program, [...programArgs, 'serve', '--host', '127.0.0.1', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const stop = async () => {
    child.kill('SIGTERM');
    await stopped(child);
  };
  cleanup.push(stop);
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`))));
  // The cleanup's kill ends it too, once the test no longer listens.
  exited.catch(() => undefined);
  return { child, dataDir, output: () => output, exited, stop };
}

const NODE_OPTION_WARNING = 'warning: node was started without';

describe('dunwell serve --demo', () => {
  it('answers /api/health only once the demo users can sign in; started as `npx dunwell serve`, it has the node options it expects', async () => {
    const port = await freePort();
    // Through the bin's shebang, as npx runs it.
    const s = serve([join(ROOT, 'bin', 'dunwell.mjs')], ['--demo', '--demo-accounts', '20', '--port', String(port)]);
    const base = `http://127.0.0.1:${port}`;
    await Promise.race([eventually(async () => expect((await fetch(`${base}/api/health`)).ok).toBe(true), 50_000), s.exited]);
    // At once, without waiting for the "running at" line.
    const signIn = await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'ana', password: 'demo' }) });
    expect(signIn.status).toBe(200);
    expect(((await signIn.json()) as { token?: string }).token).toMatch(/^ey/);
    await s.stop();
    // A clean stop: exit code 0 (it was 13, an await left unsettled, while the SQLite workers were
    // waited for), and the main connections closed last, each with its final checkpoint.
    expect(s.child.exitCode).toBe(0);
    for (const file of ['ledger.sqlite', 'rooms.sqlite']) expect(existsSync(join(s.dataDir, `${file}-wal`))).toBe(false);
    expect(s.output()).toContain('Dunwell is running at');
    expect(s.output()).not.toContain(NODE_OPTION_WARNING);
  }, 60_000);

  it('warns when node was started without the options the server expects', async () => {
    const s = serve([process.execPath, 'bin/dunwell.mjs'], ['--port', '0']);
    await Promise.race([eventually(() => expect(s.output()).toContain('Dunwell is running at'), 50_000), s.exited]);
    expect(s.output()).toContain(`${NODE_OPTION_WARNING} --v8-pool-size=0`);
    await s.stop();
    expect(s.child.exitCode).toBe(0);
  }, 60_000);
});

describe('startServer: beforeListen', () => {
  it('if it throws, the start fails, what it committed stays, and the data folder opens again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dunwell-before-listen-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    await expect(
      startServer({
        port: 0,
        host: '127.0.0.1',
        dataDir,
        beforeListen: (s) => {
          s.store.ensurePortfolio({ id: 'acme', name: 'Acme' });
          throw new Error('seeding failed');
        },
      }),
    ).rejects.toThrow('seeding failed');
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      beforeListen: (s) => {
        // What the failed start wrote before it threw is there: it was committed, and closed cleanly.
        expect(s.store.listPortfolios().map((p) => p.id)).toEqual(['acme']);
      },
    });
    cleanup.push(() => server.close());
    expect(server.server.listening).toBe(true);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });
});
