/** Archived fact months on the device: which months are missing, and every stored fact parsed again. */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { fetchMissingArchives, missingPeriods, storedArchiveFacts } from '../../src/app/fact-archives';
import type { ServerPort } from '../../src/app/ports';
import { ServerApiError } from '../../src/app/server-api';
import { createDexieStorage } from '../../src/storage/dexie-storage';
import { fact } from '../helpers/facts';

const NOW = '2026-11-24T10:00:00.000Z';

describe('archived fact months', () => {
  it('are the months before the live window, newest first, less those the device has', () => {
    expect(missingPeriods(NOW, new Set(['2026-07']), 4)).toEqual(['2026-08', '2026-06', '2026-05']);
  });

  it('are fetched once, kept, parsed on every read; a bad record is quarantined, a month the server calls live skipped', async () => {
    const storage = createDexieStorage({ name: 'archives', indexedDB: new IDBFactory(), IDBKeyRange });
    const good = fact('assignment', { collector: 'ana', at: '2026-08-03T10:00:00.000Z' });
    const asked: string[] = [];
    const server = {
      factArchive: (_token: string, _portfolioId: string, period: string) => {
        asked.push(period);
        if (period === '2026-08') return Promise.resolve({ facts: [good, { ...good, id: 'nope', channel: 1 }] });
        if (period === '2026-07') return Promise.reject(new ServerApiError(409, 'period_live', 'live'));
        return Promise.resolve({ facts: [] });
      },
    } as unknown as ServerPort;
    const deps = { server, archives: storage.archives, quarantine: storage.quarantine, now: () => NOW };
    const first = await fetchMissingArchives(deps, 'token', 'acme');
    expect(first.map((f) => f.id)).toEqual([good.id]);
    expect(asked).toHaveLength(24);
    expect(await storage.quarantine.count('acme')).toBe(1);
    asked.length = 0;
    await fetchMissingArchives(deps, 'token', 'acme');
    expect(asked).toEqual(['2026-07']);
    expect((await storedArchiveFacts(storage.archives, storage.quarantine, 'acme', NOW)).map((f) => f.id)).toEqual([good.id]);
    await storage.close();
  });
});
