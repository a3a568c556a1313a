/**
 * Team docs against the real relay (sync-server/relay) with the stock y-websocket provider: pending
 * changes measured by state vectors and persisted, convergence of two devices, a long offline spell,
 * refusals and presence. No sleeps: every wait polls with a deadline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Fact } from '../../src/domain/facts';
import { syncSubprotocols } from '../../src/protocol/sync-auth';
import { relayUrlOf } from '../../src/sync/websocket-transport';
import { activity, eventually, openDevice, type TestDevice } from '../helpers/sync-device';
import { startTestServer, type TestServer } from '../helpers/server';
import { WebSocketPolyfill } from '../helpers/relay-clients';

const P = 'acme';
const ids = (facts: readonly Fact[]) => facts.map((f) => f.id).sort();
const pending = (d: TestDevice) => d.docs.status().reduce((n, s) => n + s.pendingChanges, 0);

describe('team docs through the relay', () => {
  let server: TestServer;
  let ana: string;
  let bo: string;
  const devices: TestDevice[] = [];
  const device = async (name: string) => {
    const d = await openDevice(name, P, server.url);
    devices.push(d);
    return d;
  };

  beforeAll(async () => {
    server = await startTestServer();
    server.store.ensurePortfolio({ id: P, name: 'Acme' });
    ana = await server.tokenFor('collector', [P]);
    bo = await server.tokenFor('collector', [P]);
  });
  afterAll(async () => {
    for (const d of devices) await d.close();
    await server.stop();
  });

  it('counts local facts as pending until the relay state vector covers them, and remembers across a reload', async () => {
    const a = await device('pending-a');
    await a.docs.writeFacts([activity(P, 'C1', 'ana'), activity(P, 'C2', 'ana'), activity(P, 'C3', 'ana')]);
    expect(pending(a)).toBe(3);
    expect(a.docs.status().every((s) => s.lastServerSyncAt === null)).toBe(true);
    expect(a.docs.status().find((s) => s.pendingChanges > 0)?.pendingSince).not.toBeNull();

    a.docs.connect(ana);
    await eventually(() => {
      expect(pending(a)).toBe(0);
      expect(a.docs.status().filter((s) => s.live).every((s) => s.connected && s.lastServerSyncAt !== null)).toBe(true);
    });

    // Offline reload: the relay's last state vector was stored, so nothing shows as pending.
    await a.docs.flush();
    await a.reload();
    expect(pending(a)).toBe(0);
    expect(a.docs.status().some((s) => s.lastServerSyncAt !== null)).toBe(true);

    // Written offline and reloaded offline: pending again, exactly those two.
    await a.docs.writeFacts([activity(P, 'C4', 'ana'), activity(P, 'C5', 'ana')]);
    await a.reload();
    expect(pending(a)).toBe(2);
    a.docs.connect(ana);
    await eventually(() => expect(pending(a)).toBe(0));
  });

  it('converges two devices writing at the same time', async () => {
    const a = await device('conv-a');
    const b = await device('conv-b');
    a.docs.connect(ana);
    b.docs.connect(bo);
    const fromA = Array.from({ length: 20 }, (_, i) => activity(P, `A${i}`, 'ana'));
    const fromB = Array.from({ length: 20 }, (_, i) => activity(P, `B${i}`, 'bo'));
    await Promise.all([a.docs.writeFacts(fromA.slice(0, 10)), b.docs.writeFacts(fromB.slice(0, 10))]);
    await Promise.all([a.docs.writeFacts(fromA.slice(10)), b.docs.writeFacts(fromB.slice(10))]);
    await eventually(() => {
      expect(ids(a.docs.facts())).toEqual(ids(b.docs.facts()));
      for (const f of [...fromA, ...fromB]) expect(a.docs.facts().some((x) => x.id === f.id)).toBe(true);
      expect(pending(a)).toBe(0);
      expect(pending(b)).toBe(0);
    });
  });

  it('brings a device back from a long offline spell with 500 facts, losing none', async () => {
    const a = await device('offline-a');
    const b = await device('offline-b');
    b.docs.connect(bo);
    const written: Fact[] = [];
    for (let i = 0; i < 50; i++) {
      // Ten at a time, as a collector logs calls through a day: 50 writes, each its own update.
      const batch = Array.from({ length: 10 }, (_, k) => activity(P, `OFF${i * 10 + k}`, 'ana'));
      written.push(...batch);
      await a.docs.writeFacts(batch);
    }
    await b.docs.writeFacts([activity(P, 'ONLINE-1', 'bo')]);
    expect(pending(a)).toBe(500);
    await a.reload();
    expect(pending(a)).toBe(500);
    a.docs.connect(ana);
    await eventually(() => {
      expect(pending(a)).toBe(0);
      for (const f of written) expect(b.docs.facts().some((x) => x.id === f.id)).toBe(true);
      expect(a.docs.facts().some((x) => x.accountNumber === 'ONLINE-1')).toBe(true);
    }, 30_000);
    expect(ids(a.docs.facts())).toEqual(ids(b.docs.facts()));
  });

  it('stops reconnecting and says why when the relay refuses the token', async () => {
    const a = await device('refused');
    const refusals: string[] = [];
    a.docs.onRefused((why) => refusals.push(why));
    a.docs.connect('not-a-token');
    // The relay completes the upgrade and then closes with 4401 (a refused upgrade would look like a
    // network error to a browser): every doc ends refused, none reconnects.
    await eventually(() => {
      expect(refusals).toContain('unauthorized');
      expect(a.docs.status().every((s) => !s.connected)).toBe(true);
    });
    // Signed in again: the same docs connect with the new token.
    a.docs.connect(ana);
    await eventually(() => expect(a.docs.status().filter((s) => s.live).every((s) => s.connected)).toBe(true));
  });

  it('shows who is on which account through awareness', async () => {
    const a = await device('presence-a');
    const b = await device('presence-b');
    a.docs.connect(ana);
    b.docs.connect(bo);
    a.docs.setPresence({ userId: 'ana', name: 'Ana', accountNumber: 'C42', since: new Date().toISOString() });
    await eventually(() => expect(b.docs.peers().find((p) => p.userId === 'ana')?.accountNumber).toBe('C42'));
    a.docs.setPresence(null);
    await eventually(() => expect(b.docs.peers().some((p) => p.userId === 'ana' && p.accountNumber !== null)).toBe(false));
  });

  it('quarantines a bad record a broken client sends, and keeps the good ones', async () => {
    const b = await device('bad-b');
    b.docs.connect(bo);
    // A stock client with no codec: what an old or broken app could put in the doc.
    const period = new Date().toISOString().slice(0, 7);
    const doc = new Y.Doc();
    const raw = new WebsocketProvider(relayUrlOf(server.url), `${P}.facts.${period}`, doc, { WebSocketPolyfill, disableBc: true, protocols: syncSubprotocols(ana) });
    const good = activity(P, 'G1', 'ana');
    const bad = { ...activity(P, 'G2', 'ana'), outcome: 'NOT A CODE' };
    doc.getMap('facts').set(good.id, good);
    doc.getMap('facts').set(bad.id, bad);
    await eventually(() => expect(b.docs.facts().some((f) => f.id === good.id)).toBe(true));
    expect(b.docs.facts().some((f) => f.id === bad.id)).toBe(false);
    expect(b.docs.quarantined()).toBe(1);
    await eventually(async () => expect((await b.storage.quarantine.list(P)).map((r) => r.key)).toEqual([bad.id]));
    raw.destroy();
  });
});

describe('team docs across a relay restart', () => {
  it('keeps writing while the relay is down, reconnects on its own, and the indicator follows', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dunwell-restart-'));
    let server = await startTestServer({ dataDir });
    const port = server.port;
    server.store.ensurePortfolio({ id: P, name: 'Acme' });
    const token = await server.tokenFor('collector', [P]);
    const a = await openDevice('restart-a', P, server.url);
    try {
      a.docs.connect(token);
      await a.docs.writeFacts([activity(P, 'R1', 'ana')]);
      await eventually(() => expect(pending(a)).toBe(0));

      await server.close();
      await eventually(() => expect(a.docs.status().some((s) => s.live && s.connected)).toBe(false));
      await a.docs.writeFacts([activity(P, 'R2', 'ana'), activity(P, 'R3', 'ana')]);
      expect(pending(a)).toBe(2);

      // The same data folder and port: the relay reloads its rooms from SQLite; the provider's backoff finds it.
      server = await startTestServer({ dataDir, port });
      await eventually(() => expect(pending(a)).toBe(0), 20_000);
      const b = await openDevice('restart-b', P, server.url);
      b.docs.connect(token);
      await eventually(() => expect(b.docs.facts().map((f) => f.accountNumber).sort()).toEqual(['R1', 'R2', 'R3']));
      await b.close();
    } finally {
      await a.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
