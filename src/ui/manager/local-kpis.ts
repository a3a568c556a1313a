/**
 * Figures the device computes from the worklist it holds, so the dashboard has something true to say
 * offline: accounts and past-due amounts by aging bucket (per currency), the team's promise-kept rate
 * and right-party-contact rate over the last 30 days.
 */
import type { WorklistEntry } from '../../domain/worklist';

export interface LocalKpis {
  /** Per currency: past-due amounts and account counts by bucket id. */
  readonly byCurrency: ReadonlyMap<string, { readonly pastDue: Map<string, number>; readonly accounts: Map<string, number> }>;
  readonly promisesKept: number;
  readonly promisesEnded: number;
  readonly contacts: number;
  readonly conversations: number;
  readonly openDisputes: number;
  readonly accounts: number;
}

const DAY_MS = 86_400_000;

export function localKpis(entries: readonly WorklistEntry[], asOf: string, windowDays = 30): LocalKpis {
  const since = new Date(Date.parse(asOf) - windowDays * DAY_MS).toISOString();
  const byCurrency = new Map<string, { pastDue: Map<string, number>; accounts: Map<string, number> }>();
  let promisesKept = 0;
  let promisesEnded = 0;
  let contacts = 0;
  let conversations = 0;
  let openDisputes = 0;
  for (const e of entries) {
    const m = e.decision.metrics;
    if (m.bucketId !== null) {
      let c = byCurrency.get(m.currency);
      if (c === undefined) {
        c = { pastDue: new Map(), accounts: new Map() };
        byCurrency.set(m.currency, c);
      }
      c.pastDue.set(m.bucketId, (c.pastDue.get(m.bucketId) ?? 0) + m.pastDue);
      c.accounts.set(m.bucketId, (c.accounts.get(m.bucketId) ?? 0) + 1);
    }
    for (const p of e.state.promises) {
      if (p.status === 'kept') promisesKept++;
      if (p.status === 'kept' || p.status === 'broken' || p.status === 'partially-kept') promisesEnded++;
    }
    for (const a of e.state.attempts) if (a.at >= since) contacts++;
    for (const a of e.state.conversations) if (a.at >= since) conversations++;
    for (const d of e.state.disputes) if (d.status === 'open') openDisputes++;
  }
  return { byCurrency, promisesKept, promisesEnded, contacts, conversations, openDisputes, accounts: entries.length };
}
