/**
 * The screens on the fake app layer (test/ui/fake-collector-app.ts) in Debian's Chromium: every screen
 * passes axe (no serious or critical violation) with 44 px touch targets on a 360 px phone and a
 * 1024 px tablet, is usable by keyboard, and the collector's actions send the commands the app layer
 * expects. The end-to-end tests (test/e2e) run the same screens on the real app, server and relay.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { buildHarness } from './build-harness';
import { axeProblems, smallTargets } from './page-checks';
import { serveFolder } from './static-server';

const PHONE = { width: 360, height: 740 };
const TABLET = { width: 1024, height: 768 };

interface Dispatched {
  name: string;
  input: Record<string, unknown>;
}

describe('the collector screens on a fake app layer', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'dunwell-ui-harness-'));
  let site: Awaited<ReturnType<typeof serveFolder>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    await buildHarness(outDir);
    site = await serveFolder(outDir);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser.close();
    await site.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  async function open(path: string, viewport = TABLET, query = 'accounts=300'): Promise<Page> {
    const page = await browser.context.newPage();
    await page.setViewportSize(viewport);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${site.url}${path}${path.includes('?') ? '&' : '?'}${query}`);
    await page.locator('h1').first().waitFor();
    expect(errors).toEqual([]);
    return page;
  }

  const dispatched = (page: Page) => page.evaluate(() => (window as unknown as { fakeApp: { dispatched: Dispatched[] } }).fakeApp.dispatched);

  /** An account with an open item of a kind (and, with `owner`, assigned to them or, `!owner`, not), and the item's id. */
  const accountWith = (page: Page, kind: 'dispute' | 'task' | 'hold' | 'promise' | 'escalation', owner: string | null = null) =>
    page.evaluate(
      ([k, o]) => {
        interface S {
          assignedTo: string | null;
          disputes: { id: string; status: string }[];
          tasks: { id: string; status: string }[];
          holds: { id: string; active: boolean }[];
          promises: { id: string; status: string }[];
          escalations: { id: string }[];
          resolvedEscalations: Set<string>;
        }
        const app = (window as unknown as { fakeApp: { worklistRows(q: object): { accountNumber: string }[]; account(n: string): { state: S } | undefined } }).fakeApp;
        for (const r of app.worklistRows({ scope: 'team' })) {
          const st = app.account(r.accountNumber)?.state;
          if (st === undefined) continue;
          if (o !== null && (o.startsWith('!') ? st.assignedTo === o.slice(1) || st.assignedTo === null : st.assignedTo !== o)) continue;
          const id =
            k === 'dispute'
              ? st.disputes.find((d) => d.status === 'open')?.id
              : k === 'task'
                ? st.tasks.find((t) => t.status === 'open')?.id
                : k === 'hold'
                  ? st.holds.find((h) => h.active)?.id
                  : k === 'promise'
                    ? st.promises.find((p) => p.status === 'open')?.id
                    : st.escalations.find((e) => !st.resolvedEscalations.has(e.id))?.id;
          if (id !== undefined) return { account: r.accountNumber, id };
        }
        throw new Error(`no account with an open ${k}`);
      },
      [kind, owner] as const,
    );

  async function openAccountWith(kind: Parameters<typeof accountWith>[1], viewport: { width: number; height: number }, role: 'manager' | 'collector', owner: string | null = null) {
    const query = `accounts=300${role === 'manager' ? '&role=manager' : ''}`;
    const page = await open('/', viewport, query);
    const found = await accountWith(page, kind, owner);
    await page.goto(`${site.url}/accounts/${encodeURIComponent(found.account)}?${query}`);
    await page.getByRole('heading', { name: 'Invoices' }).waitFor();
    return { page, ...found };
  }

  const sent = async (page: Page, name: string) => (await dispatched(page)).filter((d) => d.name === name).map((d) => d.input);
  const firstTimelineItem = (page: Page) => page.locator('.timeline-item').first().textContent();

  async function firstAccount(page: Page): Promise<string> {
    const href = await page.locator('.worklist a.stretched').first().getAttribute('href');
    return decodeURIComponent(href?.split('/').pop() ?? '');
  }

  async function expectAccessible(page: Page, where: string): Promise<void> {
    expect({ where, problems: await axeProblems(page) }).toEqual({ where, problems: [] });
    expect({ where, small: await smallTargets(page) }).toEqual({ where, small: [] });
  }

  it('Today, the account workspace, its forms, settings and sign-out pass axe with 44 px targets on a phone and a tablet', async () => {
    for (const viewport of [PHONE, TABLET]) {
      const page = await open('/', viewport, 'accounts=300&role=manager');
      await page.locator('.worklist .row-card').first().waitFor();
      await expectAccessible(page, `today ${viewport.width}`);
      const account = await firstAccount(page);
      await page.goto(`${site.url}/accounts/${encodeURIComponent(account)}?accounts=300&role=manager`);
      await page.getByRole('heading', { name: 'Invoices' }).waitFor();
      await expectAccessible(page, `account ${viewport.width}`);
      for (const panel of ['Log outcome', 'Promise to pay', 'Dispute', 'Field payment', 'Follow-up', 'Hold', 'Escalate']) {
        await page.getByRole('button', { name: panel, exact: true }).click();
        await expectAccessible(page, `account ${panel} ${viewport.width}`);
      }
      for (const path of ['/settings', '/sign-out']) {
        await page.goto(`${site.url}${path}?accounts=300&role=manager`);
        await page.locator('h1').waitFor();
        await expectAccessible(page, `${path} ${viewport.width}`);
      }
      await page.close();
    }
  });

  it('the manager screens pass axe with 44 px targets on a phone and a tablet', async () => {
    for (const viewport of [PHONE, TABLET]) {
      for (const tab of ['escalations', 'team', 'dashboard', 'assign', 'strategies', 'import']) {
        const page = await open(`/manager/${tab}`, viewport, 'accounts=300&role=manager');
        await page.getByRole('navigation', { name: 'Manager' }).waitFor();
        // Lazy tabs: wait for their own content before checking.
        await page.waitForFunction(() => document.querySelector('[role=status]')?.textContent !== 'Loading…');
        await page.waitForLoadState('networkidle');
        await expectAccessible(page, `manager ${tab} ${viewport.width}`);
        await page.close();
      }
    }
  });

  it('signs in: a wrong password is refused with an alert, the right one opens Today', async () => {
    const page = await open('/', PHONE, 'accounts=300&signedIn=0');
    await expectAccessible(page, 'sign-in');
    await page.getByLabel('User or e-mail').fill('ana');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Wrong user or password/);
    await page.getByLabel('Password').fill('secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    // Signing out comes back to the sign-in screen, saying so.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Sign out…' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/You are signed out/);
    await page.close();
  });

  it('is usable by keyboard: skip link, Tab to the first account, Enter opens it with focus on its heading', async () => {
    const page = await open('/', TABLET, 'accounts=300&role=manager');
    await page.locator('.worklist .row-card').first().waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    const first = await page.locator('.worklist a.stretched').first().textContent();
    // From main: through the filters to the first row's link.
    for (let i = 0; i < 20 && (await page.evaluate(() => document.activeElement?.classList.contains('stretched'))) !== true; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(first);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: first ?? '' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await page.close();
  });

  it('each Today row shows its open balance by aging bucket, as a bar and as words for a screen reader', async () => {
    const page = await open('/', TABLET, 'accounts=300&role=manager');
    const first = page.locator('.worklist .row-card').first();
    await first.waitFor();
    // The top of the list owes money past due: its bar has at least one segment beyond Current.
    expect(await first.locator('.row-aging-bar .aging-seg').count()).toBeGreaterThan(0);
    expect(await first.locator('.row-aging .visually-hidden').textContent()).toMatch(/^Open balance by aging bucket: .*(1–30|31–60|61–90|91–120|120\+)/);
    await page.close();
  });

  it('the strategy editor follows the team’s copy while nothing is edited: a save that arrives after it opened shows', async () => {
    const page = await open('/manager/strategies', TABLET, 'accounts=100&role=manager');
    const delay = page.getByLabel('Minimum days between contacts');
    await delay.waitFor();
    const before = Number(await delay.inputValue());
    // As if a teammate's save reached this device through the relay after the editor opened.
    await page.evaluate(async (days) => {
      const app = (window as unknown as { fakeApp: { manager: { strategyLab: { strategies(): { strategies: { id: string; minContactDelayDays?: number }[] } } }; dispatch(name: string, input: unknown): Promise<unknown> } }).fakeApp;
      const first = app.manager.strategyLab.strategies().strategies[0];
      await app.dispatch('strategy/save', { strategy: { ...first, minContactDelayDays: days } });
    }, before + 3);
    await expect.poll(() => delay.inputValue()).toBe(String(before + 3));
    await page.close();
  });

  it('one tap logs a call outcome, and the account is re-scored on Today', async () => {
    const page = await open('/', TABLET, 'accounts=300&role=manager');
    await page.locator('.worklist .row-card').first().waitFor();
    // An account ranked partly for how long nobody contacted it: a call resets that.
    const account = await page.evaluate(() => {
      interface Row {
        accountNumber: string;
        components: { id: string; points: number }[];
      }
      const app = (window as unknown as { fakeApp: { worklistRows(q: object): Row[] } }).fakeApp;
      const points = (r: Row) => r.components.find((c) => c.id === 'days-since-contact')?.points ?? 0;
      return [...app.worklistRows({ scope: 'team' })].sort((a, b) => points(b) - points(a))[0]?.accountNumber ?? '';
    });
    await page.getByLabel('Search').fill(account);
    await expect.poll(() => firstAccount(page)).toBe(account);
    const scoreBefore = await page.locator('.row-card').first().locator('.score').textContent();
    await page.locator('.worklist a.stretched').first().click();
    await page.getByRole('button', { name: 'Log outcome', exact: true }).click();
    await page.getByRole('button', { name: 'No answer' }).click();
    await expect.poll(() => page.locator('.action-message').textContent()).toMatch(/Logged: Call, No answer/);
    const sent = (await dispatched(page)).filter((d) => d.name === 'activity/log');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.input).toMatchObject({ accountNumber: account, channel: 'call', outcome: 'no-answer' });
    await page.getByRole('link', { name: '← Today' }).click();
    // The search is kept: the one row is the account, re-scored without its days-since-contact points.
    await expect.poll(() => firstAccount(page)).toBe(account);
    await expect.poll(() => page.locator('.row-card').first().locator('.score').textContent()).not.toBe(scoreBefore);
    expect(await page.locator('.row-card').first().locator('.row-why').textContent()).not.toMatch(/Days since last contact/);
    await page.close();
  });

  it('logs an outcome from Today with one tap, and the list re-ranks in place', async () => {
    const page = await open('/', PHONE, 'accounts=300&role=manager');
    await page.locator('.worklist .row-card').first().waitFor();
    const card = page.locator('.row-card').first();
    const account = await firstAccount(page);
    const scoreBefore = await card.locator('.score').textContent();
    await card.getByRole('button', { name: 'Log outcome' }).click();
    await card.getByRole('button', { name: 'Right-party contact' }).click();
    await expect.poll(() => page.locator('.action-message').textContent()).toMatch(/Logged for .*: Call, Right-party contact/);
    const sent = (await dispatched(page)).filter((d) => d.name === 'activity/log');
    expect(sent.map((d) => d.input)).toEqual([expect.objectContaining({ accountNumber: account, channel: 'call', outcome: 'right-party-contact' })]);
    const row = page.locator('.row-card', { has: page.locator(`a[href="/accounts/${encodeURIComponent(account)}"]`) });
    // Re-scored: it moved down the list or its score changed.
    await expect.poll(async () => (await firstAccount(page)) !== account || (await row.locator('.score').textContent()) !== scoreBefore).toBe(true);
    await page.close();
  });

  it('takes a promise to pay in three monthly instalments that add up to the total', async () => {
    const page = await open('/', PHONE, 'accounts=300&role=manager');
    await page.locator('.worklist .row-card').first().waitFor();
    const account = await firstAccount(page);
    await page.locator('.worklist a.stretched').first().click();
    await page.getByRole('button', { name: 'Promise to pay', exact: true }).click();
    await page.getByText('Instalments', { exact: true }).click();
    await page.getByLabel(/^Total/).fill('100');
    await page.getByRole('spinbutton', { name: 'Instalments' }).fill('3');
    await expect.poll(() => page.getByRole('list', { name: 'Instalments' }).locator('li').count()).toBe(3);
    await page.getByRole('button', { name: 'Save promise to pay' }).click();
    await expect.poll(() => page.locator('.action-message').textContent()).toMatch(/Promise to pay saved: .* in 3 instalments/);
    const [promise] = (await dispatched(page)).filter((d) => d.name === 'promise/take');
    const instalments = promise?.input.instalments as { dueDate: string; amount: number }[];
    expect(promise?.input.accountNumber).toBe(account);
    expect(instalments).toHaveLength(3);
    expect(instalments.reduce((s, i) => s + i.amount, 0)).toBe(10000);
    expect(instalments.map((i) => i.dueDate)).toEqual([...instalments.map((i) => i.dueDate)].sort());
    await expect.poll(() => page.locator('.timeline-item').first().textContent()).toMatch(/Promise to pay/);
    await page.close();
  });

  it('records a field payment with its receipt number, allocated to the oldest invoices first', async () => {
    const page = await open('/', TABLET, 'accounts=300&role=manager');
    await page.locator('.worklist .row-card').first().waitFor();
    await page.locator('.worklist a.stretched').first().click();
    await page.getByRole('button', { name: 'Field payment', exact: true }).click();
    await page.getByLabel('Method').selectOption('cheque');
    await page.getByLabel(/^Amount/).fill('50');
    await page.getByLabel('Receipt number').fill('R-0001');
    await page.getByLabel('Cheque number').fill('000123');
    await page.getByRole('button', { name: 'Record payment' }).click();
    await expect.poll(() => page.locator('.action-message').textContent()).toMatch(/receipt R-0001/);
    const [payment] = (await dispatched(page)).filter((d) => d.name === 'payment/record');
    expect(payment?.input).toMatchObject({ receiptNumber: 'R-0001', method: 'cheque', amount: 5000, reference: '000123' });
    const allocations = payment?.input.allocations as { amount: number }[];
    expect(allocations.reduce((s, a) => s + a.amount, 0)).toBeLessThanOrEqual(5000);
    expect(allocations.length).toBeGreaterThan(0);
    await page.close();
  });

  it('shows the compliance rule that blocks contact and when it is next allowed, and warns when a teammate is on the account', async () => {
    const page = await open('/', TABLET, 'accounts=300&role=manager');
    const blocked = await page.evaluate(() => {
      interface Row {
        accountNumber: string;
        compliance: { allowed: boolean; nextAllowedAt: string | null } | null;
      }
      const app = (window as unknown as { fakeApp: { worklistRows(q: object): Row[] } }).fakeApp;
      // One that a time rule blocks (calling hours, call cap, quiet period): it has a next allowed time.
      return app.worklistRows({ scope: 'team' }).find((r) => r.compliance !== null && !r.compliance.allowed && r.compliance.nextAllowedAt !== null)?.accountNumber;
    });
    expect(blocked).toBeDefined();
    await page.evaluate(
      (n) => (window as unknown as { fakeApp: { setPresence(n: string, u: object[]): void } }).fakeApp.setPresence(n, [{ userId: 'ben', name: 'Ben', since: '2025-06-30T14:00:00.000Z' }]),
      blocked ?? '',
    );
    await page.goto(`${site.url}/accounts/${encodeURIComponent(blocked ?? '')}?accounts=300&role=manager`);
    // The page reloaded: presence is set again on the fresh fake.
    await page.evaluate(
      (n) => (window as unknown as { fakeApp: { setPresence(n: string, u: object[]): void } }).fakeApp.setPresence(n, [{ userId: 'ben', name: 'Ben', since: '2025-06-30T14:00:00.000Z' }]),
      blocked ?? '',
    );
    await expect.poll(() => page.getByRole('heading', { level: 2, name: /^Contact blocked: / }).count()).toBe(1);
    expect(await page.locator('.compliance').textContent()).toMatch(/Next allowed .* your time \(.* for the customer\)/);
    await expect.poll(() => page.locator('.presence-warning').textContent()).toMatch(/Ben has had this account open/);
    await page.close();
  });

  it('a manager resolves a dispute from the account: the dispute is no longer open, the timeline says how it ended', async () => {
    const { page, account, id } = await openAccountWith('dispute', TABLET, 'manager');
    const disputes = page.getByRole('region', { name: 'Disputes' });
    const openBefore = await disputes.getByRole('button', { name: 'Resolve dispute…' }).count();
    await page.locator(`[aria-describedby="dispute-${id}"]`).click();
    const form = page.getByRole('form', { name: /^Resolve the dispute on / });
    await expectAccessible(page, 'resolve dispute form');
    await form.getByText('Rejected', { exact: true }).click();
    await form.getByLabel(/^Note/).fill('Delivery note signed by the customer');
    await form.getByRole('button', { name: 'Resolve dispute' }).click();
    await expect.poll(() => disputes.getByRole('status').textContent()).toMatch(/Dispute on .* resolved: rejected\./);
    expect(await sent(page, 'dispute/resolve')).toEqual([{ accountNumber: account, disputeId: id, outcome: 'rejected', note: 'Delivery note signed by the customer' }]);
    expect(await page.locator(`#dispute-${id}`).textContent()).toMatch(/^Rejected/);
    expect(await disputes.getByRole('button', { name: 'Resolve dispute…' }).count()).toBe(openBefore - 1);
    // Focus moved to the message, not lost with the form.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('status');
    expect(await firstTimelineItem(page)).toMatch(/Dispute rejected.*dispute on .*Delivery note signed/);
    await page.close();
  });

  it('the collector the account is assigned to resolves its dispute (a refusal from the app is shown); another collector’s account offers no resolve', async () => {
    const other = await openAccountWith('dispute', PHONE, 'collector', '!ana');
    expect(await other.page.getByRole('button', { name: 'Resolve dispute…' }).count()).toBe(0);
    expect(await other.page.getByRole('region', { name: 'Disputes' }).textContent()).toMatch(/a manager, resolves it/);
    await other.page.close();
    const { page, account, id } = await openAccountWith('dispute', PHONE, 'collector', 'ana');
    // The app layer has the last word: its refusal is what the form shows.
    await page.evaluate(() => {
      const app = (window as unknown as { fakeApp: { dispatch: (n: string, i: unknown) => Promise<unknown>; realDispatch?: unknown } }).fakeApp;
      const real = app.dispatch;
      app.realDispatch = real;
      app.dispatch = async (n, i) => (n === 'dispute/resolve' ? { ok: false, command: n, error: { code: 'forbidden', message: 'only the dispute owner resolves a dispute' } } : real(n, i));
    });
    await page.locator(`[aria-describedby="dispute-${id}"]`).click();
    const form = page.getByRole('form', { name: /^Resolve the dispute on / });
    await form.getByRole('button', { name: 'Resolve dispute' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toBe('Choose how the dispute ended.');
    await form.getByText('Withdrawn', { exact: true }).click();
    await form.getByRole('button', { name: 'Resolve dispute' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toMatch(/only the dispute owner resolves a dispute/);
    await page.evaluate(() => {
      const app = (window as unknown as { fakeApp: { dispatch: unknown; realDispatch: unknown } }).fakeApp;
      app.dispatch = app.realDispatch;
    });
    await form.getByRole('button', { name: 'Resolve dispute' }).click();
    await expect.poll(() => page.locator(`#dispute-${id}`).textContent()).toMatch(/^Withdrawn/);
    expect(await sent(page, 'dispute/resolve')).toEqual([{ accountNumber: account, disputeId: id, outcome: 'withdrawn' }]);
    await page.close();
  });

  it('closes a tickler task as skipped with a note', async () => {
    const { page, account, id } = await openAccountWith('task', PHONE, 'collector');
    const tasks = page.getByRole('region', { name: 'Tickler tasks' });
    await page.locator(`[aria-describedby="task-${id}"]`).click();
    await expectAccessible(page, 'close task form');
    const form = tasks.getByRole('form', { name: 'Close the tickler task' });
    await form.getByLabel('Note (optional)').fill('Customer paid in the meantime');
    await form.getByRole('button', { name: 'Skipped' }).click();
    await expect.poll(() => tasks.getByRole('status').textContent()).toBe('Tickler task closed: skipped.');
    expect(await sent(page, 'task/close')).toEqual([{ accountNumber: account, taskId: id, outcome: 'skipped', note: 'Customer paid in the meantime' }]);
    expect(await page.locator(`#task-${id}`).textContent()).toMatch(/^Skipped/);
    expect(await page.locator(`[aria-describedby="task-${id}"]`).count()).toBe(0);
    expect(await firstTimelineItem(page)).toMatch(/Tickler task skipped.*Customer paid in the meantime/);
    await page.close();
  });

  it('releases a hold with one tap', async () => {
    const { page, account, id } = await openAccountWith('hold', TABLET, 'collector');
    const holds = page.getByRole('region', { name: 'Holds' });
    await expectAccessible(page, 'holds');
    await holds.getByRole('button', { name: 'Release hold' }).and(page.locator(`[aria-describedby="hold-${id}"]`)).click();
    await expect.poll(() => holds.getByRole('status').textContent()).toMatch(/^Hold released \(.*was until /);
    expect(await sent(page, 'hold/release')).toEqual([{ accountNumber: account, holdId: id }]);
    expect(await page.locator(`#hold-${id}`).textContent()).toMatch(/^Released/);
    expect(await firstTimelineItem(page)).toMatch(/Hold released.*was until/);
    await page.close();
  });

  it('cancels a promise to pay with a reason, after a confirmation', async () => {
    const { page, account, id } = await openAccountWith('promise', PHONE, 'collector');
    const promises = page.getByRole('region', { name: 'Promises to pay' });
    const toggle = page.locator(`[aria-describedby="promise-${id}"]`);
    await toggle.click();
    await expectAccessible(page, 'cancel promise form');
    await promises.getByLabel('Why cancel it').fill('Customer disputes the amount');
    await promises.getByRole('button', { name: 'Cancel promise to pay…' }).click();
    // The question takes focus; "No" leaves the promise as it was.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toMatch(/^Cancel the promise to pay of .*\?/);
    await expectAccessible(page, 'cancel promise confirmation');
    await promises.getByRole('button', { name: 'No, keep it' }).click();
    expect(await sent(page, 'promise/cancel')).toEqual([]);
    expect(await page.locator(`#promise-${id}`).textContent()).toMatch(/^Open/);
    await toggle.click();
    await promises.getByLabel('Why cancel it').fill('Customer disputes the amount');
    await promises.getByRole('button', { name: 'Cancel promise to pay…' }).click();
    await promises.getByRole('button', { name: 'Yes, cancel the promise' }).click();
    await expect.poll(() => promises.getByRole('status').textContent()).toMatch(/^Promise to pay of .* cancelled\./);
    expect(await sent(page, 'promise/cancel')).toEqual([{ accountNumber: account, promiseId: id, reason: 'Customer disputes the amount' }]);
    expect(await page.locator(`#promise-${id}`).textContent()).toMatch(/^Cancelled/);
    expect(await firstTimelineItem(page)).toMatch(/Promise to pay cancelled.*reason: Customer disputes the amount/);
    await page.close();
  });

  it('a manager resolves an escalation from the account; a collector sees it waits for a manager', async () => {
    const collector = await openAccountWith('escalation', PHONE, 'collector');
    const list = collector.page.getByRole('region', { name: 'Escalations' });
    expect(await list.getByRole('button', { name: 'Resolve escalation' }).count()).toBe(0);
    expect(await list.textContent()).toMatch(/A manager resolves it/);
    await collector.page.close();
    const { page, account, id } = await openAccountWith('escalation', TABLET, 'manager');
    const escalations = page.getByRole('region', { name: 'Escalations' });
    await expectAccessible(page, 'escalations');
    await escalations.getByRole('textbox', { name: 'Resolution note' }).and(page.locator(`#esc-${id}-note`)).fill('Spoke to the customer, plan agreed');
    await page.locator(`[aria-describedby="esc-${id}-what"]`).click();
    await expect.poll(() => escalations.getByRole('status').textContent()).toMatch(/^Escalation resolved: /);
    expect(await sent(page, 'escalation/resolve')).toEqual([{ accountNumber: account, escalationId: id, note: 'Spoke to the customer, plan agreed' }]);
    expect(await page.locator(`#esc-${id}-what`).count()).toBe(0);
    expect(await firstTimelineItem(page)).toMatch(/Escalation resolved.*Spoke to the customer, plan agreed/);
    await page.close();
  });

  it('filters by scope and finds an account by invoice number', async () => {
    const page = await open('/', TABLET, 'accounts=300&role=manager');
    const count = async () => Number((await page.locator('.count').textContent())?.replace(/\D/g, ''));
    await expect.poll(count).toBe(300);
    await page.getByText('Unassigned', { exact: true }).click();
    await expect.poll(count).toBeLessThan(300);
    await page.getByText('Team', { exact: true }).click();
    const invoice = await page.evaluate(() => {
      const app = (window as unknown as { fakeApp: { account(n: string): { documents: { number: string }[] } | undefined; worklistRows(q: object): { accountNumber: string }[] } }).fakeApp;
      const n = app.worklistRows({ scope: 'team' })[10]?.accountNumber ?? '';
      return { n, invoice: app.account(n)?.documents[0]?.number ?? '' };
    });
    await page.getByLabel('Search').fill(invoice.invoice);
    await expect.poll(count).toBe(1);
    expect(await firstAccount(page)).toBe(invoice.n);
    await page.close();
  });

  it('the sync indicator says offline, when the server last synced and how many changes wait', async () => {
    const page = await open('/', PHONE, 'accounts=300');
    await page.evaluate(() =>
      (window as unknown as { fakeApp: { setSync(s: object): void } }).fakeApp.setSync({ online: false, connected: false, pendingChanges: 3, pendingSince: '2025-06-30T14:00:00.000Z' }),
    );
    const indicator = page.locator('.sync-indicator');
    await expect.poll(() => indicator.textContent()).toMatch(/Offline.*Synced .*3 changes waiting/);
    await page.close();
  });

  it('the import wizard lists bad rows by number and refuses them; a good file imports', async () => {
    const page = await open('/manager/import', TABLET, 'accounts=50&role=manager');
    const header = 'account_number,account_name,document_number,issue_date,due_date,currency,amount';
    const bad = [header, 'C-1,Acme,INV-1,2025-01-01,2025-01-31,USD,100.00', 'C-1,Acme,INV-2,2025-02-01,2025-02-30,USD,50.00', 'C-2,Brite,INV-3,2025-01-05,2025-02-04,USD,12.345'].join('\n');
    await page.getByLabel('CSV extract from the ERP').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Check the file' }).click();
    const errors = page.getByRole('region', { name: 'Row errors' });
    await expect.poll(() => errors.locator('tbody tr').count()).toBe(2);
    expect(await errors.locator('tbody tr td:first-child').allTextContents()).toEqual(['3', '4']);
    expect(await page.getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);
    const good = [header, 'C-1,Acme,INV-1,2025-01-01,2025-01-31,USD,100.00', 'C-2,Brite,INV-3,2025-01-05,2025-02-04,USD,12.34'].join('\n');
    await page.getByLabel('CSV extract from the ERP').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.getByRole('button', { name: 'Check the file' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'The file is good' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Imported' }).count()).toBe(1);
    await page.close();
  });
});
