/**
 * What the browser benchmark does in a page: sign in through the UI and follow the first ledger pull,
 * cold-start the app and read the UI's first-rows mark, log one-tap outcomes and watch the list
 * re-rank, and time the worklist cache query through the storage probe (probe-entry.ts).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../../sync-server/demo/demo-users';
import type { StorageProbe, TopTimes } from './probe-entry';
import { PROBE_PATH } from './build';

/** The mark WorklistList sets when it mounts with its first rows. */
export const ROWS_MARK = 'dunwell:today-rows';

type ProbeWindow = { dunwellProbe?: StorageProbe };

export async function loadProbe(page: Page): Promise<void> {
  await page.addScriptTag({ url: PROBE_PATH, type: 'module' });
  await page.waitForFunction(() => (window as ProbeWindow).dunwellProbe !== undefined);
}

export interface FirstSignIn {
  /** Sign-in click → the pull's transaction committed (cursor stored). */
  readonly ledgerMs: number;
  /** Sign-in click → the first Today rows on screen. */
  readonly firstRowsMs: number;
  /** Sign-in click → the list live (the engine ran on the whole portfolio). */
  readonly liveMs: number;
  /** Sign-in click → the worklist cache written (what the next cold start reads). */
  readonly cacheMs: number;
  readonly ledgerRequests: number;
  readonly ledgerBytes: number;
  readonly copy: { cursor: number; accounts: number; documents: number; payments: number; contacts: number };
  readonly cacheRows: number;
}

const since = (t0: number) => performance.now() - t0;

async function until<T>(what: string, timeoutMs: number, poll: () => Promise<T | undefined>, everyMs = 100): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await poll();
    if (v !== undefined) return v;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Whether Today shows the live list (neither "opening" nor the cached list's notice). */
const isLive = (page: Page) =>
  page.evaluate(() => document.querySelector('.row-card') !== null && !/Opening your portfolio|Showing the list saved/.test(document.body.innerText));

export async function firstSignIn(page: Page, url: string, user: string, portfolioId: string, timeoutMs: number): Promise<FirstSignIn> {
  let ledgerRequests = 0;
  let ledgerBytes = 0;
  let copied = false;
  page.on('requestfinished', (r) => {
    // The pages of the first pull only (the live app pulls a delta soon after).
    if (copied || !/\/api\/portfolios\/[^/]+\/ledger/.test(r.url())) return;
    ledgerRequests++;
    void r.sizes().then(
      (s) => (ledgerBytes += s.responseBodySize),
      () => undefined,
    );
  });
  await page.goto(url);
  await loadProbe(page);
  await page.getByLabel('User or e-mail').fill(user);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  const t0 = performance.now();
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Each poll's read queues behind the pull's readwrite transaction, so it answers right after the commit.
  const copy = await until('the ledger copy', timeoutMs, () => page.evaluate((id) => (window as ProbeWindow).dunwellProbe?.ledgerCopy(id), portfolioId), 50);
  const ledgerMs = since(t0);
  copied = true;
  await page.locator('.row-card').first().waitFor({ timeout: timeoutMs });
  const firstRowsMs = since(t0);
  await until('the live list', timeoutMs, async () => ((await isLive(page)) ? true : undefined));
  const liveMs = since(t0);
  const cacheRows = await until('the worklist cache', timeoutMs, () => page.evaluate((id) => (window as ProbeWindow).dunwellProbe?.cacheCount(id), portfolioId), 200);
  const cacheMs = since(t0);
  return { ledgerMs, firstRowsMs, liveMs, cacheMs, ledgerRequests, ledgerBytes, copy, cacheRows };
}

export interface ColdStart {
  /** Navigation start → the first-rows mark (performance.timeOrigin is the navigation's start). */
  readonly rowsMs: number;
  /** The main script's response end and DOMContentLoaded: where the shell's part of the time ends. */
  readonly scriptMs: number;
  readonly domContentLoadedMs: number;
  /** The app's own marks on the way (name → ms since navigation start), for the profile of the open path. */
  readonly marks: Record<string, number>;
}

/** A new tab on the signed-in profile: the service worker, the HTTP cache and the device's database are warm, the page is not. */
export async function coldStart(context: BrowserContext, url: string, timeoutMs: number): Promise<ColdStart> {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, ROWS_MARK, { timeout: timeoutMs, polling: 20 });
    return await page.evaluate((mark) => {
      const rows = performance.getEntriesByName(mark)[0]?.startTime ?? Number.NaN;
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const script = performance.getEntriesByType('resource').find((r) => /\/assets\/index-[^/]+\.js$/.test(r.name)) as PerformanceResourceTiming | undefined;
      const marks: Record<string, number> = {};
      for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('dunwell:')) marks[m.name] = m.startTime;
      return { rowsMs: rows, scriptMs: script?.responseEnd ?? Number.NaN, domContentLoadedMs: nav?.domContentLoadedEventEnd ?? Number.NaN, marks };
    }, ROWS_MARK);
  } finally {
    await page.close();
  }
}

