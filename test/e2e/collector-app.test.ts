/**
 * Issue 5's collector flows end to end: the built PWA served by the real server (API, relay, SQLite)
 * in Debian's Chromium, on the real app layer (Dexie, Yjs over the relay). A collector signs in,
 * works Today and takes a promise to pay; with the server stopped, a reload still opens the app from
 * the service worker and the device's storage, and the work goes on; two collectors on two devices
 * (two browser profiles) working offline converge once the relay is back.
 *
 * `context.setOffline` does not cut websockets (DESIGN.md §7), so "offline" here is the server
 * stopped, and "back" is the same server restarted on the same port and data folder.
 */
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../src/domain/facts';
import { launchChromium } from '../helpers/chromium';
import type { TestServer } from '../helpers/server';
import { buildDist, signIn, startDemoServer, syncText, tempDataDir, waitForOfflineShell } from './e2e-helpers';

const ALL_SAVED = /all changes saved to the server/;

describe('the collector’s app end to end', () => {
  let dist: string;
  const dataDir = tempDataDir();
  let server: TestServer;
  let port: number;
  let anaBrowser: Awaited<ReturnType<typeof launchChromium>>;
  let benBrowser: Awaited<ReturnType<typeof launchChromium>>;
  let ana: Page;
  let ben: Page;
  let account = '';
  const pageErrors: string[] = [];

  const facts = (accountNumber: string): Fact[] => server.facts.list('demo', accountNumber);
  const stop = async () => server.stop();
  const restart = async () => {
    server = await startDemoServer({ staticDir: dist, dataDir, port });
  };
  const openAccount = async (page: Page, n: string) => {
    await page.goto(`${server.url}/accounts/${encodeURIComponent(n)}`);
    await page.getByRole('heading', { name: 'Invoices' }).waitFor({ timeout: 30_000 });
  };
  const logOutcome = async (page: Page, outcome: string) => {
    await page.getByRole('button', { name: 'Log outcome', exact: true }).click();
    await page.getByRole('button', { name: outcome, exact: true }).click();
    await expect.poll(() => page.locator('.action-message').textContent()).toMatch(new RegExp(`Logged: .*, ${outcome}`));
  };

  /** Timeline items titled `title` by `by` that happened at or after `since` (ISO). */
  const loggedSince = (page: Page, title: string, by: string, since: string) =>
    page.locator('.timeline-item').evaluateAll(
      (items, o) =>
        items.filter((li) => li.querySelector('strong')?.textContent === o.title && li.querySelector('.muted')?.textContent === ` · ${o.by}` && (li.querySelector('time')?.getAttribute('datetime') ?? '') >= o.since).length,
      { title, by, since },
    );

  beforeAll(async () => {
    dist = await buildDist();
    server = await startDemoServer({ staticDir: dist, dataDir });
    port = server.port;
    anaBrowser = await launchChromium();
    benBrowser = await launchChromium();
    ana = await anaBrowser.context.newPage();
    ben = await benBrowser.context.newPage();
    for (const p of [ana, ben]) p.on('pageerror', (e) => pageErrors.push(`${String(e)}\n${e.stack ?? ''}`));
  }, 180_000);

  // A script error in either browser fails the test it happened in (a blank screen is not a pass).
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await anaBrowser.close();
    await benBrowser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(dist, { recursive: true, force: true });
  });

  it('signs in, works the Today list and takes a promise to pay that reaches the server', async () => {
    await signIn(ana, server.url, 'ana');
    const mine = Number((await ana.locator('.count').textContent())?.replace(/\D/g, ''));
    expect(mine).toBeGreaterThan(0);
    // Team shows at least as many as mine; search narrows to one account.
    await ana.getByText('Team', { exact: true }).click();
    await expect.poll(async () => Number((await ana.locator('.count').textContent())?.replace(/\D/g, ''))).toBeGreaterThanOrEqual(mine);
    await ana.getByText('Mine', { exact: true }).click();
    await expect.poll(async () => Number((await ana.locator('.count').textContent())?.replace(/\D/g, ''))).toBe(mine);
    const href = (await ana.locator('.worklist a.stretched').first().getAttribute('href')) ?? '';
    account = decodeURIComponent(href.split('/').pop() ?? '');
    await ana.getByLabel('Search').fill(account);
    await expect.poll(() => ana.locator('.count').textContent()).toBe('1 account');

    await ana.locator('.worklist a.stretched').first().click();
    await ana.getByRole('heading', { name: 'Invoices' }).waitFor();
    await ana.getByRole('button', { name: 'Promise to pay', exact: true }).click();
    await ana.getByLabel(/^Amount/).fill('50');
    await ana.getByRole('button', { name: 'Save promise to pay' }).click();
    await expect.poll(() => ana.locator('.action-message').textContent()).toMatch(/Promise to pay saved/);
    await expect.poll(() => ana.locator('.timeline-item').first().textContent()).toMatch(/Promise to pay/);
    await expect.poll(() => syncText(ana), { timeout: 20_000 }).toMatch(ALL_SAVED);
    await expect.poll(() => facts(account).some((f) => f.type === 'promise' && f.by === 'ana'), { timeout: 20_000 }).toBe(true);
  }, 120_000);

  it('with the server stopped, a reload opens the app from the device and the work goes on, then syncs when it is back', async () => {
    await waitForOfflineShell(ana);
    await stop();
    // The service worker answers the navigation; the app opens from the device's storage.
    await ana.goto(server.url);
    await ana.getByRole('heading', { level: 1, name: 'Today' }).waitFor({ timeout: 30_000 });
    await ana.locator('.row-card').first().waitFor({ timeout: 30_000 });
    await expect.poll(() => syncText(ana)).toMatch(/Connecting|Offline/);

    await ana.locator('.worklist a.stretched').first().click();
    await ana.getByRole('heading', { name: 'Invoices' }).waitFor();
    const offlineAccount = decodeURIComponent(new URL(ana.url()).pathname.split('/').pop() ?? '');
    await logOutcome(ana, 'No answer');
    await expect.poll(() => syncText(ana)).toMatch(/1 change waiting/);

    await restart();
    await expect.poll(() => syncText(ana), { timeout: 30_000 }).toMatch(ALL_SAVED);
    await expect.poll(() => facts(offlineAccount).some((f) => f.type === 'activity' && f.by === 'ana' && f.outcome === 'no-answer'), { timeout: 20_000 }).toBe(true);
  }, 180_000);

  it('two collectors working offline on one account converge after the relay comes back', async () => {
    await signIn(ben, server.url, 'ben');
    await openAccount(ana, account);
    await openAccount(ben, account);
    await expect.poll(() => syncText(ben), { timeout: 20_000 }).toMatch(/Online/);

    const began = new Date().toISOString();
    expect(await loggedSince(ana, 'Call: Right-party contact', 'ben', began)).toBe(0);
    await stop();
    await logOutcome(ana, 'Left message');
    await logOutcome(ben, 'Right-party contact');
    await expect.poll(() => syncText(ana)).toMatch(/change.* waiting/);
    await expect.poll(() => syncText(ben)).toMatch(/change.* waiting/);

    await restart();
    // Each sees the other's new activity: logged by that collector since the test began (the demo's
    // seeded history of the account may hold the same outcomes by the same collectors).
    await expect.poll(() => loggedSince(ana, 'Call: Right-party contact', 'ben', began), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => loggedSince(ben, 'Call: Left message', 'ana', began), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => syncText(ana), { timeout: 30_000 }).toMatch(ALL_SAVED);
    await expect.poll(() => syncText(ben), { timeout: 30_000 }).toMatch(ALL_SAVED);
    // "All saved" means the relay's room log holds both; the fact store follows within a second.
    await server.relay.relay.persisted();
    const onServer = facts(account).filter((f) => f.type === 'activity');
    expect(onServer.some((f) => f.by === 'ana' && f.outcome === 'left-message')).toBe(true);
    expect(onServer.some((f) => f.by === 'ben' && f.outcome === 'right-party-contact')).toBe(true);
  }, 180_000);
});
