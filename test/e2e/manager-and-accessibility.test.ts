/**
 * Issue 5's manager and accessibility checks end to end, on the real server and app layer: the import
 * wizard refuses a bad file naming its rows and imports a good one; the dashboard shows the server's
 * aging and KPIs; the strategy editor previews a change and saves it; and on every screen, on a 360 px phone and a 1024 px tablet, axe-core finds no
 * serious or critical violation and every control is at least 44 px.
 */
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import type { TestServer } from '../helpers/server';
import { axeProblems, smallTargets } from '../ui/page-checks';
import { buildDist, signIn, startDemoServer, tempDataDir } from './e2e-helpers';

const HEADER = 'account_number,account_name,document_number,issue_date,due_date,currency,amount';

describe('manager screens and accessibility end to end', () => {
  let dist: string;
  const dataDir = tempDataDir();
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dist = await buildDist();
    server = await startDemoServer({ staticDir: dist, dataDir });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await signIn(page, server.url, 'maria');
  }, 180_000);

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(dist, { recursive: true, force: true });
  });

  const go = async (path: string) => {
    await page.goto(`${server.url}${path}`);
    await page.locator('h1').first().waitFor({ timeout: 30_000 });
  };

  it('the import wizard refuses a bad file with its row numbers, then imports a good one', async () => {
    await go('/manager/import');
    const bad = [HEADER, 'E2E-1,Acme,E2E-INV-1,2025-01-01,2025-01-31,USD,100.00', 'E2E-1,Acme,E2E-INV-2,2025-02-01,2025-02-30,USD,50.00', 'E2E-2,Brite,E2E-INV-3,2025-01-05,2025-02-04,USD,12.345'].join('\n');
    await page.getByLabel('CSV extract from the ERP').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Check the file' }).click();
    const errors = page.getByRole('region', { name: 'Row errors' });
    await expect.poll(() => errors.locator('tbody tr').count(), { timeout: 20_000 }).toBe(2);
    expect(await errors.locator('tbody tr td:first-child').allTextContents()).toEqual(['3', '4']);
    expect(await errors.locator('tbody tr').allTextContents()).toEqual([expect.stringMatching(/due_date.*2025-02-30/), expect.stringMatching(/amount.*12\.345/)]);
    expect(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    expect(server.store.changes('demo', 0).documents.some((d) => d.number.startsWith('E2E-'))).toBe(false);

    const good = [HEADER, 'E2E-1,Acme,E2E-INV-1,2025-01-01,2025-01-31,USD,100.00', 'E2E-2,Brite,E2E-INV-3,2025-01-05,2025-02-04,USD,12.34'].join('\n');
    await page.getByLabel('CSV extract from the ERP').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByRole('heading', { name: 'The file is good' }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Imported' }).waitFor({ timeout: 20_000 });
    const imported = server.store.changes('demo', 0).documents.filter((d) => d.number.startsWith('E2E-')).map((d) => d.number);
    expect(imported.sort()).toEqual(['E2E-INV-1', 'E2E-INV-3']);
  }, 120_000);

  it('the dashboard shows the server’s aging and DSO beside the device’s own figures', async () => {
    await go('/manager/dashboard');
    await page.getByText('DSO (countback)').first().waitFor({ timeout: 20_000 });
    expect(await page.getByRole('heading', { name: /^Aging, / }).count()).toBeGreaterThan(0);
    expect(await page.locator('.chart canvas').count()).toBeGreaterThan(0);
  }, 60_000);

  it('the strategy editor previews a change with the simulation and saves it for the team', async () => {
    await go('/manager/strategies');
    const delay = page.getByLabel('Minimum days between contacts');
    await delay.waitFor({ timeout: 20_000 });
    const before = Number(await delay.inputValue());
    await delay.fill(String(before + 2));
    await page.getByLabel('Days', { exact: true }).selectOption('7');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await page.getByRole('table', { name: /Actions over 7 days/ }).waitFor({ timeout: 60_000 });
    expect(await page.locator('section[aria-labelledby="sim-heading"] canvas').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Save strategy' }).click();
    await expect.poll(() => page.getByText(/^Saved “/).count()).toBe(1);
    await expect.poll(() => page.locator('.sync-indicator').textContent(), { timeout: 20_000 }).toMatch(/all changes saved to the server/);
    // The team's copy now holds it: a reload reads it back from the config doc.
    await go('/manager/strategies');
    await expect.poll(() => page.getByLabel('Minimum days between contacts').inputValue(), { timeout: 20_000 }).toBe(String(before + 2));
  }, 120_000);

  it('every screen passes axe (no serious or critical violation) with 44 px targets, on a phone and a tablet', async () => {
    const check = async (where: string) => {
      expect({ where, problems: await axeProblems(page) }).toEqual({ where, problems: [] });
      expect({ where, small: await smallTargets(page) }).toEqual({ where, small: [] });
    };
    for (const viewport of [
      { width: 360, height: 740 },
      { width: 1024, height: 768 },
    ]) {
      await page.setViewportSize(viewport);
      await go('/');
      await page.locator('.row-card').first().waitFor({ timeout: 30_000 });
      await check(`today ${viewport.width}`);
      const href = (await page.locator('.worklist a.stretched').first().getAttribute('href')) ?? '/';
      await go(href);
      await page.getByRole('heading', { name: 'Invoices' }).waitFor();
      await check(`account ${viewport.width}`);
      for (const panel of ['Log outcome', 'Promise to pay', 'Dispute', 'Field payment', 'Follow-up', 'Hold', 'Escalate']) {
        await page.getByRole('button', { name: panel, exact: true }).click();
        await check(`account ${panel} ${viewport.width}`);
      }
      for (const path of ['/settings', '/sign-out', '/manager/escalations', '/manager/team', '/manager/dashboard', '/manager/assign', '/manager/strategies', '/manager/import']) {
        await go(path);
        await page.waitForLoadState('networkidle');
        await check(`${path} ${viewport.width}`);
      }
    }
    // The sign-in screen, after signing out.
    await go('/sign-out');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to Dunwell' }).waitFor();
    await check('sign-in');
  }, 180_000);
});
