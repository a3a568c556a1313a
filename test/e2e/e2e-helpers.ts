/**
 * What the end-to-end tests share: the PWA built once into a folder, the real server (API, relay,
 * static files) with the demo portfolio and the demo users, restartable on the same port and data
 * folder (to take the relay away and bring it back), and signing in through the UI.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import type { CalendarDate } from '../../src/domain/calendar';
import { DEMO_PASSWORD, seedDemoUsers } from '../../sync-server/demo/demo-users';
import { seedDemo } from '../../sync-server/demo/seed';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * A production build, as `npm start` serves it. Vitest runs with NODE_ENV=test, and Vite takes the
 * environment's NODE_ENV over the mode: without this the tests would drive React's development build.
 */
export async function buildDist(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'dunwell-dist-'));
  await asProduction(() => build({ root: resolve(__dirname, '../..'), mode: 'production', logLevel: 'error', build: { outDir, emptyOutDir: true } }));
  return outDir;
}

export async function asProduction<T>(run: () => Promise<T>): Promise<T> {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    return await run();
  } finally {
    process.env.NODE_ENV = previous;
  }
}

/** The server on `dataDir` (kept across restarts) with, on first start, a small demo portfolio and its users. */
export async function startDemoServer(o: { staticDir: string; dataDir: string; port?: number; accounts?: number }): Promise<TestServer> {
  const server = await startTestServer({ staticDir: o.staticDir, dataDir: o.dataDir, ...(o.port === undefined ? {} : { port: o.port }) });
  if (server.store.listPortfolios().length === 0) {
    const now = new Date().toISOString();
    seedDemo(server.store, server.facts, { portfolioId: 'demo', accounts: o.accounts ?? 150, seed: 5, asOf: now.slice(0, 10) as CalendarDate, now, rooms: server.relay.rooms });
    await seedDemoUsers(server.users, 'demo');
  }
  return server;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'dunwell-e2e-data-'));
}

/** Signs in on the sign-in screen and waits for Today's first rows (the portfolio opened and ranked). */
export async function signIn(page: Page, url: string, user: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('User or e-mail').fill(user);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor({ timeout: 30_000 });
  await page.locator('.row-card').first().waitFor({ timeout: 30_000 });
}

/** The service worker holds the shell: a reload without the server still opens the app. */
export async function waitForOfflineShell(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
}

export const syncText = (page: Page) => page.locator('.sync-indicator').textContent();
