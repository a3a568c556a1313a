/**
 * The CollectorApp facade end to end in Node: a real server (API + relay) on port 0, devices composed
 * as the browser composes them (Dexie on fake-indexeddb, y-websocket, the HTTP API). Sign in, open a
 * portfolio, log a call and see the worklist re-ranked, refusals by role and by input, two devices
 * converging, a reload served from the worklist cache, and working offline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectorAppHandle } from '../../src/app/collector-app-impl';
import type { CalendarDate } from '../../src/domain/calendar';
import type { WorklistEntry } from '../../src/domain/worklist';
import { generatePortfolio } from '../../sync-server/demo/synthetic';
import { nodeDevice, PULL_MS, TICK_MS, type NodeDevice } from '../helpers/node-app';
import { startTestServer, type TestServer } from '../helpers/server';
import { account, date, invoice } from '../helpers/ledger-fixtures';
import { eventually } from '../helpers/sync-device';
import { testUlid } from '../helpers/facts';
import type { Fact } from '../../src/domain/facts';

const P = 'acme';
const today = new Date().toISOString().slice(0, 10) as CalendarDate;
const users = {
  ana: { id: 'ana', role: 'collector', password: 'ana-password-1', portfolios: [P] },
  bo: { id: 'bo', role: 'collector', password: 'bo-password-1', portfolios: [P] },
  mia: { id: 'mia', role: 'manager', password: 'mia-password-1', portfolios: [P] },
  vic: { id: 'vic', role: 'viewer', password: 'vic-password-1', portfolios: [P] },
} as const;

describe('CollectorApp end to end', () => {
  let server: TestServer;
  let archivedAccount = '';
  const devices: NodeDevice[] = [];
  const device = async () => {
    const d = await nodeDevice(server.url);
    devices.push(d);
    return d;
  };
  const signedIn = async (who: keyof typeof users) => {
    const d = await device();
    await d.app.signIn(who, users[who].password);
    await d.app.openPortfolio(P);
    return d;
  };
  const callable = (app: CollectorAppHandle): WorklistEntry => {
    const e = app.worklist({}).find((x) => x.decision.metrics.pastDue > 0 && x.state.lastContactAt === undefined && x.state.claim === undefined);
    if (e === undefined) throw new Error('the demo portfolio has no account never contacted with something past due');
    return e;
  };

  beforeAll(async () => {
    server = await startTestServer({ today });
    const ledger = generatePortfolio({ portfolioId: P, accounts: 40, seed: 11, asOf: today, name: 'Acme receivables' });
    server.store.ensurePortfolio(ledger.portfolio);
    server.store.commit(P, ledger, { full: true, asOf: today, source: 'test', mapping: 'synthetic', rows: ledger.documents.length, rejected: 0 });
    for (const u of Object.values(users)) await server.addUser(u);
    // Months ago, long archived: the relay no longer opens that month's room; the device reads it over HTTP.
    const at = new Date(Date.now() - 200 * 86_400_000).toISOString();
    const old: Fact = { v: 1, id: testUlid(Date.parse(at), 1), by: 'mia', at, deviceId: 'dev-mia', portfolioId: P, accountNumber: ledger.accounts[0]?.number ?? '', type: 'assignment', collector: 'ana' };
    archivedAccount = old.accountNumber;
    server.facts.put(P, [old], at);
  });
  afterAll(async () => {
    for (const d of devices) await d.close();
    await server.stop();
  });

  it('signs in, opens the portfolio and logs a call: the worklist is re-ranked at once', async () => {
    const d = await device();
    const { app } = d;
    expect(app.session()).toBeNull();
    const session = await app.signIn('ana', users.ana.password);
    expect(session.user).toEqual({ id: 'ana', name: 'ana', role: 'collector' });
    expect(app.session()).toBe(app.session());
    await eventually(() => expect(app.portfolios().map((p) => p.id)).toContain(P));

    await app.openPortfolio(P);
    expect(app.openState()).toEqual({ phase: 'live', portfolioId: P, error: null });
    const before = app.worklist({});
    expect(before).toHaveLength(40);
    expect(app.worklist({})).toBe(before);
    const target = callable(app);
    const rank = before.indexOf(target);

    let notified = 0;
    const stop = app.subscribe(() => notified++);
    const r = await app.dispatch('activity/log', { accountNumber: target.accountNumber, channel: 'call', outcome: 'right-party-contact', note: 'will pay Friday' });
    stop();
    expect(r).toMatchObject({ ok: true, command: 'activity/log' });
    expect(r.ok && r.factIds).toHaveLength(1);
    expect(notified).toBeGreaterThan(0);

    const after = app.worklist({});
    expect(after).not.toBe(before);
    const moved = after.find((e) => e.accountNumber === target.accountNumber);
    expect(moved?.state.lastContactAt).toBeDefined();
    expect(moved?.score).toBeLessThan(target.score);
    expect(after.indexOf(moved as WorklistEntry)).toBeGreaterThanOrEqual(rank);
    for (let i = 1; i < after.length; i++) expect((after[i - 1] as WorklistEntry).score).toBeGreaterThanOrEqual((after[i] as WorklistEntry).score);

    const view = app.account(target.accountNumber);
    expect(view?.facts[0]?.type).toBe('activity');
    expect(view?.facts[0]).toMatchObject({ by: 'ana', portfolioId: P, note: 'will pay Friday' });
    await eventually(() => expect(app.account(target.accountNumber)?.complete).toBe(true));
    expect(app.account(target.accountNumber)?.documents.length).toBeGreaterThanOrEqual(view?.documents.length ?? 0);

    const list = app.worklist({});
    await eventually(() => expect(app.syncStatus()).toMatchObject({ connected: true, pendingChanges: 0, needsSignIn: false }));
    expect(app.syncStatus().lastServerSyncAt).not.toBeNull();
    // The relay's acknowledgements changed the sync status, not the worklist: the same array for React.
    expect(app.worklist({})).toBe(list);
    expect(app.syncStatus().ledgerPulledAt).not.toBeNull();
  });

  it('refuses by role: a viewer runs nothing, a collector no manager command', async () => {
    const viewer = await signedIn('vic');
    const someone = viewer.app.worklist({})[0]?.accountNumber ?? '';
    const r = await viewer.app.dispatch('activity/log', { accountNumber: someone, channel: 'call', outcome: 'no-answer' });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const ana = await signedIn('ana');
    const assign = await ana.app.dispatch('account/assign', { accountNumbers: [someone], collector: 'ana' });
    expect(assign).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const mia = await signedIn('mia');
    const ok = await mia.app.dispatch('account/assign', { accountNumbers: [someone], collector: 'bo' });
    expect(ok).toMatchObject({ ok: true });
    expect(mia.app.worklist({ scope: 'mine', collector: 'bo' }).map((e) => e.accountNumber)).toContain(someone);
  });

  it('names the field of an invalid input, and what a reference does not find', async () => {
    const { app } = await signedIn('ana');
    const n = app.worklist({})[0]?.accountNumber ?? '';
    const bad = await app.dispatch('activity/log', { accountNumber: n, channel: 'pigeon' as 'call', outcome: 'no-answer' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(!bad.ok && bad.error.issues?.map((i) => i.path)).toEqual(['channel']);

    const plan = await app.dispatch('promise/take', {
      accountNumber: n,
      currency: 'USD',
      instalments: [
        { dueDate: date('2030-02-01'), amount: 100 },
        { dueDate: date('2030-01-01'), amount: 100 },
      ],
    });
    expect(!plan.ok && plan.error.issues?.map((i) => i.path)).toEqual(['instalments.1.dueDate']);

    const cancel = await app.dispatch('promise/cancel', { accountNumber: n, promiseId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', reason: 'typo' });
    expect(cancel).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const nobody = await app.dispatch('activity/log', { accountNumber: 'NO-SUCH', channel: 'call', outcome: 'no-answer' });
    expect(nobody).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('shows a teammate\'s work and presence on the other device', async () => {
    const ana = await signedIn('ana');
    const bo = await signedIn('bo');
    const target = callable(bo.app);
    ana.app.setWorkingOn(target.accountNumber);
    await eventually(() => expect(bo.app.presence().get(target.accountNumber)?.map((u) => u.userId)).toEqual(['ana']));
    expect(bo.app.account(target.accountNumber)?.presence.map((u) => u.userId)).toEqual(['ana']);
    const r = await ana.app.dispatch('promise/take', { accountNumber: target.accountNumber, currency: target.decision.metrics.currency, instalments: [{ dueDate: date('2099-01-01'), amount: 5000 }] });
    expect(r.ok).toBe(true);
    await eventually(() => expect(bo.app.account(target.accountNumber)?.state.currentPromise?.status).toBe('open'));
  });

  it('on a first open, waits for the relay so the first list already has the team\'s work', async () => {
    const bo = await signedIn('bo');
    const target = callable(bo.app);
    const r = await bo.app.dispatch('hold/place', { accountNumber: target.accountNumber, until: date('2099-01-01'), reason: 'ERP migration' });
    expect(r.ok).toBe(true);
    await eventually(() => expect(bo.app.syncStatus().pendingChanges).toBe(0));
    const fresh = await signedIn('ana');
    expect(fresh.app.openState().phase).toBe('live');
    expect(fresh.app.account(target.accountNumber)?.state.accountHold?.fact.reason).toBe('ERP migration');
  });

  it('reloads from the worklist cache first, then goes live; works offline with what it holds', async () => {
    const d = await signedIn('ana');
    const target = callable(d.app);
    await d.app.dispatch('activity/log', { accountNumber: target.accountNumber, channel: 'call', outcome: 'no-answer' });
    await eventually(() => expect(d.app.syncStatus().pendingChanges).toBe(0));
    d.timers.fire(1_000);
    await eventually(async () => expect((await d.storage.worklist.meta(P))?.count).toBe(40));
    await d.app.flush();

    // Offline reload: the session, the portfolio and the indicator come from the device.
    d.network.set(false);
    const app = await d.reload();
    expect(app.session()?.user.id).toBe('ana');
    const phases: string[] = [];
    app.subscribe(() => phases.push(app.openState().phase));
    await app.openPortfolio(P);
    expect(phases).toContain('cached');
    expect(app.openState().phase).toBe('live');
    expect(app.syncStatus()).toMatchObject({ online: false, pendingChanges: 0 });
    expect(app.syncStatus().lastServerSyncAt).not.toBeNull();
    const rows = app.worklistRows({ limit: 5 });
    expect(rows).toHaveLength(5);
    expect(rows[0]?.accountNumber).toBe(app.worklist({})[0]?.accountNumber);

    const offline = await app.dispatch('activity/log', { accountNumber: target.accountNumber, channel: 'visit', outcome: 'left-message' });
    expect(offline.ok).toBe(true);
    expect(app.syncStatus().pendingChanges).toBe(1);
    expect(app.syncStatus().pendingSince).not.toBeNull();
  });

  it('pulls ledger changes into the open worklist and moves it with the clock', async () => {
    const d = await signedIn('ana');
    server.store.commit(P, { accounts: [account(P, 'LATE-1', { name: 'Latecomer & Sons' })], documents: [invoice(P, 'LATE-1', 'INV-LATE-1', { issueDate: date('2024-01-01'), dueDate: date('2024-02-01') })], payments: [] }, { full: false, asOf: today, source: 'test', mapping: 'test', rows: 1, rejected: 0 });
    d.timers.fire(PULL_MS);
    await eventually(() => expect(d.app.worklist({ search: 'latecomer' }).map((e) => e.accountNumber)).toEqual(['LATE-1']));
    expect(d.app.worklist({ search: 'inv-late' }).map((e) => e.accountNumber)).toEqual(['LATE-1']);
    const asOf = d.app.asOf();
    d.timers.fire(TICK_MS);
    expect(d.app.asOf() >= asOf).toBe(true);
  });

  it('reads archived months over HTTP once, and keeps them for offline starts', async () => {
    const d = await signedIn('ana');
    await eventually(() => expect(d.app.worklist({ scope: 'mine', collector: 'ana' }).map((e) => e.accountNumber)).toContain(archivedAccount));
    expect((await d.storage.archives.periods(P)).length).toBeGreaterThan(0);
    d.network.set(false);
    const app = await d.reload();
    await app.openPortfolio(P);
    expect(app.worklist({ scope: 'mine', collector: 'ana' }).map((e) => e.accountNumber)).toContain(archivedAccount);
  });

  it('exports what the device holds and reports storage use', async () => {
    const { app } = await signedIn('ana');
    const blob = await app.exportData();
    const body = JSON.parse(await blob.text()) as { portfolioId: string; ledger: { accounts: unknown[] }; facts: unknown[] };
    expect(body.portfolioId).toBe(P);
    expect(body.ledger.accounts.length).toBeGreaterThanOrEqual(40);
    expect(await app.storageUse()).toEqual({ usageBytes: null, quotaBytes: null, persisted: false });
  });

  it('lets a manager change the team\'s strategies; a collector\'s device follows', async () => {
    const mia = await signedIn('mia');
    const bo = await signedIn('bo');
    const segment = bo.app.worklist({})[0]?.segment ?? '';
    const base = mia.app.strategies().strategies.find((x) => x.id === 'b2b-standard');
    if (base === undefined) throw new Error('the presets are always there');
    const saved = await mia.app.dispatch('strategy/save', { strategy: { ...base, id: 'team-tough', name: 'Team tough' } });
    expect(saved).toMatchObject({ ok: true, factIds: [] });
    expect(await mia.app.dispatch('strategy/assign-segment', { segment, strategyId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await mia.app.dispatch('strategy/assign-segment', { segment, strategyId: 'team-tough' })).toMatchObject({ ok: true });
    expect(mia.app.strategies().config.bySegment[segment]).toBe('team-tough');
    await eventually(() => {
      expect(bo.app.strategies().strategies.map((x) => x.id)).toContain('team-tough');
      expect(bo.app.worklist({}).filter((e) => e.segment === segment).every((e) => e.decision.strategyId === 'team-tough')).toBe(true);
    });
    const preview = await mia.app.simulate(base, 3);
    expect(preview.days).toBe(3);
  });

  it('refreshes its token before it expires and uses the new one', async () => {
    const d = await signedIn('ana');
    const before = d.app.session()?.expiresAt ?? '';
    const token = (await d.storage.device.session())?.token;
    // Tokens are signed per second: wait for the next one so the refreshed token differs.
    await eventually(() => expect(Math.floor(Date.now() / 1000)).toBeGreaterThan(Math.floor(Date.parse(before) / 1000) - 15 * 60));
    d.timers.fireOneOffs();
    await eventually(async () => expect((await d.storage.device.session())?.token).not.toBe(token));
    expect(d.app.syncStatus().needsSignIn).toBe(false);
  });

  it('signs out keeping the device\'s data, and a wrong password is refused', async () => {
    const d = await signedIn('ana');
    await d.app.signOut();
    expect(d.app.session()).toBeNull();
    expect(d.app.portfolioId()).toBeNull();
    expect(await d.storage.ledger.cursor(P)).toBeDefined();
    await expect(d.app.signIn('ana', 'wrong')).rejects.toMatchObject({ status: 401 });
  });
});
