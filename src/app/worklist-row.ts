/**
 * The worklist as the Today list shows it, one flat row per account: what the Dexie worklist cache
 * holds (DESIGN.md §2.3, derived, never synced) and what `CollectorApp.worklistRows` returns.
 *
 * Why a row and not the WorklistEntry: an entry carries the whole fold (promises, disputes, facts,
 * Sets and Maps) and the compiled strategy's level objects; the Today list needs a dozen fields. Rows
 * are small, JSON-safe and parsed with zod when read back, so a cold start can paint the list from the
 * cache before the ledger and the facts are loaded and the engine has run.
 */
import { z } from 'zod';
import { ageDocument, defaultDueDateAging, type AgingConfig } from '../domain/aging';
import type { CalendarDate } from '../domain/calendar';
import type { Instant } from '../domain/facts';
import type { LedgerDocument } from '../domain/ledger';
import type { WorklistEntry } from '../domain/worklist';

/**
 * Bump when the engine's results or this row's shape change: cached rows of another version are
 * ignored and rebuilt (they were computed by other rules).
 */
export const WORKLIST_ENGINE_VERSION = 2;

const nullableString = z.string().nullable();

export const worklistRowSchema = z.object({
  portfolioId: z.string().min(1),
  accountNumber: z.string().min(1),
  accountName: z.string(),
  segment: z.string(),
  assignedTo: nullableString,
  /** `assignedTo` as an index key: IndexedDB cannot index null, so unassigned is ''. */
  assignee: z.string(),
  claimedBy: nullableString,
  score: z.number(),
  components: z.array(z.object({ id: z.string(), points: z.number(), detail: z.string() })),
  dueAt: nullableString,
  next: z
    .object({ kind: z.string(), channel: nullableString, reason: z.string(), manual: z.boolean(), dueAt: z.string(), template: nullableString })
    .nullable(),
  waiting: z.object({ reason: z.string(), detail: z.string(), until: nullableString }).nullable(),
  compliance: z
    .object({ allowed: z.boolean(), rule: nullableString, reason: nullableString, nextAllowedAt: nullableString })
    .nullable(),
  level: nullableString,
  currency: z.string(),
  balance: z.number(),
  pastDue: z.number(),
  oldestDaysPastDue: z.number(),
  bucketId: nullableString,
  /** Open documents of `currency` summed by aging bucket, in the team's aging config order (credits net); rows cached before engine version 2 have none. */
  buckets: z.array(z.number()).default([]),
  openInvoices: z.number(),
  promise: z.object({ status: z.string(), nextDueDate: nullableString }).nullable(),
  openDispute: z.boolean(),
});
export type WorklistRow = z.infer<typeof worklistRowSchema>;

/** What the row needs besides the entry: the account's open documents and how to age them. */
export interface RowAging {
  readonly documents: readonly LedgerDocument[];
  readonly asOfDate: CalendarDate;
  readonly aging?: AgingConfig;
}

function bucketsOf(currency: string, o: RowAging): number[] {
  const aging = o.aging ?? defaultDueDateAging;
  const sums = aging.buckets.map(() => 0);
  for (const d of o.documents) {
    if (d.status !== 'open' || d.currency !== currency || d.open === 0) continue;
    const age = ageDocument(d, o.asOfDate, aging);
    if (age !== null) sums[age.bucketIndex] = (sums[age.bucketIndex] ?? 0) + d.open;
  }
  return sums;
}

export function worklistRowOf(portfolioId: string, e: WorklistEntry, aging: RowAging): WorklistRow {
  const m = e.decision.metrics;
  const next = e.decision.next;
  const waiting = e.decision.waiting;
  const promise = e.state.currentPromise;
  const c = e.compliance;
  return {
    portfolioId,
    accountNumber: e.accountNumber,
    accountName: e.accountName,
    segment: e.segment,
    assignedTo: e.assignedTo,
    assignee: e.assignedTo ?? '',
    claimedBy: e.claimedBy ?? null,
    score: e.score,
    components: e.components.map((x) => ({ id: x.id, points: x.points, detail: x.detail })),
    dueAt: e.dueAt ?? null,
    next:
      next === null
        ? null
        : { kind: next.kind, channel: next.channel ?? null, reason: next.reason, manual: next.manual, dueAt: next.dueAt, template: next.template ?? null },
    waiting: waiting === undefined ? null : { reason: waiting.reason, detail: waiting.detail, until: waiting.until ?? null },
    compliance:
      c === undefined
        ? null
        : c.allowed
          ? { allowed: true, rule: null, reason: null, nextAllowedAt: null }
          : { allowed: false, rule: c.rule, reason: c.reason, nextAllowedAt: c.nextAllowedAt ?? null },
    level: e.decision.level?.name ?? null,
    currency: m.currency,
    balance: m.balance,
    pastDue: m.pastDue,
    oldestDaysPastDue: m.oldestDaysPastDue,
    bucketId: m.bucketId,
    buckets: bucketsOf(m.currency, aging),
    openInvoices: m.openInvoices,
    promise: promise === undefined ? null : { status: promise.status, nextDueDate: promise.nextDueDate ?? null },
    openDispute: e.state.disputes.some((d) => d.status === 'open'),
  };
}

/** The worklist's order on rows: higher score first, then earlier due, then account number. */
export function compareRows(a: WorklistRow, b: WorklistRow): number {
  if (a.score !== b.score) return b.score - a.score;
  const ad = a.dueAt ?? '~';
  const bd = b.dueAt ?? '~';
  if (ad !== bd) return ad < bd ? -1 : 1;
  return a.accountNumber < b.accountNumber ? -1 : a.accountNumber > b.accountNumber ? 1 : 0;
}

/** Filters of the Today list applied to rows (the same meaning as Worklist.query). */
export function rowMatches(
  r: WorklistRow,
  filter: { scope?: 'mine' | 'team' | 'unassigned'; collector?: string; bucket?: string; actionKind?: string; due?: 'due' | 'overdue' },
  asOf: Instant,
): boolean {
  const today = asOf.slice(0, 10);
  if (filter.scope === 'mine' && (filter.collector === undefined || r.assignedTo !== filter.collector)) return false;
  if (filter.scope === 'unassigned' && r.assignedTo !== null) return false;
  if (filter.bucket !== undefined && r.bucketId !== filter.bucket) return false;
  if (filter.actionKind !== undefined && r.next?.kind !== filter.actionKind) return false;
  if (filter.due === 'due' && (r.dueAt === null || r.dueAt > `${today}T23:59:59.999Z`)) return false;
  if (filter.due === 'overdue' && (r.dueAt === null || r.dueAt.slice(0, 10) >= today)) return false;
  return true;
}
