/**
 * The Yjs doc layout (DESIGN.md §2): which rooms a portfolio has and what each holds. Shared by the
 * device and the relay, so both name and authorize rooms the same way. docs/sync.md explains it.
 *
 * - `<portfolioId>.facts.<YYYY-MM>`: one doc per calendar month (UTC) of team facts. Top-level
 *   `Y.Map('facts')`: ULID → the fact as plain JSON (never a nested Y.Map; facts are immutable, so no key
 *   is ever overwritten or deleted and the doc holds no tombstones). A fact goes in the doc of the month
 *   of its `at` while that month is live, otherwise in the newest live month: where a fact sits does not
 *   change what it means (the fold reads them all), it only shards the log.
 * - `<portfolioId>.config`: the team's configuration, small and mutable: `Y.Map('strategies')` (strategy
 *   id → strategy JSON) and `Y.Map('settings')` (name → JSON value), last writer wins per key.
 *
 * Rotation: the current month and the LIVE_PERIODS − 1 before it are live (read-write over the relay);
 * older months are archived by the server into read-only JSON served over HTTP, and the relay refuses to
 * open them. Every doc also has `Y.Map('meta')` with `layout` = DOC_LAYOUT_VERSION.
 */
import { z } from 'zod';

export const DOC_LAYOUT_VERSION = 1;
/** Months whose fact docs are live: the current one and the two before it. */
export const LIVE_PERIODS = 3;

export const FACTS_MAP = 'facts';
export const STRATEGIES_MAP = 'strategies';
export const SETTINGS_MAP = 'settings';
export const META_MAP = 'meta';

const PORTFOLIO = '[a-z0-9][a-z0-9-]{0,62}';
const PERIOD = '\\d{4}-(?:0[1-9]|1[0-2])';
const ROOM = new RegExp(`^(${PORTFOLIO})\\.(?:facts\\.(${PERIOD})|(config))$`);

export const periodSchema = z.string().regex(new RegExp(`^${PERIOD}$`), { message: 'expected a period YYYY-MM' });
export type Period = z.infer<typeof periodSchema>;

export type Room = { kind: 'facts'; portfolioId: string; period: Period } | { kind: 'config'; portfolioId: string };

export function roomName(room: Room): string {
  return room.kind === 'facts' ? `${room.portfolioId}.facts.${room.period}` : `${room.portfolioId}.config`;
}

/** The room a name stands for, or undefined for a name that is not one of ours. */
export function parseRoomName(name: string): Room | undefined {
  const m = ROOM.exec(name);
  if (m === null) return undefined;
  const portfolioId = m[1] ?? '';
  const period = m[2];
  return period === undefined ? { kind: 'config', portfolioId } : { kind: 'facts', portfolioId, period };
}

/** The UTC month of an ISO instant or calendar date (`2026-11-24T…` → `2026-11`). */
export function periodOf(instantOrDate: string): Period {
  return instantOrDate.slice(0, 7);
}

/** The month `delta` months from `period` (negative goes back). */
export function shiftPeriod(period: Period, delta: number): Period {
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7)) - 1 + delta;
  const y = year + Math.floor(month / 12);
  const m = ((month % 12) + 12) % 12;
  return `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;
}

/** The live months at `now` (an ISO instant), newest first. */
export function livePeriods(now: string, count = LIVE_PERIODS): Period[] {
  const current = periodOf(now);
  const out: Period[] = [];
  for (let i = 0; i < count; i++) out.push(shiftPeriod(current, -i));
  return out;
}

export function isLivePeriod(period: Period, now: string, count = LIVE_PERIODS): boolean {
  const current = periodOf(now);
  return period <= current && period >= shiftPeriod(current, -(count - 1));
}

/** The doc a new fact is written to: the month of its `at` while live, else the newest live month. */
export function writePeriodFor(factAt: string, now: string, count = LIVE_PERIODS): Period {
  const period = periodOf(factAt);
  return isLivePeriod(period, now, count) ? period : periodOf(now);
}

/**
 * Whether the relay opens a room at `now`: the config room always; a facts room while its month is
 * live, `archived` once older (its facts are served over HTTP), `not-open` for a month still ahead.
 */
export function roomAvailability(room: Room, now: string, count = LIVE_PERIODS): 'live' | 'archived' | 'not-open' {
  if (room.kind === 'config' || isLivePeriod(room.period, now, count)) return 'live';
  return room.period > periodOf(now) ? 'not-open' : 'archived';
}
