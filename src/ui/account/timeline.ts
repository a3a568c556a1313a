/**
 * One timeline of an account: the team's facts and the ledger's events (invoices issued and paid,
 * payments received), newest first. Ledger events have a day, not an instant: they sort as the start
 * of their day (UTC), before anything the team did that day.
 */
import type { Fact } from '../../domain/facts';
import type { LedgerDocument, Payment } from '../../domain/ledger';
import { CHANNEL_LABELS, DISPUTE_OUTCOME_LABELS, FACT_LABELS, derivedEscalationLabel, disputeReasonLabel, outcomeLabel } from '../common/labels';
import { formatDate, formatDateTime, formatMoney } from '../common/format';

export interface TimelineItem {
  readonly key: string;
  /** Sort key: an instant, or a date's start of day. */
  readonly at: string;
  /** A calendar date for ledger events (no time of day), else undefined. */
  readonly date?: string;
  readonly title: string;
  readonly detail: string;
  readonly by?: string;
  readonly source: 'team' | 'ledger';
}

const NO_FACTS: ReadonlyMap<string, Fact> = new Map();
const joined = (...parts: (string | undefined | false)[]) => parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' · ');

/** A promise to pay in a few words: "$1,200.00 due 14 Jul 2025" or "$1,200.00 in 3 instalments from …". */
function promiseWords(f: Extract<Fact, { type: 'promise' }>): string {
  const total = f.instalments.reduce((s, i) => s + i.amount, 0);
  const first = f.instalments[0];
  const plan = f.instalments.length === 1 ? `due ${first === undefined ? '' : formatDate(first.dueDate)}` : `${f.instalments.length} instalments from ${first === undefined ? '' : formatDate(first.dueDate)}`;
  return `${formatMoney(total, f.currency)} ${plan}`;
}

/**
 * A fact in words. `byId` holds the account's facts, so a resolution names what it resolved (the
 * dispute's invoices, the cancelled promise's amount, the released hold's date).
 */
export function describeFact(f: Fact, byId: ReadonlyMap<string, Fact> = NO_FACTS): { title: string; detail: string } {
  const title = FACT_LABELS[f.type] ?? f.type;
  switch (f.type) {
    case 'activity':
      return { title: `${CHANNEL_LABELS[f.channel]}: ${outcomeLabel(f.outcome)}`, detail: [f.note, f.callbackAt && `callback ${formatDateTime(f.callbackAt)}`].filter(Boolean).join(' · ') };
    case 'promise':
      return { title, detail: joined(promiseWords(f), f.note) };
    case 'promise-cancelled': {
      const p = byId.get(f.promiseId);
      return { title, detail: joined(p?.type === 'promise' && promiseWords(p), `reason: ${f.reason}`) };
    }
    case 'dispute':
      return { title, detail: joined(f.documentNumbers.join(', '), disputeReasonLabel(f.reasonCode), formatMoney(f.amount, f.currency), f.note) };
    case 'dispute-resolved': {
      const d = byId.get(f.disputeId);
      const what = d?.type === 'dispute' ? `${disputeReasonLabel(d.reasonCode)} dispute on ${d.documentNumbers.join(', ')}` : undefined;
      return { title: `Dispute ${DISPUTE_OUTCOME_LABELS[f.outcome].label.toLowerCase()}`, detail: joined(what, f.note) };
    }
    case 'escalation':
      return { title, detail: `${f.reason}${f.toRole === undefined ? '' : ` → ${f.toRole}`}${f.toUser === undefined ? '' : ` → ${f.toUser}`}` };
    case 'escalation-resolved': {
      const e = byId.get(f.escalationId);
      return { title, detail: joined(e?.type === 'escalation' ? e.reason : derivedEscalationLabel(f.escalationId), f.note) };
    }
    case 'task':
      return { title, detail: joined(`due ${formatDateTime(f.dueAt)} for ${f.assignee}`, f.note) };
    case 'task-closed': {
      const t = byId.get(f.taskId);
      return { title: f.outcome === 'done' ? 'Tickler task done' : 'Tickler task skipped', detail: joined(t?.type === 'task' && `was due ${formatDateTime(t.dueAt)}`, t?.type === 'task' && t.note, f.note) };
    }
    case 'hold':
      return { title, detail: `until ${formatDate(f.until)} · ${f.reason}${f.documentNumbers === undefined ? '' : ` · ${f.documentNumbers.join(', ')}`}` };
    case 'assignment':
      return { title, detail: f.collector === null ? 'unassigned' : `to ${f.collector}` };
    case 'claim':
      return { title, detail: `until ${formatDateTime(f.expiresAt)}` };
    case 'strategy-override':
      return { title, detail: `${f.strategyId ?? 'back to the segment’s strategy'}${f.reason === '' ? '' : ` · ${f.reason}`}` };
    case 'field-receipt':
      return { title, detail: `${formatMoney(f.amount, f.currency)} by ${f.method}, receipt ${f.receiptNumber}${f.reference === '' ? '' : ` (${f.reference})`}` };
    case 'hold-released': {
      const h = byId.get(f.holdId);
      return { title, detail: h?.type === 'hold' ? joined(h.documentNumbers === undefined ? 'whole account' : h.documentNumbers.join(', '), `was until ${formatDate(h.until)}`, h.reason) : '' };
    }
    case 'claim-released':
      return { title, detail: '' };
  }
}

export function buildTimeline(facts: readonly Fact[], documents: readonly LedgerDocument[], payments: readonly Payment[]): TimelineItem[] {
  const items: TimelineItem[] = [];
  const byId = new Map(facts.map((f) => [f.id, f]));
  for (const f of facts) items.push({ key: f.id, at: f.at, ...describeFact(f, byId), by: f.by, source: 'team' });
  for (const d of documents) {
    const what = d.kind === 'invoice' ? 'Invoice' : 'Credit note';
    items.push({ key: `issued:${d.number}`, at: `${d.issueDate}T00:00:00.000Z`, date: d.issueDate, title: `${what} ${d.number} issued`, detail: `${formatMoney(d.original, d.currency)}, due ${formatDate(d.dueDate)}`, source: 'ledger' });
    if (d.paidDate !== undefined)
      items.push({ key: `paid:${d.number}`, at: `${d.paidDate}T00:00:00.000Z`, date: d.paidDate, title: `${what} ${d.number} settled`, detail: '', source: 'ledger' });
  }
  for (const p of payments)
    items.push({
      key: `payment:${p.id}`,
      at: `${p.receivedDate}T00:00:00.000Z`,
      date: p.receivedDate,
      title: 'Payment received',
      detail: `${formatMoney(p.amount, p.currency)} by ${p.method}${p.reference === '' ? '' : ` (${p.reference})`}${p.allocations.length > 0 ? ` → ${p.allocations.map((a) => a.documentNumber).join(', ')}` : ''}`,
      source: 'ledger',
    });
  // Newest first; a ledger day sorts after the team's facts of that day (it is their start).
  return items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.key < b.key ? 1 : -1));
}