/** Opens Today in a new tab and waits for the live list. */
export async function openLive(context: BrowserContext, url: string, timeoutMs: number): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await until('the live list', timeoutMs, async () => ((await isLive(page)) ? true : undefined), 200);
  return page;
}

export interface Rerank {
  readonly ms: number;
  readonly account: string;
  /** Where the logged account's row went (its 1-based position, or null once it left the rendered window). */
  readonly movedTo: number | null;
}

/**
 * On the live list: opens the one-tap outcomes of the highest row not logged yet in this run (logging
 * the same account twice may change nothing), taps "No answer" and times, in the page, from the tap to
 * the DOM mutation that shows the re-ranked list: another account where this one was, or this one with
 * its new score (a MutationObserver on the list; React commits the re-ranked rows in one go).
 */
export async function logAndRerank(page: Page, timeoutMs: number, logged: ReadonlySet<string>): Promise<Rerank> {
  const pos = await page.evaluate((skip) => {
    for (const li of document.querySelectorAll('.worklist li[aria-posinset]')) {
      const id = li.querySelector('h2.row-title')?.id ?? '';
      if (id !== '' && !skip.includes(id.replace(/^acct-/, ''))) return li.getAttribute('aria-posinset') ?? '';
    }
    return '';
  }, [...logged]);
  if (pos === '') throw new Error('no row left to log on screen');
  const li = `.worklist li[aria-posinset="${pos}"]`;
  await page.locator(`${li} .row-actions button`).click();
  await page.locator(`${li} .quick-log button`).first().waitFor();
  const result = await page.evaluate(
    ([timeout, at]) =>
      new Promise<{ ms: number; account: string; movedTo: number | null } | string>((resolve) => {
        const list = document.querySelector('ol.worklist');
        const sel = `.worklist li[aria-posinset="${at}"]`;
        const titleAt = () => document.querySelector(`${sel} h2.row-title`)?.id ?? '';
        const button = document.querySelector<HTMLButtonElement>(`${sel} .quick-log button`);
        if (list === null || button === null) return resolve('no list or no outcome button');
        const before = titleAt();
        const scoreOf = () => document.getElementById(before)?.closest('article')?.querySelector('.score')?.textContent ?? '';
        const scoreBefore = scoreOf();
        let t0 = 0;
        const observer = new MutationObserver(() => {
          const now = performance.now();
          const title = titleAt();
          if (title === '' || (title === before && scoreOf() === scoreBefore)) return;
          observer.disconnect();
          clearTimeout(timer);
          const moved = document.getElementById(before)?.closest('li')?.getAttribute('aria-posinset');
          resolve({ ms: now - t0, account: before.replace(/^acct-/, ''), movedTo: moved === undefined || moved === null ? null : Number(moved) });
        });
        observer.observe(list, { childList: true, subtree: true, attributes: true, characterData: true });
        const timer = setTimeout(() => {
          observer.disconnect();
          resolve(`the list did not re-rank within ${timeout} ms`);
        }, timeout);
        t0 = performance.now();
        button.click();
      }),
    [timeoutMs, pos] as const,
  );
  if (typeof result === 'string') throw new Error(result);
  return result;
}

export async function topTimes(page: Page, portfolioId: string, assignee: string | undefined, limit: number, runs: number): Promise<TopTimes> {
  await loadProbe(page);
  return page.evaluate(
    ([id, who, n, r]) => {
      const probe = (window as ProbeWindow).dunwellProbe;
      if (probe === undefined) throw new Error('the storage probe is not loaded');
      return probe.top(id, who ?? undefined, n, r);
    },
    [portfolioId, assignee ?? null, limit, runs] as const,
  );
}
