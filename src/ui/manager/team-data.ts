/**
 * What the manager's queue and team views read, derived from the worklist the device already holds:
 * open escalations (a person's and the strategy's), and each collector's day. Pure functions over
 * snapshots, memoized by their callers on the app's change counter.
 */
import type { AccountView } from '../../app/collector-app';
import type { EscalationState } from '../../domain/account-state';
import type { Fact } from '../../domain/facts';
import type { WorklistEntry } from '../../domain/worklist';

export interface QueueItem {
  readonly entry: WorklistEntry;
  readonly escalation: EscalationState;
}

/** Open escalations, oldest first: manual ones from the facts, derived ones from the strategy. */
export function escalationQueue(entries: readonly WorklistEntry[]): QueueItem[] {
  const out: QueueItem[] = [];
  for (const entry of entries) {
    const resolved = entry.state.resolvedEscalations;
    for (const e of entry.state.escalations) if (!resolved.has(e.id)) out.push({ entry, escalation: e });
    for (const e of entry.decision.escalations) if (!resolved.has(e.id)) out.push({ entry, escalation: e });
  }
  return out.sort((a, b) => (a.escalation.openedAt < b.escalation.openedAt ? -1 : a.escalation.openedAt > b.escalation.openedAt ? 1 : 0));
}

/** Collectors the team knows of: everyone something is assigned to, and whoever wrote a fact. */
export function collectorsOf(entries: readonly WorklistEntry[], extra: readonly string[] = []): string[] {
  const set = new Set(extra);
  for (const e of entries) if (e.assignedTo !== null) set.add(e.assignedTo);
  return [...set].sort();
}

export interface CollectorDay {
  readonly collector: string;
  readonly contacts: number;
  readonly conversations: number;
  readonly byChannel: Readonly<Record<string, number>>;
  readonly promisesTaken: number;
  /** Promised today, per currency, minor units. */
  readonly promisedAmount: Readonly<Record<string, number>>;
  /** Of the collector's promises that have come to an end (kept, partly kept or broken), how many were kept. */
  readonly promisesKept: number;
  readonly promisesEnded: number;
  readonly disputes: number;
  /** Field payments received today, per currency, minor units. */
  readonly collected: Readonly<Record<string, number>>;
  readonly accountsTouched: number;
}

const CONVERSATION = new Set(['right-party-contact', 'promise-taken', 'dispute-raised', 'refused', 'says-paid', 'callback-requested']);

interface Mutable {
  collector: string;
  contacts: number;
  conversations: number;
  byChannel: Record<string, number>;
  promisesTaken: number;
  promisedAmount: Record<string, number>;
  promisesKept: number;
  promisesEnded: number;
  disputes: number;
  collected: Record<string, number>;
  accounts: Set<string>;
}

/**
 * Each collector's day from the facts dated `today` (UTC day of the worklist's asOf), plus their
 * promise-kept record over every promise the device holds. Only accounts with something today are
 * opened (`account(n)`), so this reads hundreds of accounts, not the portfolio.
 */
export function teamDay(entries: readonly WorklistEntry[], today: string, account: (n: string) => AccountView | undefined): CollectorDay[] {
  const by = new Map<string, Mutable>();
  const of = (c: string): Mutable => {
    let m = by.get(c);
    if (m === undefined) {
      m = { collector: c, contacts: 0, conversations: 0, byChannel: {}, promisesTaken: 0, promisedAmount: {}, promisesKept: 0, promisesEnded: 0, disputes: 0, collected: {}, accounts: new Set() };
      by.set(c, m);
    }
    return m;
  };
  for (const e of entries) {
    const s = e.state;
    for (const p of s.promises) {
      if (p.status === 'kept') of(p.fact.by).promisesKept++;
      if (p.status === 'kept' || p.status === 'broken' || p.status === 'partially-kept') of(p.fact.by).promisesEnded++;
    }
    const touchedToday =
      (s.lastContactAt !== undefined && s.lastContactAt.startsWith(today)) ||
      s.promises.some((p) => p.fact.at.startsWith(today)) ||
      s.fieldReceipts.some((r) => r.fact.at.startsWith(today)) ||
      s.disputes.some((d) => d.openedAt.startsWith(today));
    if (!touchedToday) continue;
    for (const f of account(e.accountNumber)?.facts ?? []) if (f.at.startsWith(today)) count(of(f.by), f);
  }
  return [...by.values()]
    .filter((m) => m.accounts.size > 0 || m.promisesEnded > 0)
    .map(({ accounts, ...m }) => ({ ...m, accountsTouched: accounts.size }))
    .sort((a, b) => b.contacts - a.contacts || a.collector.localeCompare(b.collector));
}

function count(m: Mutable, f: Fact): void {
  m.accounts.add(f.accountNumber);
  switch (f.type) {
    case 'activity':
      if (f.channel === 'note') return;
      m.contacts++;
      m.byChannel[f.channel] = (m.byChannel[f.channel] ?? 0) + 1;
      if (CONVERSATION.has(f.outcome)) m.conversations++;
      return;
    case 'promise':
      m.promisesTaken++;
      m.promisedAmount[f.currency] = (m.promisedAmount[f.currency] ?? 0) + f.instalments.reduce((s, i) => s + i.amount, 0);
      return;
    case 'dispute':
      m.disputes++;
      return;
    case 'field-receipt':
      m.collected[f.currency] = (m.collected[f.currency] ?? 0) + f.amount;
      return;
    default:
      return;
  }
}
