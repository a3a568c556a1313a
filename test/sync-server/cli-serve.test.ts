/**
 * `dunwell serve --demo` as `npm start` runs it, in its own process: the demo (portfolio and users) is
 * in place before the server listens, so a sign-in as soon as /api/health answers works. It used to
 * listen first and seed after, and a sign-in in that window answered "wrong user or password".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

describe('dunwell serve --demo', () => {
  it('answers /api/health only once the demo users can sign in', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dunwell-serve-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/dunwell.mjs', 'serve', '--demo', '--demo-accounts', '20', '--host', '127.0.0.1', '--port', String(port)], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    cleanup.push(async () => {
      child.kill('SIGTERM');
      await stopped(child);
    });
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`))));
    // The cleanup's kill ends it too, once the test no longer listens.
    exited.catch(() => undefined);
    const base = `http://127.0.0.1:${port}`;
    await Promise.race([eventually(async () => expect((await fetch(`${base}/api/health`)).ok).toBe(true), 50_000), exited]);
    // At once, without waiting for the "running at" line.
    const signIn = await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'ana', password: 'demo' }) });
    expect(signIn.status).toBe(200);
    expect(((await signIn.json()) as { token?: string }).token).toMatch(/^ey/);
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
