/**
 * Archived fact months (docs/sync.md, "Rotation and archive"): the relay opens only the live months, so
 * a fact older than the window (an assignment made in spring, a payment plan taken last year) reaches a
 * device over HTTP. An archived month never changes, so each is fetched once and kept in Dexie; every
 * fact is parsed with factSchema when read, like a fact read from Yjs, and one that fails is quarantined.
 */
import { factSchema, type Fact } from '../domain/facts';
import { livePeriods, roomName, shiftPeriod } from '../protocol/rooms';
import type { FactArchiveRepository, QuarantinedRecord, QuarantineRepository, ServerPort } from './ports';
import { ServerApiError } from './server-api';

/** How far back a device reads archived months. */
export const ARCHIVE_MONTHS = 24;
const ARCHIVE_PARALLEL = 6;

function parseArchive(portfolioId: string, period: string, raw: readonly unknown[], at: string): { facts: Fact[]; rejected: QuarantinedRecord[] } {
  const facts: Fact[] = [];
  const rejected: QuarantinedRecord[] = [];
  const room = `${roomName({ kind: 'facts', portfolioId, period })}#archive`;
  raw.forEach((value, i) => {
    const r = factSchema.safeParse(value);
    if (r.success && r.data.portfolioId === portfolioId) {
      facts.push(r.data);
      return;
    }
    const id = typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : `#${i}`;
    const issues = r.success ? [`portfolioId: ${r.data.portfolioId} in an archive of ${portfolioId}`] : r.error.issues.map((x) => `${x.path.join('.') || '(record)'}: ${x.message}`);
    rejected.push({ portfolioId, room, key: id, raw: JSON.stringify(value).slice(0, 16 * 1024), issues, at });
  });
  return { facts, rejected };
}

/** The facts of every archived month this device holds. */
export async function storedArchiveFacts(archives: FactArchiveRepository, quarantine: QuarantineRepository, portfolioId: string, at: string): Promise<Fact[]> {
  const facts: Fact[] = [];
  const rejected: QuarantinedRecord[] = [];
  for (const row of await archives.list(portfolioId)) {
    const r = parseArchive(portfolioId, row.period, row.facts, at);
    facts.push(...r.facts);
    rejected.push(...r.rejected);
  }
  if (rejected.length > 0) await quarantine.put(rejected);
  return facts;
}

/** Archived months not on this device yet, newest first. */
export function missingPeriods(now: string, have: ReadonlySet<string>, months = ARCHIVE_MONTHS): string[] {
  const live = livePeriods(now);
  const oldestLive = live[live.length - 1] ?? now.slice(0, 7);
  const out: string[] = [];
  for (let i = 1; i <= months; i++) {
    const period = shiftPeriod(oldestLive, -i);
    if (!have.has(period)) out.push(period);
  }
  return out;
}

/**
 * Fetches the missing months and keeps them; returns their facts. A month the server calls live (our
 * clock and its disagree at a month's turn) or not found is skipped and tried on another start; a
 * refusal that signing in again would fix stops the walk and is thrown.
 */
export async function fetchMissingArchives(
  deps: { readonly server: ServerPort; readonly archives: FactArchiveRepository; readonly quarantine: QuarantineRepository; readonly now: () => string },
  token: string,
  portfolioId: string,
): Promise<Fact[]> {
  const fetchArchive = deps.server.factArchive?.bind(deps.server);
  if (fetchArchive === undefined) return [];
  const have = new Set(await deps.archives.periods(portfolioId));
  const facts: Fact[] = [];
  const missing = missingPeriods(deps.now(), have);
  // A few at a time: 24 months one after the other would make a first open wait on 24 round trips.
  for (let i = 0; i < missing.length; i += ARCHIVE_PARALLEL) {
    const answers = await Promise.all(
      missing.slice(i, i + ARCHIVE_PARALLEL).map(async (period) => {
        try {
          return { period, raw: (await fetchArchive(token, portfolioId, period)).facts };
        } catch (e) {
          if (e instanceof ServerApiError && (e.status === 404 || e.status === 409)) return undefined;
          throw e;
        }
      }),
    );
    for (const a of answers) {
      if (a === undefined) continue;
      const at = deps.now();
      await deps.archives.put({ portfolioId, period: a.period, facts: a.raw, fetchedAt: at });
      const r = parseArchive(portfolioId, a.period, a.raw, at);
      if (r.rejected.length > 0) await deps.quarantine.put(r.rejected);
      facts.push(...r.facts);
    }
  }
  return facts;
}
