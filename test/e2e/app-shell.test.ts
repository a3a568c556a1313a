/**
 * The built PWA shell, served by the real server, in Debian's Chromium: it loads, reaches the API with
 * a signed-in user's token, lists the portfolios that user may open, and registers its service worker.
 * Until the shell has its sign-in screen, the token is the sign-in route's, added by the browser to
 * every request (extra HTTP headers).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { startTestServer } from '../helpers/server';

describe('app shell in Chromium', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'dunwell-dist-'));
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    await build({ root: resolve(__dirname, '../..'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
    server = await startTestServer({ staticDir: outDir });
    server.store.ensurePortfolio({ id: 'north', name: 'North region' });
    server.store.ensurePortfolio({ id: 'south', name: 'South region' });
    await server.addUser({ id: 'ana', role: 'collector', password: 'correct horse battery', portfolios: ['north'] });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('loads from the server, shows the portfolios of the signed-in user and registers the service worker', async () => {
    const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'ana', password: 'correct horse battery' }),
    });
    expect(signIn.status).toBe(200);
    const { token } = (await signIn.json()) as { token: string };
    await browser.context.setExtraHTTPHeaders({ authorization: `Bearer ${token}` });
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Connected — server/);
    // Ana's team works north only: south is not listed.
    expect(await page.getByRole('listitem').allTextContents()).toEqual(['North region (north)']);
    await browser.context.setExtraHTTPHeaders({});
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${server.url}/`);
    const manifest = (await (await page.request.get(`${server.url}/manifest.webmanifest`)).json()) as { name: string };
    expect(manifest.name).toBe('Dunwell Collections');
  });

  it('serves the app shell for client-side routes, and JSON 404s under /api', async () => {
    const page = await browser.context.newPage();
    const res = await page.goto(`${server.url}/accounts/C000001`);
    expect(res?.status()).toBe(200);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Dunwell Collections');
    const anonymous = await page.request.get(`${server.url}/api/no-such-route`);
    expect(anonymous.status()).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'missing_token' } });
    const api = await page.request.get(`${server.url}/api/no-such-route`, { headers: { authorization: `Bearer ${await server.tokenFor('viewer')}` } });
    expect(api.status()).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
