/**
 * The built PWA shell, served by the real server, in Debian's Chromium: it loads, reaches the API,
 * lists the portfolios, and registers its service worker.
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
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('loads from the server, shows the portfolios and registers the service worker', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Connected — server/);
    expect(await page.getByRole('listitem').allTextContents()).toEqual(['North region (north)']);
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
    const api = await page.request.get(`${server.url}/api/no-such-route`);
    expect(api.status()).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
