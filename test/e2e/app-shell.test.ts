/**
 * The built PWA shell, served by the real server, in Debian's Chromium: it installs (manifest with
 * real icons, a service worker that precaches the shell and nothing over 2 MiB), signs a user in and
 * offers only the portfolios their teams work, serves client-side routes, and keeps the manager
 * screens out of the initial download.
 */
import { appendFileSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { startTestServer } from '../helpers/server';
import { buildDist } from './e2e-helpers';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('app shell in Chromium', () => {
  let outDir: string;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    outDir = await buildDist();
    server = await startTestServer({ staticDir: outDir });
    for (const [id, name] of [
      ['north', 'North region'],
      ['east', 'East region'],
      ['south', 'South region'],
    ] as const)
      server.store.ensurePortfolio({ id, name });
    await server.addUser({ id: 'ana', name: 'Ana', role: 'collector', password: 'correct horse battery', portfolios: ['north', 'east'] });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser.close();
    await server.stop();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('signs in, offers only the portfolios of the user’s teams, opens one, and registers the service worker', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.getByRole('heading', { level: 1, name: 'Sign in to Dunwell' }).waitFor();
    await page.getByLabel('User or e-mail').fill('ana');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/wrong user or password/i);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Choose a portfolio' }).waitFor();
    // Ana's team works north and east: south is not offered.
    const offered = await page.getByRole('listitem').allTextContents();
    expect(offered.sort()).toEqual(['East region (east)', 'North region (north)']);
    await page.getByRole('button', { name: /North region/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.sync-indicator').textContent()).toMatch(/Online|Connecting/);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${server.url}/`);
    await page.close();
  });

  it('has an installable manifest: name, description, theme colour, 192, 512 and maskable PNG icons', async () => {
    const page = await browser.context.newPage();
    const manifest = (await (await page.request.get(`${server.url}/manifest.webmanifest`)).json()) as {
      name: string;
      description: string;
      theme_color: string;
      display: string;
      start_url: string;
      icons: { src: string; sizes: string; type: string; purpose: string }[];
    };
    expect(manifest).toMatchObject({ name: 'Dunwell Collections', theme_color: '#1f4e5f', display: 'standalone', start_url: '/' });
    expect(manifest.description.length).toBeGreaterThan(10);
    const png = manifest.icons.filter((i) => i.type === 'image/png');
    expect(png.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
    for (const icon of png) {
      const res = await page.request.get(`${server.url}/${icon.src}`);
      expect(res.status()).toBe(200);
      const { width, height } = pngSize(await res.body());
      expect(`${width}x${height}`).toBe(icon.sizes);
    }
    await page.close();
  });

  it('precaches nothing over 2 MiB, and loads no manager screen and no chart library on start', () => {
    const shipped = filesUnder(outDir).filter((f) => !f.endsWith('.map'));
    for (const f of shipped) expect({ f, big: statSync(f).size > 2 * 1024 * 1024 }).toEqual({ f, big: false });
    const sw = readFileSync(join(outDir, 'sw.js'), 'utf8');
    expect(sw).toMatch(/index\.html/);
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
    expect(initial.length).toBeGreaterThan(0);
    expect(initial.filter((f) => /Manager|Dashboard|UPlot|Import|Strategy/.test(f))).toEqual([]);
    // The entry chunk's static imports are what a cold start downloads.
    const entry = readFileSync(join(outDir, initial[0] ?? ''), 'utf8');
    const imported = [...entry.matchAll(/from\s*"\.\/([^"]+\.js)"/g)].map((m) => `assets/${m[1] ?? ''}`);
    const files = [...new Set([...initial, ...imported])];
    expect(files.filter((f) => /Manager|Dashboard|UPlot|Import|Strategy/.test(f))).toEqual([]);
    const gzipKb = files.reduce((s, f) => s + gzipSync(readFileSync(join(outDir, f))).length, 0) / 1024;
    console.log(JSON.stringify({ name: 'initial-js-gzip', kb: Math.round(gzipKb * 10) / 10, files }));
    expect(gzipKb).toBeLessThan(250);
  });

  it('serves the app shell for client-side routes, and JSON 401 and 404 under /api', async () => {
    const fresh = await launchChromium();
    try {
      const page = await fresh.context.newPage();
      const res = await page.goto(`${server.url}/accounts/C000001`);
      expect(res?.status()).toBe(200);
      await page.getByRole('heading', { level: 1, name: 'Sign in to Dunwell' }).waitFor();
      const anonymous = await page.request.get(`${server.url}/api/no-such-route`);
      expect(anonymous.status()).toBe(401);
      expect(await anonymous.json()).toMatchObject({ error: { code: 'missing_token' } });
      const api = await page.request.get(`${server.url}/api/no-such-route`, { headers: { authorization: `Bearer ${await server.tokenFor('viewer')}` } });
      expect(api.status()).toBe(404);
      expect(await api.json()).toMatchObject({ error: { code: 'not_found' } });
    } finally {
      await fresh.close();
    }
  });

  // Last: it changes the built service worker.
  it('a new version waits behind an "Update available" prompt and loads when the user says so', async () => {
    const fresh = await launchChromium();
    try {
      const page = await fresh.context.newPage();
      await page.goto(server.url);
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      // The first worker controls the page from its next load on.
      await page.reload();
      await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
      appendFileSync(join(outDir, 'sw.js'), '\n// the next version\n');
      await page.evaluate(async () => {
        await (await navigator.serviceWorker.getRegistration())?.update();
      });
      const prompt = page.getByRole('region', { name: 'Update available' });
      await prompt.waitFor({ timeout: 20_000 });
      // Nothing reloads on its own: the collector may be mid-note.
      expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null)).toBe(true);
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Reload to update' }).click()]);
      await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
      await page.getByRole('heading', { level: 1, name: 'Sign in to Dunwell' }).waitFor();
      expect(await prompt.count()).toBe(0);
    } finally {
      await fresh.close();
    }
  });
});
